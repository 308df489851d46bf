"""Concurrent senders on PostgreSQL: gap-free numbers, one row per client id, seats.

Each thread has its own connection and session and commits for real, as socket events
do; they are released together by a barrier. SQLite serialises writers, so there is
nothing to race there (skipped).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core import unit_of_work
from hallway.core.errors import DomainError
from hallway.db import make_engine
from hallway.events.models import Event
from hallway.realtime.models import TopicEvent, TopicSequence
from hallway.rooms import service
from hallway.rooms.models import Room, RoomMembership, RoomMessage
from tests.factories import make_user
from tests.integration.rooms.conftest import go
from tests.unit.events.factories import make_event, make_organiser

SENDERS = 8


@pytest.fixture
def engine(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers need PostgreSQL")
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def committed(app, engine):
    """An event with a room everyone going has joined, and a table of ``table_size``,
    committed for real (and removed afterwards)."""
    made: dict[str, list] = {"users": [], "events": [], "topics": []}

    def setup(table_size: int = 3) -> tuple[int, int, list[int]]:
        with app.app_context(), Session(bind=engine) as session:
            owner = make_organiser(session)
            event = make_event(session, owner=owner)
            people = [make_user(session) for _ in range(SENDERS)]
            for person in people:
                go(session, event, person)
            room = service.create_room(session, owner, event.id, {"name": "Busy"})
            for person in people:
                service.join_room(session, person, room.id)
            table = service.open_table(
                session, people[0], event.id, {"name": "Small", "size_limit": table_size}
            )
            session.commit()
            made["users"] += [owner.id, *(person.id for person in people)]
            made["events"].append(event.id)
            made["topics"] += [service.room_topic(room.id), service.room_topic(table.id)]
            return room.id, table.id, [person.id for person in people]

    yield setup
    with engine.begin() as connection:
        connection.execute(delete(TopicEvent).where(TopicEvent.topic.in_(made["topics"])))
        connection.execute(delete(TopicSequence).where(TopicSequence.topic.in_(made["topics"])))
        connection.execute(delete(Event).where(Event.id.in_(made["events"])))
        connection.execute(delete(User).where(User.id.in_(made["users"])))


def run_together(app, engine, user_ids: list[int], act: Callable[[Session, User, int], None]):
    """Each user acts in its own thread and connection, all released at once; returns
    the refusals (DomainErrors: full, too fast...) they met."""
    barrier = threading.Barrier(len(user_ids))
    failures: list[BaseException] = []
    refusals: list[BaseException] = []

    def work(index: int, user_id: int) -> None:
        try:
            with app.app_context(), Session(bind=engine, expire_on_commit=False) as session:
                user = session.get(User, user_id)
                barrier.wait(timeout=10)
                try:
                    act(session, user, index)
                except DomainError as refusal:
                    unit_of_work.rollback(session)
                    refusals.append(refusal)
                    return
                unit_of_work.commit(session)
        except BaseException as error:  # reported by the test below
            failures.append(error)

    threads = [
        threading.Thread(target=work, args=(index, user_id))
        for index, user_id in enumerate(user_ids)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    return refusals


def test_concurrent_senders_get_gap_free_increasing_numbers(app, engine, committed):
    room_id, _table_id, people = committed()

    def send_three(session: Session, user: User, index: int) -> None:
        for number in range(3):
            service.send_message(session, user, room_id, f"{index}-{number}", f"c-{index}-{number}")
            unit_of_work.commit(session)

    run_together(app, engine, people, send_three)
    with Session(bind=engine) as session:
        seqs = list(
            session.scalars(
                select(RoomMessage.seq)
                .where(RoomMessage.room_id == room_id)
                .order_by(RoomMessage.seq)
            )
        )
        events = list(
            session.execute(
                select(TopicEvent.seq, TopicEvent.payload)
                .where(TopicEvent.topic == service.room_topic(room_id))
                .order_by(TopicEvent.seq)
            )
        )
    total = 3 * SENDERS
    assert seqs == list(range(1, total + 1))
    assert [seq for seq, _ in events] == seqs
    assert all(payload["message_seq"] == seq for seq, payload in events)
    # Each sender's own messages are in the order they sent them.
    by_sender: dict[str, list[int]] = {}
    for _seq, payload in events:
        by_sender.setdefault(payload["client_id"].split("-")[1], []).append(
            int(payload["client_id"].split("-")[2])
        )
    assert all(order == [0, 1, 2] for order in by_sender.values())


def test_concurrent_resends_of_one_client_id_make_one_message(app, engine, committed):
    room_id, _table_id, people = committed()
    sender = people[0]
    created: list[bool] = []

    def resend(session: Session, user: User, _index: int) -> None:
        _message, is_new = service.send_message(session, user, room_id, "Only once", "dup-1")
        created.append(is_new)

    run_together(app, engine, [sender] * 6, resend)
    with Session(bind=engine) as session:
        rows = session.scalar(
            select(func.count()).select_from(RoomMessage).where(RoomMessage.room_id == room_id)
        )
        published = session.scalar(
            select(func.count())
            .select_from(TopicEvent)
            .where(TopicEvent.topic == service.room_topic(room_id))
        )
    assert rows == 1 and published == 1
    assert sorted(created) == [False] * 5 + [True]


def test_concurrent_joiners_never_take_more_seats_than_the_table_has(app, engine, committed):
    _room_id, table_id, people = committed(table_size=3)  # the owner holds one seat
    joiners = people[1:]

    def join(session: Session, user: User, _index: int) -> None:
        service.join_room(session, user, table_id)

    refusals = run_together(app, engine, joiners, join)
    with Session(bind=engine) as session:
        seats = session.scalar(
            select(func.count())
            .select_from(RoomMembership)
            .where(RoomMembership.room_id == table_id)
        )
    assert seats == 3
    assert len(refusals) == len(joiners) - 2


def test_slow_mode_holds_against_one_members_simultaneous_sends(app, engine, committed):
    room_id, _table_id, people = committed()
    with app.app_context(), Session(bind=engine) as session:
        owner_id = session.get(Room, room_id).created_by_id
        service.set_slow_mode(session, session.get(User, owner_id), room_id, 60)
        session.commit()
    sender = people[0]

    def send(session: Session, user: User, index: int) -> None:
        service.send_message(session, user, room_id, f"burst {index}", f"burst-{index}")

    refusals = run_together(app, engine, [sender] * 5, send)
    with Session(bind=engine) as session:
        rows = session.scalar(
            select(func.count()).select_from(RoomMessage).where(RoomMessage.room_id == room_id)
        )
    assert rows == 1
    assert len(refusals) == 4 and all(isinstance(r, service.TooFast) for r in refusals)
