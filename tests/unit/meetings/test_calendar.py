"""A meeting's .ics, parsed back with icalendar: same UID across updates, SEQUENCE,
METHOD, and the times in UTC."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from icalendar import Calendar

from hallway.meetings import calendar, service
from tests.unit.meetings.factories import accept_first, make_member, make_mentor, make_request, soon

pytestmark = pytest.mark.usefixtures("app_context")

BASE_URL = "https://hallway.example"


def parsed(request):
    ics = Calendar.from_ical(calendar.meeting_ics(request, base_url=BASE_URL))
    [event] = ics.walk("VEVENT")
    return ics, event


def test_an_accepted_meeting_as_a_calendar_file(session):
    sender, recipient = make_member(session), make_mentor(session)
    start = soon(36)
    request = make_request(
        session,
        sender,
        recipient,
        proposed_times=[start],
        duration_minutes=45,
        place="Table 7",
        message="Captioning workflows",
    )
    accept_first(session, request, recipient)
    ics, event = parsed(request)
    assert str(ics["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == f"meeting-{request.id}@hallway.example"
    assert event["SEQUENCE"] == 1
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == start.astimezone(UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert str(event["LOCATION"]) == "Table 7"
    assert sender.display_name in str(event["SUMMARY"])
    assert recipient.display_name in str(event["SUMMARY"])
    assert "Captioning workflows" in str(event["DESCRIPTION"])


def test_a_cancelled_meeting_keeps_its_uid_and_raises_the_sequence(session):
    sender, recipient = make_member(session), make_mentor(session)
    request = make_request(session, sender, recipient)
    accept_first(session, request, recipient)
    _, before = parsed(request)
    service.cancel_meeting(session, actor=recipient, request=request)
    ics, after = parsed(request)
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert str(ics["METHOD"]) == "CANCEL"
    assert str(after["STATUS"]) == "CANCELLED"
    assert after.decoded("DTSTART") == before.decoded("DTSTART")


def test_a_meeting_without_a_time_has_no_calendar_entry(session):
    request = make_request(session, make_member(session), make_mentor(session))
    with pytest.raises(ValueError):
        calendar.meeting_ics(request, base_url=BASE_URL)


def test_feed_components_hold_accepted_and_cancelled_meetings_only(session):
    sender, recipient = make_member(session), make_mentor(session)
    accepted = make_request(session, sender, recipient, proposed_times=[soon(30)])
    accept_first(session, accepted, recipient)
    cancelled = make_request(session, sender, make_mentor(session), proposed_times=[soon(50)])
    accept_first(session, cancelled, cancelled.recipient)
    service.cancel_meeting(session, actor=sender, request=cancelled)
    make_request(session, sender, make_mentor(session))  # still pending: not in the feed
    meetings = service.feed_meetings(session, sender)
    assert meetings == [accepted, cancelled]
    components = calendar.feed_components(meetings, base_url=BASE_URL)
    assert [str(c["STATUS"]) for c in components] == ["CONFIRMED", "CANCELLED"]
