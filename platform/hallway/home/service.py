from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from hallway.accounts.models import Role, User
from hallway.core.fragment_cache import ContentVersion
from hallway.db import utcnow
from hallway.discussions.models import Category, Thread
from hallway.discussions.versions import THREADS
from hallway.events.models import Event, EventVisibility
from hallway.events.service import EVENTS, SESSIONS_CATEGORY_SLUG
from hallway.members.service import DIRECTORY


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
    # Equalities rather than IN: an IN list is rendered anew on every execution.
    .where(or_(*(User.role == role for role in Role if role is not Role.member)))
    .scalar_subquery(),
)


def _version(name: str):
    """A content version as a column (0 for a name never bumped)."""
    return func.coalesce(
        select(ContentVersion.version).where(ContentVersion.name == name).scalar_subquery(), 0
    )


#: The members' page in one statement: the content versions its kept HTML depends on
#: (thread titles, counts and categories; authors' names; events), then the two counts,
#: which no version covers (sign-ups and roles bump none): being part of the tuple that
#: must match, a new member or organiser is a new page at once.
_MEMBER_PAGE_STATE = select(
    _version(THREADS),
    _version(DIRECTORY),
    _version(EVENTS),
    *_MEMBER_COUNTS.selected_columns,
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


class MemberPageState(NamedTuple):
    """What decides whether the members' front page kept in this process is current."""

    threads_version: int
    directory_version: int
    events_version: int
    member_count: int
    organiser_count: int


def member_page_state(session: Session) -> MemberPageState:
    """Read before the lists (see core.fragment_cache): a change committed in between
    makes the kept page stale at once, never the other way round."""
    # On the session's connection (its transaction): no ORM entity to load, and the
    # ORM's path costs more than the statement.
    return MemberPageState(*session.connection().execute(_MEMBER_PAGE_STATE).one())


def member_lists(session: Session, *, limit: int = 5) -> tuple[list[RecentThread], list[Event]]:
    """The recent discussions and the upcoming events, for the members' page."""
    threads = [RecentThread(*row) for row in session.execute(_RECENT_THREADS, {"limit": limit})]
    return threads, list(session.scalars(_UPCOMING_EVENTS, {"now": utcnow()}))


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
