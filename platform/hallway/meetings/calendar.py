"""A meeting as a calendar file (RFC 5545, with the ``icalendar`` library).

The UID never changes (``meeting-<id>@host``), so importing a newer copy updates the
calendar's entry; SEQUENCE grows with each change (accepted, cancelled). An accepted
meeting is published (METHOD:PUBLISH, STATUS:CONFIRMED); a cancelled one is sent as a
cancellation (METHOD:CANCEL, STATUS:CANCELLED). Times are written in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from hallway.events.calendar import CONTENT_TYPE, host_of
from hallway.meetings.models import MeetingRequest, MeetingStatus

PRODUCT_ID = "-//Hallway//Meetings//EN"

__all__ = ["CONTENT_TYPE", "meeting_ics", "meeting_component", "meeting_uid"]


def meeting_uid(request: MeetingRequest, host: str) -> str:
    return f"meeting-{request.id}@{host}"


def _place(request: MeetingRequest) -> str:
    parts = [part for part in (request.place, request.video_url) if part]
    if not parts and request.event is not None:
        parts.append(request.event.title)
    return ", ".join(parts) or "Online"


def meeting_component(request: MeetingRequest, *, base_url: str) -> CalendarEvent:
    """One VEVENT for an accepted (or cancelled) meeting."""
    if request.starts_at is None or request.ends_at is None:
        raise ValueError("Only a meeting with a time has a calendar entry.")
    url = f"{base_url}/meetings/{request.id}"
    names = f"{request.sender.display_name} & {request.recipient.display_name}"
    lines = [request.message] if request.message else []
    if request.event is not None:
        lines.append(f"At {request.event.title}")
    if request.video_url:
        lines.append(f"Video: {request.video_url}")
    lines.append(url)
    component = CalendarEvent()
    component.add("uid", meeting_uid(request, host_of(base_url)))
    component.add("dtstamp", request.updated_at.astimezone(UTC))
    component.add("created", request.created_at.astimezone(UTC))
    component.add("last-modified", request.updated_at.astimezone(UTC))
    component.add("sequence", request.sequence)
    component.add("summary", f"Meeting: {names}")
    component.add("dtstart", request.starts_at.astimezone(UTC))
    component.add("dtend", request.ends_at.astimezone(UTC))
    component.add("location", _place(request))
    component.add("description", "\n\n".join(lines))
    component.add("url", url)
    cancelled = request.status is MeetingStatus.cancelled
    component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return component


def meeting_ics(request: MeetingRequest, *, base_url: str) -> bytes:
    """The meeting's .ics: a publication while accepted, a cancellation once cancelled."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    cancelled = request.status is MeetingStatus.cancelled
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(meeting_component(request, base_url=base_url))
    return calendar.to_ical()


def feed_components(meetings: Iterable[MeetingRequest], *, base_url: str) -> list[CalendarEvent]:
    """VEVENTs for a member's personal feed (events.calendar may add them)."""
    return [meeting_component(meeting, base_url=base_url) for meeting in meetings]
