"""`python wsgi.py` (what `make run` serves) and `flask worker`, as real processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from hallway import create_app
from hallway.core import tasks, unit_of_work
from hallway.core.mail import Email, queue_emails
from hallway.db import db

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(
    tmp_path: Path, database_url: str, redis_url: str | None, **extra: str
) -> dict[str, str]:
    """The subprocess's settings: the test run's database and Redis (each xdist worker
    has its own Redis database number, so the queue is the one the test wrote to)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HALLWAY_")}
    env.update(
        HALLWAY_INSTANCE_PATH=str(tmp_path),
        HALLWAY_DATABASE_URL=database_url,
        HALLWAY_REDIS_URL=redis_url or "",
        HALLWAY_SECRET_KEY="dev-server-test",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def _wait_for(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.1)
    return None


def _children(pid: int) -> list[int]:
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    if not listing.exists():
        pytest.skip("needs Linux /proc to see child processes")
    return [int(child) for child in listing.read_text().split()]


def _get(url: str, **headers: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def test_flask_worker_delivers_queued_mail_and_stops_on_ctrl_c(
    app_settings, database_url, tmp_path
):
    # A queue of the test's own: jobs another run left in the same Redis database
    # (a benchmark's, a developer's) are not the worker's to run first.
    tasks_queue = f"hallway-test-{uuid.uuid4().hex[:8]}"
    queued_by = create_app(
        {
            **app_settings,
            "TASKS_IMMEDIATE": False,
            "TASKS_QUEUE": tasks_queue,
            "INSTANCE_PATH": tmp_path,
        }
    )
    with queued_by.app_context():
        queue_emails(db.session, [Email("ada@example.org", "Queued for the worker", "Hello")])
        unit_of_work.commit(db.session)
    mail_log = tmp_path / "mail.log"
    assert not mail_log.exists()  # queued, not sent

    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--workers", "1"],
        cwd=ROOT,
        env=_environment(
            tmp_path, database_url, app_settings["REDIS_URL"], HALLWAY_TASKS_QUEUE=tasks_queue
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        delivered = _wait_for(
            lambda: mail_log.exists() and "Queued for the worker" in mail_log.read_text()
        )
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=20)
    assert delivered, f"the worker did not deliver the queued email:\n{output}"
    assert worker.returncode == 0, output
    assert "Traceback" not in output


def test_a_worker_runs_only_its_own_queues_jobs(app_settings, tmp_path):
    """Two sites sharing one Redis database (or one instance folder) keep their jobs
    apart by HALLWAY_TASKS_QUEUE."""
    settings = {**app_settings, "TASKS_IMMEDIATE": False, "INSTANCE_PATH": tmp_path}
    first = create_app({**settings, "TASKS_QUEUE": f"hallway-a-{uuid.uuid4().hex[:8]}"})
    second = create_app({**settings, "TASKS_QUEUE": f"hallway-b-{uuid.uuid4().hex[:8]}"})
    try:
        with first.app_context():
            queue_emails(db.session, [Email("ada@example.org", "For the first site", "Hello")])
            unit_of_work.commit(db.session)
        assert tasks.queue(first).pending_count() == 1
        assert tasks.queue(second).pending_count() == 0
    finally:
        tasks.queue(first).flush()


def test_the_dev_servers_worker_stops_when_the_server_is_killed(
    app_settings, database_url, tmp_path
):
    """Even killed without a word (SIGKILL), the server leaves no worker running behind."""
    server_stand_in = subprocess.Popen(
        [
            sys.executable, "-c",
            "import os, subprocess, sys, time\n"
            "subprocess.Popen([sys.executable, '-m', 'flask', '--app', 'wsgi', 'worker',"
            " '--child-of', str(os.getpid())])\n"
            "time.sleep(120)",
        ],
        cwd=ROOT,
        env=_environment(tmp_path, database_url, app_settings["REDIS_URL"]),
    )  # fmt: skip
    try:
        worker = _wait_for(lambda: _children(server_stand_in.pid))
        assert worker, "the worker did not start"
        time.sleep(4)  # let it get up and running
        assert _running(worker[0])
    finally:
        server_stand_in.kill()
        server_stand_in.wait()
    assert _wait_for(lambda: not _running(worker[0]), timeout=15), "the worker outlived it"


def test_worker_refuses_to_run_when_jobs_run_inline(app):
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code != 0
    assert "TASKS_IMMEDIATE" in result.output


def test_development_server_serves_live_updates_on_another_port_quietly(
    app_settings, database_url, tmp_path
):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "wsgi.py"],
        cwd=ROOT,
        env=_environment(tmp_path, database_url, app_settings["REDIS_URL"], HALLWAY_PORT=str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_for(lambda: _get(f"{base}/healthz") == 200), "the server did not start"
        # The browser's origin on this port may open live updates.
        handshake = f"{base}/socket.io/?EIO=4&transport=polling"
        assert _get(handshake, Origin=f"http://localhost:{port}") == 200
        assert _get(handshake, Origin="http://localhost:5000") == 400
        worker = _wait_for(lambda: _children(server.pid))
        assert worker, "no task-queue worker was started"
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}" in output
    assert "production" not in output.lower()
    assert "Traceback" not in output
    # The worker stopped with the server.
    assert _wait_for(lambda: not _running(worker[0]))


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for its parent to collect it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0] != "Z"
    except OSError:
        return False
