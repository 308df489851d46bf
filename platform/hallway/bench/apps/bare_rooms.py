"""A bare python-socketio chat room: the reference for Hallway's live rooms figures.

No Flask, no database, no log-in, no rules: a client joins the one room with the
``room_join`` event (acknowledged) and sends with ``room_send``; the server numbers the
message, broadcasts ``room_message`` (``{"id", "seq", "body"}``, padded to about the
size of Hallway's frame with ``pad``) to everyone in the room and acknowledges the
sender with the message's id. What is left between this and Hallway is Hallway's own
work: authorisation, the database commit, sequence numbers, idempotent resends.
Served like Hallway by `make bench` (gunicorn.conf.py, gevent, no permessage-deflate).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

import socketio

ROOM = "room"
sio = socketio.Server(async_mode="gevent", cors_allowed_origins="*")
_ids = itertools.count(1)


@sio.event
def room_join(sid: str, data: Any = None) -> dict[str, Any]:
    sio.enter_room(sid, ROOM)
    return {"ok": True, "seq": 0, "messages": []}


@sio.event
def room_send(sid: str, data: Any = None) -> dict[str, Any]:
    data = data if isinstance(data, dict) else {}
    ident = next(_ids)
    pad = int(data.get("pad") or 0)
    body = str(data.get("body") or "") + " " * max(pad, 0)
    message = {"id": ident, "seq": ident, "body": body}
    sio.emit("room_message", message, to=ROOM)
    return {"ok": True, "message": {"id": ident, "seq": ident}}


def _pages(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO", "") in ("/", "/healthz"):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


_socketio_app = socketio.WSGIApp(sio, _pages)


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)  # as Hallway: no permessage-deflate
    return _socketio_app(environ, start_response)
