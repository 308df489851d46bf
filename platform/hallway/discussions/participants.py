"""Who is in each thread of a list page: the opener and the latest people to reply.

A thread list shows, per row, the opener's avatar and up to ``MAX_PARTICIPANTS`` small
avatars of the people who replied most recently. ``for_threads`` finds them for a whole
page in one SQL statement (each thread's latest ``RECENT_REPLIES`` replies, then a
window function ranks their authors by their latest reply), never a query per row, and
its cost does not grow with the length of the threads. Deleted and hidden replies do
not count: the list is shared by every member reader, so it names only people whose
replies they can see.

The result is reader-independent (pictures only of profiles every member may see), so
it goes inside the list's cached HTML; the list's cache depends on the threads' and the
directory's versions, which change with replies, names and pictures.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core.urls import profile_path
from hallway.discussions.models import Comment, Thread
from hallway.members import avatars
from hallway.members.models import MemberAvatar, MemberProfile, ProfileVisibility

MAX_PARTICIPANTS = 5
#: How many of a thread's latest replies are read to find its latest repliers.
RECENT_REPLIES = 40


@dataclass(frozen=True)
class Person:
    """What an avatar needs: a name, and a picture URL or initials on a stable colour."""

    user_id: int
    name: str
    initials: str
    colour: str
    picture: str | None = None


@dataclass
class ThreadPeople:
    opener: Person | None = None
    #: The latest repliers first, at most MAX_PARTICIPANTS.
    participants: list[Person] = field(default_factory=list)


def for_threads(session: Session, thread_ids: Collection[int]) -> dict[int, ThreadPeople]:
    """The opener and the latest repliers of each of these threads (one statement)."""
    ids = list(thread_ids)
    if not ids:
        return {}
    # Per thread, only its latest replies: each part reads a few index entries and stops,
    # however long the thread (one statement for the page all the same).
    replies = [
        select(
            Comment.thread_id.label("thread_id"),
            Comment.author_id.label("user_id"),
            Comment.created_at.label("at"),
            literal(0).label("opened"),
        )
        .where(
            Comment.thread_id == thread_id,
            Comment.author_id.is_not(None),
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
        )
        .order_by(Comment.id.desc())
        .limit(RECENT_REPLIES)
        .subquery()
        for thread_id in ids
    ]
    openers = select(
        Thread.id.label("thread_id"),
        Thread.author_id.label("user_id"),
        literal(None).label("at"),
        literal(1).label("opened"),
    ).where(Thread.id.in_(ids), Thread.author_id.is_not(None))
    posts = union_all(*(select(part) for part in replies), openers).subquery()
    per_person = (
        select(
            posts.c.thread_id,
            posts.c.user_id,
            func.max(posts.c.at).label("last_reply"),
            func.max(posts.c.opened).label("opened"),
        )
        .group_by(posts.c.thread_id, posts.c.user_id)
        .subquery()
    )
    ranked = select(
        per_person,
        func.row_number()
        .over(
            partition_by=per_person.c.thread_id,
            order_by=(
                case((per_person.c.last_reply.is_(None), 1), else_=0),
                per_person.c.last_reply.desc(),
                per_person.c.user_id,
            ),
        )
        .label("position"),
    ).subquery()
    rows = session.execute(
        select(
            ranked.c.thread_id,
            ranked.c.user_id,
            ranked.c.last_reply,
            ranked.c.opened,
            User.display_name,
            User.handle,
            MemberAvatar.content_hash,
        )
        .join(User, User.id == ranked.c.user_id)
        .outerjoin(
            MemberProfile,
            and_(
                MemberProfile.user_id == User.id,
                MemberProfile.visibility != ProfileVisibility.private,
            ),
        )
        .outerjoin(MemberAvatar, MemberAvatar.user_id == MemberProfile.user_id)
        .where(
            or_(
                ranked.c.opened == 1,
                and_(ranked.c.last_reply.is_not(None), ranked.c.position <= MAX_PARTICIPANTS),
            )
        )
        .order_by(ranked.c.thread_id, ranked.c.position)
    )
    found: dict[int, ThreadPeople] = {thread_id: ThreadPeople() for thread_id in ids}
    for thread_id, user_id, last_reply, opened, name, handle, content_hash in rows:
        person = _person(user_id, name, handle, content_hash)
        people = found[thread_id]
        if opened:
            people.opener = person
        if last_reply is not None and len(people.participants) < MAX_PARTICIPANTS:
            people.participants.append(person)
    return found


def avatars_of(session: Session, user_ids: Collection[int]) -> dict[int, Person]:
    """These members' avatars (one query): a picture when their profile is not private,
    else initials on their colour. Registered for the notification centre."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(User.id, User.display_name, User.handle, MemberAvatar.content_hash)
        .outerjoin(
            MemberProfile,
            and_(
                MemberProfile.user_id == User.id,
                MemberProfile.visibility != ProfileVisibility.private,
            ),
        )
        .outerjoin(MemberAvatar, MemberAvatar.user_id == MemberProfile.user_id)
        .where(User.id.in_(ids))
    )
    return {
        user_id: _person(user_id, name, handle, content_hash)
        for user_id, name, handle, content_hash in rows
    }


def _person(user_id: int, name: str, handle: str, content_hash: str | None) -> Person:
    picture = f"{profile_path(handle)}/avatar?v={content_hash[:16]}" if content_hash else None
    return Person(
        user_id, name, avatars.initials(name), avatars.avatar_colour(str(user_id)), picture
    )
