"""Factories for test data: make_user(...), ... They add and flush, never commit.

Loaded as a pytest plugin by conftest, so fixtures here are available too.
"""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from hallway.accounts import service as accounts_service
from hallway.accounts.models import Role, User

DEFAULT_PASSWORD = "correct horse battery"
_DEFAULT_HASH = generate_password_hash(DEFAULT_PASSWORD)
_sequence = itertools.count(1)


def make_user(
    session: Session,
    *,
    display_name: str | None = None,
    handle: str | None = None,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    role: Role = Role.member,
) -> User:
    number = next(_sequence)
    handle = handle or f"member{number}"
    return accounts_service.sign_up(
        session,
        email=email or f"{handle}@example.org",
        handle=handle,
        display_name=display_name or f"Member {number}",
        password=password,
        password_hash=_DEFAULT_HASH if password == DEFAULT_PASSWORD else None,
        role=role,
    )
