"""The notification centre, the nav badge, preferences and watch/mute controls."""

import re

import pytest
from flask import render_template_string
from sqlalchemy.exc import OperationalError

from hallway.discussions import subscriptions
from hallway.discussions.subscriptions import ThreadSubscription
from hallway.notifications import service
from hallway.notifications.models import NotificationPreference
from tests.factories import make_notification, make_thread, make_user


@pytest.fixture
def three_notifications(session, member, replier):
    made = [
        make_notification(session, recipient=member, actor=replier, summary=f"Hello {number}")
        for number in range(3)
    ]
    session.commit()
    return made


def test_the_notification_centre_needs_a_login(client):
    response = client.get("/notifications")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_centre_lists_notifications_and_highlights_unread(
    session, logged_in, member, replier, three_notifications
):
    logged_in.post_form(f"/notifications/{three_notifications[0].id}/read", {})
    html = logged_in.client.get("/notifications").get_data(as_text=True)
    assert "2 unread" in html
    assert html.count('class="list-row notification is-unread"') == 2
    assert html.count('<li class="list-row notification"') == 1
    # Unread says so in words, not only by its colour.
    assert html.count('unread-marker">New</span>') == 2
    assert html.count("Mark as read<") == 2
    for notification in three_notifications:
        assert f'href="{notification.url}"' in html
        assert notification.summary in html


def test_the_nav_badge_shows_the_unread_count(logged_in, three_notifications):
    html = logged_in.client.get("/").get_data(as_text=True)
    assert 'aria-label="Notifications, 3 unread"' in html
    assert "data-unread-count aria-hidden" in html
    # Static files are served under content-hashed names (core.static_assets).
    assert re.search(r'src="/static/js/notifications\.[0-9a-f]{8,}\.js"', html)


def test_the_centre_is_paginated(session, logged_in, member):
    for _ in range(25):
        make_notification(session, recipient=member)
    session.commit()
    first = logged_in.client.get("/notifications").get_data(as_text=True)
    second = logged_in.client.get("/notifications?page=2").get_data(as_text=True)
    assert first.count('<li class="list-row notification') == 20
    assert second.count('<li class="list-row notification') == 5
    assert 'rel="next"' in first
    assert logged_in.client.get("/notifications?page=abc").status_code == 200


def test_marking_one_read_needs_csrf_and_returns_to_the_list(
    session, logged_in, member, three_notifications
):
    target = three_notifications[1]
    refused = logged_in.client.post(f"/notifications/{target.id}/read")
    assert refused.status_code == 400
    response = logged_in.post_form(
        f"/notifications/{target.id}/read", {"next": "/notifications?page=1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications?page=1"
    assert service.unread_count(session, member.id) == 2


def test_someone_elses_notification_cannot_be_marked(session, logged_in):
    theirs = make_notification(session, recipient=make_user(session))
    session.commit()
    assert logged_in.post_form(f"/notifications/{theirs.id}/read", {}).status_code == 404
    session.expire_all()
    assert theirs.read_at is None


def test_mark_all_read(session, logged_in, member, three_notifications):
    response = logged_in.post_form("/notifications/read-all", {}, follow_redirects=True)
    assert "Marked 3 notifications as read." in response.get_data(as_text=True)
    assert service.unread_count(session, member.id) == 0


def test_preferences_page_saves_choices(session, logged_in, member):
    page = logged_in.client.get("/notifications/preferences").get_data(as_text=True)
    assert 'name="email_on_reply"' in page and "checked" in page
    response = logged_in.post_form(
        "/notifications/preferences", {"email_on_mention": "y", "digest": "daily"}
    )
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(NotificationPreference, member.id)
    assert (stored.email_on_reply, stored.email_on_mention, stored.digest.value) == (
        False,
        True,
        "daily",
    )


def test_preferences_refuse_an_unknown_digest_with_a_message(session, logged_in, member):
    response = logged_in.post_form("/notifications/preferences", {"digest": "weekly"})
    assert response.status_code == 422
    # The API's message (PreferencesSchema), next to the field.
    assert "Choose off or daily." in response.get_data(as_text=True)
    assert session.get(NotificationPreference, member.id) is None


def test_the_subscription_control_sets_a_level_and_returns(session, logged_in, member):
    thread = make_thread(session)
    session.commit()
    path = f"/notifications/subscriptions/thread/{thread.id}"
    response = logged_in.post_form(path, {"level": "watching", "next": "/t/1/back"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/t/1/back"
    assert session.get(ThreadSubscription, (member.id, thread.id)).level.value == "watching"
    category_path = f"/notifications/subscriptions/category/{thread.category_id}"
    assert logged_in.post_form(category_path, {"level": "muted"}).status_code == 302


@pytest.mark.parametrize(
    ("path", "level", "status"),
    [
        ("/notifications/subscriptions/thread/{id}", "loud", 422),
        ("/notifications/subscriptions/thread/999999", "watching", 404),
        ("/notifications/subscriptions/poll/{id}", "watching", 404),
    ],
)
def test_the_subscription_control_refuses_bad_input(session, logged_in, path, level, status):
    thread = make_thread(session)
    session.commit()
    response = logged_in.post_form(path.format(id=thread.id), {"level": level})
    assert response.status_code == status
    assert "Traceback" not in response.get_data(as_text=True)


def test_the_subscription_partial_shows_the_current_level(app, session, logged_in, member):
    thread = make_thread(session)
    subscriptions.mute_thread(session, actor=member, thread_id=thread.id)
    session.commit()
    template = (
        "{% with subject_type='thread', subject_id=thread_id %}"
        "{% include 'discussions/_subscription_control.html' %}{% endwith %}"
    )
    with app.test_request_context(f"/t/{thread.id}"):
        from flask_login import login_user

        login_user(member)
        html = render_template_string(template, thread_id=thread.id)
    assert f'action="/notifications/subscriptions/thread/{thread.id}"' in html
    assert 'name="csrf_token"' in html
    radios = re.findall(r"<input type=\"radio\"[^>]*>", html)
    assert [radio for radio in radios if "checked" in radio] == [
        next(radio for radio in radios if 'value="muted"' in radio)
    ]
    assert "<legend>Notifications for this discussion</legend>" in html


def test_a_database_error_never_breaks_the_nav_badge(monkeypatch, logged_in):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT count(*)", {}, Exception("transaction aborted"))

    monkeypatch.setattr(service, "unread_count", broken)
    response = logged_in.client.get("/")
    assert response.status_code == 200
    assert 'aria-label="Notifications, 0 unread"' in response.get_data(as_text=True)


def test_thread_and_category_pages_carry_the_watch_mute_control(session, logged_in, member):
    thread = make_thread(session)
    subscriptions.watch_thread(session, actor=member, thread_id=thread.id)
    session.commit()
    page = logged_in.client.get(f"/t/{thread.id}", follow_redirects=True).get_data(as_text=True)
    assert f'action="/notifications/subscriptions/thread/{thread.id}"' in page
    assert re.search(r'value="watching"[^>]*checked', page)
    category = logged_in.client.get(f"/c/{thread.category.slug}").get_data(as_text=True)
    assert f'action="/notifications/subscriptions/category/{thread.category_id}"' in category
    assert re.search(r'value="normal"[^>]*checked', category)
