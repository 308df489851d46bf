"""SQLite's WAL is copied back into the database file by a thread of its own
(hallway.db.WalCheckpointer), not inside the commit that finds it long: the WAL starts
again from the beginning while commits carry on, and no commit checkpoints itself."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from hallway import db as hallway_db

ROW = "x" * 3000  # about a page per commit


@pytest.fixture
def engine(tmp_path: Path):
    engine = hallway_db.make_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine
    engine.dispose()


def _commit_rows(engine, count: int) -> None:
    for _ in range(count):
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": ROW})
        time.sleep(0.002)  # requests come apart: the checkpointing thread gets its turn


def _frames_since_the_wal_began(engine) -> int:
    """How many frames the WAL holds now (its start moves back to 0 after a whole copy)."""
    connection = sqlite3.connect(engine.url.database)
    try:
        # A checkpoint that can copy nothing (NOOP is not a mode): 0 readers wait on it.
        _busy, frames, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        connection.close()
    return frames


def test_sqlite_checkpoints_in_a_commit_only_past_the_backstop(engine):
    with engine.connect() as connection:
        limit = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        assert limit == hallway_db.WAL_LIMIT_PAGES > 1000
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_the_wal_starts_again_while_commits_carry_on(engine):
    _commit_rows(engine, 300)
    time.sleep(0.2)  # the last checkpoint finishes
    _commit_rows(engine, 1)  # this writer starts the WAL again
    assert _frames_since_the_wal_began(engine) < 3 * hallway_db.CHECKPOINT_EVERY_COMMITS
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM notes").scalar() == 301


def test_without_the_thread_no_commit_copies_the_wal(engine, monkeypatch):
    monkeypatch.setattr(hallway_db, "_os_thread_starter", lambda: lambda function, args: None)
    _commit_rows(engine, 300)
    assert _frames_since_the_wal_began(engine) >= 300


def test_a_failed_checkpoint_is_logged_by_the_next_commit(tmp_path, caplog):
    checkpointer = hallway_db.WalCheckpointer(str(tmp_path / "gone" / "missing.sqlite3"))
    checkpointer._checkpoint()  # mode=rw: a missing database is not created
    assert not checkpointer.running and checkpointer.failure is not None
    assert not (tmp_path / "gone").exists()
    checkpointer.after_commit()
    assert "The WAL checkpoint of" in caplog.text and checkpointer.failure is None


def test_read_only_commits_start_no_checkpoint(engine, monkeypatch):
    started = []
    monkeypatch.setattr(
        hallway_db, "_os_thread_starter", lambda: lambda function, args: started.append(1)
    )
    for _ in range(3 * hallway_db.CHECKPOINT_EVERY_COMMITS):
        with engine.begin() as connection:
            connection.execute(text("SELECT count(*) FROM notes"))
    assert started == []
    _commit_rows(engine, hallway_db.CHECKPOINT_EVERY_COMMITS)
    assert started == [1]
