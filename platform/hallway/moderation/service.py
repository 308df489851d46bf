"""Moderation rules: flags, hiding, locking, moving, blocking, posting limits, audit.

Admins are the moderators (``can_moderate``). Every moderator action is written to
the audit log in the same transaction as the change it records. Functions add and
flush; the boundary commits, then broadcasts the ``ModerationNotice`` it got back.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hallway.accounts import service as accounts_service
from hallway.accounts.models import User
from hallway.core.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from hallway.core.pagination import Page, paginate
from hallway.db import utcnow
from hallway.discussions.models import Category, Comment, Thread
from hallway.moderation.models import (
    AuditEntry,
    Block,
    Flag,
    FlagReason,
    FlagStatus,
    PostType,
)

NOTE_MAX_LENGTH = 500
CORRECT_FIELDS = "Please correct the highlighted fields."
POST_GONE = "That post does not exist or was removed."


class PostingTooFast(DomainError):
    """A new member has used up their posts for now (HTTP 429)."""

    status_code = 429


# --- Who moderates ---------------------------------------------------------------------


def can_moderate(user: Any) -> bool:
    """Admins are the moderators; anonymous visitors and members are not."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_admin)


def require_moderator(actor: Any) -> User:
    """Refuse anyone but a moderator with NotAllowed (403)."""
    if not can_moderate(actor):
        raise NotAllowed("Only moderators can do that.")
    return actor


# --- The audit log ---------------------------------------------------------------------


def record_audit(
    session: Session,
    *,
    actor: User | None,
    action: str,
    subject_type: str,
    subject_id: int,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write who did what to which subject; ``actor`` None means the system did.

    Call it inside the transaction that makes the change, so both land or neither.
    ``details`` must be JSON-serialisable (ids, short strings, ISO timestamps).
    """
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        subject_type=str(subject_type),
        subject_id=subject_id,
        details=dict(details or {}),
        created_at=utcnow(),
    )
    session.add(entry)
    session.flush()
    return entry


def audit_entries(
    session: Session, *, actor: User, action: str | None = None, page: int = 1, per_page: int = 50
) -> Page[AuditEntry]:
    """Moderators read the audit log, newest first, optionally one action only."""
    require_moderator(actor)
    statement = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        statement = statement.where(AuditEntry.action == action)
    return paginate(session, statement, page=page, per_page=per_page)


def audit_actions(session: Session) -> list[str]:
    """The actions that occur in the log, for the filter."""
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


# --- Posts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PostRef:
    """A thread or a comment, with its thread, however it was named."""

    subject_type: PostType
    post: Thread | Comment
    thread: Thread

    @property
    def subject_id(self) -> int:
        return self.post.id

    @property
    def is_hidden(self) -> bool:
        return self.post.hidden_at is not None


def find_post(session: Session, subject_type: str, subject_id: int) -> PostRef:
    """The thread or comment, or NotFound (also for an unknown subject type)."""
    try:
        kind = PostType(subject_type)
    except ValueError:
        raise NotFound(POST_GONE) from None
    if kind is PostType.thread:
        thread = session.get(Thread, subject_id)
        if thread is None:
            raise NotFound(POST_GONE)
        return PostRef(kind, thread, thread)
    comment = session.get(Comment, subject_id)
    if comment is None:
        raise NotFound(POST_GONE)
    return PostRef(kind, comment, session.get(Thread, comment.thread_id))


def _visible_to_members(ref: PostRef) -> bool:
    return not any(
        (
            ref.post.deleted_at,
            ref.post.hidden_at,
            ref.thread.deleted_at,
            ref.thread.hidden_at,
        )
    )


def find_visible_post(session: Session, viewer: Any, subject_type: str, subject_id: int) -> PostRef:
    """The post if the viewer may see it: hidden and deleted posts only for moderators."""
    ref = find_post(session, subject_type, subject_id)
    if not _visible_to_members(ref) and not can_moderate(viewer):
        raise NotFound(POST_GONE)
    return ref


# --- Flags -----------------------------------------------------------------------------


def flag_post(
    session: Session,
    *,
    actor: User,
    subject_type: str,
    subject_id: int,
    reason: str,
    note: str = "",
) -> Flag:
    """Members flag a post they can see for moderators, with a reason (spam, harassment,
    off-topic or other) and an optional note. One open flag per member per post; your
    own posts can't be flagged."""
    ref = find_post(session, subject_type, subject_id)
    if not _visible_to_members(ref):  # moderators act on those directly
        raise NotFound(POST_GONE)
    errors: dict[str, list[str]] = {}
    try:
        reason = FlagReason(reason)
    except ValueError:
        errors["reason"] = ["Choose a reason."]
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = [f"Keep the note under {NOTE_MAX_LENGTH} characters."]
    if errors:
        raise InvalidInput(CORRECT_FIELDS, errors)
    if ref.post.author_id == actor.id:
        raise InvalidInput("You can't flag your own post.")
    flag = Flag(
        reporter_id=actor.id,
        subject_type=ref.subject_type,
        subject_id=ref.subject_id,
        reason=reason,
        note=note,
        status=FlagStatus.open,
        created_at=utcnow(),
    )
    already = Conflict("You have already flagged this post; a moderator will look at it.")
    if _open_flag_of(session, actor.id, ref) is not None:
        raise already
    try:
        with session.begin_nested():  # the partial unique index settles a double click
            session.add(flag)
    except IntegrityError:
        raise already from None
    return flag


def _open_flag_of(session: Session, reporter_id: int, ref: PostRef) -> Flag | None:
    return session.scalar(
        select(Flag).where(
            Flag.reporter_id == reporter_id,
            Flag.subject_type == ref.subject_type,
            Flag.subject_id == ref.subject_id,
            Flag.status == FlagStatus.open,
        )
    )


def has_open_flag(session: Session, *, actor: User, subject_type: str, subject_id: int) -> bool:
    """Whether the member already has an open flag on this post (to word the page)."""
    try:
        ref = find_post(session, subject_type, subject_id)
    except NotFound:
        return False
    return _open_flag_of(session, actor.id, ref) is not None


@dataclass
class FlaggedPost:
    """One post in the moderation queue with its open flags."""

    ref: PostRef
    flags: list[Flag] = field(default_factory=list)

    @property
    def first_flagged_at(self) -> datetime:
        return min(flag.created_at for flag in self.flags)


def moderation_queue(session: Session, *, actor: User) -> list[FlaggedPost]:
    """Moderators see open flags grouped by post, the longest-waiting post first."""
    require_moderator(actor)
    flags = session.scalars(
        select(Flag).where(Flag.status == FlagStatus.open).order_by(Flag.created_at, Flag.id)
    ).all()
    groups: dict[tuple[PostType, int], FlaggedPost] = {}
    for flag in flags:
        key = (flag.subject_type, flag.subject_id)
        if key not in groups:
            try:
                groups[key] = FlaggedPost(find_post(session, *key))
            except NotFound:  # the post was purged; nothing left to moderate
                continue
        groups[key].flags.append(flag)
    return sorted(groups.values(), key=lambda group: group.first_flagged_at)


def open_flag_count(session: Session) -> int:
    """How many posts wait in the queue (for the moderators' nav link)."""
    flagged = (
        select(Flag.subject_type, Flag.subject_id)
        .where(Flag.status == FlagStatus.open)
        .distinct()
        .subquery()
    )
    return session.scalar(select(func.count()).select_from(flagged)) or 0


def _close_flags(session: Session, ref: PostRef, *, actor: User, status: FlagStatus) -> int:
    flags = session.scalars(
        select(Flag).where(
            Flag.subject_type == ref.subject_type,
            Flag.subject_id == ref.subject_id,
            Flag.status == FlagStatus.open,
        )
    ).all()
    now = utcnow()
    for flag in flags:
        flag.status, flag.closed_at, flag.closed_by_id = status, now, actor.id
    return len(flags)


# --- Moderator actions -------------------------------------------------------------------


@dataclass(frozen=True)
class ModerationNotice:
    """What open pages should hear after the commit: an id-only socket event."""

    event: str
    thread_id: int
    data: dict[str, Any]

    @property
    def room(self) -> str:
        return f"thread:{self.thread_id}"


def _post_notice(event: str, ref: PostRef) -> ModerationNotice:
    data = {
        "subject_type": ref.subject_type.value,
        "subject_id": ref.subject_id,
        "thread_id": ref.thread.id,
    }
    return ModerationNotice(event, ref.thread.id, data)


def hide_post(
    session: Session, *, actor: User, subject_type: str, subject_id: int, note: str = ""
) -> ModerationNotice:
    """Moderators hide a thread or comment from members; its open flags are resolved."""
    require_moderator(actor)
    ref = find_post(session, subject_type, subject_id)
    if ref.is_hidden:
        raise Conflict("That post is already hidden.")
    ref.post.hidden_at = utcnow()
    closed = _close_flags(session, ref, actor=actor, status=FlagStatus.resolved)
    _audit_post(session, actor, "hide", ref, resolved_flags=closed, note=note.strip()[:200])
    return _post_notice("post_hidden", ref)


def restore_post(
    session: Session, *, actor: User, subject_type: str, subject_id: int
) -> ModerationNotice:
    """Moderators show a hidden post again."""
    require_moderator(actor)
    ref = find_post(session, subject_type, subject_id)
    if not ref.is_hidden:
        raise Conflict("That post is not hidden.")
    ref.post.hidden_at = None
    _audit_post(session, actor, "restore", ref)
    return _post_notice("post_restored", ref)


def dismiss_flags(session: Session, *, actor: User, subject_type: str, subject_id: int) -> int:
    """Moderators close a post's open flags and leave the post as it is."""
    require_moderator(actor)
    ref = find_post(session, subject_type, subject_id)
    closed = _close_flags(session, ref, actor=actor, status=FlagStatus.dismissed)
    if not closed:
        raise Conflict("That post has no open flags.")
    _audit_post(session, actor, "dismiss_flags", ref, dismissed_flags=closed)
    return closed


def set_thread_locked(session: Session, *, actor: User, thread_id: int, locked: bool) -> Thread:
    """Moderators lock a thread (no new replies) and unlock it."""
    require_moderator(actor)
    ref = find_post(session, PostType.thread, thread_id)
    thread = ref.thread
    if locked == thread.is_locked:
        state = "already locked" if locked else "not locked"
        raise Conflict(f"That discussion is {state}.")
    thread.locked_at = utcnow() if locked else None
    _audit_post(session, actor, "lock" if locked else "unlock", ref)
    return thread


def move_thread(session: Session, *, actor: User, thread_id: int, category_id: Any) -> Thread:
    """Moderators move a thread to another existing category."""
    require_moderator(actor)
    ref = find_post(session, PostType.thread, thread_id)
    category = None
    if isinstance(category_id, int) or (isinstance(category_id, str) and category_id.isdigit()):
        category = session.get(Category, int(category_id))
    if category is None:
        raise InvalidInput(CORRECT_FIELDS, {"category_id": ["Choose a category."]})
    thread = ref.thread
    if category.id == thread.category_id:
        raise InvalidInput(
            CORRECT_FIELDS, {"category_id": ["The discussion is already in that category."]}
        )
    previous = thread.category_id
    thread.category_id = category.id
    _audit_post(session, actor, "move", ref, from_category_id=previous, to_category_id=category.id)
    return thread


def categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.position, Category.name)))


def _audit_post(session: Session, actor: User, action: str, ref: PostRef, **details: Any) -> None:
    details.setdefault("thread_id", ref.thread.id)
    record_audit(
        session,
        actor=actor,
        action=action,
        subject_type=ref.subject_type.value,
        subject_id=ref.subject_id,
        details={key: value for key, value in details.items() if value not in (None, "")},
    )


# --- Blocking --------------------------------------------------------------------------


def blocked_user_ids(session: Session, viewer_id: int | None) -> set[int]:
    """The members ``viewer_id`` blocked: show their posts collapsed, skip their notices."""
    if viewer_id is None:
        return set()
    return set(session.scalars(select(Block.blocked_id).where(Block.blocker_id == viewer_id)))


def blockers_of(session: Session, user_id: int, among: Iterable[int]) -> set[int]:
    """Which of ``among`` blocked ``user_id`` (one query, for notifications)."""
    among = set(among)
    if not among:
        return set()
    return set(
        session.scalars(
            select(Block.blocker_id).where(Block.blocked_id == user_id, Block.blocker_id.in_(among))
        )
    )


def block_member(session: Session, *, actor: User, handle: str) -> User:
    """Members block another member by handle; blocking twice changes nothing.

    You can't block yourself. Blocked members are not told.
    """
    handle = (handle or "").strip()
    if not handle:
        raise InvalidInput(CORRECT_FIELDS, {"handle": ["Give the member's username."]})
    target = accounts_service.find_user_by_handle(session, handle)
    if target is None:
        raise InvalidInput(
            CORRECT_FIELDS, {"handle": [f"No member is called @{handle.lstrip('@')}."]}
        )
    if target.id == actor.id:
        raise InvalidInput(CORRECT_FIELDS, {"handle": ["You can't block yourself."]})
    if session.get(Block, (actor.id, target.id)) is None:
        try:
            with session.begin_nested():
                session.add(Block(blocker_id=actor.id, blocked_id=target.id, created_at=utcnow()))
        except IntegrityError:  # the same request twice at once: already blocked
            pass
    return target


def unblock_member(session: Session, *, actor: User, user_id: int) -> User:
    """Members unblock someone they blocked."""
    block = session.get(Block, (actor.id, user_id))
    if block is None:
        raise NotFound("You have not blocked that member.")
    target = block.blocked
    session.delete(block)
    session.flush()
    return target


def blocks_of(session: Session, *, actor: User) -> list[Block]:
    """Whom the member blocked, most recent first."""
    return list(
        session.scalars(
            select(Block)
            .where(Block.blocker_id == actor.id)
            .order_by(Block.created_at.desc(), Block.blocked_id)
        )
    )


# --- Posting limits for new members ---------------------------------------------------------


@dataclass(frozen=True)
class PostingLimits:
    posts: int
    window: timedelta
    new_member_period: timedelta

    @classmethod
    def from_config(cls) -> PostingLimits:
        config = current_app.config
        return cls(
            posts=int(config.get("NEW_MEMBER_POST_LIMIT", 3)),
            window=timedelta(minutes=int(config.get("NEW_MEMBER_POST_WINDOW_MINUTES", 10))),
            new_member_period=timedelta(hours=int(config.get("NEW_MEMBER_PERIOD_HOURS", 24))),
        )


def check_can_post(
    session: Session,
    actor: User,
    *,
    limits: PostingLimits | None = None,
    now: datetime | None = None,
) -> None:
    """New members may start threads and reply only so often during their first day.

    Counts the member's threads and comments (deleted ones too) in the window from the
    database, so it holds across processes. Admins and organisers are never limited.
    Raises PostingTooFast (429) saying when the member can post again.
    """
    if actor.is_organiser:  # organisers and admins
        return
    limits = limits or PostingLimits.from_config()
    if limits.posts <= 0:
        return
    now = now or utcnow()
    new_until = actor.created_at + limits.new_member_period
    if now >= new_until:
        return
    since = now - limits.window
    posted = union_all(
        select(Thread.created_at).where(Thread.author_id == actor.id, Thread.created_at > since),
        select(Comment.created_at).where(Comment.author_id == actor.id, Comment.created_at > since),
    ).subquery()
    times = sorted(session.scalars(select(posted.c.created_at)))
    if len(times) < limits.posts:
        return
    # The oldest posts must leave the window until fewer than the limit remain.
    free_at = min(times[len(times) - limits.posts] + limits.window, new_until)
    minutes = max(1, math.ceil((free_at - now).total_seconds() / 60))
    raise PostingTooFast(
        f"New members can post {_times(limits.posts)} per {_minutes(limits.window)} "
        f"during their first {_period(limits.new_member_period)}. "
        f"You can post again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _minutes(window: timedelta) -> str:
    minutes = int(window.total_seconds() // 60)
    return "minute" if minutes == 1 else f"{minutes} minutes"


def _period(period: timedelta) -> str:
    hours = int(period.total_seconds() // 3600)
    if hours == 24:
        return "day"
    if hours % 24 == 0:
        return f"{hours // 24} days"
    return "hour" if hours == 1 else f"{hours} hours"
