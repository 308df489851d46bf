"""Meetings: requests between two members, mentoring office hours, and feedback.

A request carries one to three proposed times (``ProposedTime``); the side that must
answer picks one of the other side's times, and the request becomes an accepted meeting
with ``starts_at``/``ends_at``. No member is ever booked twice at once: every accept and
every booking first locks both members' ``AgendaLock`` rows (in user-id order) and then
checks for overlaps under those locks (``service._lock_agendas``).

The matching service reads these tables (never the other way round): pending loads,
pairs who met, and ``MeetingFeedback``.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallway.db import Base, utcnow

if TYPE_CHECKING:
    from hallway.accounts.models import User
    from hallway.events.models import Event


class MeetingStatus(enum.StrEnum):
    pending = "pending"
    #: The recipient proposed another time; the sender answers.
    countered = "countered"
    accepted = "accepted"
    declined = "declined"
    withdrawn = "withdrawn"
    cancelled = "cancelled"


#: Still waiting for an answer from one side.
OPEN_STATUSES = (MeetingStatus.pending, MeetingStatus.countered)


class BookingStatus(enum.StrEnum):
    booked = "booked"
    cancelled = "cancelled"
    no_show = "no_show"


def _enum(kind: type[enum.StrEnum], name: str) -> Enum:
    return Enum(kind, native_enum=False, length=16, name=name)


class MeetingRequest(Base):
    """One member asks another for a meeting; accepted, it is a meeting in both agendas."""

    __tablename__ = "meeting_requests"
    __table_args__ = (
        Index("ix_meeting_requests_sender_id_status", "sender_id", "status"),
        Index("ix_meeting_requests_recipient_id_status", "recipient_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: Who wrote it: the sender, or an organiser publishing a mentoring round.
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    message: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int] = mapped_column(default=30)
    #: A table, a meetup room, a café: free text.
    place: Mapped[str] = mapped_column(String(200), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[MeetingStatus] = mapped_column(
        _enum(MeetingStatus, "meeting_status"), default=MeetingStatus.pending
    )
    #: Where it came from: "profile", "suggestion", "mentoring_round", "api".
    source: Mapped[str] = mapped_column(String(32), default="profile")
    #: Set when accepted (kept when cancelled, for the calendar's cancellation).
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    #: The note with a decline, a counter-proposal or a cancellation.
    response_note: Mapped[str] = mapped_column(Text, default="")
    cancelled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: iCalendar SEQUENCE: grows with every change a calendar should pick up.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]

    sender: Mapped[User] = relationship(foreign_keys=[sender_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    event: Mapped[Event | None] = relationship()
    proposed_times: Mapped[list[ProposedTime]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="[ProposedTime.position, ProposedTime.id]",
        back_populates="request",
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def answering_id(self) -> int | None:
        """Who must answer now: the recipient while pending, the sender after a counter."""
        if self.status is MeetingStatus.pending:
            return self.recipient_id
        if self.status is MeetingStatus.countered:
            return self.sender_id
        return None

    @property
    def open_times(self) -> list[ProposedTime]:
        """The times the answering side may pick: the other side's proposals."""
        answering = self.answering_id
        if answering is None:
            return []
        return [time for time in self.proposed_times if time.proposed_by_id != answering]

    def other_id(self, user_id: int) -> int:
        return self.recipient_id if user_id == self.sender_id else self.sender_id

    def __repr__(self) -> str:
        return f"<MeetingRequest {self.id} {self.status}>"


class ProposedTime(Base):
    """A start time one side proposes (the sender's first ones, or a counter-proposal)."""

    __tablename__ = "meeting_proposed_times"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    proposed_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    request: Mapped[MeetingRequest] = relationship(back_populates="proposed_times")


class AgendaLock(Base):
    """One row per member, locked (``SELECT ... FOR UPDATE``) while their agenda changes."""

    __tablename__ = "meeting_agenda_locks"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class OfficeHourSlot(Base):
    """A mentor's published time others book directly, up to ``capacity`` people."""

    __tablename__ = "office_hour_slots"
    __table_args__ = (Index("ix_office_hour_slots_host_id_starts_at", "host_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=30)
    capacity: Mapped[int] = mapped_column(default=1)
    #: Kept by the service under the slot's row lock: decides whether a place is free.
    booked_count: Mapped[int] = mapped_column(default=0)
    place: Mapped[str] = mapped_column(String(200), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    host: Mapped[User] = relationship()
    event: Mapped[Event | None] = relationship()
    bookings: Mapped[list[OfficeHourBooking]] = relationship(
        back_populates="slot",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="OfficeHourBooking.created_at",
    )

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.booked_count)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class OfficeHourBooking(Base):
    """One member's place in an office-hours slot."""

    __tablename__ = "office_hour_bookings"
    __table_args__ = (UniqueConstraint("slot_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("office_hour_slots.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[BookingStatus] = mapped_column(
        _enum(BookingStatus, "office_hour_booking_status"), default=BookingStatus.booked
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    #: When the host reported that the member did not come.
    no_show_at: Mapped[datetime | None] = mapped_column(index=True)

    slot: Mapped[OfficeHourSlot] = relationship(back_populates="bookings")
    member: Mapped[User] = relationship()


class MeetingFeedback(Base):
    """After a meeting, one side says whether it was useful (matching learns from it)."""

    __tablename__ = "meeting_feedback"
    __table_args__ = (UniqueConstraint("request_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The other member of the meeting, the one the feedback is about.
    about_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    useful: Mapped[bool]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
