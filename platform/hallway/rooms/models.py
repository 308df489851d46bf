"""Live meetup rooms: an event's hallway track, with numbered messages.

A room belongs to an event. The organisers open rooms for everyone going, for every
logged-in member or by invitation; members going may open a table of their own (kind
``table``, with its owner). A member takes a seat (``RoomMembership``) when they join:
the size limit counts seats, and the seat row is what the service locks to serialise
one member's sends (slow mode, resends with the same ``client_id``).

Each message gets its room's next sequence number from ``hallway.realtime.publish``
(topic ``room:<id>``), in the transaction that writes it, and keeps it in ``seq``.
Edits, deletions and moderation are numbered on the same topic, so ``seq`` of a message
is the number of its creation; the topic's numbers are gap-free, the messages' are not.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallway.db import Base, utcnow
from hallway.discussions.models import ReactionKind

if TYPE_CHECKING:
    from hallway.accounts.models import User
    from hallway.events.models import Event


class RoomAccess(enum.StrEnum):
    """Who may join: everyone going to the event, every logged-in member, or the invited."""

    going = "going"
    members = "members"
    invite = "invite"


class RoomKind(enum.StrEnum):
    """Opened by the organisers, or a member's own table (which they own)."""

    organiser = "organiser"
    table = "table"


def _enum(kind: type[enum.StrEnum], name: str) -> Enum:
    return Enum(kind, native_enum=False, length=16, name=name)


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (Index("ix_rooms_event_id_archived_at", "event_id", "archived_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    topic: Mapped[str] = mapped_column(String(300), default="")
    access: Mapped[RoomAccess] = mapped_column(
        _enum(RoomAccess, "room_access"), default=RoomAccess.going
    )
    #: Seats; None: no limit.
    size_limit: Mapped[int | None]
    kind: Mapped[RoomKind] = mapped_column(_enum(RoomKind, "room_kind"), default=RoomKind.organiser)
    #: The member whose table it is (tables only).
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: 0: off. Otherwise one message per this many seconds per member.
    slow_mode_seconds: Mapped[int] = mapped_column(default=0)
    #: Archived: history stays readable, nothing new is written.
    archived_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_table(self) -> bool:
        return self.kind is RoomKind.table

    def __repr__(self) -> str:
        return f"<Room {self.id} {self.name!r}>"


class RoomMembership(Base):
    """A member's seat in a room, taken by joining, given up by leaving."""

    __tablename__ = "room_memberships"

    room_id: Mapped[int] = mapped_column(
        ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoomInvite(Base):
    """Who may join an invite-only room."""

    __tablename__ = "room_invites"

    room_id: Mapped[int] = mapped_column(
        ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoomMute(Base):
    """A member an organiser muted in a room: they still read, they cannot send."""

    __tablename__ = "room_mutes"

    room_id: Mapped[int] = mapped_column(
        ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    muted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoomRemoval(Base):
    """A member an organiser removed from a room: refused when they try to rejoin."""

    __tablename__ = "room_removals"

    room_id: Mapped[int] = mapped_column(
        ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoomMessage(Base):
    __tablename__ = "room_messages"
    __table_args__ = (
        UniqueConstraint("room_id", "seq", name="uq_room_messages_room_id_seq"),
        # A resend (same client id from the same author) finds the first one.
        UniqueConstraint(
            "room_id", "author_id", "client_id", name="uq_room_messages_room_id_author_id_client_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    #: The room's sequence number of its creation (set in the same transaction).
    seq: Mapped[int] = mapped_column(BigInteger)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    client_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_messages.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    #: Deleted by its author.
    deleted_at: Mapped[datetime | None]
    #: Removed by an organiser.
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Pinned by an organiser (one pinned message per room).
    pinned_at: Mapped[datetime | None]
    #: The discussion thread it was promoted to.
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"), index=True
    )

    room: Mapped[Room] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reply_to: Mapped[RoomMessage | None] = relationship(remote_side=[id])
    reactions: Mapped[list[RoomReaction]] = relationship(
        cascade="all, delete-orphan", order_by="RoomReaction.created_at"
    )

    @property
    def is_gone(self) -> bool:
        """Deleted by its author or removed by an organiser: shown as a placeholder."""
        return self.deleted_at is not None or self.removed_at is not None


class RoomReaction(Base):
    __tablename__ = "room_reactions"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("room_messages.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[ReactionKind] = mapped_column(
        Enum(ReactionKind, native_enum=False, length=16, name="reaction_kind"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
