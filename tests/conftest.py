"""Shared fixtures: one migrated database and one app for the whole run.

Each test runs inside a transaction that is rolled back afterwards, so tests
never see each other's rows. Tests that need a real server (a Socket.IO client
over the network, a browser) use ``live_server`` instead, which commits for real
and empties the tables when its module is done.

Set HALLWAY_DATABASE_URL (and HALLWAY_REDIS_URL) to run on PostgreSQL + Redis.
"""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import make_url, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from werkzeug.serving import BaseWSGIServer, make_server

from hallway import create_app, migrate
from hallway.core.fragment_cache import fragments
from hallway.core.shell import shell_fragments
from hallway.db import Base, db, make_engine
from hallway.extensions import limiter
from tests.factories import DEFAULT_PASSWORD, make_user


def _reset_database(url: str) -> None:
    """Drop everything so the migrations start from an empty database."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _worker_number() -> int | None:
    """pytest-xdist's worker number (gw0 -> 0), or None in a plain run."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else None


def _per_worker_database(url: str) -> str:
    """Each xdist worker gets its own PostgreSQL database next to the configured one."""
    number = _worker_number()
    if number is None or url.startswith("sqlite"):
        return url
    base = make_url(url)
    name = f"{base.database}_w{number}"
    engine = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _per_worker_redis(url: str | None) -> str | None:
    """Each xdist worker gets its own Redis database number (base + worker number)."""
    number = _worker_number()
    if not url or number is None:
        return url
    head, _, db_number = url.rpartition("/")
    if not db_number.isdigit():
        return f"{url.rstrip('/')}/{number}"
    return f"{head}/{int(db_number) + number}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("HALLWAY_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'hallway-test.sqlite3'}"
    )
    url = _per_worker_database(url)
    _reset_database(url)
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def app_settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "REDIS_URL": _per_worker_redis(os.environ.get("HALLWAY_REDIS_URL") or None),
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": tmp_path_factory.mktemp("instance"),
        "SERVER_NAME": None,
        # Flask-SocketIO's test client cannot run over a message queue; the live
        # server below uses the queue whenever Redis is configured.
        "SOCKETIO_MESSAGE_QUEUE": None,
        # Emails go to the log (instance/mail.log).
        "SMTP_HOST": None,
        # Jobs (mail among them) run inline, right after the commit that queued them.
        "TASKS_IMMEDIATE": True,
    }


@pytest.fixture(scope="session")
def app(app_settings: dict) -> Flask:
    # No background presence sweep here: it would query through the connection the
    # running test holds. Tests call rooms.sockets.sweep_presence themselves; the live
    # servers sweep as production does.
    return create_app({**app_settings, "ROOMS_PRESENCE_SWEEP_SECONDS": 0})


@pytest.fixture(autouse=True)
def db_connection(request: pytest.FixtureRequest) -> Iterator[Connection | None]:
    """Roll back everything a test wrote (tests using live_server commit for real)."""
    if "live_server" in request.fixturenames:
        yield None
        return
    app: Flask = request.getfixturevalue("app")
    engine = app.extensions[db.extension_key]["engine"]
    connection = engine.connect()
    outer = connection.begin()
    db.bind_sessions_to(app, connection)
    with app.app_context():
        limiter.reset()
    # Cached HTML is keyed by content versions, which roll back with each test.
    fragments.clear()
    shell_fragments.clear()
    try:
        yield connection
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    """For calling services directly. Not with the test client in the same test:
    requests would share this context's ``g`` (and its logged-in user)."""
    with app.app_context():
        yield


@pytest.fixture
def session(db_connection: Connection) -> Iterator[Session]:
    """The test's own session, in the same rolled-back transaction as the requests'.

    Call ``session.expire_all()`` before reading what a request changed.
    """
    test_session = Session(
        bind=db_connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield test_session
    test_session.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


@dataclass
class Browserless:
    """A test client that behaves like a person at a browser: it fetches forms first."""

    client: FlaskClient

    def csrf_token(self, path: str = "/") -> str:
        return csrf_token_from(self.client.get(path).get_data(as_text=True))

    def post_form(self, path: str, data: dict, **kwargs):
        data = {"csrf_token": self.csrf_token(path if "?" not in path else "/"), **data}
        return self.client.post(path, data=data, **kwargs)

    def log_in(self, email: str, password: str = DEFAULT_PASSWORD, **extra):
        return self.post_form("/login", {"email": email, "password": password, **extra})

    def log_out(self):
        return self.post_form("/logout", {})

    def sign_up(self, data: dict, path: str = "/signup"):
        """Sign up as a person does: the form, the link mailed to them, its button.

        Returns the button's answer (a redirect into the welcome flow)."""
        response = self.post_form(path, data)
        assert response.status_code == 302, response.get_data(as_text=True)
        link = confirmation_link(self.client.application, data["email"])
        return self.post_form(link, {})


def mailed_to(app: Flask, address: str) -> list[str]:
    """The emails to ``address`` in the mail log (instance/mail.log), oldest first."""
    from hallway.core.mail import mail_log_path

    path = mail_log_path(app)
    messages = path.read_text(encoding="utf-8").split("=" * 72) if path.exists() else []
    wanted = f"To: {address.strip().lower()}\n"
    return [message for message in messages if wanted in message]


def confirmation_link(app: Flask, address: str) -> str:
    """The path of the last sign-up confirmation link mailed to ``address``."""
    links = [
        match
        for message in mailed_to(app, address)
        for match in re.findall(r"https?://[^/\s]+(/signup/confirm/\S+)", message)
    ]
    assert links, f"no confirmation link was mailed to {address}"
    return links[-1]


@pytest.fixture
def browserless(client: FlaskClient) -> Browserless:
    return Browserless(client)


@pytest.fixture
def member(session):
    user = make_user(session, display_name="Maya Okafor", handle="maya")
    session.commit()
    return user


@pytest.fixture
def logged_in(client: FlaskClient, member) -> Browserless:
    """A client logged in as ``member``."""
    helper = Browserless(client)
    response = helper.log_in(member.email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return helper


@pytest.fixture
def socket_client(app: Flask, logged_in: Browserless):
    """A Flask-SocketIO test client sharing the logged-in client's cookies."""
    socketio = app.extensions["socketio"]
    test_client = socketio.test_client(app, flask_test_client=logged_in.client)
    yield test_client
    if test_client.is_connected():
        test_client.disconnect()


# --- a real server, for the python-socketio client and the browser -------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    app: Flask
    url: str
    server: BaseWSGIServer


@pytest.fixture(scope="module")
def live_server(app_settings: dict) -> Iterator[LiveServer]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(
        {
            **app_settings,
            "ALLOWED_ORIGINS": [url],
            "SOCKETIO_MESSAGE_QUEUE": app_settings["REDIS_URL"],
        }
    )
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(app, url, server)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        _empty_all_tables(app)
        with app.app_context():
            limiter.reset()


def _empty_all_tables(app: Flask) -> None:
    engine = app.extensions[db.extension_key]["engine"]
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
