"""The thread page's reply box is rendered once per language and reused
(``rendering.reply_fields``): every reader still gets a box that posts with their own
token, in their own language."""

from __future__ import annotations

import re

from tests.factories import make_user


def reply_form(html: str) -> str:
    found = re.search(r'<form[^>]*id="reply-form".*?</form>', html, re.S)
    assert found, "the page has no reply box"
    return found.group(0)


def token_in(form_html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form_html)
    assert found, "the reply box has no token"
    return found.group(1)


def test_each_reader_posts_a_reply_with_the_token_of_their_own_page(
    session, thread, author, log_in_as
):
    first, second = log_in_as(author), log_in_as(make_user(session))
    session.commit()
    path = f"/t/{thread.id}/{thread.slug}"
    first_token = token_in(reply_form(first.client.get(path).get_data(as_text=True)))
    second_page = second.client.get(path).get_data(as_text=True)
    second_token = token_in(reply_form(second_page))
    assert second_token != first_token
    assert f'<meta name="csrf-token" content="{second_token}">' in second_page
    posted = second.client.post(
        f"/t/{thread.id}/comments", data={"csrf_token": second_token, "body": "Through the box"}
    )
    assert posted.status_code == 302
    assert "Through the box" in second.client.get(path).get_data(as_text=True)


def test_the_reply_box_speaks_each_readers_language(logged_in, thread):
    path = f"/t/{thread.id}/{thread.slug}"
    english = reply_form(logged_in.client.get(path).get_data(as_text=True))
    french_page = logged_in.client.get(path, headers={"Accept-Language": "fr-CA"})
    french = reply_form(french_page.get_data(as_text=True))
    assert "Your reply" in english
    assert "Votre réponse" in french and "Your reply" not in french
    again = reply_form(logged_in.client.get(path).get_data(as_text=True))
    assert "Your reply" in again
    assert 'href="#body"' in french_page.get_data(as_text=True)  # "jump to the reply box"
