"""Real time: the Socket.IO server, publishing after the commit, sequence numbers,
replay after a reconnect, and presence.

Imports no feature: features call ``publish``/``notify`` from their services and plug
their socket handlers in with ``register_handler``.
"""

from hallway.realtime.publish import (
    DEVICE_SESSION_KEY,
    current_seq,
    device_topic,
    emit_now,
    events_after,
    join_topic,
    leave_topic,
    notify,
    publish,
    topic,
    user_topic,
)
from hallway.realtime.server import (
    create_socketio,
    enter_presence,
    leave_presence,
    register_handler,
)

__all__ = [
    "DEVICE_SESSION_KEY",
    "device_topic",
    "create_socketio",
    "current_seq",
    "emit_now",
    "enter_presence",
    "leave_presence",
    "events_after",
    "join_topic",
    "leave_topic",
    "notify",
    "publish",
    "register_handler",
    "topic",
    "user_topic",
]
