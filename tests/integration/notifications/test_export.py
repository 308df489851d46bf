"""The member's data download carries their own notifications (and nobody else's)."""

import json

from tests.factories import make_notification, make_user


def test_the_download_lists_the_members_own_notifications_oldest_first(
    session, logged_in, member, replier
):
    make_notification(session, recipient=member, actor=replier, summary="Sam replied", read=True)
    make_notification(session, recipient=member, summary="Someone mentioned you")
    make_notification(session, recipient=make_user(session), summary="Not Maya's")
    session.commit()

    response = logged_in.client.get("/account/data")
    assert response.status_code == 200
    notifications = json.loads(response.get_data(as_text=True))["notifications"]
    assert [n["summary"] for n in notifications] == ["Sam replied", "Someone mentioned you"]
    first, second = notifications
    assert first["actor"] == "sam" and second["actor"] is None
    assert first["read_at"] is not None and second["read_at"] is None
    assert first["created_at"].startswith("20")  # an ISO date, ready for JSON
    assert {"kind", "excerpt", "removed", "url"} <= set(first)
