"""The notification centre costs the same SQL statements for 5 or 50 notifications from
as many different people, and counts the unread ones once for the page and the nav."""

from __future__ import annotations

from tests.factories import make_notification, make_user
from tests.querycount import statements_for


def add_notifications(session, recipient, count: int) -> None:
    for number in range(count):
        make_notification(
            session,
            recipient=recipient,
            actor=make_user(session),
            summary=f"Someone replied, number {number}",
            read=number % 2 == 0,
        )
    session.commit()


def test_notifications_send_the_same_statements_for_5_and_50(app, logged_in, member, session):
    add_notifications(session, member, 5)
    with_5 = statements_for(app, logged_in.client, "/notifications")
    add_notifications(session, member, 45)
    with_50 = statements_for(app, logged_in.client, "/notifications")
    assert len(with_50) == len(with_5)
    unread_counts = [s for s in with_50 if "count" in s.lower() and "read_at IS NULL" in s]
    assert len(unread_counts) == 1


def test_the_page_and_the_nav_show_the_same_unread_count(logged_in, member, session):
    add_notifications(session, member, 7)  # 3 unread
    html = logged_in.client.get("/notifications").get_data(as_text=True)
    assert "3 unread</span>" in html
    assert 'aria-label="Notifications, 3 unread"' in html
    assert html.count("Mark as read<span") == 3
