"""`make bench`'s events: the events list and a conference of 2,000 people and 60 sessions.

Seeded through the services like the rest of the bench: 2,000 accounts (one password
hash for all), an organiser's public conference three weeks ahead with 60 sessions
(speakers, tracks, each with its discussion), and the 2,000 RSVPing "going" one by one.
A small meetup (20 going, 5 sessions) sits beside it in the list.

Besides timing both pages with wrk (``pages``), it counts the SQL statements each page
sends, in-process and logged in as the bench's reader, once when the conference has
20 people going and again at 2,000: the page's cost must not grow with its crowd
(``statement_counts``, reported by ``report_section``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from rich.progress import Progress
from sqlalchemy import event as sa_event
from sqlalchemy import select

if TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.orm import Session

    from hallway.accounts.models import User
    from hallway.events.models import Event

ATTENDEES = 2_000
SESSIONS = 60
SMALL_ATTENDEES = 20
SMALL_SESSIONS = 5
ROOMS = 8  # the conference's meetup rooms: 6 organisers' rooms and 2 members' tables
ROOM_MESSAGES = 60  # in the room the reader sits in (its page shows the last 50)
TRACKS = ("Main stage", "Workshops", "Research", "Practice")
_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class EventPages:
    """The events the bench visits and what their pages cost in SQL statements."""

    list_path: str = "/events"
    big_path: str = ""
    small_path: str = ""
    lobby_path: str = ""  # the conference's rooms, the reader going
    room_path: str = ""  # the room the reader sits in
    #: page name -> {attendees going on the conference: statements for one GET}
    statements: dict[str, dict[int, int]] = field(default_factory=dict)

    @property
    def constant(self) -> bool:
        """Each page the same at 20 and 2,000 going, and 60 sessions cost what 5 do."""
        same_crowd = all(len(set(counts.values())) == 1 for counts in self.statements.values())
        event_pages = {
            count
            for name, counts in self.statements.items()
            if name.startswith("event")
            for count in counts.values()
        }
        return same_crowd and len(event_pages) <= 1


class Seeded(Protocol):
    """What this module needs of ``seed.Seeded`` (which imports this module)."""

    @property
    def email(self) -> str: ...

    @property
    def password(self) -> str: ...

    @property
    def events(self) -> EventPages | None: ...


class Results(Protocol):
    """What the report needs of ``results.Results``."""

    @property
    def seeded(self) -> Seeded: ...


def pages(seeded: Seeded) -> list[tuple[str, str]]:
    """The events pages timed with wrk beside the others (none before they are seeded)."""
    found = seeded.events
    if found is None or not found.big_path:
        return []
    listed = [
        ("/events", found.list_path),
        (f"event, {ATTENDEES:,} attendees, {SESSIONS} sessions", found.big_path),
    ]
    if found.lobby_path:
        listed += [
            (f"rooms lobby, {ROOMS} rooms", found.lobby_path),
            (f"room, {ROOM_MESSAGES} messages", found.room_path),
        ]
    return listed


def _organiser(session: Session) -> User:
    from hallway.accounts import service as accounts_service
    from hallway.accounts.models import Role, User

    found = session.scalars(
        select(User).where(User.role == Role.organiser).order_by(User.id).limit(1)
    ).first()
    if found is not None:
        return found
    return accounts_service.sign_up(
        session,
        email="bench-organiser@example.org",
        handle="benchorganiser",
        display_name="Bench Organiser",
        password="bench organiser password",
        role=Role.organiser,
    )


def _people(session: Session, count: int) -> list[User]:
    """``count`` new accounts, one password hash for all (hashing is not measured)."""
    from werkzeug.security import generate_password_hash

    from hallway.accounts import service as accounts_service

    password = "bench attendee password"
    hashed = generate_password_hash(password)
    return [
        accounts_service.sign_up(
            session,
            email=f"attendee{number}@bench.example.org",
            handle=f"attendee{number}",
            display_name=f"Attendee {number:04d}",
            password=password,
            password_hash=hashed,
        )
        for number in range(1, count + 1)
    ]


def _conference(
    session: Session, organiser: User, *, title: str, days_ahead: int, sessions: int,
    speakers: list[User],
) -> Event:  # fmt: skip
    from hallway.db import utcnow
    from hallway.events import service

    starts = (utcnow() + timedelta(days=days_ahead)).replace(
        hour=16, minute=0, second=0, microsecond=0
    )
    event = service.create_event(
        session,
        actor=organiser,
        data={
            "title": title,
            "summary": "Three days of sessions, workshops and hallway conversations",
            "description": "Keynotes in the **morning**, workshops after lunch.",
            "starts_at": starts,
            "ends_at": starts + timedelta(days=3),
            "time_zone": "America/Vancouver",
            "format": "hybrid",
            "venue": "Convention Centre",
            "address": "1055 Canada Pl",
            "city": "Vancouver",
            "country": "CA",
            "region": "CA-BC",
            "online_url": "https://stream.example.org/conference",
            "networks": ["WCET", "ETUG"],
        },
    )
    slot = timedelta(days=3) / sessions
    for number in range(sessions):
        begins = starts + slot * number
        service.add_session(
            session,
            actor=organiser,
            event=event,
            data={
                "title": f"Session {number + 1}: open pedagogy in practice",
                "description": "A talk, then questions.",
                "starts_at": begins,
                "ends_at": begins + slot,
                "location": f"Room {number % 6 + 1}",
                "track": TRACKS[number % len(TRACKS)],
                "speakers": [
                    {"user_id": speakers[number % len(speakers)].id},
                    {"name": "A guest speaker"},
                ],
            },
        )
    return event


def _going(session: Session, event: Event, people: list[User], advance: Callable[[], None]) -> None:
    from hallway.events import service

    for person in people:
        service.set_rsvp(session, actor=person, event=event, status="going")
        advance()


def _statements(app: Flask, client: Any, path: str) -> int:
    """The statements one logged-in GET of ``path`` sends (after a warming GET)."""
    from hallway.db import db

    engine = app.extensions[db.extension_key]["engine"]
    if client.get(path).status_code != 200:
        raise RuntimeError(f"GET {path} did not answer 200")
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        answer = client.get(path)
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    if answer.status_code != 200:
        raise RuntimeError(f"GET {path} did not answer 200")
    return len(sent)


def _logged_in_client(app: Flask, seeded: Seeded) -> Any:
    client = app.test_client()
    found = _CSRF_INPUT.search(client.get("/login").get_data(as_text=True))
    if found is None:
        raise RuntimeError("the log-in page has no CSRF token")
    answer = client.post(
        "/login",
        data={"csrf_token": found.group(1), "email": seeded.email, "password": seeded.password},
    )
    if answer.status_code != 302:
        raise RuntimeError(f"log-in as {seeded.email} answered {answer.status_code}")
    return client


def _seed(app: Flask, advance: Callable[[], None]) -> tuple[int, int, list[int], int]:
    """The meetup with its 20 people going and the conference with its first 20; the
    rest of the people, not yet going. Returns (meetup id, conference id, the rest's
    ids, the organiser's id)."""
    from hallway.accounts.models import Role, User
    from hallway.core import unit_of_work
    from hallway.db import db

    with app.app_context():
        session = db.session
        organiser = _organiser(session)
        speakers = list(
            session.scalars(
                select(User).where(User.role == Role.member).order_by(User.id).limit(12)
            )
        )
        people = _people(session, ATTENDEES)
        small = _conference(
            session, organiser, title="Open textbook meetup", days_ahead=14,
            sessions=SMALL_SESSIONS, speakers=speakers,
        )  # fmt: skip
        big = _conference(
            session, organiser, title="Digital Learning Conference", days_ahead=21,
            sessions=SESSIONS, speakers=speakers,
        )  # fmt: skip
        unit_of_work.commit(session)
        first = people[:SMALL_ATTENDEES]
        _going(session, small, first, lambda: None)
        _going(session, big, first, advance)
        unit_of_work.commit(session)
        rest = [person.id for person in people[SMALL_ATTENDEES:]]
        return small.id, big.id, rest, organiser.id


def _more_going(
    app: Flask, event_id: int, user_ids: list[int], advance: Callable[[], None]
) -> None:
    from hallway.accounts.models import User
    from hallway.core import unit_of_work
    from hallway.db import db
    from hallway.events.models import Event

    with app.app_context():
        session = db.session
        event = session.get(Event, event_id)
        assert event is not None
        people = list(session.scalars(select(User).where(User.id.in_(user_ids))))
        _going(session, event, people, advance)
        unit_of_work.commit(session)


def _seed_rooms(app: Flask, seeded: Seeded, event_id: int, organiser_id: int) -> tuple[int, int]:
    """The conference's meetup rooms with the bench's reader going and seated in the
    first, where people going have talked. Returns (event id, the reader's room id)."""
    from hallway.accounts.models import User
    from hallway.core import unit_of_work
    from hallway.db import db, utcnow
    from hallway.events import service as events_service
    from hallway.events.models import Event, Rsvp, RsvpStatus
    from hallway.rooms import service as rooms_service

    with app.app_context():
        session = db.session
        event = session.get(Event, event_id)
        organiser = session.get(User, organiser_id)
        reader = session.scalar(select(User).where(User.email == seeded.email))
        assert event is not None and organiser is not None and reader is not None
        events_service.set_rsvp(session, actor=reader, event=event, status="going")
        going = list(
            session.scalars(
                select(User)
                .join(Rsvp, Rsvp.user_id == User.id)
                .where(Rsvp.event_id == event_id, Rsvp.status == RsvpStatus.going)
                .order_by(User.id)
                .limit(30)
            )
        )
        rooms = [
            rooms_service.create_room(
                session, organiser, event_id, {"name": f"Hallway table {number}", "access": "going"}
            )
            for number in range(1, ROOMS - 1)
        ]
        for number, host in enumerate(going[:2], start=1):
            rooms_service.open_table(
                session, host, event_id, {"name": f"Members' table {number}", "size_limit": 8}
            )
        first = rooms[0]
        started = utcnow()
        for index in range(ROOM_MESSAGES):
            author = going[index % len(going)]
            rooms_service.join_room(session, author, first.id)
            rooms_service.send_message(
                session, author, first.id, BODIES_FOR_ROOMS[index % len(BODIES_FOR_ROOMS)],
                f"bench-{index}", now=started - timedelta(minutes=ROOM_MESSAGES - index),
            )  # fmt: skip
        rooms_service.join_room(session, reader, first.id)
        unit_of_work.commit(session)
        return event_id, first.id


#: What people say in the bench's room, in turn.
BODIES_FOR_ROOMS = (
    "Hi all! Joining from my lunch break.",
    "Welcome! What brought you to this room?",
    "Moving from classroom teaching into **instructional design**: any advice?",
    "Build one small course end to end, then show it.",
)


def seed_and_count(app: Flask, seeded: Seeded, progress: Progress) -> EventPages:
    """Seed the meetup and the conference, counting the pages' statements at 20 and at
    2,000 people going. Each request runs in its own app context, as on a server."""
    task = progress.add_task(
        f"Seeding events ({ATTENDEES:,} attendees, {SESSIONS} sessions)", total=ATTENDEES
    )

    def advance() -> None:
        progress.advance(task)

    small_id, big_id, rest, _organiser_id = _seed(app, advance)
    found = EventPages(big_path=f"/events/{big_id}", small_path=f"/events/{small_id}")
    client = _logged_in_client(app, seeded)
    names = {
        "/events": found.list_path,
        f"event, {SESSIONS} sessions": found.big_path,
        f"event, {SMALL_SESSIONS} sessions ({SMALL_ATTENDEES} going throughout)": found.small_path,
    }

    def count_all(going: int) -> None:
        for name, path in names.items():
            found.statements.setdefault(name, {})[going] = _statements(app, client, path)

    count_all(SMALL_ATTENDEES)
    _more_going(app, big_id, rest, advance)
    count_all(ATTENDEES)
    event_id, room_id = _seed_rooms(app, seeded, big_id, _organiser_id)
    found.lobby_path = f"/events/{event_id}/rooms"
    found.room_path = f"/rooms/{room_id}"
    return found


def report_section(results: Results) -> str:
    """docs/benchmarks.md's events section: the statements per page as the crowd grows
    (the wrk figures are in the pages table)."""
    found = results.seeded.events
    if found is None or not found.statements:
        return ""
    rows = "\n".join(
        f"| {name} | {counts.get(SMALL_ATTENDEES, '–')} | {counts.get(ATTENDEES, '–')} "
        f"| {'yes' if len(set(counts.values())) == 1 else '**no**'} |"
        for name, counts in found.statements.items()
    )
    verdict = "constant" if found.constant else "**not constant**"
    return f"""## Events: SQL statements per page

The conference page (`{found.big_path}`: {SESSIONS} sessions with two speakers each, in
{len(TRACKS)} tracks) and the events list are in the pages table above with
{ATTENDEES:,} people going. Here, the SQL statements one logged-in GET sends (counted
in-process on the same database, after a warming GET;
the transaction's BEGIN is not counted), first with {SMALL_ATTENDEES} people
going to the conference, then with {ATTENDEES:,}; the meetup beside it has
{SMALL_SESSIONS} sessions. The statement counts are {verdict} as attendees and sessions grow.

| page | {SMALL_ATTENDEES} going | {ATTENDEES:,} going | same |
|---|--:|--:|:-:|
{rows}
"""
