"""Notifications, subscriptions (watch / normal / mute) and email preferences.

``Notification.kind`` and ``subject_type`` are plain strings so other features
(events, matching) can add kinds without a migration; the enums below name the
ones discussions use.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallway.db import Base, utcnow


class NotificationKind(enum.StrEnum):
    reply = "reply"
    mention = "mention"
    watched_activity = "watched_activity"


class SubscriptionLevel(enum.StrEnum):
    watching = "watching"
    normal = "normal"
    muted = "muted"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self][0]

    @property
    def description(self) -> str:
        return _LEVEL_LABELS[self][1]


_LEVEL_LABELS = {
    SubscriptionLevel.watching: ("Watching", "Hear about every new post."),
    SubscriptionLevel.normal: ("Normal", "Hear about replies to you and mentions of you."),
    SubscriptionLevel.muted: ("Muted", "Hear nothing, not even replies and mentions."),
}


class DigestFrequency(enum.StrEnum):
    off = "off"
    daily = "daily"


def _level_type() -> Enum:
    return Enum(SubscriptionLevel, native_enum=False, length=16, name="subscription_level")


class Notification(Base):
    """One notice for one member about one thing that happened."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient_id_read_at", "recipient_id", "read_at"),
        Index("ix_notifications_recipient_id_created_at", "recipient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    url: Mapped[str] = mapped_column(String(500))
    #: One line saying what happened ("Maya replied to you in “…”").
    summary: Mapped[str] = mapped_column(String(300))
    #: Plain text of the post, for the notification centre and emails.
    excerpt: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    #: Set when a daily digest included it, so a second run sends nothing twice.
    digested_at: Mapped[datetime | None]

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])  # noqa: F821
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])  # noqa: F821

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} for {self.recipient_id}>"


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


class NotificationPreference(Base):
    """How a member wants to hear about things besides the in-app centre (always on).

    No row means the defaults: emails on replies and mentions, no digest.
    """

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email_on_reply: Mapped[bool] = mapped_column(default=True)
    email_on_mention: Mapped[bool] = mapped_column(default=True)
    digest: Mapped[DigestFrequency] = mapped_column(
        Enum(DigestFrequency, native_enum=False, length=16, name="digest_frequency"),
        default=DigestFrequency.off,
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
