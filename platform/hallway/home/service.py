from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from hallway.accounts.models import Role, User
from hallway.db import utcnow
from hallway.discussions.models import Category, Thread
from hallway.events.models import Event


class RecentThread(NamedTuple):
    """The few columns the front page shows of a discussion."""

    id: int
    slug: str
    title: str
    comment_count: int
    category_name: str
    author_name: str | None


@dataclass(frozen=True)
class CommunityOverview:
    member_count: int
    organiser_count: int
    recent_threads: list[RecentThread]
    upcoming_events: list[Event]


def community_overview(session: Session, *, limit: int = 5) -> CommunityOverview:
    """What the front page shows: who is here, what they talk about, where they meet."""
    member_count, organiser_count = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((User.role != Role.member, 1), else_=0)), 0),
        ).select_from(User)
    ).one()
    recent_threads = [
        RecentThread(*row)
        for row in session.execute(
            select(
                Thread.id,
                Thread.slug,
                Thread.title,
                Thread.comment_count,
                Category.name,
                User.display_name,
            )
            .join(Thread.category)
            .outerjoin(Thread.author)
            .where(Thread.hidden_at.is_(None), Thread.deleted_at.is_(None))
            .order_by(Thread.last_activity_at.desc())
            .limit(limit)
        )
    ]
    upcoming_events = list(
        session.scalars(
            select(Event)
            .where(Event.ends_at >= utcnow())
            .order_by(Event.starts_at)
            .limit(3)
        )
    )
    return CommunityOverview(member_count, organiser_count, recent_threads, upcoming_events)
