"""Who may do what with discussions: read by the service, the queries and the pages.

Its own module so that reading (queries, rendering, live updates) does not depend on
the service that changes things; the service re-exports these names.
"""

from __future__ import annotations

from typing import Any

from hallway.discussions.models import Thread
from hallway.moderation import service as moderation


def can_moderate(user: Any) -> bool:
    """Moderation decides who moderates (admins, for now)."""
    return moderation.can_moderate(user)


def can_see_thread(user: Any, thread: Thread) -> bool:
    """Deleted and hidden threads are gone for members; moderators still see them."""
    if thread.deleted_at is None and thread.hidden_at is None:
        return True
    return can_moderate(user)


def can_change(user: Any, author_id: int | None) -> bool:
    """Authors change their own posts; moderators change any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return can_moderate(user) or (author_id is not None and author_id == user.id)


def can_reply(user: Any, thread: Thread) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (thread.locked_at is None or can_moderate(user))
    )
