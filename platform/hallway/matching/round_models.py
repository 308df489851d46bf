"""A mentoring round: an event's organiser pairs mentees with mentors, reviews the
pairs, then publishes them as meeting requests (matching/rounds.py holds the rules).

Tables (migration 0021): ``mentoring_rounds``, ``mentoring_round_people`` (who takes
part, as mentee or mentor with a capacity) and ``mentoring_round_pairs`` (the current
assignment; ``meeting_request_id`` is set when the pair's request is published, which
is what makes publishing again send nothing twice).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallway.db import Base, utcnow

if TYPE_CHECKING:
    from hallway.accounts.models import User
    from hallway.events.models import Event


class RoundRole(enum.StrEnum):
    mentee = "mentee"
    mentor = "mentor"


class RoundStatus(enum.StrEnum):
    draft = "draft"
    published = "published"


def _enum(kind: type[enum.StrEnum], name: str) -> Enum:
    return Enum(kind, native_enum=False, length=16, name=name)


class MentoringRound(Base):
    """One round of an event: when the pairs meet, for how long, where, and a message."""

    __tablename__ = "mentoring_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    #: The first meeting time; a mentor's second mentee is proposed the next slot, etc.
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=30)
    place: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RoundStatus] = mapped_column(
        _enum(RoundStatus, "mentoring_round_status"), default=RoundStatus.draft
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    people: Mapped[list[MentoringRoundPerson]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    pairs: Mapped[list[MentoringRoundPair]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="MentoringRoundPair.id"
    )


class MentoringRoundPerson(Base):
    """Someone taking part: a mentee, or a mentor taking up to ``capacity`` mentees."""

    __tablename__ = "mentoring_round_people"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[RoundRole] = mapped_column(_enum(RoundRole, "mentoring_round_role"))
    capacity: Mapped[int] = mapped_column(default=1)

    user: Mapped[User] = relationship()


class MentoringRoundPair(Base):
    """One mentee's mentor in the round (one row per mentee at most)."""

    __tablename__ = "mentoring_round_pairs"
    __table_args__ = (UniqueConstraint("round_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_rounds.id", ondelete="CASCADE"), index=True
    )
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    #: Set when published: the request sent for this pair.
    meeting_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="SET NULL"), index=True
    )

    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])

    @property
    def is_published(self) -> bool:
        return self.meeting_request_id is not None
