from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from hallway.config import Config
from hallway.db import UTCDateTime, make_engine


def test_sqlite_is_tuned_for_a_web_app(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'tuned.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()


def test_sqlite_supports_savepoints(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nested.sqlite3'}")
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.commit()
        with connection.begin():
            connection.execute(text("INSERT INTO t VALUES (1)"))
            nested = connection.begin_nested()
            connection.execute(text("INSERT INTO t VALUES (2)"))
            nested.rollback()
        assert connection.execute(text("SELECT x FROM t")).scalars().all() == [1]
    engine.dispose()


def test_timestamps_are_stored_in_utc_and_read_back_aware():
    column_type = UTCDateTime()

    class SQLite:
        name = "sqlite"

    eastern = timezone(timedelta(hours=-5))
    stored = column_type.process_bind_param(datetime(2026, 1, 1, 9, tzinfo=eastern), SQLite)
    assert stored == datetime(2026, 1, 1, 14)
    assert column_type.process_result_value(stored, SQLite) == datetime(
        2026, 1, 1, 14, tzinfo=UTC
    )


def test_naive_timestamps_are_refused():
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), None)


def test_defaults_need_nothing_but_this_process(monkeypatch, tmp_path):
    for name in ("HALLWAY_DATABASE_URL", "HALLWAY_REDIS_URL", "HALLWAY_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALLWAY_INSTANCE_PATH", str(tmp_path))
    config = Config()
    assert config.DATABASE_URL == f"sqlite:///{tmp_path / 'hallway.sqlite3'}"
    assert config.REDIS_URL is None
    assert config.SOCKETIO_ASYNC_MODE == "threading"
    assert len(config.SECRET_KEY) == 64


def test_generated_secret_key_is_kept_across_restarts(monkeypatch, tmp_path):
    monkeypatch.delenv("HALLWAY_SECRET_KEY", raising=False)
    monkeypatch.setenv("HALLWAY_INSTANCE_PATH", str(tmp_path))
    assert Config().SECRET_KEY == Config().SECRET_KEY
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("HALLWAY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("HALLWAY_SECRET_KEY", "from-env")
    assert Config().SECRET_KEY == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_sqlite_lower_folds_accented_letters_like_postgresql(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'lower.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT lower('TOMÁS Ørsted')")).scalar() == "tomás ørsted"
        assert connection.execute(text("SELECT lower(NULL)")).scalar() is None
    engine.dispose()
