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

from flask import Flask
from flask_login import current_user
from flask_socketio import SocketIO, join_room

from hallway.core import unit_of_work
from hallway.core.errors import DomainError, NotAllowed
from hallway.db import db
from hallway.realtime.publish import user_topic

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


def _as_unit_of_work(event: str, handler: Handler) -> Callable[[Any], dict[str, Any] | None]:
    @wraps(handler)
    def run(payload: Any = None) -> dict[str, Any] | None:
        session = db.session
        try:
            if not current_user.is_authenticated:
                raise NotAllowed("Please log in first.")
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


def create_socketio(app: Flask) -> SocketIO:
    socketio = SocketIO()
    socketio.on_event("connect", on_connect)
    for event, handler in _handlers.items():
        socketio.on_event(event, _as_unit_of_work(event, handler))
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        cors_allowed_origins=app.config["ALLOWED_ORIGINS"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel="hallway-socketio",
    )
    return socketio
