"""The "email me about events I am going to" switch: announcements, places off the
waitlist and cancellations are emailed as it says (not as the mention switch says), and
the in-app notification always arrives."""

from __future__ import annotations

from sqlalchemy import select

from hallway.notifications import service as notifications_service
from hallway.notifications.models import Notification, NotificationPreference
from tests.conftest import mailed_to
from tests.unit.events.factories import make_event, rsvp


def set_switches(session, user, *, event: bool, mention: bool) -> None:
    notifications_service.update_preferences(
        session, actor=user, email_on_event=event, email_on_mention=mention
    )
    session.commit()


def announce(as_organiser, event) -> None:
    response = as_organiser.post(
        f"/api/v1/events/{event.id}/announcements", {"title": "Room change", "body": "Hall B."}
    )
    assert response.status_code == 201


def test_event_emails_off_stops_announcement_emails_but_not_the_notification(
    app, as_organiser, session, organiser, member
):
    event = make_event(session, owner=organiser, title="Quiet please")
    rsvp(session, event, member)
    set_switches(session, member, event=False, mention=True)
    before = len(mailed_to(app, member.email))
    announce(as_organiser, event)
    assert mailed_to(app, member.email)[before:] == []
    kinds = session.scalars(
        select(Notification.kind).where(Notification.recipient_id == member.id)
    ).all()
    assert "event_announcement" in kinds


def test_event_emails_follow_their_own_switch_not_mentions(
    app, as_organiser, session, organiser, member
):
    event = make_event(session, owner=organiser, title="Loud and clear")
    rsvp(session, event, member)
    set_switches(session, member, event=True, mention=False)
    before = len(mailed_to(app, member.email))
    announce(as_organiser, event)
    emails = mailed_to(app, member.email)[before:]
    assert len(emails) == 1 and "Room change" in emails[0]


def test_event_emails_off_stops_cancellation_emails(app, as_organiser, session, organiser, member):
    event = make_event(session, owner=organiser, title="Called off")
    rsvp(session, event, member)
    set_switches(session, member, event=False, mention=True)
    before = len(mailed_to(app, member.email))
    assert as_organiser.post(f"/api/v1/events/{event.id}/cancel").status_code == 200
    assert mailed_to(app, member.email)[before:] == []


def test_the_preferences_page_saves_the_event_switch(logged_in, session, member):
    page = logged_in.client.get("/notifications/preferences").get_data(as_text=True)
    assert 'name="email_on_event"' in page and "Email me about events I am going to" in page
    token = logged_in.csrf_token("/notifications/preferences")
    response = logged_in.client.post(
        "/notifications/preferences",
        data={"csrf_token": token, "email_on_reply": "y", "digest": "off"},
    )
    assert response.status_code == 302
    stored = session.get(NotificationPreference, member.id)
    session.refresh(stored)
    assert (stored.email_on_reply, stored.email_on_mention, stored.email_on_event) == (
        True,
        False,
        False,
    )
    response = logged_in.client.post(
        "/notifications/preferences",
        data={"csrf_token": token, "email_on_event": "y", "digest": "off"},
    )
    assert response.status_code == 302
    session.refresh(stored)
    assert stored.email_on_event is True


def test_the_api_reads_and_changes_the_event_switch(as_member, session, member):
    path = "/api/v1/notifications/preferences"
    assert as_member.get(path).get_json()["email_on_event"] is True  # on by default
    response = as_member.patch(path, {"email_on_event": False})
    assert response.status_code == 200 and response.get_json()["email_on_event"] is False
    assert as_member.patch(path, {"email_on_event": "sometimes"}).status_code == 422
    assert notifications_service.get_preferences(session, member.id).email_on_event is False


def test_unsubscribing_from_all_emails_stops_event_emails(session, member):
    notifications_service.stop_all_emails(session, user_id=member.id)
    session.commit()
    assert notifications_service.get_preferences(session, member.id).email_on_event is False
