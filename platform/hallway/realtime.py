"""The Socket.IO server: one per app, logged-in connections only.

Feature packages register their handlers here, before ``init_app``: handlers
added afterwards would be missed by a second app (as in tests).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask_login import current_user
from flask_socketio import SocketIO, join_room


def personal_room(user_id: int) -> str:
    return f"user:{user_id}"


def on_connect(auth: Any = None) -> None:
    """Refuse anonymous connections; put each member in their personal room."""
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("authentication required")
    join_room(personal_room(current_user.id))


def create_socketio(app: Flask) -> SocketIO:
    from hallway.discussions import events as discussions_events

    socketio = SocketIO()
    socketio.on_event("connect", on_connect)
    discussions_events.register(socketio)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        cors_allowed_origins=app.config["ALLOWED_ORIGINS"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel="hallway-socketio",
    )
    return socketio


def broadcast(event: str, data: Any, *, to: str) -> None:
    """Tell a Socket.IO room about something already committed.

    The one place features publish through, so the transport can change here.
    """
    current_app.extensions["socketio"].emit(event, data, to=to)
