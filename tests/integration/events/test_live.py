"""Announcements and promotions reach the member's open pages live (Socket.IO)."""

from tests.conftest import mailed_to
from tests.factories import make_user
from tests.unit.events.factories import make_event, rsvp


def received(socket_client, name):
    return [p["args"][0] for p in socket_client.get_received() if p["name"] == name]


def test_an_announcement_arrives_live_and_as_a_notification(
    socket_client, as_organiser, session, organiser, member
):
    event = make_event(session, owner=organiser, title="WCET Annual")
    rsvp(session, event, member)
    session.commit()
    socket_client.get_received()
    response = as_organiser.post(
        f"/api/v1/events/{event.id}/announcements",
        {"title": "Lunch moved", "body": "Now at **12:30**."},
    )
    assert response.status_code == 201
    pushed = socket_client.get_received()
    [announcement] = [p["args"][0] for p in pushed if p["name"] == "event_announcement"]
    assert announcement["title"] == "Lunch moved" and announcement["event_id"] == event.id
    [notice] = [p["args"][0] for p in pushed if p["name"] == "notification"]
    assert notice["kind"] == "event_announcement"
    assert notice["summary"] == "WCET Annual: Lunch moved"


def test_members_not_going_hear_nothing(socket_client, as_organiser, session, organiser, member):
    event = make_event(session, owner=organiser)
    rsvp(session, event, member, "interested")
    session.commit()
    socket_client.get_received()
    as_organiser.post(f"/api/v1/events/{event.id}/announcements", {"title": "Hello"})
    assert received(socket_client, "event_announcement") == []


def test_promotion_from_the_waitlist_arrives_live_and_by_email(
    app, socket_client, as_member, log_in_as, session, organiser, member
):
    event = make_event(session, owner=organiser, title="Full house", capacity=1)
    first = make_user(session, handle="first")
    session.commit()
    as_first = log_in_as(first)
    path = f"/api/v1/events/{event.id}/rsvp"
    as_first.put(path, {"status": "going"})
    as_member.put(path, {"status": "going"})
    socket_client.get_received()
    before = len(mailed_to(app, member.email))
    as_first.put(path, {"status": "not_going"})
    pushed = socket_client.get_received()
    [state] = [p["args"][0] for p in pushed if p["name"] == "event_rsvp"]
    assert state == {"event_id": event.id, "status": "going", "position": None}
    assert [p["args"][0]["kind"] for p in pushed if p["name"] == "notification"] == [
        "event_promoted"
    ]
    emails = mailed_to(app, member.email)[before:]
    assert len(emails) == 1 and "Full house" in emails[0]


def test_cancelling_emails_the_people_going(app, as_organiser, session, organiser, member):
    event = make_event(session, owner=organiser, title="Called off")
    rsvp(session, event, member)
    session.commit()
    before = len(mailed_to(app, member.email))
    as_organiser.post(f"/api/v1/events/{event.id}/cancel")
    emails = mailed_to(app, member.email)[before:]
    assert len(emails) == 1 and "“Called off” was cancelled" in emails[0]
