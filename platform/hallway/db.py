"""The database: declarative base, engine set-up and one session per request.

A request (or a socket event, a CLI command, a job) gets its own session the first
time it asks for ``db.session``. The boundary commits once (see
``hallway.core.unit_of_work``); whatever was not committed is rolled back when the
app context ends.
"""

from __future__ import annotations

import _thread
import contextlib
import logging
import sqlite3
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, func, literal_column
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

logger = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back time-zone aware.

    SQLite keeps no zone, PostgreSQL does; this makes both behave the same.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


def comma_joined(text: Any) -> Any:
    """The group's values of ``text`` (a string expression) as one text, comma separated
    (NULL without rows): SQLite's ``group_concat``, PostgreSQL's ``string_agg``.

    The separator is written into the SQL: passed as a value, SQLAlchemy would render it
    into the statement again on every execution (it is a "literal execute" parameter)."""
    separator: Any = literal_column("','")  # typed as str, an SQL expression works too
    return func.aggregate_strings(text, separator)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


#: Letters that carry no combining mark to strip but that PostgreSQL's unaccent rules
#: still spell out: French "œ" above all ("cœur" is often typed "coeur").
_UNACCENTED_LETTERS = str.maketrans(
    {
        "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS",
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
        "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ħ": "h", "Ħ": "H", "ı": "i",
        "ŀ": "l", "Ŀ": "L", "ŋ": "n", "Ŋ": "N", "ŧ": "t", "Ŧ": "T", "ĸ": "q", "ŉ": "'n",
    }
)  # fmt: skip


def _fold_fully(value: str) -> str:
    # The letters are spelled out before NFKD ("ŀ" would become "l·") and after ("ǣ"
    # becomes "æ").
    decomposed = unicodedata.normalize("NFKD", value.translate(_UNACCENTED_LETTERS))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.translate(_UNACCENTED_LETTERS).lower()


#: The folds of Latin letters and combining marks, worked out once: SQLite folds every
#: row it searches, and one str.translate is a few times faster than NFKD.
_LATIN_FOLDS = {
    code: _fold_fully(chr(code))
    for code in (*range(0x80, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00))
}


def fold(value: str) -> str:
    """Lower case without accents ("Montréal" -> "montreal"), for accent-insensitive search.

    NFKD, combining marks dropped, the letters above spelled out, then lower(). The
    directory stores its search text folded with it (``member_profiles.search_text``)
    and folds what was typed the same way, so both databases match alike.
    """
    if not value.isascii():
        value = value.translate(_LATIN_FOLDS)
        if not value.isascii():  # other scripts: the same, the long way
            return _fold_fully(value)
    return value.lower()


#: Requests that change things: on SQLite their transactions take the write lock first.
_WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _writes_expected() -> bool:
    """Whether the transaction beginning now belongs to a request that writes.

    SQLite has one writer at a time. A plain (deferred) ``BEGIN`` reads first and asks
    for the write lock at the first write; if another connection committed meanwhile
    (WAL), SQLite refuses at once with "database is locked": the busy timeout cannot
    help, the transaction's snapshot is stale. ``BEGIN IMMEDIATE`` takes the write lock
    up front, so simultaneous writers wait their turn (up to the busy timeout) instead
    of failing, and readers carry on beside them.
    """
    if not has_request_context():
        return False
    # A Socket.IO event runs in its connection's GET request, with a ``sid``: live
    # rooms write from there (a chat message), so socket events take the lock too.
    return request.method in _WRITING_METHODS or getattr(request, "sid", None) is not None


#: A checkpoint of the WAL starts in a thread of its own after this many commits that
#: wrote (``WalCheckpointer``); SQLite's own, inside a commit, only past ``WAL_LIMIT_PAGES``.
CHECKPOINT_EVERY_COMMITS = 20
WAL_LIMIT_PAGES = 10_000


def _os_thread_starter() -> Callable[..., Any]:
    """``_thread.start_new_thread`` as Python has it, even where gevent patched it into
    greenlets (the production recipe): a thread that waits in SQLite's C code then
    holds up no request or socket of the process."""
    try:
        from gevent.monkey import get_original
    except ImportError:
        return _thread.start_new_thread
    return get_original("_thread", "start_new_thread")


class WalCheckpointer:
    """Copies the WAL back into the database file from an OS thread of its own.

    SQLite does it inside whichever commit finds the WAL past 1,000 pages: that request
    first writes and syncs ~4 MB (a comment writes ~23 pages, so every ~44th comment
    took ~25 ms longer, and under gevent every greenlet of the process waited with it).
    Here every ``CHECKPOINT_EVERY_COMMITS`` writing commits a PASSIVE checkpoint runs on a
    connection of its own in another thread: it waits for no reader or writer, and the
    next writer starts the WAL from the beginning once it is all copied. SQLite's own
    stays as a backstop, at ``WAL_LIMIT_PAGES``, for writes too steady to leave it a gap.
    """

    def __init__(self, database_path: str) -> None:
        self.database_path = database_path
        self.commits = 0
        self.running = False
        #: A failed checkpoint's error, logged by the next commit (under gevent, logging's
        #: locks belong to the process's own thread).
        self.failure: str | None = None

    def after_commit(self) -> None:
        if self.failure is not None:
            logger.warning("The WAL checkpoint of %s failed: %s", self.database_path, self.failure)
            self.failure = None
        self.commits += 1
        if self.commits >= CHECKPOINT_EVERY_COMMITS and not self.running:
            self.commits = 0
            self.running = True
            _os_thread_starter()(self._checkpoint, ())

    def _checkpoint(self) -> None:
        try:  # mode=rw: a database removed meanwhile is not created again
            with contextlib.closing(
                sqlite3.connect(f"file:{self.database_path}?mode=rw", uri=True, timeout=5)
            ) as connection:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as error:
            self.failure = repr(error)
        finally:
            self.running = False


def _tune_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, Unicode lower(); real SAVEPOINT support;
    writing requests' transactions begun with the write lock (``_writes_expected``);
    and, for a database file, WAL checkpoints off the committing thread (``WalCheckpointer``).

    Python's sqlite3 module opens transactions on its own, which breaks nested
    transactions; we switch that off and emit BEGIN ourselves (the recipe from
    SQLAlchemy's SQLite dialect documentation).
    """
    database = engine.url.database
    checkpointer = WalCheckpointer(database) if database and database != ":memory:" else None

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # SQLite's own lower() only folds ASCII; searches for "Tomás" need Unicode.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if checkpointer is not None:
            cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_LIMIT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        # Straight to the driver: every request begins one, and SQLAlchemy's statement
        # machinery around a bare BEGIN cost a fifth of loading the member.
        sqlite_connection = connection.connection.driver_connection
        sqlite_connection.execute("BEGIN IMMEDIATE" if _writes_expected() else "BEGIN")  # type: ignore[union-attr]

    if checkpointer is not None:

        @event.listens_for(engine, "commit")
        def on_commit(connection: Connection) -> None:
            # Only commits that wrote count: a page's read-only transaction adds no WAL.
            changes = connection.connection.dbapi_connection.total_changes  # type: ignore[union-attr]
            if changes != connection.info.get(_CHANGES_SEEN, 0):
                connection.info[_CHANGES_SEEN] = changes
                checkpointer.after_commit()


#: Per connection: SQLite's count of rows changed, as of its last counted commit.
_CHANGES_SEEN = "hallway.total_changes"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
        _tune_sqlite(engine)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        # No JIT: pages run short statements, and PostgreSQL compiles any whose
        # *estimated* cost is high (a thread page's window query over a large or bloated
        # comments table: ~100 ms of compiling for a 2 ms query).
        connect_args={"connect_timeout": 5, "options": "-c jit=off"},
    )


class Database:
    """Finds the current app's engine and gives each app context one session."""

    extension_key = "hallway.db"

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions[self.extension_key] = {
            "engine": engine,
            "sessionmaker": sessionmaker(bind=engine, expire_on_commit=False),
        }
        app.teardown_appcontext(self._close_session)

    @property
    def engine(self) -> Engine:
        return current_app.extensions[self.extension_key]["engine"]

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = current_app.extensions[self.extension_key]["sessionmaker"]()
        return g.db_session

    def has_session(self) -> bool:
        """Whether this app context has asked for a session (so has anything to commit)."""
        return "db_session" in g

    def bind_sessions_to(self, app: Flask, connection: Connection) -> None:
        """Tests: run every session inside one outer transaction, rolled back later."""
        app.extensions[self.extension_key]["sessionmaker"].configure(
            bind=connection, join_transaction_mode="create_savepoint"
        )

    @staticmethod
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()
