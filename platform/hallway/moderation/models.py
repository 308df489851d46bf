"""Flags on posts, blocks between members, and the audit log of moderator actions.

A post is whatever a feature registered as a moderation subject: ``subject_type`` is
its registered name and ``subject_id`` its id, in flags and audit entries alike.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext
from sqlalchemy import JSON, Enum, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallway.db import Base, utcnow

if TYPE_CHECKING:
    from hallway.accounts.models import User


class FlagReason(enum.StrEnum):
    spam = "spam"
    harassment = "harassment"
    off_topic = "off_topic"
    other = "other"

    @property
    def label(self) -> Any:
        """The reason as members read it (translated when shown)."""
        return _REASON_LABELS[self]


_REASON_LABELS = {
    FlagReason.spam: lazy_gettext("Spam"),
    FlagReason.harassment: lazy_gettext("Harassment"),
    FlagReason.off_topic: lazy_gettext("Off-topic"),
    FlagReason.other: lazy_gettext("Something else"),
}


class FlagStatus(enum.StrEnum):
    open = "open"
    #: A moderator acted on the post (hid it).
    resolved = "resolved"
    #: A moderator looked and left the post as it was.
    dismissed = "dismissed"


class Flag(Base):
    """A member asking moderators to look at a post. One open flag per member per post."""

    __tablename__ = "moderation_flags"
    __table_args__ = (
        Index("ix_moderation_flags_subject", "subject_type", "subject_id", "status"),
        Index(
            "uq_moderation_flags_open_per_reporter",
            "reporter_id",
            "subject_type",
            "subject_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: A type registered by the feature that owns the post (``moderation.subjects``).
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int]
    reason: Mapped[FlagReason] = mapped_column(
        Enum(FlagReason, native_enum=False, length=16, name="flag_reason")
    )
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[FlagStatus] = mapped_column(
        Enum(FlagStatus, native_enum=False, length=16, name="flag_status"),
        default=FlagStatus.open,
        index=True,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])


class Block(Base):
    """``blocker`` no longer wants to hear from or see ``blocked``."""

    __tablename__ = "member_blocks"

    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id])


class AuditEntry(Base):
    """Who did what to which post, and when: moderator actions, edits and deletions."""

    __tablename__ = "moderation_audit_log"
    __table_args__ = (Index("ix_moderation_audit_log_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))  # a registered subject type
    subject_id: Mapped[int]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()
