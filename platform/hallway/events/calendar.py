"""Calendar files (RFC 5545, made with the ``icalendar`` library).

Each event and each session has a UID that never changes, so a calendar that imports
a new copy updates its entry instead of adding a second one; SEQUENCE grows with every
edit, and a cancelled event says STATUS:CANCELLED. Times are written in the event's own
zone (TZID) with a VTIMEZONE describing that zone around the event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core.markdown import render_plain_excerpt
from hallway.events.models import Event, EventFormat, EventSession, RsvpStatus

PRODUCT_ID = "-//Hallway//Events//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
_DESCRIPTION_LENGTH = 2_000
_ZONE_MARGIN = timedelta(days=366)


def event_uid(event: Event, host: str) -> str:
    return f"event-{event.id}@{host}"


def session_uid(item: EventSession, host: str) -> str:
    return f"event-{item.event_id}-session-{item.id}@{host}"


def host_of(base_url: str) -> str:
    return urlsplit(base_url).hostname or "hallway.invalid"


def _place(event: Event) -> str:
    if event.format is EventFormat.online:
        return "Online"
    parts = [part for part in (event.venue, event.address, event.city) if part]
    if event.format is EventFormat.hybrid:
        parts.append("and online")
    return ", ".join(parts)


def _status(event: Event, answer: RsvpStatus | None) -> str:
    if event.is_cancelled:
        return "CANCELLED"
    if answer in (RsvpStatus.interested, RsvpStatus.waitlisted):
        return "TENTATIVE"
    return "CONFIRMED"


def _event_component(
    event: Event, *, base_url: str, show_online_url: bool, answer: RsvpStatus | None
) -> CalendarEvent:
    zone = ZoneInfo(event.time_zone)
    url = f"{base_url}/events/{event.id}"
    lines = [event.summary] if event.summary else []
    if event.description:
        lines.append(render_plain_excerpt(event.description, _DESCRIPTION_LENGTH))
    if show_online_url and event.online_url:
        lines.append(f"Join online: {event.online_url}")
    lines.append(url)
    component = CalendarEvent()
    component.add("uid", event_uid(event, host_of(base_url)))
    component.add("dtstamp", event.updated_at)
    component.add("created", event.created_at)
    component.add("last-modified", event.updated_at)
    component.add("sequence", event.sequence)
    component.add("summary", event.title)
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("location", _place(event))
    component.add("description", "\n\n".join(lines))
    component.add("url", url)
    component.add("status", _status(event, answer))
    return component


def _session_component(
    event: Event, item: EventSession, *, base_url: str, answer: RsvpStatus | None
) -> CalendarEvent:
    zone = ZoneInfo(event.time_zone)
    lines = []
    speakers = ", ".join(speaker.display_name for speaker in item.speakers)
    if speakers:
        lines.append(f"Speakers: {speakers}")
    if item.description:
        lines.append(render_plain_excerpt(item.description, _DESCRIPTION_LENGTH))
    lines.append(f"Part of {event.title}: {base_url}/events/{event.id}")
    component = CalendarEvent()
    component.add("uid", session_uid(item, host_of(base_url)))
    component.add("dtstamp", event.updated_at)
    component.add("sequence", event.sequence + item.sequence)
    component.add("summary", item.title)
    component.add("dtstart", item.starts_at.astimezone(zone))
    component.add("dtend", item.ends_at.astimezone(zone))
    component.add("location", item.location or _place(event))
    component.add("description", "\n\n".join(lines))
    component.add("status", _status(event, answer))
    if item.track:
        component.add("categories", [item.track])
    return component


def _calendar(name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _finish(calendar: Calendar, events: Iterable[Event]) -> bytes:
    """Add a VTIMEZONE for each zone used, covering the events' dates (not 1970-2038)."""
    events = list(events)
    if events:
        first = min(event.starts_at for event in events).date() - _ZONE_MARGIN
        last = max(event.ends_at for event in events).date() + _ZONE_MARGIN
        calendar.add_missing_timezones(first_date=first, last_date=last)
    else:
        calendar.add_missing_timezones(first_date=date.today(), last_date=date.today())
    return calendar.to_ical()


def event_ics(event: Event, *, base_url: str, show_online_url: bool) -> bytes:
    """One event's .ics: the event itself (its agenda is on its page and in feeds)."""
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(
        _event_component(event, base_url=base_url, show_online_url=show_online_url, answer=None)
    )
    return _finish(calendar, [event])


#: Other features' entries in a member's personal feed (meetings): each is called with
#: ``(session, user, base_url)`` and returns VEVENTs. Registered in their ``init_app``.
FeedPart = Callable[[Session, User, str], Iterable[CalendarEvent]]
_feed_parts: list[FeedPart] = []


def register_feed_part(part: FeedPart) -> None:
    if part not in _feed_parts:
        _feed_parts.append(part)


def other_feed_entries(session: Session, user: User, *, base_url: str) -> list[CalendarEvent]:
    """What the registered features add to ``user``'s feed."""
    return [entry for part in _feed_parts for entry in part(session, user, base_url)]


def feed_ics(
    answered: Iterable[tuple[Event, RsvpStatus | None]],
    *,
    base_url: str,
    name: str,
    extra: Iterable[CalendarEvent] = (),
) -> bytes:
    """A member's feed: their events (going, waiting, interested; organising) and the
    sessions of those they go to or organise. Online links only where they are going
    or organise (``answer`` None means organising). ``extra``: other features' entries
    (accepted meetings), in UTC."""
    calendar = _calendar(name)
    for entry in extra:
        calendar.add_component(entry)
    events = []
    for event, answer in answered:
        events.append(event)
        taking_part = answer in (None, RsvpStatus.going)
        calendar.add_component(
            _event_component(event, base_url=base_url, show_online_url=taking_part, answer=answer)
        )
        if taking_part:
            for item in event.sessions:
                calendar.add_component(
                    _session_component(event, item, base_url=base_url, answer=answer)
                )
    return _finish(calendar, events)
