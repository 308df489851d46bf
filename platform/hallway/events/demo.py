"""The events' part of the demo: conferences and meetups, one TOML file each in
``hallway/demo/data/events/`` (see the README there).

Dates are relative to the seeding day ("the first Saturday at least 21 days from now",
"40 days ago", "in 2 days") so the demo always has a past event, one this week and
upcoming ones; times are local to the event's IANA time zone. Everything is stored
through ``events.service``, the only writer: the event, its agenda (each session with
its discussion thread), announcements and the members' answers.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hallway.accounts.models import User
from hallway.demo import DemoContext, DemoData, DemoDataError
from hallway.demo.loader import Record
from hallway.events import service
from hallway.events.models import EventFormat, RsvpStatus
from hallway.members import vocabulary

ORDER = 30  # after the members who organise them
EVENTS_FOLDER = "events"
#: Upcoming events were created this many days before the seed.
CREATED_DAYS_AGO = 21
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
class DemoSession:
    title: str
    description: str
    starts_at: datetime  # aware, in the event's time zone
    ends_at: datetime
    track: str
    location: str
    speaker_handles: tuple[str, ...]
    guest_speakers: tuple[str, ...]  # people who are not members


@dataclass(frozen=True)
class DemoAttendees:
    """How many members answer: ``going`` beyond the capacity wait on the waitlist;
    ``hidden`` of those going keep their name off the attendee list."""

    going: int = 0
    interested: int = 0
    hidden: int = 0


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
    sessions: tuple[DemoSession, ...] = ()
    attendees: DemoAttendees = DemoAttendees()


def _on_or_after(day: date, weekday: int) -> date:
    """The first ``weekday`` (Monday = 0) on or after ``day``."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _clock(record: Record, field: str) -> time:
    text = record.text(field)
    match = _TIME.match(text)
    if not match:
        raise record.error(field, f'{text!r} should be a 24-hour time such as "09:30"')
    return time(int(match[1]), int(match[2]))


def _day(when: Record, today: date) -> date:
    """Either ``days_from_today`` (negative for a past event), or the first ``weekday``
    at least ``days_ahead`` days away."""
    if when.has("days_from_today"):
        return today + timedelta(days=when.integer("days_from_today"))
    weekday = WEEKDAYS.index(when.choice("weekday", WEEKDAYS))
    return _on_or_after(today + timedelta(days=when.integer("days_ahead", minimum=1)), weekday)


def _session(
    record: Record, first_day: date, days: int, local: ZoneInfo, handles: Sequence[str]
) -> DemoSession:
    day = record.integer("day", 1, minimum=1)
    if day > days:
        raise record.error("day", f"the event lasts {days} day(s)")
    on = first_day + timedelta(days=day - 1)
    start, end = _clock(record, "start"), _clock(record, "end")
    if end <= start:
        raise record.error("end", "should be after the start")
    agenda_item = DemoSession(
        title=record.text("title"),
        description=record.markdown("description", ""),
        starts_at=datetime.combine(on, start, tzinfo=local),
        ends_at=datetime.combine(on, end, tzinfo=local),
        track=record.text("track", ""),
        location=record.text("location", ""),
        speaker_handles=record.choices("speakers", handles, ()),
        guest_speakers=record.texts("guest_speakers", ()),
    )
    record.finish()
    return agenda_item


def _event(item: Record, today: date, handles: Sequence[str]) -> DemoEvent:
    file = item.file
    when = item.record("when")
    zone = when.text("time_zone")
    if not vocabulary.is_valid_time_zone(zone):
        raise when.error("time_zone", f"{zone!r} is not an IANA time zone")
    day = _day(when, today)
    days = when.integer("days", 1, minimum=1)
    start, end = _clock(when, "start"), _clock(when, "end")
    when.finish()
    if days == 1 and end <= start:
        raise when.error("end", "should be after the start (events end the day they start)")
    local = ZoneInfo(zone)

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

    sessions = tuple(
        _session(record, day, days, local, handles) for record in item.records("sessions", [])
    )
    attendees = DemoAttendees()
    if item.has("attendees"):
        answers = item.record("attendees")
        attendees = DemoAttendees(
            going=answers.integer("going", 0, minimum=0),
            interested=answers.integer("interested", 0, minimum=0),
            hidden=answers.integer("hidden", 0, minimum=0),
        )
        answers.finish()
        if attendees.hidden > attendees.going:
            raise item.error("attendees", "hidden counts people going: at most `going`")

    event = DemoEvent(
        file=file,
        slug=file.rsplit("/", 1)[-1].removesuffix(".toml"),
        title=item.text("title"),
        summary=item.text("summary"),
        description=item.markdown("description"),
        is_online=is_online,
        starts_at=datetime.combine(day, start, tzinfo=local),
        ends_at=datetime.combine(day + timedelta(days=days - 1), end, tzinfo=local),
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
        sessions=sessions,
        attendees=attendees,
    )
    item.finish()
    if event.online_url and not event.online_url.startswith("https://"):
        raise item.error("online_url", "should start with https://")
    return event


def load_events(data: DemoData, today: date, *, handles: Collection[str]) -> list[DemoEvent]:
    """Every demo event, placed relative to ``today``, earliest first."""
    known = sorted(handles)
    events = [_event(item, today, known) for item in data.toml_files(EVENTS_FOLDER)]
    return sorted(events, key=lambda event: event.starts_at)


def event_format(demo_event: DemoEvent) -> EventFormat:
    if demo_event.is_online:
        return EventFormat.hybrid if demo_event.venue else EventFormat.online
    return EventFormat.in_person


def _attendees(
    context: DemoContext, demo_event: DemoEvent, organiser: User
) -> tuple[list[User], list[User], set[int]]:
    """Who goes (the speakers first, then members drawn at random), who is interested,
    and which of those going keep their name off the list (drawn members, never speakers)."""
    speakers = list(
        dict.fromkeys(
            handle
            for agenda_item in demo_event.sessions
            for handle in agenda_item.speaker_handles
            if handle != organiser.handle
        )
    )
    others = [
        user
        for handle, user in sorted(context.users.items())
        if handle != organiser.handle and handle not in speakers and not user.is_admin
    ]
    wanted = demo_event.attendees
    extra = max(0, wanted.going - len(speakers))
    drawn = context.rng.sample(others, min(len(others), extra + wanted.interested))
    going = [context.users[handle] for handle in speakers] + drawn[:extra]
    hidden = {user.id for user in drawn[:extra][: wanted.hidden]}
    return going, drawn[extra:], hidden


def _seed_event(context: DemoContext, demo_event: DemoEvent) -> None:
    organiser = context.users[demo_event.organiser_handle]
    if not organiser.is_organiser:
        raise DemoDataError(
            demo_event.file, "organiser", f"@{organiser.handle} is not an organiser"
        )
    # Every event is created (and answered) as it was then: weeks before it starts, and
    # before the demo's recent discussions, so its sessions' threads don't push them
    # off the home page.
    before = min(
        context.now - timedelta(days=CREATED_DAYS_AGO),
        demo_event.starts_at.astimezone(UTC) - timedelta(days=30),
    )
    event = service.create_event(
        context.session,
        actor=organiser,
        now=before,
        data={
            "title": demo_event.title,
            "summary": demo_event.summary,
            "description": demo_event.description,
            "starts_at": demo_event.starts_at,
            "ends_at": demo_event.ends_at,
            "time_zone": demo_event.time_zone,
            "format": event_format(demo_event),
            "venue": demo_event.venue or "",
            "city": demo_event.city or "",
            "region": demo_event.region,
            "country": demo_event.country,
            "online_url": demo_event.online_url or "",
            "capacity": demo_event.capacity,
        },
    )
    for agenda_item in demo_event.sessions:
        service.add_session(
            context.session,
            actor=organiser,
            event=event,
            imported_at=before,
            data={
                "title": agenda_item.title,
                "description": agenda_item.description,
                "starts_at": agenda_item.starts_at,
                "ends_at": agenda_item.ends_at,
                "track": agenda_item.track,
                "location": agenda_item.location,
                "speakers": [
                    {"user_id": context.users[handle].id} for handle in agenda_item.speaker_handles
                ]
                + [{"name": name} for name in agenda_item.guest_speakers],
            },
        )
    # Announced before the answers, so seeding sends nobody a notification or email.
    for announcement in demo_event.announcements:
        author = context.users[announcement.author_handle]
        service.post_announcement(
            context.session,
            actor=author if service.can_manage(author, event) else organiser,
            event=event,
            title=announcement.title,
            body=announcement.body,
        )
    going, interested, hidden = _attendees(context, demo_event, organiser)
    for minutes, user in enumerate(going):
        service.set_rsvp(
            context.session,
            actor=user,
            event=event,
            status=RsvpStatus.going,
            hidden_from_list=user.id in hidden,
            now=before + timedelta(minutes=minutes + 1),
        )
    for minutes, user in enumerate(interested):
        service.set_rsvp(
            context.session,
            actor=user,
            event=event,
            status=RsvpStatus.interested,
            now=before + timedelta(days=1, minutes=minutes),
        )


def seed_events(context: DemoContext) -> None:
    """The events, run by their organiser, with their agendas, announcements and the
    members' answers (a full event puts the last people going on its waitlist)."""
    for demo_event in load_events(context.data, context.now.date(), handles=context.users):
        _seed_event(context, demo_event)
    context.session.flush()
