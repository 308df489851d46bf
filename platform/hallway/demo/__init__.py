"""The demo community behind `flask seed demo`: data files, and seeders features plug in.

The content (members, threads, events...) lives in data files under ``data/`` (see
``data/README.md``); :mod:`hallway.demo.loader` reads them. Each feature seeds its own
part with a seeder it registers from its ``init_app`` (``<feature>/demo.py``), checked
against its own vocabularies. This package never imports a feature: it runs the
seeders in order with a shared :class:`DemoContext`. Seeders only add and flush; the
command commits once.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.demo.loader import DemoData, DemoDataError

__all__ = [
    "DEMO_PASSWORD",
    "DemoContext",
    "DemoData",
    "DemoDataError",
    "DemoLogin",
    "community_is_empty",
    "existing_demo_logins",
    "register_seeder",
    "registered_seeders",
    "seed_demo_community",
]

DEMO_PASSWORD = "hallway-demo-2026"
#: The same seed gives the same community (members, reactions) every time.
DEMO_SEED = 2026


@dataclass(frozen=True)
class DemoLogin:
    email: str
    description: str


@dataclass
class DemoContext:
    """What seeders share: each adds to ``users`` and ``logins`` for those after it."""

    session: Session
    member_count: int
    now: datetime
    data: DemoData
    rng: random.Random = field(default_factory=lambda: random.Random(DEMO_SEED))
    users: dict[str, User] = field(default_factory=dict)  # by handle
    logins: list[DemoLogin] = field(default_factory=list)


Seeder = Callable[[DemoContext], None]
#: The log-ins a seeder would print, from the data alone (to show them again later).
Logins = Callable[[DemoData], list[DemoLogin]]


@dataclass(frozen=True)
class _Registration:
    name: str
    seed: Seeder
    order: int
    logins: Logins | None = None


_seeders: dict[str, _Registration] = {}


def register_seeder(name: str, seed: Seeder, *, order: int, logins: Logins | None = None) -> None:
    """Run ``seed(context)`` when the demo is seeded, lowest ``order`` first (members
    before the discussions they write). ``logins(data)`` lists the log-ins the seeder
    adds, so they can be shown again on later starts. The same name twice replaces
    the first."""
    _seeders[name] = _Registration(name, seed, order, logins)


def registered_seeders() -> list[str]:
    return [registration.name for registration in _in_order()]


def _in_order() -> list[_Registration]:
    return sorted(_seeders.values(), key=lambda seeder: (seeder.order, seeder.name))


def community_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(User))


def existing_demo_logins(session: Session, data: DemoData | None = None) -> list[DemoLogin]:
    """The demo log-ins whose accounts are in the database (seeded on an earlier start).

    Demo accounts are recognised by the data's own e-mail addresses; a community of
    real members has none, and gets an empty list.
    """
    data = data or DemoData()
    candidates = [
        login
        for registration in _in_order()
        if registration.logins is not None
        for login in registration.logins(data)
    ]
    emails = [login.email for login in candidates]
    present = set(session.scalars(select(User.email).where(User.email.in_(emails))))
    return [login for login in candidates if login.email in present]


def seed_demo_community(
    session: Session,
    *,
    member_count: int = 200,
    data: DemoData | None = None,
    now: datetime | None = None,
) -> list[DemoLogin]:
    """Run every registered seeder; returns the log-ins to print. Adds and flushes only:
    the caller commits (``unit_of_work.commit``), which runs the recorded effects."""
    context = DemoContext(
        session=session,
        member_count=member_count,
        now=now or datetime.now(UTC),
        data=data or DemoData(),
    )
    for registration in _in_order():
        registration.seed(context)
    return context.logins
