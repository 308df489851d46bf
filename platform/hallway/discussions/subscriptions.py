"""How much a member hears about a thread or a category: watching, normal or muted.

The tables are discussions' own (they name threads and categories); notifications only
deliver what ``hallway.discussions.notify`` decides from these levels.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy import Enum, ForeignKey, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from hallway.accounts.models import User
from hallway.core.errors import InvalidInput, NotFound
from hallway.db import Base, utcnow
from hallway.discussions.access import can_see_thread
from hallway.discussions.models import Category, Thread


class SubscriptionLevel(enum.StrEnum):
    watching = "watching"
    normal = "normal"
    muted = "muted"

    @property
    def label(self) -> str:
        return str(_LEVEL_LABELS[self][0])

    @property
    def description(self) -> str:
        return str(_LEVEL_LABELS[self][1])


_LEVEL_LABELS = {
    SubscriptionLevel.watching: (
        lazy_gettext("Watching"),
        lazy_gettext("Hear about every new post."),
    ),
    SubscriptionLevel.normal: (
        lazy_gettext("Normal"),
        lazy_gettext("Hear about replies to you and mentions of you."),
    ),
    SubscriptionLevel.muted: (
        lazy_gettext("Muted"),
        lazy_gettext("Hear nothing, not even replies and mentions."),
    ),
}


def _level_type() -> Enum:
    return Enum(SubscriptionLevel, native_enum=False, length=16, name="subscription_level")


class _Subscription:
    """A member's chosen level for one thing; the subclass adds the thing's key."""

    # First in the table and the primary key (user, thing), as the migration made it.
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, sort_order=-1
    )
    level: Mapped[SubscriptionLevel] = mapped_column(_level_type())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ThreadSubscription(_Subscription, Base):
    """A member's level for one thread; beats their level for its category."""

    __tablename__ = "thread_subscriptions"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CategorySubscription(_Subscription, Base):
    """A member's level for every thread in a category."""

    __tablename__ = "category_subscriptions"

    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True, index=True
    )


SUBJECT_TYPES = ("thread", "category")
_MODELS: dict[str, type[ThreadSubscription] | type[CategorySubscription]] = {
    "thread": ThreadSubscription,
    "category": CategorySubscription,
}
_KEYS = {ThreadSubscription: "thread_id", CategorySubscription: "category_id"}
_SUBJECT_MODELS: dict[str, type[Thread] | type[Category]] = {
    "thread": Thread,
    "category": Category,
}


# --- Reading levels --------------------------------------------------------------------------


def subscription_level(
    session: Session, user_id: int, subject_type: str, subject_id: int
) -> SubscriptionLevel:
    """The level a member chose for a thread or category; normal when none."""
    model: Any = ThreadSubscription if subject_type == "thread" else CategorySubscription
    row = session.get(model, (user_id, subject_id))
    return row.level if row is not None else SubscriptionLevel.normal


def levels_for_thread(
    session: Session, thread: Thread
) -> tuple[dict[int, SubscriptionLevel], dict[int, SubscriptionLevel]]:
    """Every member's explicit level for the thread, and for its category (two queries)."""
    thread_levels = _levels(session, ThreadSubscription.thread_id, thread.id)
    category_levels = _levels(session, CategorySubscription.category_id, thread.category_id)
    return thread_levels, category_levels


def _levels(session: Session, key: Any, value: int | None) -> dict[int, SubscriptionLevel]:
    if value is None:
        return {}
    model: Any = key.class_
    rows = session.execute(select(model.user_id, model.level).where(key == value))
    return {user_id: level for user_id, level in rows}


# --- Choosing levels -------------------------------------------------------------------------


def set_subscription_level(
    session: Session, *, actor: User, subject_type: str, subject_id: int, level: Any
) -> SubscriptionLevel:
    """Members choose how much they hear about a thread or a category they can see:
    watching (every post), normal (replies and mentions) or muted (nothing)."""
    level = _parse_level(level)
    _visible_subject(session, actor, subject_type, subject_id)
    return _store_level(session, _MODELS[subject_type], actor.id, subject_id, level).level


def set_thread_level(session: Session, *, actor: User, thread_id: int, level: Any) -> None:
    """See set_subscription_level."""
    set_subscription_level(
        session, actor=actor, subject_type="thread", subject_id=thread_id, level=level
    )


def watch_thread(session: Session, *, actor: User, thread_id: int) -> None:
    """Hear about every new post in the thread."""
    set_thread_level(session, actor=actor, thread_id=thread_id, level=SubscriptionLevel.watching)


def mute_thread(session: Session, *, actor: User, thread_id: int) -> None:
    """Hear nothing about the thread, not even replies and mentions."""
    set_thread_level(session, actor=actor, thread_id=thread_id, level=SubscriptionLevel.muted)


def set_category_level(session: Session, *, actor: User, category_id: int, level: Any) -> None:
    """See set_subscription_level."""
    set_subscription_level(
        session, actor=actor, subject_type="category", subject_id=category_id, level=level
    )


def watch_category(session: Session, *, actor: User, category_id: int) -> None:
    """Hear about every new thread and post in the category."""
    set_category_level(
        session, actor=actor, category_id=category_id, level=SubscriptionLevel.watching
    )


def mute_category(session: Session, *, actor: User, category_id: int) -> None:
    """Hear nothing about the category's threads (a thread's own level still wins)."""
    set_category_level(session, actor=actor, category_id=category_id, level=SubscriptionLevel.muted)


def watch_unless_chosen(session: Session, user_id: int, thread_id: int) -> None:
    """Authors watch what they start or reply to, unless they chose a level already."""
    if session.get(ThreadSubscription, (user_id, thread_id)) is None:
        _store_level(session, ThreadSubscription, user_id, thread_id, SubscriptionLevel.watching)


def _store_level(
    session: Session, model: Any, user_id: int, subject_id: int, level: SubscriptionLevel
) -> Any:
    row = session.get(model, (user_id, subject_id))
    if row is None:
        key = {_KEYS[model]: subject_id}
        row = model(user_id=user_id, level=level, updated_at=utcnow(), **key)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # a concurrent request stored one first: update that
            row = session.get(model, (user_id, subject_id))
            assert row is not None
    row.level = level
    session.flush()
    return row


def _parse_level(level: Any) -> SubscriptionLevel:
    try:
        return SubscriptionLevel(level)
    except ValueError:
        choices = ", ".join(each.value for each in SubscriptionLevel)
        raise InvalidInput(
            "Please correct the highlighted fields.", {"level": [f"Choose one of: {choices}."]}
        ) from None


def _visible_subject(session: Session, actor: User, subject_type: str, subject_id: int) -> Any:
    model = _SUBJECT_MODELS.get(subject_type)
    subject = session.get(model, subject_id) if model is not None else None
    if subject is None:
        raise NotFound(f"That {subject_type if model else 'subject'} does not exist.")
    if isinstance(subject, Thread) and not can_see_thread(actor, subject):
        raise NotFound("That discussion does not exist or was removed.")
    return subject
