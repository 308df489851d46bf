"""The first change of a cached part, made by many writers at once, is counted by each.

Runs on PostgreSQL, where transactions really overlap (SQLite serialises writers):
before the upsert, two first bumps of one name raced on the primary key and one
writer's whole change failed.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from hallway.core.fragment_cache import ContentVersion, bump, current_versions
from hallway.db import make_engine

WRITERS = 8


@pytest.fixture
def engine(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers need PostgreSQL")
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_simultaneous_first_bumps_all_commit_and_all_count(engine):
    name = f"race-{uuid.uuid4().hex[:12]}"
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with Session(bind=engine) as session:
                start.wait()
                bump(session, name)
                session.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert failures == []
        with Session(bind=engine) as session:
            assert current_versions(session, [name]) == (WRITERS,)
    finally:
        with engine.begin() as connection:
            connection.execute(delete(ContentVersion).where(ContentVersion.name == name))
