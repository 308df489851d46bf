"""Turn the demo content into rows: `flask seed demo`.

Goes through the services where they hold rules (accounts), so the demo
community is made the way real members would make it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from rich.progress import Progress
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from hallway.accounts import service as accounts_service
from hallway.accounts.models import Role, User
from hallway.demo import content
from hallway.discussions.models import Category, Comment, Thread
from hallway.events.models import Event

DEMO_PASSWORD = "hallway-demo-2026"
FEATURED_MEMBER_COUNT = 12


@dataclass(frozen=True)
class DemoLogin:
    email: str
    description: str


def community_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(User))


def _create_account(
    session: Session, member: content.DemoMember, role: Role, password_hash: str
) -> User:
    return accounts_service.sign_up(
        session,
        email=member.email,
        handle=member.handle,
        display_name=member.display_name,
        password=DEMO_PASSWORD,
        password_hash=password_hash,
        role=role,
    )


def _add_comments(
    session: Session,
    thread: Thread,
    comments: list[content.DemoComment],
    users: dict[str, User],
    parent: Comment | None,
    clock: datetime,
) -> datetime:
    for demo_comment in comments:
        clock += timedelta(minutes=37)
        comment = Comment(
            thread_id=thread.id,
            parent_id=parent.id if parent else None,
            author=users[demo_comment.author_handle],
            body=demo_comment.body,
            created_at=clock,
        )
        session.add(comment)
        session.flush()
        thread.comment_count += 1
        thread.last_activity_at = clock
        clock = _add_comments(session, thread, demo_comment.replies, users, comment, clock)
    return clock


def _event_time(day: date, hour: int, time_zone: str) -> datetime:
    local = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(time_zone))
    return local.astimezone(UTC)


def _seed_accounts(
    session: Session, members: list[content.DemoMember]
) -> dict[str, User]:
    users: dict[str, User] = {}
    password_hash = generate_password_hash(DEMO_PASSWORD)
    with Progress(transient=True) as progress:
        task = progress.add_task("Creating demo members", total=len(members) + 2)
        for member, role in [
            (content.DEMO_ADMIN, Role.admin),
            (content.DEMO_ORGANISER, Role.organiser),
            *((member, Role.member) for member in members),
        ]:
            users[member.handle] = _create_account(session, member, role, password_hash)
            progress.advance(task)
    return users


def _seed_discussions(session: Session, users: dict[str, User], now: datetime) -> None:
    categories = {}
    for position, (slug, name, description) in enumerate(content.DEMO_CATEGORIES):
        categories[slug] = Category(
            slug=slug, name=name, description=description, position=position
        )
        session.add(categories[slug])
    session.flush()

    for days_ago, demo_thread in enumerate(reversed(content.demo_threads()), start=1):
        started = now - timedelta(days=days_ago * 2, hours=days_ago)
        thread = Thread(
            category=categories[demo_thread.category_slug],
            author=users[demo_thread.author_handle],
            title=demo_thread.title,
            body=demo_thread.body,
            created_at=started,
            last_activity_at=started,
        )
        session.add(thread)
        session.flush()
        _add_comments(session, thread, demo_thread.comments, users, None, started)


def _seed_events(session: Session, users: dict[str, User], now: datetime) -> None:
    for demo_event in content.demo_events(now.date()):
        session.add(
            Event(
                organiser=users[content.DEMO_ORGANISER.handle],
                title=demo_event.title,
                summary=demo_event.summary,
                description=demo_event.description,
                starts_at=_event_time(
                    demo_event.start_date, demo_event.start_hour, demo_event.time_zone
                ),
                ends_at=_event_time(demo_event.end_date, demo_event.end_hour, demo_event.time_zone),
                time_zone=demo_event.time_zone,
                venue=demo_event.venue or "",
                city=demo_event.city or "",
                is_online=demo_event.is_online,
            )
        )
    session.flush()


def seed_demo_community(session: Session, *, member_count: int = 200) -> list[DemoLogin]:
    """Members across the three stages, an organiser, threads and upcoming events."""
    members = content.demo_members(member_count)
    now = datetime.now(UTC)
    users = _seed_accounts(session, members)
    _seed_discussions(session, users, now)
    _seed_events(session, users, now)

    logins = [
        DemoLogin(content.DEMO_ADMIN.email, "admin"),
        DemoLogin(content.DEMO_ORGANISER.email, "organiser"),
    ]
    logins += [
        DemoLogin(member.email, f"{member.career_stage}: {member.display_name}, {member.role}")
        for member in members[:FEATURED_MEMBER_COUNT]
    ]
    return logins
