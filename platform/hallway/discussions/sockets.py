"""Socket.IO handlers for discussions: joining a thread's room to see it change live.

Writes go through the HTTP routes (pages and API), which broadcast after committing;
a socket only listens. Plugged in by ``hallway.discussions.init_app``.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_socketio import join_room, leave_room

from hallway.core.errors import DomainError, NotAllowed
from hallway.core.validation import load_or_refuse
from hallway.db import db
from hallway.discussions import service
from hallway.discussions.live import thread_room
from hallway.discussions.schemas import JoinThreadSchema


def join_thread(payload: Any = None) -> dict[str, Any]:
    """Members who may see a thread join its room; the acknowledgement says so or why not."""
    try:
        if not current_user.is_authenticated:  # the connection was refused already
            raise NotAllowed("Please log in first.")
        data = load_or_refuse(JoinThreadSchema(), payload)
        thread = service.get_thread(db.session, data["thread_id"], current_user)
    except DomainError as error:
        return {"ok": False, **error.to_dict()}
    join_room(thread_room(thread.id))
    return {"ok": True, "thread_id": thread.id, "comment_count": thread.comment_count}


def leave_thread(payload: Any = None) -> dict[str, Any]:
    try:
        data = load_or_refuse(JoinThreadSchema(), payload)
    except DomainError as error:
        return {"ok": False, **error.to_dict()}
    leave_room(thread_room(data["thread_id"]))
    return {"ok": True}
