"""The rooms' part of the demo: each demo event's meetup rooms (the ``[[rooms]]`` of its
file in ``hallway/demo/data/events/``), a first-timers' table opened by a member going,
and a few messages in each, all written through ``rooms.service``.

Runs after the events (their organisers and the people going must exist). Messages are
sent by members going to the event, a minute apart, and notify nobody: mentions are
left out of the demo's lines so seeding sends no notification or email.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hallway.accounts.models import User
from hallway.demo import DemoContext
from hallway.events import demo as events_demo
from hallway.events.models import Event, Rsvp, RsvpStatus
from hallway.rooms import service

ORDER = events_demo.ORDER + 5  # after the events and the answers to them

FIRST_TIMERS_TABLE = "First-timers' table"
FIRST_TIMERS_TOPIC = "New here? Sit with others who are too: no question is too small."

#: What people say in the demo rooms, in turn (by whoever is going).
CONVERSATION = (
    "Hi all! Joining from my lunch break, so bear with me.",
    "Welcome! What brought you to this room?",
    "I'm moving from classroom teaching into **instructional design** and looking for "
    "people who have made the same jump.",
    "Same here. The thing that helped me most was building one small course end to end.",
    "Has anyone found a good way to show accessibility work in a portfolio?",
    "A before-and-after of a course page, with the checks you ran, works well.",
)
FIRST_TIMERS_CONVERSATION = (
    "First conference for me, hello!",
    "Hello! Tip from last year: the hallway chats are the best part, don't be shy.",
    "Is anyone going to the opening panel? Happy to sit together.",
)


def _going(context: DemoContext, event: Event) -> list[User]:
    return list(
        context.session.scalars(
            select(User)
            .join(Rsvp, Rsvp.user_id == User.id)
            .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.going)
            .order_by(Rsvp.responded_at, Rsvp.id)
        )
    )


def _converse(
    context: DemoContext, room_id: int, people: list[User], lines: tuple[str, ...], start: int
) -> None:
    for index, line in enumerate(lines):
        author = people[index % len(people)]
        service.join_room(context.session, author, room_id)
        service.send_message(
            context.session,
            author,
            room_id,
            line,
            f"demo-{room_id}-{index}",
            now=context.now - timedelta(minutes=start + len(lines) - index),
        )


def seed_rooms(context: DemoContext) -> None:
    """Each demo event's rooms, opened by its organiser, with a short conversation among
    the people going; and a first-timers' table at the first event that has rooms."""
    demo_events = events_demo.load_events(context.data, context.now.date(), handles=context.users)
    table_opened = False
    for demo_event in demo_events:
        if not demo_event.rooms:
            continue
        organiser = context.users[demo_event.organiser_handle]
        event = context.session.scalar(
            select(Event).where(Event.title == demo_event.title, Event.owner_id == organiser.id)
        )
        if event is None or event.is_cancelled:
            continue
        people = [person for person in _going(context, event) if person.id != organiser.id]
        for position, demo_room in enumerate(demo_event.rooms):
            room = service.create_room(
                context.session,
                organiser,
                event.id,
                {"name": demo_room.name[:80], "topic": demo_room.description[:300]},
            )
            if len(people) >= 2:
                speakers = people[position % len(people) :] + people[: position % len(people)]
                _converse(context, room.id, speakers[:3], CONVERSATION, start=10 * position)
        if not table_opened and len(people) >= 3:
            host = people[0]
            table = service.open_table(
                context.session,
                host,
                event.id,
                {"name": FIRST_TIMERS_TABLE, "topic": FIRST_TIMERS_TOPIC, "size_limit": 8},
            )
            _converse(context, table.id, people[:3], FIRST_TIMERS_CONVERSATION, start=60)
            table_opened = True
    context.session.flush()
