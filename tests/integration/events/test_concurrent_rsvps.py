"""No two people ever take the last place: RSVPs from many connections at once.

Runs on PostgreSQL (HALLWAY_DATABASE_URL=postgresql+psycopg://...), where requests
really run side by side; each thread has its own connection and commits for real, as
requests do. SQLite serialises writers, so there is nothing to race there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core import unit_of_work
from hallway.db import make_engine
from hallway.events import service
from hallway.events.models import Event, Rsvp, RsvpStatus
from tests.factories import make_user
from tests.unit.events.factories import make_event, make_organiser

THREADS = 12


@pytest.fixture
def engine(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers need PostgreSQL")
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def committed(app, engine):
    """An organiser's event with capacity 3 and twelve members, committed for real (and
    removed afterwards)."""
    made: dict[str, list[int]] = {"users": [], "events": []}

    def setup() -> tuple[int, list[int]]:
        with app.app_context(), Session(bind=engine) as session:
            owner = make_organiser(session)
            event = make_event(session, owner=owner, capacity=3)
            people = [make_user(session) for _ in range(THREADS)]
            session.commit()
            made["users"] += [owner.id, *(person.id for person in people)]
            made["events"].append(event.id)
            return event.id, [person.id for person in people]

    yield setup
    with engine.begin() as connection:
        connection.execute(delete(Event).where(Event.id.in_(made["events"])))
        connection.execute(delete(User).where(User.id.in_(made["users"])))


def run_together(app, engine, user_ids: list[int], act: Callable[[Session, User], None]):
    """Each user acts in its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(user_ids))
    failures: list[BaseException] = []

    def work(user_id: int) -> None:
        try:
            with app.app_context(), Session(bind=engine, expire_on_commit=False) as session:
                user = session.get(User, user_id)
                barrier.wait(timeout=10)
                act(session, user)
                unit_of_work.commit(session)
        except BaseException as error:  # reported by the test below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(user_id,)) for user_id in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []


def answers(engine, event_id) -> list[Rsvp]:
    with Session(bind=engine) as session:
        return list(
            session.scalars(
                select(Rsvp).where(Rsvp.event_id == event_id).order_by(Rsvp.waitlisted_at)
            )
        )


def test_twelve_people_rushing_three_places_get_three_places_and_a_queue(app, engine, committed):
    event_id, people = committed()

    def go(session: Session, user: User) -> None:
        event = service.visible_event(session, user, event_id)
        service.set_rsvp(session, actor=user, event=event, status=RsvpStatus.going)

    run_together(app, engine, people, go)
    rows = answers(engine, event_id)
    going = [row for row in rows if row.status is RsvpStatus.going]
    waiting = [row for row in rows if row.status is RsvpStatus.waitlisted]
    assert (len(going), len(waiting)) == (3, THREADS - 3)
    with Session(bind=engine) as session:
        assert session.get(Event, event_id).going_count == 3
        positions = [service.waitlist_position(session, session.merge(row)) for row in waiting]
    assert positions == list(range(1, THREADS - 2))


def test_people_leaving_at_once_promote_exactly_as_many_from_the_queue(app, engine, committed):
    event_id, people = committed()

    def go(session: Session, user: User) -> None:
        service.set_rsvp(
            session, actor=user, event=session.get(Event, event_id), status=RsvpStatus.going
        )

    for person in people:  # one after the other: a known queue
        run_together(app, engine, [person], go)
    first_waiting = [row.user_id for row in answers(engine, event_id)
                     if row.status is RsvpStatus.waitlisted][:3]  # fmt: skip
    leavers = [row.user_id for row in answers(engine, event_id) if row.status is RsvpStatus.going]

    def leave(session: Session, user: User) -> None:
        service.set_rsvp(
            session, actor=user, event=session.get(Event, event_id), status=RsvpStatus.not_going
        )

    run_together(app, engine, leavers, leave)
    rows = answers(engine, event_id)
    assert sorted(row.user_id for row in rows if row.status is RsvpStatus.going) == sorted(
        first_waiting
    )
    assert len([row for row in rows if row.status is RsvpStatus.waitlisted]) == THREADS - 6
