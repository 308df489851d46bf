"""A bare python-socketio server: the reference for Hallway's live figures.

No Flask, no database, no log-in: a client joins the one room with the ``join`` event
(acknowledged), and ``POST /post?bytes=N`` emits a ``comment_created`` event of about N
bytes to everyone in it, answering with the event's id. WebSockets are served as
Hallway serves them (no permessage-deflate), so the difference between the two is
Hallway's own work. `make bench` serves it with gunicorn.conf.py (gevent). With
BARE_REDIS_URL, several such processes share the room through Redis, as Hallway's do.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

import socketio

ROOM = "thread"
_redis_url = os.environ.get("BARE_REDIS_URL")
sio = socketio.Server(
    async_mode="gevent",
    cors_allowed_origins="*",
    client_manager=socketio.RedisManager(_redis_url) if _redis_url else None,
)
_ids = itertools.count(1)


@sio.event
def join(sid: str, data: Any = None) -> dict[str, Any]:
    sio.enter_room(sid, ROOM)
    return {"ok": True}


def _pages(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    if path == "/post" and environ.get("REQUEST_METHOD") == "POST":
        query = parse_qs(environ.get("QUERY_STRING", ""))
        size = int(query.get("bytes", ["200"])[0])
        ident = next(_ids)
        sio.emit("comment_created", {"id": ident, "html": "x" * max(size - 40, 0)}, to=ROOM)
        body = json.dumps({"id": ident}).encode()
        start_response("201 Created", [("Content-Type", "application/json")])
        return [body]
    if path in ("/", "/healthz"):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


_socketio_app = socketio.WSGIApp(sio, _pages)


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)  # as Hallway: no permessage-deflate
    return _socketio_app(environ, start_response)
