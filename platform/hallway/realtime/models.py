"""Per-topic sequence numbers and the log of what was published, for replay.

A topic is a string such as ``thread:12`` or ``room:3``. Each durable event gets the
next number of its topic, assigned inside the transaction that made the change, so
numbers are gap-free and strictly increasing per topic on both databases (the
``topic_sequences`` row is locked by the UPDATE until the commit).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hallway.db import Base, utcnow


class TopicSequence(Base):
    """The last sequence number handed out for one topic."""

    __tablename__ = "realtime_topic_sequences"

    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class TopicEvent(Base):
    """One published event: replayed to clients that reconnect after missing it."""

    __tablename__ = "realtime_topic_events"
    __table_args__ = (
        UniqueConstraint("topic", "seq", name="uq_realtime_topic_events_topic_seq"),
        UniqueConstraint("topic", "client_id", name="uq_realtime_topic_events_topic_client_id"),
        Index("ix_realtime_topic_events_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    event: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Set by the sender so that a resend of the same thing publishes nothing new.
    client_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
