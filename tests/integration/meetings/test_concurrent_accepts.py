"""No member is ever booked twice: accepts and bookings from many connections at once.

Runs on PostgreSQL (HALLWAY_DATABASE_URL=postgresql+psycopg://...), where requests
really run side by side; each thread has its own connection and commits for real.
SQLite serialises writers, so there is nothing to race there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core import unit_of_work
from hallway.core.errors import Conflict
from hallway.db import make_engine, utcnow
from hallway.meetings import service
from hallway.meetings.models import (
    BookingStatus,
    MeetingRequest,
    MeetingStatus,
    OfficeHourBooking,
    OfficeHourSlot,
)
from tests.unit.meetings.factories import make_member, make_mentor, make_request, make_slot

THREADS = 8


@pytest.fixture
def engine(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers need PostgreSQL")
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def cleanup(engine):
    made: list[int] = []
    yield made
    with engine.begin() as connection:
        connection.execute(delete(User).where(User.id.in_(made)))


def run_together(app, engine, jobs: list[Callable[[Session], None]]) -> list[BaseException]:
    """Each job runs in its own thread and connection, all released at once; returns the
    domain refusals (anything else fails the test)."""
    barrier = threading.Barrier(len(jobs))
    refusals: list[BaseException] = []
    failures: list[BaseException] = []

    def work(job: Callable[[Session], None]) -> None:
        try:
            with app.app_context(), Session(bind=engine, expire_on_commit=False) as session:
                barrier.wait(timeout=10)
                try:
                    job(session)
                    unit_of_work.commit(session)
                except Conflict as refusal:
                    unit_of_work.rollback(session)
                    refusals.append(refusal)
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    return refusals


def test_one_mentor_accepting_many_requests_for_the_same_time_at_once(app, engine, cleanup):
    start = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    with app.app_context(), Session(bind=engine) as session:
        mentor = make_mentor(session)
        askers = [make_member(session) for _ in range(THREADS)]
        requests = [
            make_request(session, asker, mentor, proposed_times=[start + timedelta(minutes=i)])
            for i, asker in enumerate(askers)
        ]
        session.commit()
        cleanup.extend([mentor.id, *(asker.id for asker in askers)])
        mentor_id = mentor.id
        pairs = [(request.id, request.proposed_times[0].id) for request in requests]

    def accept(request_id: int, time_id: int) -> Callable[[Session], None]:
        def job(session: Session) -> None:
            actor = session.get(User, mentor_id)
            request = session.get(MeetingRequest, request_id)
            service.accept_request(session, actor=actor, request=request, time_id=time_id)

        return job

    refusals = run_together(app, engine, [accept(*pair) for pair in pairs])
    with Session(bind=engine) as session:
        accepted = session.scalars(
            select(MeetingRequest).where(
                MeetingRequest.recipient_id == mentor_id,
                MeetingRequest.status == MeetingStatus.accepted,
            )
        ).all()
    # All overlap (each starts a minute after the last, 30 minutes long): exactly one wins.
    assert len(accepted) == 1
    assert len(refusals) == THREADS - 1


def test_two_mentors_accepting_the_same_askers_time_at_once(app, engine, cleanup):
    """The asker's side counts too: two different mentors accept the same asker's
    overlapping requests; one of them is refused."""
    start = (utcnow() + timedelta(days=4)).replace(second=0, microsecond=0)
    with app.app_context(), Session(bind=engine) as session:
        asker = make_member(session)
        mentors = [make_mentor(session) for _ in range(2)]
        requests = [make_request(session, asker, m, proposed_times=[start]) for m in mentors]
        session.commit()
        cleanup.extend([asker.id, *(m.id for m in mentors)])
        asker_id = asker.id
        jobs_data = [
            (m.id, request.id, request.proposed_times[0].id)
            for m, request in zip(mentors, requests, strict=True)
        ]

    def accept(mentor_id: int, request_id: int, time_id: int) -> Callable[[Session], None]:
        def job(session: Session) -> None:
            service.accept_request(
                session,
                actor=session.get(User, mentor_id),
                request=session.get(MeetingRequest, request_id),
                time_id=time_id,
            )

        return job

    refusals = run_together(app, engine, [accept(*data) for data in jobs_data])
    assert len(refusals) == 1
    with Session(bind=engine) as session:
        statuses = sorted(
            session.scalars(
                select(MeetingRequest.status).where(MeetingRequest.sender_id == asker_id)
            )
        )
    assert statuses.count(MeetingStatus.accepted) == 1


def test_many_people_booking_the_last_places_at_once(app, engine, cleanup):
    with app.app_context(), Session(bind=engine) as session:
        host = make_mentor(session)
        slot = make_slot(session, host, capacity=3)
        people = [make_member(session, career_stage="novice") for _ in range(THREADS)]
        session.commit()
        cleanup.extend([host.id, *(person.id for person in people)])
        slot_id, people_ids = slot.id, [person.id for person in people]

    def book(user_id: int) -> Callable[[Session], None]:
        def job(session: Session) -> None:
            service.book_slot(
                session, actor=session.get(User, user_id), slot=session.get(OfficeHourSlot, slot_id)
            )

        return job

    refusals = run_together(app, engine, [book(user_id) for user_id in people_ids])
    assert len(refusals) == THREADS - 3
    with Session(bind=engine) as session:
        booked = session.scalars(
            select(OfficeHourBooking).where(
                OfficeHourBooking.slot_id == slot_id,
                OfficeHourBooking.status == BookingStatus.booked,
            )
        ).all()
        assert len(booked) == 3
        assert session.get(OfficeHourSlot, slot_id).booked_count == 3
