"""Events: conferences and meetups, their organisers, RSVPs, agenda and announcements.

Times are stored in UTC with the event's IANA time zone beside them, so a page can show
both the member's own time and the event's. ``Event.going_count`` is kept by the service
under a lock on the event row (``service.set_rsvp``): it is what decides whether the
last place is free, so no two people can take it.
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallway.db import Base, utcnow

if TYPE_CHECKING:
    from hallway.accounts.models import User


class EventFormat(enum.StrEnum):
    in_person = "in_person"
    online = "online"
    hybrid = "hybrid"


class EventVisibility(enum.StrEnum):
    """Who may open an event: anyone, logged-in members, or whoever has its link."""

    public = "public"
    members = "members"
    unlisted = "unlisted"


class RsvpStatus(enum.StrEnum):
    going = "going"
    interested = "interested"
    not_going = "not_going"
    waitlisted = "waitlisted"


def _enum(kind: type[enum.StrEnum], name: str) -> Enum:
    return Enum(kind, native_enum=False, length=16, name=name)


def new_share_token() -> str:
    """The secret part of an unlisted event's link (and of a calendar feed's URL)."""
    return secrets.token_urlsafe(24)


class Event(Base):
    """A conference, meetup or online session that an organiser runs."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    #: Restricted Markdown, rendered by hallway.core.markdown when shown.
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column(index=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    format: Mapped[EventFormat] = mapped_column(
        _enum(EventFormat, "event_format"), default=EventFormat.in_person
    )
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    #: ISO 3166-1 alpha-2 and the ISO 3166-2 code of its top-level subdivision ("CA-BC").
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(8), index=True)
    #: Shown only to people going and to the organisers.
    online_url: Mapped[str] = mapped_column(String(500), default="")
    #: None: no limit.
    capacity: Mapped[int | None]
    going_count: Mapped[int] = mapped_column(default=0)
    visibility: Mapped[EventVisibility] = mapped_column(
        _enum(EventVisibility, "event_visibility"), default=EventVisibility.public
    )
    #: The secret in an unlisted event's link; kept for every event so it can change.
    share_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_share_token)
    registration_open: Mapped[bool] = mapped_column(default=True)
    cancelled_at: Mapped[datetime | None]
    #: iCalendar SEQUENCE: bumped by every change a calendar should pick up.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User | None] = relationship()
    networks: Mapped[list[EventNetwork]] = relationship(
        cascade="all, delete-orphan", order_by="EventNetwork.position"
    )
    co_organisers: Mapped[list[EventOrganiser]] = relationship(
        cascade="all, delete-orphan", order_by="EventOrganiser.added_at"
    )
    sessions: Mapped[list[EventSession]] = relationship(
        cascade="all, delete-orphan",
        order_by="[EventSession.starts_at, EventSession.id]",
        back_populates="event",
    )

    @property
    def is_online(self) -> bool:
        """Online only: no place to go to (the home page's cards say "Online")."""
        return self.format is EventFormat.online

    @property
    def organiser(self) -> User | None:
        """The owner, under the name the home page and the demo used before co-organisers."""
        return self.owner

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def network_names(self) -> list[str]:
        return [network.network for network in self.networks]

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


class EventNetwork(Base):
    """A network (members vocabulary: "WCET", "ALT", ...) an event belongs to."""

    __tablename__ = "event_networks"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    network: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)


class EventOrganiser(Base):
    """A co-organiser: may do everything the owner does but delete the event or
    change who co-organises it."""

    __tablename__ = "event_organisers"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Rsvp(Base):
    """One member's answer to one event. The waitlist is ordered by ``waitlisted_at``."""

    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_rsvps_event_id_status_waitlisted_at", "event_id", "status", "waitlisted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[RsvpStatus] = mapped_column(_enum(RsvpStatus, "rsvp_status"))
    #: The member asked not to be named on the event's attendee list.
    hidden_from_list: Mapped[bool] = mapped_column(default=False)
    waitlisted_at: Mapped[datetime | None]
    responded_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship()


class EventSession(Base):
    """One item of the agenda, with its own discussion thread (created with it)."""

    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    #: A room or a stream.
    location: Mapped[str] = mapped_column(String(200), default="")
    track: Mapped[str] = mapped_column(String(100), default="")
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"), index=True
    )
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="sessions")
    speakers: Mapped[list[SessionSpeaker]] = relationship(
        cascade="all, delete-orphan", order_by="SessionSpeaker.position"
    )


class SessionSpeaker(Base):
    """A speaker: a member (``user_id``) or someone named in plain text (``name``)."""

    __tablename__ = "session_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(default=0)

    user: Mapped[User | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user is not None else self.name


class Announcement(Base):
    """A message from the organisers to everyone going."""

    __tablename__ = "event_announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class EventCover(Base):
    """An event's cover picture, through the avatar pipeline (sniffed, re-encoded)."""

    __tablename__ = "event_covers"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
    mime_type: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(Base):
    """A member's personal calendar feed: a secret URL, revocable (a new one replaces it)."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_share_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
