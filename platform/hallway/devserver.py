"""The development server behind `python wsgi.py` (and so `make run`).

One command runs everything: HTTP and Socket.IO on Werkzeug's threaded server, and
the task queue's consumer (`flask worker`) as a child process that stops with it.
It is always started here, whatever the queue's storage: `python wsgi.py` is for a
machine of one's own. Production runs gunicorn (which starts no worker) and
`flask worker` as processes of their own; see the README.

Werkzeug is started directly rather than through ``SocketIO.run``: that one (with
``allow_unsafe_werkzeug``) warns about production deployments whenever standard
input is not a terminal, and Flask's ``app.run`` adds its own production warning.
Neither applies here, so start-up prints one line saying what this is instead.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import click
from flask import Flask
from werkzeug.serving import make_server

from hallway.config import local_origins

#: How long the worker may take to finish the jobs it is running when the server stops.
WORKER_STOP_SECONDS = 10.0


def worker_command(app_path: Path) -> list[str]:
    return [
        sys.executable, "-m", "flask", "--app", str(app_path), "worker",
        "--log-level", "warning", "--child-of", str(os.getpid()),
    ]  # fmt: skip


def start_worker(command: Sequence[str], cwd: Path) -> subprocess.Popen[bytes]:
    """The queue's consumer as a child process.

    In a session of its own, so Ctrl+C in the terminal reaches only the server, which
    then stops the worker (``--child-of``: SIGTERM lets its running jobs finish). If the
    server dies without a word, the worker notices and stops too.
    """
    return subprocess.Popen(list(command), cwd=cwd, start_new_session=True)


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Ask the worker to finish its running jobs and stop (SIGTERM), then insist (SIGKILL)."""
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def serve(app: Flask, *, app_path: Path) -> None:
    """Serve until Ctrl+C (or SIGTERM), with the task queue's consumer alongside."""
    host, port = app.config["HOST"], app.config["PORT"]
    server = make_server(host, port, app, threaded=True)
    worker = None
    if not app.config.get("TASKS_IMMEDIATE"):
        worker = start_worker(worker_command(app_path), cwd=app_path.parent)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    click.echo(
        f"Hallway (development server) on {local_origins(host, port)[0]}"
        f" (listening on {host}:{port}); background jobs run in a `flask worker` child."
        " Press Ctrl+C to stop."
    )
    try:
        server.serve_forever()  # returns on Ctrl+C
    finally:
        server.server_close()
        if worker is not None:
            stop_worker(worker)
