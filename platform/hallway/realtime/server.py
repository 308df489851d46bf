"""The Socket.IO server: one per app, logged-in connections from allowed origins only.

Features register their event handlers with ``register_handler`` when they plug in
(before the server is built: handlers added after ``init_app`` would be missed by a
second app, as in tests). Each handler runs as one unit of work: it is committed when
it returns and its effects run; a refusal (DomainError) rolls back and becomes an
error acknowledgement ``{"ok": false, "error": ...}``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, current_app, request, session
from flask_login import current_user
from flask_socketio import SocketIO, join_room

from hallway.core import unit_of_work
from hallway.core.errors import DomainError, NotAllowed
from hallway.db import db
from hallway.realtime import guard, presence
from hallway.realtime.publish import DEVICE_SESSION_KEY, device_topic, emit_now, user_topic

Handler = Callable[[Any], dict[str, Any] | None]

logger = logging.getLogger(__name__)
_handlers: dict[str, Handler] = {}


def register_handler(event: str, handler: Handler) -> None:
    """Features plug their socket events in here (same name, same handler: harmless twice)."""
    _handlers[event] = handler


def on_connect(auth: Any = None) -> None:
    """Refuse anonymous connections; put each member in their personal topic."""
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("authentication required")
    join_room(user_topic(current_user.id))
    if isinstance(device := session.get(DEVICE_SESSION_KEY), str):
        join_room(device_topic(device))
    presence.connection_opened(request.sid)  # type: ignore[attr-defined]
    presence.start_heartbeat(current_app.extensions["socketio"])


def on_disconnect(reason: Any = None) -> None:
    """Whoever leaves (closed tab, lost network noticed by ping timeout) leaves presence."""
    current_app.extensions["hallway.socket_rate"].forget(request.sid)  # type: ignore[attr-defined]
    for topic_name in presence.connection_closed(request.sid):  # type: ignore[attr-defined]
        announce_presence(topic_name)


def announce_presence(topic_name: str) -> None:
    """Tell a topic who is present in it now (presence is not stored: no sequence number)."""
    user_ids = sorted(presence.present(topic_name))
    emit_now(topic_name, "presence", {"topic": topic_name, "user_ids": user_ids})


def enter_presence(topic_name: str) -> set[int]:
    """From a socket handler: the current member is present in ``topic_name``."""
    present = presence.enter(topic_name, current_user.id, request.sid)  # type: ignore[attr-defined]
    announce_presence(topic_name)
    return present


def leave_presence(topic_name: str) -> set[int]:
    present = presence.leave(topic_name, current_user.id, request.sid)  # type: ignore[attr-defined]
    announce_presence(topic_name)
    return present


def _as_unit_of_work(event: str, handler: Handler) -> Callable[[Any], dict[str, Any] | None]:
    @wraps(handler)
    def run(*args: Any) -> dict[str, Any] | None:
        session = db.session
        try:
            if not current_user.is_authenticated:
                raise NotAllowed("Please log in first.")
            current_app.extensions["hallway.socket_rate"].take(request.sid)  # type: ignore[attr-defined]
            payload = guard.check_payload(args)
            result = handler(payload)
        except DomainError as error:
            unit_of_work.rollback(session)
            return {"ok": False, **error.to_dict()}
        except Exception:
            unit_of_work.rollback(session)
            logger.exception("Socket event %s failed", event)
            return {"ok": False, "error": "Something went wrong on our side."}
        unit_of_work.commit(session)
        return result

    return run


def origin_check(allowed: list[str]) -> Callable[[str | None], bool] | str:
    """Engine.IO's origin test, telling the operator which setting to change on a refusal.

    Engine.IO asks once per handshake before refusing it (and logs "... is not an accepted
    origin." on its own logger, at ERROR only the first time); this says it at WARNING
    every time, with the origin and the setting.
    """
    if "*" in allowed:
        return "*"
    accepted = frozenset(allowed)

    def is_accepted(origin: str | None) -> bool:
        if origin is None or origin in accepted:
            return True
        logger.warning(
            "Refused a live-updates (Socket.IO) connection from origin %r: it is not in "
            "HALLWAY_ALLOWED_ORIGINS (now %s). Add it there, or set HALLWAY_HOST and "
            "HALLWAY_PORT to where the server is reached.",
            origin,
            ",".join(allowed) or "empty",
        )
        return False

    return is_accepted


def create_socketio(app: Flask) -> SocketIO:
    socketio = SocketIO()
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)
    for event, handler in _handlers.items():
        socketio.on_event(event, _as_unit_of_work(event, handler))
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        cors_allowed_origins=origin_check(app.config["ALLOWED_ORIGINS"]),
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel="hallway-socketio",
        **guard.server_options(app),
    )
    guard.limit_websocket_messages(socketio.server.eio, guard.max_message_bytes(app))
    guard.limit_polling_bodies(app, guard.max_message_bytes(app))
    app.extensions["hallway.socket_rate"] = guard.rate_limiter_for(app)
    presence.init_presence(app, socketio)
    return socketio
