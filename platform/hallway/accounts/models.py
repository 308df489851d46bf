from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from hallway.db import Base, utcnow


class Role(enum.StrEnum):
    member = "member"
    organiser = "organiser"
    admin = "admin"


class User(UserMixin, Base):
    """An account: how someone signs in and what they may do."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16), default=Role.member, index=True
    )
    # Part of the login cookie's id: bumping it ends every existing session.
    session_generation: Mapped[int] = mapped_column(default=0)
    #: The language pages and emails use ("en", "fr_CA"); None: the browser's.
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    def get_id(self) -> str:
        return f"{self.id}.{self.session_generation}"

    @property
    def is_organiser(self) -> bool:
        return self.role in (Role.organiser, Role.admin)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    def __repr__(self) -> str:
        return f"<User {self.id} {self.handle}>"


class PendingSignUp(Base):
    """A sign-up waiting for its email address to be confirmed.

    The account is made only when the link mailed to the address is used (see
    ``hallway.accounts.service.request_sign_up``): until then nobody can log in as
    it, it is in no list, and a sign-up with someone else's address leaves no trace
    but this row, removed once it expires.
    """

    __tablename__ = "pending_sign_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    handle: Mapped[str] = mapped_column(String(30))
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    #: Where they were going when they signed up (a path on this site, or "").
    next_path: Mapped[str] = mapped_column(String(500), default="")
    #: The language the sign-up was made in: the new account's preference.
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<PendingSignUp {self.id} {self.handle}>"
