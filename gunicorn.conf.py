"""Hallway's production recipe for gunicorn (read by `gunicorn wsgi:app` from this folder).

One gunicorn process per core, each with ONE gevent worker: every page request and
every live connection (Socket.IO over WebSocket) is a greenlet, not an OS thread, so one
process holds thousands of open sockets and still answers pages. Several such processes
run side by side on their own ports behind a proxy with sticky sessions and share
Socket.IO rooms through the Redis message queue (`HALLWAY_REDIS_URL`). Why this and not
threads or separate socket processes: docs/deploy.md, measured in docs/benchmarks.md.

    .venv/bin/gunicorn wsgi:app                      # 127.0.0.1:$HALLWAY_PORT (5000)
    .venv/bin/gunicorn --bind 127.0.0.1:8002 wsgi:app  # the second core's process

gevent must patch the standard library before anything else imports it (sockets, ssl,
threading, the database and Redis drivers): the master reads this file first, so the
patch is the first thing here. psycopg 3 (>= 3.1.14) waits cooperatively once patched;
SQLite calls block the process while they run (short ones: the embedded mode only).
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402 - after the patch, on purpose
import resource  # noqa: E402

# Flask-SocketIO's server must use gevent's greenlets and WebSockets (python-engineio
# speaks WebSocket through simple-websocket on gevent's sockets). hallway.config derives
# the same from the patch; saying it here makes the recipe explicit.
os.environ.setdefault("HALLWAY_SOCKETIO_ASYNC_MODE", "gevent")

wsgi_app = "wsgi:app"
bind = [
    f"{os.environ.get('HALLWAY_HOST', '127.0.0.1').strip() or '127.0.0.1'}:"
    f"{os.environ.get('HALLWAY_PORT') or '5000'}"
]
# One worker per gunicorn process: gunicorn's own balancing between workers is not
# sticky, and Socket.IO's long-polling needs every request of a session to reach the
# process that holds it. Use more cores with more processes (one per core) behind a proxy.
workers = 1
worker_class = "gevent"
#: Open connections (pages in flight + live sockets) one process accepts at once.
worker_connections = int(os.environ.get("HALLWAY_WORKER_CONNECTIONS") or "10000")
# Keep-alive between the proxy and this process.
keepalive = 5
# A greenlet that never yields (a runaway CPU loop) stalls the worker's heartbeat:
# gunicorn replaces the worker after this many seconds.
timeout = 30
graceful_timeout = 20
# Import the app in the worker, after the fork and the patch, never in the master.
preload_app = False
# No control socket: several of these processes run side by side (one per core), and
# gunicorn would give them all the same one.
control_socket_disable = True
# Logs to standard error (systemd's journal, the container's log).
accesslog = os.environ.get("HALLWAY_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("HALLWAY_LOG_LEVEL", "info")


def _raise_open_file_limit(wanted: int) -> None:
    """Each live socket is an open file: lift the soft limit (often 1,024) towards the
    hard one, so `worker_connections` can be reached."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


_raise_open_file_limit(worker_connections + 1024)


#: The collector's thresholds once the app is frozen (``gc.set_threshold``; Python's
#: defaults are 700, 10, 10): see post_worker_init.
GC_THRESHOLDS = (50_000, 20, 10)


def post_worker_init(worker: object) -> None:
    """Once the app is loaded in the worker: collect, then freeze what exists (modules,
    mappers, templates, the app) out of the garbage collector's sight (Python's
    ``gc.freeze``). A full collection then walks only what requests and live sockets
    made since. Measured in `make bench`'s fan-out over two processes: full collections
    went from 170-220 ms to 15-66 ms, and with them the slowest comment POSTs (a full
    collection stops every greenlet of the process, sockets included).

    Then the young generation is collected every 50,000 new objects instead of 700: a
    request makes tens of thousands, and at 700 the collector ran dozens of times per
    request, each time promoting what the request still held (rows, template contexts)
    towards the old generation, whose growth is what triggers a full collection. With
    1,000 readers connected a full collection still takes 25-75 ms; over 40 comments
    fanned out to them it came once or twice with Python's thresholds, and with these
    in most runs not at all (docs/deploy.md, "What to watch")."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
