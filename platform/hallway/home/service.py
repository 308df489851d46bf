from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from hallway.accounts.models import Role, User
from hallway.db import utcnow
from hallway.discussions.models import Thread
from hallway.events.models import Event


@dataclass(frozen=True)
class CommunityOverview:
    member_count: int
    organiser_count: int
    recent_threads: list[Thread]
    upcoming_events: list[Event]


def community_overview(session: Session, *, limit: int = 5) -> CommunityOverview:
    """What the front page shows: who is here, what they talk about, where they meet."""
    member_count = session.scalar(select(func.count()).select_from(User)) or 0
    organiser_count = (
        session.scalar(
            select(func.count()).select_from(User).where(User.role != Role.member)
        )
        or 0
    )
    recent_threads = list(
        session.scalars(
            select(Thread)
            .options(joinedload(Thread.author), joinedload(Thread.category))
            .where(Thread.hidden_at.is_(None), Thread.deleted_at.is_(None))
            .order_by(Thread.last_activity_at.desc())
            .limit(limit)
        )
    )
    upcoming_events = list(
        session.scalars(
            select(Event)
            .where(Event.ends_at >= utcnow())
            .order_by(Event.starts_at)
            .limit(3)
        )
    )
    return CommunityOverview(member_count, organiser_count, recent_threads, upcoming_events)
