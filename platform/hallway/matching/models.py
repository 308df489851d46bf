"""What matching stores: "not for me" answers and the log of members whose index rows changed.

The index itself lives in each process's memory (``hallway.matching.service``); the
``matching-index`` content version plus ``matching_index_changes`` let every process see
that something changed and re-read only the members concerned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hallway.db import Base, utcnow


class MatchDismissal(Base):
    """``viewer`` said "not for me" about ``dismissed``: never suggested to them again."""

    __tablename__ = "match_dismissals"

    viewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    dismissed_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: A code from ``service.DISMISS_REASONS``, or None when no reason was given.
    reason: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatchIndexChange(Base):
    """A member whose index row must be re-read (profile, RSVP, block or dismissal)."""

    __tablename__ = "matching_index_changes"
    __table_args__ = (Index("ix_matching_index_changes_user_id", "user_id"),)

    # BigInteger on PostgreSQL, INTEGER on SQLite (where only INTEGER autoincrements).
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    #: No foreign key: a deleted member's change is what tells processes to drop the row.
    user_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
