"""The production recipe (gunicorn with gunicorn.conf.py: one process, one gevent worker)
holds a thousand live members in one process and still answers pages.

Before it, each WebSocket held one of the worker's 100 threads: the 100th live member
stopped the process from answering HTTP at all. Here gunicorn runs as a subprocess on a
free 127.0.0.1 port with its own SQLite database and instance folder, and 1,000
logged-in WebSocket clients (two client processes, one member's session cookie) join a
thread, as 1,000 open pages of it would.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from hallway import create_app, migrate
from hallway.bench import live, servers
from hallway.core import unit_of_work
from hallway.db import db
from tests.factories import DEFAULT_PASSWORD, make_thread, make_user

pytestmark = pytest.mark.production_server

READERS = 1_000

_missing = servers.gunicorn_available()
if _missing is not None:
    pytest.skip(f"the production recipe cannot run here: {_missing}", allow_module_level=True)


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory):
    """A migrated SQLite database with one member and one thread, served by the recipe."""
    workdir = tmp_path_factory.mktemp("production")
    url = f"sqlite:///{workdir / 'hallway.sqlite3'}"
    migrate.upgrade(url)
    settings = {
        "DATABASE_URL": url,
        "INSTANCE_PATH": workdir,
        "SECRET_KEY": "production-test-key",
        "REDIS_URL": None,
        "SOCKETIO_MESSAGE_QUEUE": None,
    }
    app = create_app(settings)
    with app.app_context():
        member = make_user(db.session, handle="reader", display_name="Rita Reader")
        thread = make_thread(db.session, author=member, title="Open in a thousand tabs")
        unit_of_work.commit(db.session)
        seeded = (member.email, thread.id, f"/t/{thread.id}/{thread.slug}")
    app.extensions["hallway.db"]["engine"].dispose()
    servers.raise_open_file_limit()
    env = {
        "HALLWAY_DATABASE_URL": url,
        "HALLWAY_INSTANCE_PATH": str(workdir),
        "HALLWAY_SECRET_KEY": "production-test-key",
        "HALLWAY_REDIS_URL": "",
        "HALLWAY_SOCKETIO_MESSAGE_QUEUE": "",
        "HALLWAY_ALLOWED_ORIGINS": "",
        "HALLWAY_ENV": "development",
    }
    with servers.running("hallway-test", "wsgi:app", env, Path(workdir)) as server:
        yield server, seeded


def test_one_process_holds_a_thousand_live_members_and_still_serves_pages(production):
    server, (email, thread_id, thread_path) = production
    login = servers.log_in(server.url, email, DEFAULT_PASSWORD)

    with live.ClientPool(processes=2) as pool:
        opened = pool.connect(
            live.ConnectSpec(
                server.url,
                READERS,
                cookie=login.cookie,
                origin=server.url,
                join_event="join_thread",
                join_data={"thread_id": thread_id},
                timeout=30,
            )
        )
        assert opened.errors == []
        assert (opened.connected, opened.joined) == (READERS, READERS)
        # Browsers offer permessage-deflate; the server declines (memory per connection).
        assert opened.deflate == 0

        page = requests.get(server.url + thread_path, headers={"Cookie": login.cookie}, timeout=15)
        assert page.status_code == 200
        assert "Open in a thousand tabs" in page.text

        # Greenlets, not a thread per socket.
        status = Path(f"/proc/{server.worker_pid()}/status").read_text()
        threads_line = next(line for line in status.splitlines() if line.startswith("Threads:"))
        threads = int(threads_line.split()[1])
        assert threads < 50

        _open, before = pool.stats()
        posted = requests.post(
            f"{server.url}/api/v1/threads/{thread_id}/comments",
            json={"body": "Hello to everyone reading this."},
            headers=login.headers,
            timeout=15,
        )
        assert posted.status_code == 201
        deadline = time.monotonic() + 20
        while True:
            still_open, after = pool.stats()
            arrived = sum(1 for old, new in zip(before, after, strict=True) if new > old)
            if arrived == READERS or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert still_open == READERS
        assert arrived == READERS
