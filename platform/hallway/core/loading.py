"""Load and authorise once: a route gets its object, not a raw id from the URL.

A feature writes one loader per kind of object, ``loader(session, viewer, raw)`` (and,
for an object that lives inside another, a fourth argument: the parent already loaded).
It returns the object if ``viewer`` (the logged-in account, or Flask-Login's anonymous
user) may see it, and raises NotFound (or NotAllowed) otherwise. Routes declare it::

    @bp.get("/t/<int:thread_id>/comments/<int:comment_id>")
    @login_required
    @loads("thread", visible_thread)
    @loads("comment", comment_in_thread, within="thread")
    def focused_comment(thread: Thread, comment: Comment): ...

so the page, the JSON API and (later) events and rooms check visibility in one place,
and an unknown id and a hidden object refuse the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask_login import current_user

from hallway.core.errors import NotAllowed, NotFound
from hallway.db import db
from hallway.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])

#: ``(session, viewer, raw)`` or ``(session, viewer, raw, parent)`` -> the object.
Loader = Callable[..., Any]


def loads(
    name: str,
    loader: Loader,
    *,
    arg: str | None = None,
    within: str | None = None,
    ask_login: bool = False,
) -> Callable[[F], F]:
    """Replace the URL argument ``arg`` (default ``<name>_id``) by ``loader``'s object.

    ``within`` names an object an outer ``@loads`` already loaded; it is passed to the
    loader as its parent (a comment is looked up in its thread). With ``ask_login``, a
    logged-out visitor who is refused is sent to log in instead (the object may be
    visible to members), as pages do; the JSON API answers 404 like for anyone else.
    """
    source = arg or f"{name}_id"

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            raw = kwargs.pop(source)
            parents = (kwargs[within],) if within else ()
            viewer = current_user._get_current_object()
            try:
                kwargs[name] = loader(db.session, viewer, raw, *parents)
            except (NotFound, NotAllowed):
                if ask_login and not getattr(viewer, "is_authenticated", False):
                    return login_manager.unauthorized()
                raise
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
