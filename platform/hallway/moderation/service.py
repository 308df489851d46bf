"""Moderation rules: flags, hiding, blocking, posting limits, the audit log.

Admins are the moderators (``can_moderate``). Every moderator action is written to
the audit log in the same transaction as the change it records. Functions add and
flush; the boundary commits once.

What can be flagged is registered by the features that own it
(``hallway.moderation.subjects``); hiding and restoring call the owner's functions,
so this package never touches a feature's rows. Features register where members'
posts are counted for the new-member posting limit (``register_posting_source``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext, lazy_gettext, ngettext
from sqlalchemy import Select, String, and_, cast, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hallway.accounts import service as accounts_service
from hallway.accounts.models import User
from hallway.core import signals
from hallway.core.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from hallway.core.pagination import Page, paginate
from hallway.db import comma_joined, utcnow
from hallway.moderation import subjects
from hallway.moderation.models import AuditEntry, Block, Flag, FlagReason, FlagStatus
from hallway.moderation.schemas import BlockExportSchema, FlagExportSchema
from hallway.moderation.subjects import Subject, find_subject, gone


def _correct_fields() -> str:
    return gettext("Please correct the highlighted fields.")


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
        raise NotAllowed(gettext("Only moderators can do that."))
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


#: How the audit log names each action; features add theirs (``register_audit_action``).
_AUDIT_ACTION_LABELS: dict[str, Any] = {
    "hide": lazy_gettext("Hid a post"),
    "restore": lazy_gettext("Restored a post"),
    "dismiss_flags": lazy_gettext("Dismissed flags"),
    "edit": lazy_gettext("Edited a post"),
    "delete": lazy_gettext("Deleted a post"),
    "move": lazy_gettext("Moved a discussion"),
    "lock": lazy_gettext("Locked a discussion"),
    "unlock": lazy_gettext("Unlocked a discussion"),
}
#: How the audit log names the details entries keep (other keys are shown as they are).
_AUDIT_DETAIL_LABELS: dict[str, Any] = {
    "resolved_flags": lazy_gettext("flags resolved"),
    "dismissed_flags": lazy_gettext("flags dismissed"),
    "note": lazy_gettext("note"),
    "thread_id": lazy_gettext("discussion"),
    "comment_id": lazy_gettext("comment"),
}


def register_audit_action(action: str, label: Any) -> None:
    """Name a feature's audit action for the log (``label``: a ``lazy_gettext`` text)."""
    _AUDIT_ACTION_LABELS[action] = label


def audit_action_label(action: str) -> str:
    """The action as the audit log shows it: its label, else its name in words."""
    label = _AUDIT_ACTION_LABELS.get(action)
    return str(label) if label is not None else action.replace("_", " ")


def audit_detail_label(key: str) -> str:
    label = _AUDIT_DETAIL_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def audit_actions(session: Session) -> list[str]:
    """The actions that occur in the log, for the filter."""
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


# --- Subjects (what can be flagged: registered by features) -------------------------------


def find_visible_subject(
    session: Session, viewer: Any, subject_type: str, subject_id: int
) -> Subject:
    """The subject if the viewer may see it: by default hidden and deleted ones only for
    moderators; a subject type may have its own rule (``SubjectType.can_view``)."""
    subject = find_subject(session, subject_type, subject_id)
    rule = subjects.subject_type(subject.type).can_view
    allowed = rule(viewer, subject) if rule is not None else subject.visible or can_moderate(viewer)
    if not allowed:
        raise NotFound(gone())
    return subject


# --- Flags -----------------------------------------------------------------------------


def flag_post(
    session: Session,
    *,
    actor: User,
    subject_type: str,
    subject_id: int,
    reason: FlagReason | str,
    note: str = "",
) -> Flag:
    """Members flag a post they can see for moderators, with a reason (spam, harassment,
    off-topic or other) and an optional note (both as FlagSchema loads them). One open
    flag per member per post; your own posts can't be flagged."""
    subject = find_subject(session, subject_type, subject_id)
    if not subject.visible:  # moderators act on those directly
        raise NotFound(gone())
    if subject.author_id is not None and subject.author_id == actor.id:
        raise InvalidInput(gettext("You can't flag your own post."))
    flag = Flag(
        reporter_id=actor.id,
        subject_type=subject.type,
        subject_id=subject.id,
        reason=FlagReason(reason),
        note=note,
        status=FlagStatus.open,
        created_at=utcnow(),
    )
    already = Conflict(gettext("You have already flagged this post; a moderator will look at it."))
    if _open_flag_of(session, actor.id, subject) is not None:
        raise already
    try:
        with session.begin_nested():  # the partial unique index settles a double click
            session.add(flag)
    except IntegrityError:
        raise already from None
    return flag


def _open_flag_of(session: Session, reporter_id: int, subject: Subject) -> Flag | None:
    return session.scalar(
        select(Flag).where(
            Flag.reporter_id == reporter_id,
            Flag.subject_type == subject.type,
            Flag.subject_id == subject.id,
            Flag.status == FlagStatus.open,
        )
    )


def has_open_flag(session: Session, *, actor: User, subject_type: str, subject_id: int) -> bool:
    """Whether the member already has an open flag on this post (to word the page)."""
    try:
        subject = find_subject(session, subject_type, subject_id)
    except NotFound:
        return False
    return _open_flag_of(session, actor.id, subject) is not None


@dataclass
class FlaggedSubject:
    """One post in the moderation queue with its open flags."""

    subject: Subject
    flags: list[Flag] = field(default_factory=list)

    @property
    def first_flagged_at(self) -> datetime:
        return min(flag.created_at for flag in self.flags)


def _open_flags() -> Select[Flag]:
    """Open flags on subjects some feature still registers (the others can't be acted on)."""
    return select(Flag).where(
        Flag.status == FlagStatus.open, Flag.subject_type.in_(subjects.registered_names())
    )


def moderation_queue(session: Session, *, actor: User) -> list[FlaggedSubject]:
    """Moderators see open flags grouped by post, the longest-waiting post first."""
    require_moderator(actor)
    flags = session.scalars(_open_flags().order_by(Flag.created_at, Flag.id)).all()
    groups: dict[tuple[str, int], FlaggedSubject] = {}
    for flag in flags:
        key = (flag.subject_type, flag.subject_id)
        if key not in groups:
            try:
                groups[key] = FlaggedSubject(find_subject(session, *key))
            except NotFound:  # the post was purged; nothing left to moderate
                continue
        groups[key].flags.append(flag)
    return sorted(groups.values(), key=lambda group: group.first_flagged_at)


def open_flag_count(session: Session) -> int:
    """How many posts wait in the queue (for the moderators' nav link)."""
    flagged = _open_flags().with_only_columns(Flag.subject_type, Flag.subject_id).distinct()
    return session.scalar(select(func.count()).select_from(flagged.subquery())) or 0


def _close_flags(session: Session, subject: Subject, *, actor: User, status: FlagStatus) -> int:
    flags = session.scalars(
        select(Flag).where(
            Flag.subject_type == subject.type,
            Flag.subject_id == subject.id,
            Flag.status == FlagStatus.open,
        )
    ).all()
    now = utcnow()
    for flag in flags:
        flag.status, flag.closed_at, flag.closed_by_id = status, now, actor.id
    return len(flags)


# --- Moderator actions -------------------------------------------------------------------


def hide_post(
    session: Session, *, actor: User, subject_type: str, subject_id: int, note: str = ""
) -> Subject:
    """Moderators hide a post from members; its open flags are resolved.

    The feature that owns the post hides it (and tells open pages after the commit).
    """
    require_moderator(actor)
    subject = find_subject(session, subject_type, subject_id)
    if subject.hidden:
        raise Conflict(gettext("That post is already hidden."))
    subjects.subject_type(subject.type).hide(session, actor, subject)
    closed = _close_flags(session, subject, actor=actor, status=FlagStatus.resolved)
    _audit(session, actor, "hide", subject, resolved_flags=closed, note=note.strip()[:200])
    return subject


def restore_post(session: Session, *, actor: User, subject_type: str, subject_id: int) -> Subject:
    """Moderators show a hidden post again (its feature restores it)."""
    require_moderator(actor)
    subject = find_subject(session, subject_type, subject_id)
    if not subject.hidden:
        raise Conflict(gettext("That post is not hidden."))
    subjects.subject_type(subject.type).restore(session, actor, subject)
    _audit(session, actor, "restore", subject)
    return subject


def dismiss_flags(session: Session, *, actor: User, subject_type: str, subject_id: int) -> int:
    """Moderators close a post's open flags and leave the post as it is."""
    require_moderator(actor)
    subject = find_subject(session, subject_type, subject_id)
    closed = _close_flags(session, subject, actor=actor, status=FlagStatus.dismissed)
    if not closed:
        raise Conflict(gettext("That post has no open flags."))
    _audit(session, actor, "dismiss_flags", subject, dismissed_flags=closed)
    return closed


def _audit(session: Session, actor: User, action: str, subject: Subject, **details: Any) -> None:
    details = {**subject.audit_details, **details}
    record_audit(
        session,
        actor=actor,
        action=action,
        subject_type=subject.type,
        subject_id=subject.id,
        details={key: value for key, value in details.items() if value not in (None, "")},
    )


# --- Blocking --------------------------------------------------------------------------


# Pages ask whom their reader blocked (folded posts, hidden notices) and matching and
# meetings ask who blocked whom: both sides are read in the statement that loads the
# reader (accounts.service.load_with_user), as of the start of the request. Blocking and
# unblocking forget them (``_forget_blocks_at_load``), so a later question reads again.
_BLOCKS_AT_LOAD = "hallway.moderation.blocks_at_load"


def register_blocks_with_user() -> None:
    def ids_of(column: Any, owner: Any) -> Any:
        return (
            select(comma_joined(cast(column, String)))
            .where(owner == User.id)
            .correlate(User)
            .scalar_subquery()
        )

    columns = [
        ids_of(Block.blocked_id, Block.blocker_id),
        ids_of(Block.blocker_id, Block.blocked_id),
    ]

    def receive(session: Session, user: User, values: tuple[Any, ...]) -> None:
        blocked, blockers = (
            {int(each) for each in (text or "").split(",") if each} for text in values
        )
        session.info.setdefault(_BLOCKS_AT_LOAD, {})[user.id] = (blocked, blockers)

    accounts_service.load_with_user("moderation.blocks", columns, receive)


def _blocks_at_load(session: Session, user_id: int) -> tuple[set[int], set[int]] | None:
    """(whom the member blocked, who blocked them) as read with the member, or None."""
    return session.info.get(_BLOCKS_AT_LOAD, {}).get(user_id)


def _forget_blocks_at_load(session: Session) -> None:
    session.info.pop(_BLOCKS_AT_LOAD, None)


def blocked_user_ids(session: Session, viewer_id: int | None) -> set[int]:
    """The members ``viewer_id`` blocked: show their posts collapsed, skip their notices."""
    if viewer_id is None:
        return set()
    if (known := _blocks_at_load(session, viewer_id)) is not None:
        return set(known[0])
    return set(session.scalars(select(Block.blocked_id).where(Block.blocker_id == viewer_id)))


def blocked_either_way(session: Session, user_id: int) -> set[int]:
    """Everyone the member blocked or who blocked the member (matching, meetings)."""
    if (known := _blocks_at_load(session, user_id)) is not None:
        return known[0] | known[1]
    rows = session.execute(
        select(Block.blocker_id, Block.blocked_id).where(
            or_(Block.blocker_id == user_id, Block.blocked_id == user_id)
        )
    )
    return {blocked if blocker == user_id else blocker for blocker, blocked in rows}


def blocked_between(session: Session, first_id: int, second_id: int) -> bool:
    """Whether either of two members blocked the other."""
    for one, other in ((first_id, second_id), (second_id, first_id)):
        if (known := _blocks_at_load(session, one)) is not None:
            return other in known[0] or other in known[1]
    found = session.scalar(
        select(Block.blocker_id)
        .where(
            or_(
                and_(Block.blocker_id == first_id, Block.blocked_id == second_id),
                and_(Block.blocker_id == second_id, Block.blocked_id == first_id),
            )
        )
        .limit(1)
    )
    return found is not None


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
    """Members block another member by handle (as BlockSchema loads it); blocking twice
    changes nothing.

    You can't block yourself. Blocked members are not told.
    """
    target = accounts_service.find_user_by_handle(session, handle)
    if target is None:
        raise InvalidInput(
            _correct_fields(),
            {"handle": [gettext("No member is called @%(handle)s.", handle=handle.lstrip("@"))]},
        )
    if target.id == actor.id:
        raise InvalidInput(_correct_fields(), {"handle": [gettext("You can't block yourself.")]})
    if session.get(Block, (actor.id, target.id)) is None:
        try:
            with session.begin_nested():
                session.add(Block(blocker_id=actor.id, blocked_id=target.id, created_at=utcnow()))
        except IntegrityError:  # the same request twice at once: already blocked
            pass
    _forget_blocks_at_load(session)
    signals.block_changed.send(session, blocker_id=actor.id, blocked_id=target.id)
    return target


def unblock_member(session: Session, *, actor: User, user_id: int) -> User:
    """Members unblock someone they blocked."""
    block = session.get(Block, (actor.id, user_id))
    if block is None:
        raise NotFound(gettext("You have not blocked that member."))
    target = block.blocked
    session.delete(block)
    session.flush()
    _forget_blocks_at_load(session)
    signals.block_changed.send(session, blocker_id=actor.id, blocked_id=user_id)
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


# --- The member's data download ----------------------------------------------------------


def export_flags(session: Session, user: User) -> list[dict[str, Any]]:
    """The flags the member raised, oldest first (who else flagged stays private)."""
    flags = session.scalars(
        select(Flag).where(Flag.reporter_id == user.id).order_by(Flag.created_at, Flag.id)
    )
    return FlagExportSchema(many=True).dump(flags)


def export_blocks(session: Session, user: User) -> list[dict[str, Any]]:
    """The members the member blocked, most recent first."""
    return BlockExportSchema(many=True).dump(blocks_of(session, actor=user))


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


#: ``times(session, user_id, since)``: when the member posted after ``since``.
PostingSource = Callable[[Session, int, datetime], Iterable[datetime]]

_posting_sources: dict[str, PostingSource] = {}


def register_posting_source(name: str, times: PostingSource) -> None:
    """Count a feature's posts (threads and comments, chat messages...) towards the
    new-member posting limit; the same name again replaces it."""
    _posting_sources[name] = times


@dataclass(frozen=True)
class PostingAllowance:
    """How much a new member may still post now (``posting_allowance``).

    ``remaining`` posts are allowed at once; each of them stays counted for ``window``.
    When none remain, ``wait_minutes`` says when the next one is allowed.
    """

    limit: int
    remaining: int
    window: timedelta
    new_member_period: timedelta
    #: Whole minutes (at least 1) until a post is allowed again; 0 while some remain.
    wait_minutes: int

    @property
    def window_minutes(self) -> int:
        return int(self.window.total_seconds() // 60)

    @property
    def exhausted(self) -> bool:
        return self.remaining <= 0

    @property
    def rule(self) -> str:
        """ "New members can post 3 times per 10 minutes during their first day." """
        return _rule_text(self)

    @property
    def message(self) -> str:
        """What the reply and new-thread forms say before the limit is hit."""
        if self.exhausted:
            return ngettext(
                "You can post again in %(num)d minute.",
                "You can post again in %(num)d minutes.",
                self.wait_minutes,
            )
        minutes = self.window_minutes
        within = (
            gettext("in the next minute")
            if minutes == 1
            else gettext("in the next %(num)d minutes", num=minutes)
        )
        return ngettext(
            "You can post %(num)d more time %(within)s.",
            "You can post %(num)d more times %(within)s.",
            self.remaining,
            within=within,
        )


def posting_allowance(
    session: Session,
    actor: User,
    *,
    limits: PostingLimits | None = None,
    now: datetime | None = None,
) -> PostingAllowance | None:
    """What a new member may still post now, or None when they are not limited.

    New members may start threads and reply only ``limits.posts`` times per
    ``limits.window`` during their first ``limits.new_member_period``; organisers, admins
    and members past their first day are not limited (nor anyone when the limit is 0).
    Counts the member's posts (deleted ones too) in the window from the database,
    wherever the features that registered a posting source keep them, so it holds
    across processes. ``check_can_post`` refuses when nothing remains.
    """
    if actor.is_organiser:  # organisers and admins
        return None
    limits = limits or PostingLimits.from_config()
    if limits.posts <= 0:
        return None
    now = now or utcnow()
    new_until = actor.created_at + limits.new_member_period
    if now >= new_until:
        return None
    since = now - limits.window
    times = sorted(
        moment
        for times_of in _posting_sources.values()
        for moment in times_of(session, actor.id, since)
    )
    remaining = max(0, limits.posts - len(times))
    wait_minutes = 0
    if not remaining:
        # The oldest posts must leave the window until fewer than the limit remain.
        free_at = min(times[len(times) - limits.posts] + limits.window, new_until)
        wait_minutes = max(1, math.ceil((free_at - now).total_seconds() / 60))
    return PostingAllowance(
        limit=limits.posts,
        remaining=remaining,
        window=limits.window,
        new_member_period=limits.new_member_period,
        wait_minutes=wait_minutes,
    )


def check_can_post(
    session: Session,
    actor: User,
    *,
    limits: PostingLimits | None = None,
    now: datetime | None = None,
) -> None:
    """Refuse a new member's post once their allowance is used up (``posting_allowance``).

    Raises PostingTooFast (429) stating the rule and when the member can post again.
    """
    allowance = posting_allowance(session, actor, limits=limits, now=now)
    if allowance is not None and allowance.exhausted:
        raise PostingTooFast(f"{allowance.rule} {allowance.message}")


def _rule_text(allowance: PostingAllowance) -> str:
    minutes = allowance.window_minutes
    hours = int(allowance.new_member_period.total_seconds() // 3600)
    per = gettext("per minute") if minutes == 1 else gettext("per %(num)d minutes", num=minutes)
    if hours % 24 == 0:
        days = hours // 24
        first = (
            gettext("their first day")
            if days == 1
            else gettext("their first %(num)d days", num=days)
        )
    else:
        first = (
            gettext("their first hour")
            if hours == 1
            else gettext("their first %(num)d hours", num=hours)
        )
    if allowance.limit == 1:
        return gettext("New members can post once %(per)s during %(first)s.", per=per, first=first)
    if allowance.limit == 2:
        return gettext("New members can post twice %(per)s during %(first)s.", per=per, first=first)
    return gettext(
        "New members can post %(count)d times %(per)s during %(first)s.",
        count=allowance.limit,
        per=per,
        first=first,
    )
