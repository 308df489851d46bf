"""What members can flag and moderators can hide: each feature registers its own.

Moderation never imports a feature. A feature that owns flaggable rows (discussions:
threads and comments; later room messages, events, profiles) registers a
``SubjectType`` from its ``init_app``::

    register_subject(SubjectType(
        name="comment",             # stored in flags and audit entries
        label="comment",            # how pages name one ("Flag this comment")
        find=find_comment_subject,  # (session, id) -> Subject | None
        hide=hide_comment,          # (session, actor, subject): the feature's service
        restore=restore_comment,    # (session, actor, subject)
    ))

``find`` describes one row as a ``Subject``: who wrote it, the text moderators read,
where it is, whether members can see it. ``hide`` and ``restore`` are the feature's
own service functions: they change its rows and announce the change to open pages
after the commit. Moderation closes the flags and writes the audit entry around them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import Session

from hallway.core.errors import NotFound

#: The most a subject type's name may hold (the ``subject_type`` columns are 32 wide).
NAME_MAX_LENGTH = 32
_NAME = re.compile(r"[a-z][a-z0-9_]*")

GONE = "That post does not exist or was removed."


def gone() -> str:
    """The refusal for a post that is not there (or not for this reader), translated."""
    return gettext("That post does not exist or was removed.")


@dataclass(frozen=True)
class Subject:
    """One flaggable row as its feature describes it to moderation and its pages."""

    type: str
    id: int
    #: Its author, for "you can't flag your own post" (None: a former member).
    author_id: int | None
    author_name: str | None
    #: What the moderators' queue calls it, e.g. 'Comment in “Screen readers”'.
    heading: str
    #: The text moderators read (plain Markdown source; the pages excerpt it).
    text: str
    created_at: datetime
    #: Hidden by a moderator.
    hidden: bool
    #: Members can see it: not hidden, not deleted, not inside something hidden.
    visible: bool
    #: Where it is shown, as a page would name it ("Tools"), if anywhere.
    where: str | None = None
    #: Short states worth a badge in the queue ("Deleted by its author").
    badges: tuple[str, ...] = ()
    #: Ids every audit entry about it keeps, e.g. ``{"thread_id": 3}``.
    audit_details: Mapping[str, Any] = field(default_factory=dict)
    #: The feature's own moderator actions for the queue (a template with ``subject``).
    actions_template: str | None = None
    #: The feature's own object, for its hide/restore functions and its template.
    row: Any = None
    #: Its address in context, built only when a page asks (needs a request).
    link: Callable[[], str] | None = None

    @property
    def url(self) -> str:
        return self.link() if self.link is not None else ""


Finder = Callable[[Session, int], Subject | None]
Action = Callable[[Session, Any, Subject], None]
ViewRule = Callable[[Any, Subject], bool]


@dataclass(frozen=True)
class SubjectType:
    """A kind of flaggable thing, and the feature functions moderation calls on it."""

    name: str
    label: str
    find: Finder
    hide: Action
    restore: Action
    #: Whether ``viewer`` may open the flag form; by default members see what is
    #: ``visible`` and moderators see everything.
    can_view: ViewRule | None = None


_types: dict[str, SubjectType] = {}


def register_subject(subject_type: SubjectType) -> None:
    """Make ``subject_type.name`` flaggable (the same name again replaces it)."""
    name = subject_type.name
    if not _NAME.fullmatch(name) or len(name) > NAME_MAX_LENGTH:
        raise ValueError(
            f"A subject type is named with at most {NAME_MAX_LENGTH} lowercase letters, "
            f"digits and underscores: {name!r}"
        )
    _types[name] = subject_type


def registered_names() -> list[str]:
    return list(_types)


def subject_type(name: str) -> SubjectType:
    """The registered type, or NotFound: an unknown type is a missing page, not a crash."""
    try:
        return _types[name]
    except (KeyError, TypeError):
        raise NotFound(gone()) from None


def label_of(name: str) -> str:
    """How pages name one subject of this type ("comment"); the name if unregistered."""
    registered = _types.get(name)
    return registered.label if registered is not None else name


def find_subject(session: Session, name: str, subject_id: int) -> Subject:
    """The subject, or NotFound (also for an unknown type)."""
    subject = subject_type(name).find(session, subject_id)
    if subject is None:
        raise NotFound(gone())
    return subject
