from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from hallway.accounts.models import Role, User
from hallway.db import utcnow
from hallway.discussions.models import Category, Thread
from hallway.events.models import Event, EventVisibility
from hallway.events.service import SESSIONS_CATEGORY_SLUG


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
    #: Members only: visitors could not open them (discussions need an account).
    recent_threads: list[RecentThread]
    upcoming_events: list[Event]
    #: Visitors only: how many discussions there are to join (None for members).
    thread_count: int | None = None


# The front page's statements are built once: building one costs about as much as
# running it on a small table.
# Two counts rather than one pass summing roles: SQLite counts a table's rows from its
# smallest index without reading them, and the few organisers and admins are counted by
# their roles (an index on users.role finds them without reading every member).
_MEMBER_COUNTS = select(
    select(func.count()).select_from(User).scalar_subquery(),
    select(func.count())
    .select_from(User)
    .where(User.role.in_([role for role in Role if role is not Role.member]))
    .scalar_subquery(),
)
_RECENT_THREADS = (
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
    .where(
        Thread.hidden_at.is_(None),
        Thread.deleted_at.is_(None),
        # An agenda makes one thread per session at once: they join the home page's
        # recent discussions when someone replies, not as a block of empty threads.
        or_(Category.slug != SESSIONS_CATEGORY_SLUG, Thread.comment_count > 0),
    )
    .order_by(Thread.last_activity_at.desc())
    .limit(bindparam("limit"))
)
_UPCOMING_EVENTS = (
    select(Event)
    .where(
        Event.ends_at >= bindparam("now"),
        Event.visibility == EventVisibility.public,
        Event.cancelled_at.is_(None),
    )
    .order_by(Event.starts_at)
    .limit(3)
)
_THREAD_COUNT = (
    select(func.count())
    .select_from(Thread)
    .where(Thread.hidden_at.is_(None), Thread.deleted_at.is_(None))
)


def community_overview(
    session: Session, *, for_member: bool = True, limit: int = 5
) -> CommunityOverview:
    """What the front page shows: who is here, what they talk about, where they meet.

    Members get the recent discussions; visitors only how many there are, since every
    discussion needs an account to open (no titles that lead to the log-in page).
    """
    member_count, organiser_count = session.execute(_MEMBER_COUNTS).one()
    recent_threads: list[RecentThread] = []
    thread_count = None
    if for_member:
        recent_threads = [
            RecentThread(*row) for row in session.execute(_RECENT_THREADS, {"limit": limit})
        ]
    else:
        thread_count = session.execute(_THREAD_COUNT).scalar_one()
    upcoming_events = list(session.scalars(_UPCOMING_EVENTS, {"now": utcnow()}))
    return CommunityOverview(
        member_count, organiser_count, recent_threads, upcoming_events, thread_count
    )
