"""Calendar files read back with icalendar: the event's times, zones, UIDs, SEQUENCE."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from hallway.events import calendar, service
from hallway.events.models import RsvpStatus
from tests.factories import make_user
from tests.unit.events.factories import make_event, make_organiser, rsvp

pytestmark = pytest.mark.usefixtures("app_context")
BASE = "https://hallway.example"


def parsed(body: bytes):
    return Calendar.from_ical(body)


def only_event(body: bytes):
    [component] = parsed(body).walk("VEVENT")
    return component


@pytest.fixture
def owner(session):
    return make_organiser(session)


@pytest.fixture
def event(session, owner):
    year = datetime.now(UTC).year + 1
    return make_event(
        session,
        owner=owner,
        title="ASCILITE meetup",
        starts_at=datetime(year, 3, 4, 18, 0),
        ends_at=datetime(year, 3, 4, 20, 30),
        time_zone="Australia/Sydney",
        format="hybrid",
        venue="UTS Building 2",
        city="Sydney",
        online_url="https://meet.example/ascilite",
    )


def test_the_ics_times_are_the_events_in_utc_with_its_zone(event):
    component = only_event(calendar.event_ics(event, base_url=BASE, show_online_url=False))
    start, end = component.decoded("dtstart"), component.decoded("dtend")
    assert start.astimezone(UTC) == event.starts_at
    assert end.astimezone(UTC) == event.ends_at
    assert component["dtstart"].params["TZID"] == "Australia/Sydney"
    assert start.hour == 18  # written as the local time the organiser chose
    [zone] = parsed(calendar.event_ics(event, base_url=BASE, show_online_url=False)).walk(
        "VTIMEZONE"
    )
    assert zone["TZID"] == "Australia/Sydney"


def test_what_the_entry_says(event):
    component = only_event(calendar.event_ics(event, base_url=BASE, show_online_url=False))
    assert str(component["summary"]) == "ASCILITE meetup"
    assert str(component["location"]) == "UTS Building 2, Sydney, and online"
    assert str(component["url"]) == f"{BASE}/events/{event.id}"
    assert str(component["status"]) == "CONFIRMED"
    assert "meet.example" not in str(component["description"])
    shown = only_event(calendar.event_ics(event, base_url=BASE, show_online_url=True))
    assert "https://meet.example/ascilite" in str(shown["description"])


def test_an_edit_keeps_the_uid_and_raises_the_sequence(session, owner, event):
    before = only_event(calendar.event_ics(event, base_url=BASE, show_online_url=False))
    service.edit_event(
        session,
        actor=owner,
        event=event,
        changes={"starts_at": event.starts_at + timedelta(hours=1)},
    )
    after = only_event(calendar.event_ics(event, base_url=BASE, show_online_url=False))
    assert str(after["uid"]) == str(before["uid"]) == f"event-{event.id}@hallway.example"
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    assert after.decoded("dtstart").astimezone(UTC) == event.starts_at


def test_a_cancelled_event_is_cancelled_in_calendars(session, owner, event):
    service.cancel_event(session, actor=owner, event=event)
    component = only_event(calendar.event_ics(event, base_url=BASE, show_online_url=False))
    assert str(component["status"]) == "CANCELLED"
    assert int(component["sequence"]) >= 1


def test_the_feed_holds_my_events_and_their_sessions(session, owner, event):
    member = make_user(session, display_name="Mia")
    rsvp(session, event, member)
    item = service.add_session(
        session,
        actor=owner,
        event=event,
        data={
            "title": "Lightning talks",
            "starts_at": event.starts_at,
            "ends_at": event.starts_at + timedelta(minutes=45),
            "location": "Room 3",
        },
    )
    other = make_event(session, owner=owner, title="Interested only")
    rsvp(session, other, member, "interested")
    make_event(session, owner=owner, title="Not mine")
    body = calendar.feed_ics(service.feed_events(session, member), base_url=BASE, name="Mia")
    components = {str(c["summary"]): c for c in parsed(body).walk("VEVENT")}
    assert set(components) == {"ASCILITE meetup", "Lightning talks", "Interested only"}
    talk = components["Lightning talks"]
    assert str(talk["uid"]) == f"event-{event.id}-session-{item.id}@hallway.example"
    assert talk.decoded("dtstart").astimezone(UTC) == item.starts_at
    assert str(components["Interested only"]["status"]) == "TENTATIVE"
    assert "https://meet.example/ascilite" in str(components["ASCILITE meetup"]["description"])


def test_a_feed_url_is_revocable(session):
    member = make_user(session)
    feed = service.calendar_feed(session, actor=member)
    assert service.calendar_feed(session, actor=member).token == feed.token
    assert service.feed_owner(session, feed.token) == member
    service.revoke_calendar_feed(session, actor=member)
    from hallway.core.errors import NotFound

    with pytest.raises(NotFound):
        service.feed_owner(session, feed.token)
    assert service.calendar_feed(session, actor=member).token != feed.token


def test_the_feed_skips_events_i_declined(session, owner, event):
    member = make_user(session)
    rsvp(session, event, member, "not_going")
    assert service.feed_events(session, member) == []
    assert RsvpStatus.not_going not in {
        answer for _e, answer in service.feed_events(session, owner)
    }
