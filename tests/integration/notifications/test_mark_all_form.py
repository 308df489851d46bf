"""The notifications page writes its "Mark all as read" token itself (no form object
built per view): the button still works with the token the page carries."""

from __future__ import annotations

import re

from tests.factories import make_notification, make_user


def test_mark_all_as_read_works_with_the_token_on_the_page(session, logged_in, member):
    make_notification(session, recipient=member, actor=make_user(session), summary="Ping")
    session.commit()
    page = logged_in.client.get("/notifications").get_data(as_text=True)
    form = re.search(r'<form[^>]*action="/notifications/read-all".*?</form>', page, re.S)
    assert form, "no mark-all form while something is unread"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.group(0))
    assert token
    response = logged_in.client.post(
        "/notifications/read-all",
        data={"csrf_token": token.group(1), "next": "/notifications"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "0 unread" in response.get_data(as_text=True)
