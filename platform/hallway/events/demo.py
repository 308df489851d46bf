"""The events' part of the demo: upcoming events, one TOML file each in
``hallway/demo/data/events/`` (see the README there).

Dates are relative ("the first Saturday at least 21 days from now") so the demo always
has upcoming events; times are local to the event's IANA time zone.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hallway.demo import DemoContext, DemoData, DemoDataError
from hallway.demo.loader import Record
from hallway.events.models import Event, EventFormat
from hallway.members import vocabulary

ORDER = 30  # after the members who organise them
EVENTS_FOLDER = "events"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class DemoRoom:
    name: str
    description: str


@dataclass(frozen=True)
class DemoAnnouncement:
    author_handle: str
    title: str
    body: str


@dataclass(frozen=True)
class DemoEvent:
    file: str
    slug: str
    title: str
    summary: str
    description: str
    is_online: bool
    starts_at: datetime  # aware, in time_zone
    ends_at: datetime
    time_zone: str
    venue: str | None
    city: str | None
    region: str | None  # ISO 3166-2
    country: str | None
    online_url: str | None
    capacity: int
    organiser_handle: str
    rooms: tuple[DemoRoom, ...]
    announcements: tuple[DemoAnnouncement, ...]
    tags: tuple[str, ...] = ()


def _on_or_after(day: date, weekday: int) -> date:
    """The first ``weekday`` (Monday = 0) on or after ``day``."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _clock(record: Record, field: str) -> time:
    text = record.text(field)
    match = _TIME.match(text)
    if not match:
        raise record.error(field, f'{text!r} should be a 24-hour time such as "09:30"')
    return time(int(match[1]), int(match[2]))


def _event(item: Record, today: date, handles: Sequence[str]) -> DemoEvent:
    file = item.file
    when = item.record("when")
    zone = when.text("time_zone")
    if not vocabulary.is_valid_time_zone(zone):
        raise when.error("time_zone", f"{zone!r} is not an IANA time zone")
    weekday = WEEKDAYS.index(when.choice("weekday", WEEKDAYS))
    day = _on_or_after(today + timedelta(days=when.integer("days_ahead", minimum=1)), weekday)
    start, end = _clock(when, "start"), _clock(when, "end")
    when.finish()
    if end <= start:
        raise when.error("end", "should be after the start (events end the day they start)")

    is_online = item.boolean("online")
    venue = city = region = country = None
    if item.has("venue"):
        place = item.record("venue")
        venue, city = place.text("name"), place.text("city")
        country, region = place.text("country"), place.text("region")
        place.finish()
        if not vocabulary.is_valid_country(country):
            raise place.error("country", f"{country!r} is not an ISO 3166-1 country code")
        if not vocabulary.is_valid_subdivision(country, region):
            raise place.error("region", f"{region!r} is not a region code of {country}")
    elif not is_online:
        raise item.error("venue", "an event in person needs a [venue]")

    rooms = []
    for room in item.records("rooms", []):
        rooms.append(DemoRoom(room.text("name"), room.markdown("description")))
        room.finish()
    announcements = []
    for announcement in item.records("announcements", []):
        announcements.append(
            DemoAnnouncement(
                announcement.choice("author", handles),
                announcement.text("title"),
                announcement.markdown("body"),
            )
        )
        announcement.finish()

    local = ZoneInfo(zone)
    event = DemoEvent(
        file=file,
        slug=file.rsplit("/", 1)[-1].removesuffix(".toml"),
        title=item.text("title"),
        summary=item.text("summary"),
        description=item.markdown("description"),
        is_online=is_online,
        starts_at=datetime.combine(day, start, tzinfo=local),
        ends_at=datetime.combine(day, end, tzinfo=local),
        time_zone=zone,
        venue=venue,
        city=city,
        region=region,
        country=country,
        online_url=item.text("online_url", None),
        capacity=item.integer("capacity", minimum=1),
        organiser_handle=item.choice("organiser", handles),
        rooms=tuple(rooms),
        announcements=tuple(announcements),
        tags=item.texts("tags", ()),
    )
    item.finish()
    if event.online_url and not event.online_url.startswith("https://"):
        raise item.error("online_url", "should start with https://")
    return event


def load_events(data: DemoData, today: date, *, handles: Collection[str]) -> list[DemoEvent]:
    """Every demo event, placed after ``today``, soonest first."""
    known = sorted(handles)
    events = [_event(item, today, known) for item in data.toml_files(EVENTS_FOLDER)]
    return sorted(events, key=lambda event: event.starts_at)


def seed_events(context: DemoContext) -> None:
    """The events, run by their organiser.

    The event itself, with its place, online link and capacity. Rooms, announcements,
    tags, agendas and attendees are read and checked with the rest; storing them (and
    past events and a full one with a waitlist) is the demo step of issue 10.
    """
    for demo_event in load_events(context.data, context.now.date(), handles=context.users):
        organiser = context.users[demo_event.organiser_handle]
        if not organiser.is_organiser:
            raise DemoDataError(
                demo_event.file, "organiser", f"@{organiser.handle} is not an organiser"
            )
        if demo_event.is_online:
            event_format = EventFormat.hybrid if demo_event.venue else EventFormat.online
        else:
            event_format = EventFormat.in_person
        context.session.add(
            Event(
                owner=organiser,
                title=demo_event.title,
                summary=demo_event.summary,
                description=demo_event.description,
                starts_at=demo_event.starts_at.astimezone(UTC),
                ends_at=demo_event.ends_at.astimezone(UTC),
                time_zone=demo_event.time_zone,
                format=event_format,
                venue=demo_event.venue or "",
                city=demo_event.city or "",
                region=demo_event.region,
                country=demo_event.country,
                online_url=demo_event.online_url or "",
                capacity=demo_event.capacity,
            )
        )
    context.session.flush()
