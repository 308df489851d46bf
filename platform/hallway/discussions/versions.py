"""The content versions behind the discussions' cached HTML (``core.fragment_cache``).

``THREADS`` covers what the thread lists show (titles, badges, categories, counts, last
activity); ``thread_version(id)`` covers one thread's comment windows (comments, their
reactions, hides, the thread's lock). Every service that changes either calls
``changed`` in its transaction; readers name the versions they depend on.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from hallway.core.fragment_cache import bump

THREADS = "threads"


def thread_version(thread_id: int) -> str:
    return f"thread:{thread_id}"


def changed(session: Session, thread_id: int | None = None) -> None:
    """The thread lists changed and, with ``thread_id``, that thread's page too."""
    if thread_id is None:
        bump(session, THREADS)
    else:
        bump(session, THREADS, thread_version(thread_id))
