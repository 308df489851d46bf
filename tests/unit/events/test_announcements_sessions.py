"""Announcements and cancellation reach the people going; the agenda and its threads."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from hallway.core.errors import InvalidInput, NotAllowed
from hallway.discussions.models import Thread
from hallway.events import service
from hallway.notifications.models import Notification
from hallway.realtime import user_topic
from tests.factories import make_user
from tests.unit.events.factories import make_event, make_organiser, rsvp

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def owner(session):
    return make_organiser(session)


@pytest.fixture
def pushed(monkeypatch):
    """What the service asks the real-time package to push (after the commit)."""
    calls = []
    monkeypatch.setattr(
        service,
        "notify_topic",
        lambda _s, topic, event, payload: calls.append((topic, event, payload)),
    )
    return calls


def notices(session, kind):
    return {
        n.recipient_id: n
        for n in session.scalars(select(Notification).where(Notification.kind == kind))
    }


@pytest.fixture
def crowd(session, owner):
    event = make_event(session, owner=owner, title="CNIE 2027", capacity=2)
    people = {
        name: make_user(session, handle=name)
        for name in ("going1", "going2", "waiting", "curious", "declined")
    }
    for name in ("going1", "going2", "waiting"):
        rsvp(session, event, people[name])
    rsvp(session, event, people["curious"], "interested")
    rsvp(session, event, people["declined"], "not_going")
    return event, people


def test_an_announcement_reaches_everyone_going_live_and_in_notifications(
    session, owner, crowd, pushed
):
    event, people = crowd
    service.post_announcement(
        session, actor=owner, event=event, title="Room change", body="We moved to **B201**."
    )
    going = {people["going1"].id, people["going2"].id}
    sent = notices(session, service.KIND_ANNOUNCEMENT)
    assert set(sent) == going
    assert sent[people["going1"].id].summary == "CNIE 2027: Room change"
    assert sent[people["going1"].id].excerpt == "We moved to B201."
    live = [
        (topic, payload["title"]) for topic, name, payload in pushed if name == "event_announcement"
    ]
    assert sorted(live) == sorted((user_topic(user_id), "Room change") for user_id in going)
    assert [a.title for a in service.list_announcements(session, event)] == ["Room change"]


def test_only_organisers_announce(session, crowd):
    event, people = crowd
    with pytest.raises(NotAllowed):
        service.post_announcement(session, actor=people["going1"], event=event, title="Hi", body="")


def test_cancelling_tells_everyone_going_and_waiting(session, owner, crowd):
    event, people = crowd
    service.cancel_event(session, actor=owner, event=event)
    told = set(notices(session, service.KIND_CANCELLED))
    assert told == {people["going1"].id, people["going2"].id, people["waiting"].id}
    assert event.is_cancelled and not event.registration_open


def test_promotion_is_pushed_live_to_the_promoted_member(session, crowd, pushed):
    event, people = crowd
    rsvp(session, event, people["going1"], "not_going")
    assert (user_topic(people["waiting"].id), "event_rsvp") in [
        (topic, name) for topic, name, _payload in pushed
    ]


def _session_data(event, **overrides):
    return {
        "title": "Keynote",
        "description": "Opening words",
        "starts_at": event.starts_at,
        "ends_at": event.starts_at + timedelta(hours=1),
        "location": "Main hall",
        "track": "Plenary",
        **overrides,
    }


def test_a_session_starts_its_own_discussion_thread(session, owner):
    event = make_event(session, owner=owner, title="ALT-C")
    speaker = make_user(session, display_name="Dr Speaker")
    item = service.add_session(
        session,
        actor=owner,
        event=event,
        data=_session_data(event, speakers=[{"user_id": speaker.id}, {"name": "Guest Name"}]),
    )
    thread = session.get(Thread, item.thread_id)
    assert thread is not None and thread.title == "ALT-C: Keynote"
    assert thread.category.slug == service.SESSIONS_CATEGORY_SLUG
    assert [s.display_name for s in item.speakers] == ["Dr Speaker", "Guest Name"]
    assert event.sessions == [item]


def test_sessions_happen_during_the_event(session, owner):
    event = make_event(session, owner=owner)
    with pytest.raises(InvalidInput) as refused:
        service.add_session(
            session,
            actor=owner,
            event=event,
            data=_session_data(event, starts_at=event.starts_at - timedelta(hours=1)),
        )
    assert "starts_at" in refused.value.field_errors
    with pytest.raises(InvalidInput) as refused:
        service.add_session(
            session,
            actor=owner,
            event=event,
            data=_session_data(event, ends_at=event.ends_at + timedelta(minutes=1)),
        )
    assert "ends_at" in refused.value.field_errors
    assert event.sessions == []


def test_editing_and_removing_a_session_keeps_its_thread(session, owner):
    event = make_event(session, owner=owner)
    item = service.add_session(session, actor=owner, event=event, data=_session_data(event))
    thread_id = item.thread_id
    service.edit_session(
        session, actor=owner, event=event, agenda_item=item, changes={"title": "Welcome"}
    )
    assert item.title == "Welcome" and item.sequence == 1
    service.delete_session(session, actor=owner, event=event, agenda_item=item)
    session.expire_all()
    assert event.sessions == [] and session.get(Thread, thread_id) is not None


def test_members_cannot_change_the_agenda(session, owner):
    event = make_event(session, owner=owner)
    with pytest.raises(NotAllowed):
        service.add_session(
            session, actor=make_user(session), event=event, data=_session_data(event)
        )
