"""The embedded set-up (one SQLite file) under simultaneous RSVPs: everyone waits their
turn, nobody gets "database is locked" (a 500), and the last place is taken once.

SQLite lets one writer at a time in. A transaction that starts by reading and then
writes asks for the write lock late; if another writer committed in between, SQLite
refuses at once (no busy wait can help: the reader's snapshot is stale). Requests that
change things therefore begin with the write lock (``BEGIN IMMEDIATE``, see
``hallway.db``) and wait for it up to the busy timeout.

These requests go through a separate app on its own SQLite file, committing for real,
each from its own thread and test client, all released at once.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallway import create_app
from hallway.db import Base, db, make_engine
from hallway.events.models import Event, Rsvp, RsvpStatus
from tests.conftest import Browserless
from tests.factories import make_user
from tests.unit.events.factories import make_event, make_organiser

PEOPLE = 10
CAPACITY = 3


@pytest.fixture
def sqlite_app(app_settings, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'rsvps.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = create_app(
        {
            **app_settings,
            "DATABASE_URL": url,
            "REDIS_URL": None,
            "RATELIMIT_ENABLED": False,
            "INSTANCE_PATH": tmp_path,
        }
    )
    yield app
    app.extensions[db.extension_key]["engine"].dispose()


def _engine(app):
    return app.extensions[db.extension_key]["engine"]


def _setup(app) -> tuple[int, list[str]]:
    with app.app_context(), Session(bind=_engine(app)) as session:
        owner = make_organiser(session)
        event = make_event(session, owner=owner, capacity=CAPACITY)
        people = [make_user(session) for _ in range(PEOPLE)]
        session.commit()
        return event.id, [person.email for person in people]


def _rush(app, event_id: int, emails: list[str], status: str) -> list[int]:
    """Each person, logged in on their own client, answers at the same moment."""
    helpers = []
    for email in emails:
        helper = Browserless(app.test_client())
        assert helper.log_in(email).status_code == 302
        helpers.append((helper, helper.csrf_token(f"/events/{event_id}")))
    barrier = threading.Barrier(len(helpers))
    codes: list[int] = []
    failures: list[BaseException] = []

    def answer(helper: Browserless, token: str) -> None:
        try:
            barrier.wait(timeout=20)
            response = helper.client.post(
                f"/events/{event_id}/rsvp", data={"csrf_token": token, "status": status}
            )
            codes.append(response.status_code)
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=answer, args=pair) for pair in helpers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    return codes


def _answers(app, event_id: int) -> tuple[list[Rsvp], int]:
    with Session(bind=_engine(app)) as session:
        rows = list(session.scalars(select(Rsvp).where(Rsvp.event_id == event_id)))
        event = session.get(Event, event_id)
        assert event is not None
        return rows, event.going_count


def test_simultaneous_rsvps_on_sqlite_wait_instead_of_failing(sqlite_app):
    event_id, emails = _setup(sqlite_app)
    codes = _rush(sqlite_app, event_id, emails, "going")
    assert codes == [302] * PEOPLE  # every answer redirects back to the page: no 500
    rows, going_count = _answers(sqlite_app, event_id)
    going = [row for row in rows if row.status is RsvpStatus.going]
    waiting = [row for row in rows if row.status is RsvpStatus.waitlisted]
    assert (len(going), len(waiting), going_count) == (CAPACITY, PEOPLE - CAPACITY, CAPACITY)


def test_simultaneous_leaving_on_sqlite_promotes_exactly_as_many(sqlite_app):
    event_id, emails = _setup(sqlite_app)
    for email in emails:  # one after the other: a known queue
        assert _rush(sqlite_app, event_id, [email], "going") == [302]
    rows, _count = _answers(sqlite_app, event_id)
    by_id = {row.user_id: row for row in rows}
    with Session(bind=_engine(sqlite_app)) as session:
        from hallway.accounts.models import User

        ids = {user.email: user.id for user in session.scalars(select(User))}
    leavers = [email for email in emails if by_id[ids[email]].status is RsvpStatus.going]
    codes = _rush(sqlite_app, event_id, leavers, "not_going")
    assert codes == [302] * CAPACITY
    rows, going_count = _answers(sqlite_app, event_id)
    going = [row for row in rows if row.status is RsvpStatus.going]
    assert len(going) == going_count == CAPACITY
    assert len([row for row in rows if row.status is RsvpStatus.waitlisted]) == (
        PEOPLE - 2 * CAPACITY
    )
