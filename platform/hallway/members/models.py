"""Member profiles, in normalised tables the matching service can read in bulk.

One ``member_profiles`` row per account (keyed by ``user_id``); the lists a profile holds
live in narrow tables keyed by the same ``user_id``, so "everyone offering mentoring" or
"every member's interests" is one indexed query with no join through the profile:

- ``member_tags``: interests, networks and qualifications (``kind``), already normalised;
- ``member_intents``: what a member is looking for and what they offer (``direction``);
- ``member_links``: website, LinkedIn, Mastodon...;
- ``member_avatars``: the re-encoded picture's bytes and a content hash, in the database
  so several server processes can serve it without a shared disk.

Every child row goes when the profile goes, and the profile goes with its account
(``ON DELETE CASCADE`` all the way down).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallway.db import Base, utcnow

if TYPE_CHECKING:
    from hallway.accounts.models import User


class ProfileVisibility(enum.StrEnum):
    """Who may see a profile at all (admins always may)."""

    public = "public"
    members = "members"
    private = "private"


class TagKind(enum.StrEnum):
    interest = "interest"
    network = "network"
    qualification = "qualification"


class IntentDirection(enum.StrEnum):
    looking_for = "looking_for"
    offering = "offering"


def _enum(enum_class: type[enum.Enum], name: str) -> Enum:
    return Enum(enum_class, native_enum=False, length=16, name=name)


class MemberProfile(Base):
    """What a member tells the community about themselves, and who may see it."""

    __tablename__ = "member_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    headline: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    pronouns: Mapped[str] = mapped_column(String(30), default="")
    career_stage: Mapped[str | None] = mapped_column(String(16), index=True)
    role: Mapped[str] = mapped_column(String(120), default="")
    organisation: Mapped[str] = mapped_column(String(120), default="")
    sector: Mapped[str | None] = mapped_column(String(32), index=True)
    country: Mapped[str | None] = mapped_column(String(2))
    #: ISO 3166-2 code of a top-level subdivision of ``country`` ("CA-BC").
    region: Mapped[str | None] = mapped_column(String(8))
    city: Mapped[str] = mapped_column(String(100), default="")
    time_zone: Mapped[str | None] = mapped_column(String(64), index=True)
    #: The directory searches this: the member's name, handle, headline, role,
    #: organisation, bio and city, folded (``hallway.db.fold``: lower case, no accents),
    #: one per line. Written by the members service on every change (migration 0017).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    # The consent ladder. Defaults are the safe ones: seen by members only, listed in
    # the members-only directory, never suggested by matching until the member opts in.
    visibility: Mapped[ProfileVisibility] = mapped_column(
        _enum(ProfileVisibility, "profile_visibility"), default=ProfileVisibility.members
    )
    in_directory: Mapped[bool] = mapped_column(default=True)
    matchable: Mapped[bool] = mapped_column(default=False, index=True)
    novices_may_request: Mapped[bool] = mapped_column(default=True)
    show_contact_links: Mapped[bool] = mapped_column(default=False)

    #: When the member finished (or skipped) the first-run welcome flow.
    onboarded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    tags: Mapped[list[MemberTag]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="[MemberTag.kind, MemberTag.position]",
    )
    intents: Mapped[list[MemberIntent]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="[MemberIntent.direction, MemberIntent.position]",
    )
    links: Mapped[list[MemberLink]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MemberLink.position",
    )
    avatar: Mapped[MemberAvatar | None] = relationship(
        back_populates="profile", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        Index("ix_member_profiles_country_region", "country", "region"),
        Index("ix_member_profiles_visibility_in_directory", "visibility", "in_directory"),
    )

    def tag_values(self, kind: TagKind) -> list[str]:
        return [tag.value for tag in self.tags if tag.kind is kind]

    def intent_codes(self, direction: IntentDirection) -> list[str]:
        return [intent.intent for intent in self.intents if intent.direction is direction]

    @property
    def interests(self) -> list[str]:
        return self.tag_values(TagKind.interest)

    @property
    def networks(self) -> list[str]:
        return self.tag_values(TagKind.network)

    @property
    def qualifications(self) -> list[str]:
        return self.tag_values(TagKind.qualification)

    @property
    def looking_for(self) -> list[str]:
        return self.intent_codes(IntentDirection.looking_for)

    @property
    def offering(self) -> list[str]:
        return self.intent_codes(IntentDirection.offering)

    def __repr__(self) -> str:
        return f"<MemberProfile {self.user_id}>"


class MemberTag(Base):
    """One interest, network or qualification of one member, in its normalised form."""

    __tablename__ = "member_tags"
    __table_args__ = (
        Index("ix_member_tags_user_id_kind_value", "user_id", "kind", "value", unique=True),
        Index("ix_member_tags_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("member_profiles.user_id", ondelete="CASCADE"))
    kind: Mapped[TagKind] = mapped_column(_enum(TagKind, "member_tag_kind"))
    value: Mapped[str] = mapped_column(String(80))
    #: The member's own order, so a profile shows tags the way they listed them.
    position: Mapped[int] = mapped_column(default=0)

    profile: Mapped[MemberProfile] = relationship(back_populates="tags")


class MemberIntent(Base):
    """One thing a member is looking for, or offers (a code from vocabulary.INTENTS)."""

    __tablename__ = "member_intents"
    __table_args__ = (Index("ix_member_intents_direction_intent", "direction", "intent"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("member_profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    direction: Mapped[IntentDirection] = mapped_column(
        _enum(IntentDirection, "member_intent_direction"), primary_key=True
    )
    intent: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    profile: Mapped[MemberProfile] = relationship(back_populates="intents")


class MemberLink(Base):
    """A link a member shares (shown only as their privacy settings allow)."""

    __tablename__ = "member_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("member_profiles.user_id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)

    profile: Mapped[MemberProfile] = relationship(back_populates="links")


class MemberAvatar(Base):
    """A member's picture, already validated and re-encoded by members.avatars.

    ``content_hash`` (SHA-256 of ``data``) is the ETag and goes into the picture's URL,
    so a new picture gets a new URL and the old one can be cached for ever.
    """

    __tablename__ = "member_avatars"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("member_profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    content_hash: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(32))
    byte_size: Mapped[int]
    # Deferred: lists load the hash for URLs without pulling every picture's bytes.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    profile: Mapped[MemberProfile] = relationship(back_populates="avatar")
