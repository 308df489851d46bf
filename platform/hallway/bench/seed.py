"""The benchmark's throw-away community, made through the migrations and the services.

SQLite in a temporary folder by default; with HALLWAY_DATABASE_URL set to PostgreSQL,
a new database beside the one named (``<name>_bench_<pid>``), dropped at the end: the
named database itself is never touched.

What the pages need: the demo community (about 200 members with full profiles, its
threads, events and notifications), then three threads of 20, 200 and 2,000 nested
comments with reactions, and one quiet thread for the live (Socket.IO) measurements.
The member the benchmark logs in as wrote the 20-comment thread, whose replies come
in the ordinary way (not imported), so they are notified of them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.progress import Progress
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from hallway.bench import events as bench_events
from hallway.bench.events import EventPages

BODIES = [
    "Start with a **content audit** before anything moves. Which courses are live next term?",
    "We did this last year. The gradebook mapping took longer than the content.\n\n"
    "- export rubrics first\n- check every external tool\n- keep the old LMS read-only",
    "Agree with @{handle}: the sandbox saved us. Faculty could click around before launch.",
    "> the gradebook mapping took longer\n\nSame here. Weighted categories were the worst.",
    "Has anyone scripted the course copy? We used the REST API:\n\n"
    "```python\nfor course in courses:\n    copy(course, target=term)\n```",
    "Honestly the hardest part was people, not tools. Office hours every Friday helped.",
    "Thanks, this is useful. Saving it for our spring planning meeting.",
    "Could you say more about how you trained the help desk? We have two people.",
]
THREAD_SIZES = (20, 200, 2_000)


@dataclass
class Seeded:
    """Where the pages are and who reads them."""

    email: str
    password: str
    handle: str
    thread_paths: dict[int, str] = field(default_factory=dict)  # by comment count
    profile_path: str = ""
    live_thread_id: int = 0
    live_thread_path: str = ""
    members: int = 0
    notifications: int = 0
    events: EventPages | None = None  # hallway.bench.events


@contextmanager
def throwaway_database(workdir: Path, configured_url: str | None) -> Iterator[str]:
    """A fresh, empty database URL, removed afterwards."""
    if not configured_url or configured_url.startswith("sqlite"):
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    import os

    url = make_url(configured_url)
    name = f"{url.database or 'hallway'}_bench_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_settings(database_url: str, workdir: Path, secret_key: str) -> dict[str, object]:
    """The settings every bench server shares (as create_app overrides)."""
    return {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": workdir,
        "SECRET_KEY": secret_key,
        "REDIS_URL": None,
        "SOCKETIO_MESSAGE_QUEUE": None,
        "SMTP_HOST": None,
        # No worker runs during the bench: jobs (a live reply's notices) run inline.
        "TASKS_IMMEDIATE": True,
    }


def seed(database_url: str, workdir: Path, secret_key: str, progress: Progress) -> Seeded:
    """Migrate the empty database and fill it; returns what the benchmark visits."""
    from hallway import create_app, migrate

    task = progress.add_task("Creating the database (migrations)", total=None)
    migrate.upgrade(database_url)
    progress.update(task, total=1, completed=1)
    app = create_app(app_settings(database_url, workdir, secret_key))
    try:
        with app.app_context():
            seeded = _fill(progress)
        seeded.events = bench_events.seed_and_count(app, seeded, progress)
        return seeded
    finally:
        app.extensions["hallway.db"]["engine"].dispose()


def _fill(progress: Progress) -> Seeded:
    from hallway.accounts.models import Role, User
    from hallway.core import unit_of_work
    from hallway.db import db
    from hallway.demo import DEMO_PASSWORD, seed_demo_community
    from hallway.discussions import service
    from hallway.discussions.models import Category, Comment, ReactionKind, Thread
    from hallway.notifications.models import Notification

    session = db.session
    task = progress.add_task("Seeding the demo community (200 members)", total=None)
    logins = seed_demo_community(session, member_count=200)
    unit_of_work.commit(session)
    progress.update(task, total=1, completed=1)

    members = list(session.scalars(select(User).where(User.role == Role.member).order_by(User.id)))
    featured = {login.email for login in logins}
    reader = next(user for user in members if user.email in featured)
    others = [user for user in members if user.id != reader.id]
    category = session.scalars(select(Category).order_by(Category.id)).first()
    if category is None:
        raise RuntimeError("the demo community has no discussion category")

    rng = random.Random(2026)
    start = datetime.now(UTC) - timedelta(days=30)
    seeded = Seeded(email=reader.email, password=DEMO_PASSWORD, handle=reader.handle)

    def new_thread(author: User, title: str, minutes: int) -> Thread:
        posted = service.start_thread(
            session,
            actor=author,
            category_id=category.id,
            title=title,
            body=BODIES[1],
            tags=["lms", "migration"],
            imported_at=start + timedelta(minutes=minutes),
        ).post
        assert isinstance(posted, Thread)
        return posted

    total = sum(THREAD_SIZES)
    task = progress.add_task(f"Seeding {total:,} nested comments", total=total)
    for number, size in enumerate(THREAD_SIZES):
        author = reader if size == THREAD_SIZES[0] else others[number]
        thread = new_thread(author, f"Surviving an LMS migration ({size} replies)", number)
        # Replies to the reader's own thread come in as they would live (notifying
        # the reader); the long ones are imported history.
        live = author is reader
        made: list[Comment] = []
        for index in range(size):
            parent = None
            if made and rng.random() > 0.33:
                recent = made[-60:]
                parent = recent[int(len(recent) * rng.random() ** 0.5)]
            comment = service.reply(
                session,
                actor=rng.choice(others),
                thread=thread,
                body=rng.choice(BODIES).format(handle=rng.choice([reader, *others[:20]]).handle),
                parent_id=parent.id if parent else None,
                imported_at=None if live else start + timedelta(minutes=10 + index),
            ).post
            assert isinstance(comment, Comment)
            made.append(comment)
            progress.advance(task)
        for comment in rng.sample(made, k=size // 3):
            for person in rng.sample(others, k=rng.randint(1, 4)):
                service.toggle_reaction(
                    session,
                    actor=person,
                    thread=thread,
                    comment=comment,
                    kind=rng.choice(list(ReactionKind)),
                )
        unit_of_work.commit(session)
        seeded.thread_paths[size] = f"/t/{thread.id}/{thread.slug}"

    live_thread = new_thread(others[5], "Live: what are you working on today?", 60)
    unit_of_work.commit(session)
    seeded.live_thread_id = live_thread.id
    seeded.live_thread_path = f"/t/{live_thread.id}/{live_thread.slug}"
    seeded.profile_path = f"/members/{others[0].handle}"
    seeded.members = len(members)
    seeded.notifications = (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.recipient_id == reader.id)
        )
        or 0
    )
    return seeded
