"""Notifications and email preferences.

``Notification.kind`` and ``subject_type`` are plain strings so features (discussions,
events, matching) add kinds without a migration: they register them with
``hallway.notifications.kinds.register_kind``.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, Index, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallway.db import Base, utcnow

if TYPE_CHECKING:
    from hallway.accounts.models import User


class DigestFrequency(enum.StrEnum):
    off = "off"
    daily = "daily"


class Notification(Base):
    """One notice for one member about one thing that happened."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient_id_read_at", "recipient_id", "read_at"),
        Index("ix_notifications_recipient_id_created_at", "recipient_id", "created_at"),
        # Excerpts follow their post: an edit updates every notification about it.
        Index("ix_notifications_subject_type_subject_id", "subject_type", "subject_id"),
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
    #: The post it quotes was deleted or hidden: the excerpt is gone, the centre says so.
    subject_removed: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    #: Set when a daily digest included it, so a second run sends nothing twice.
    digested_at: Mapped[datetime | None]

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} for {self.recipient_id}>"


class NotificationPreference(Base):
    """How a member wants to hear about things besides the in-app centre (always on).

    No row means the defaults: emails on replies, mentions and events, no digest.
    """

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email_on_reply: Mapped[bool] = mapped_column(default=True)
    email_on_mention: Mapped[bool] = mapped_column(default=True)
    #: Announcements, places off the waitlist and cancellations of events one goes to.
    email_on_event: Mapped[bool] = mapped_column(default=True, server_default=true())
    digest: Mapped[DigestFrequency] = mapped_column(
        Enum(DigestFrequency, native_enum=False, length=16, name="digest_frequency"),
        default=DigestFrequency.off,
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
