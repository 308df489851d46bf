"""Publishing a mentoring round is one transaction: one refused request sends none; and
two organisers pressing "Publish" at the same moment send each pair's request once
(PostgreSQL: the round's row is locked while it is published)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core import unit_of_work
from hallway.db import make_engine
from hallway.events import service as events_service
from hallway.events.models import Event
from hallway.matching import rounds
from hallway.matching.round_models import MentoringRound, RoundStatus
from hallway.meetings.models import MeetingRequest
from tests.integration.matching._g_helpers import (  # noqa: F401 (fresh_match_index: autouse)
    fresh_match_index,
    going,
    log_in,
    make_event,
    mentor,
    novice,
    organiser,
)


def _requests(session, event_id) -> int:
    session.expire_all()
    return session.scalar(
        select(func.count()).select_from(MeetingRequest).where(MeetingRequest.event_id == event_id)
    )


def test_one_refused_request_sends_none(app, session):
    owner = organiser(session)
    event = make_event(session, owner)
    nia, noor, maggie = (
        novice(session),
        novice(session, handle="noor", name="Noor"),
        mentor(session),
    )
    going(session, event, nia, noor, maggie)
    session.commit()
    with app.app_context():
        # The last half hour of the event: the second mentee's slot would end after it.
        mentoring_round = rounds.create_round(
            session,
            actor=owner,
            event=event,
            data=rounds.RoundInput(
                title="Late round",
                starts_at=event.ends_at - timedelta(minutes=30),
                duration_minutes=30,
                place="",
                message="",
                mentee_ids=[nia.id, noor.id],
                mentor_capacities={maggie.id: 2},
            ),
        )
        session.commit()
    helper = log_in(app, owner)
    path = f"/events/{event.id}/matching/rounds/{mentoring_round.id}"
    response = helper.post_form(path + "/publish", {})
    assert response.status_code == 302
    page = helper.client.get(path).get_data(as_text=True)
    assert "Propose times during the event." in page
    assert _requests(session, event.id) == 0
    assert session.get(MentoringRound, mentoring_round.id).status is RoundStatus.draft


@pytest.fixture
def engine(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers need PostgreSQL")
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_two_organisers_publishing_at_once_send_each_request_once(app, engine):
    with app.app_context(), Session(bind=engine) as session:
        owner = organiser(session, handle="race-owner")
        co = organiser(session, handle="race-co")
        event = make_event(session, owner)
        events_service.add_co_organiser(session, actor=owner, event=event, user_id=co.id)
        mentees = [novice(session, handle=f"race-n{n}", name=f"Race N{n}") for n in range(3)]
        mentors = [mentor(session, handle=f"race-m{n}", name=f"Race M{n}") for n in range(2)]
        going(session, event, *mentees, *mentors)
        mentoring_round = rounds.create_round(
            session,
            actor=owner,
            event=event,
            data=rounds.RoundInput(
                title="Race",
                starts_at=event.starts_at,
                duration_minutes=30,
                place="",
                message="",
                mentee_ids=[user.id for user in mentees],
                mentor_capacities={user.id: 2 for user in mentors},
            ),
        )
        session.commit()
        ids = {
            "event": event.id,
            "round": mentoring_round.id,
            "organisers": [owner.id, co.id],
            "users": [owner.id, co.id, *(u.id for u in mentees + mentors)],
        }
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def publish(organiser_id: int) -> None:
        try:
            with app.app_context(), Session(bind=engine, expire_on_commit=False) as session:
                actor = session.get(User, organiser_id)
                found = session.get(MentoringRound, ids["round"])
                barrier.wait(timeout=10)
                rounds.publish_round(session, actor=actor, mentoring_round=found)
                unit_of_work.commit(session)
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=publish, args=(user_id,)) for user_id in ids["organisers"]]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert failures == []
        with Session(bind=engine) as session:
            assert _requests(session, ids["event"]) == 3
    finally:
        with engine.begin() as connection:
            connection.execute(
                delete(MeetingRequest).where(MeetingRequest.event_id == ids["event"])
            )
            connection.execute(delete(Event).where(Event.id == ids["event"]))
            connection.execute(delete(User).where(User.id.in_(ids["users"])))
