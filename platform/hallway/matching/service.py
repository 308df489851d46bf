"""Who to meet and why: the matching rules over the index.

Hard rules: only members who opted in (``MemberProfile.matchable``) and whose profile is
not private are ever suggested or get suggestions; never oneself; never someone blocked
in either direction, nor someone the viewer dismissed with "not for me"; a novice only
reaches people who accept novice requests (and the other way round); people already
talking to the viewer (an open or accepted meeting request) are not suggested again.

Each process keeps its index in memory. A change (profile, RSVP, block, dismissal)
queues ``jobs.refresh_members``, which logs the members in ``matching_index_changes``
and bumps the ``matching-index`` content version; the next query in any process sees the
new version and re-reads only those members (or rebuilds when too much moved). Blocks,
dismissals, feedback and pending requests are read per query, so they apply at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from flask_babel import gettext, lazy_gettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core.errors import InvalidInput, NotFound
from hallway.core.i18n import current_locale_name
from hallway.db import utcnow
from hallway.discussions.models import Comment, Thread
from hallway.events.models import Event, Rsvp, RsvpStatus
from hallway.matching import jobs
from hallway.matching.index import MatchIndex, MemberRecord, build_index
from hallway.matching.models import MatchDismissal, MatchIndexChange
from hallway.matching.reasons import reasons_for
from hallway.matching.scoring import explain_pair
from hallway.meetings.models import MeetingFeedback, MeetingRequest, MeetingStatus
from hallway.members.models import (
    IntentDirection,
    MemberIntent,
    MemberProfile,
    MemberTag,
    ProfileVisibility,
    TagKind,
)
from hallway.moderation.models import Block
from hallway.moderation.service import blocked_either_way

logger = logging.getLogger(__name__)

INDEX_VERSION = jobs.INDEX_VERSION
#: More changed members than this share of the index: rebuild rather than patch.
_MAX_INCREMENTAL_SHARE = 0.2
#: Extra candidates fetched in case some withdrew their consent since the index saw them.
_SPARE = 5

DISMISS_REASONS: Mapping[str, Any] = {
    "already_know": lazy_gettext("We already know each other"),
    "not_relevant": lazy_gettext("Not relevant to what I am looking for"),
    "wrong_stage": lazy_gettext("Not the right career stage"),
    "other": lazy_gettext("Another reason"),
}
MAX_NOTE_LENGTH = 300
#: How much of what members post goes into their text: the latest few posts, cut short.
_POSTS_PER_MEMBER = 5
_POST_TEXT_LENGTH = 3000
_OPEN_OR_MET = (MeetingStatus.pending, MeetingStatus.countered, MeetingStatus.accepted)
_PENDING = (MeetingStatus.pending, MeetingStatus.countered)


@dataclass(frozen=True)
class Suggestion:
    """Someone to meet, how well they match (factors) and why (sentences)."""

    user_id: int
    score: float
    factors: dict[str, float]
    reasons: list[str]


# --------------------------------------------------------------------------------------
# Reading members from the database (one pass)
# --------------------------------------------------------------------------------------


def _matchable() -> tuple[Any, ...]:
    return (
        MemberProfile.matchable.is_(True),
        MemberProfile.visibility != ProfileVisibility.private,
    )


def member_records(
    session: Session, user_ids: Iterable[int] | None = None, *, only_matchable: bool = True
) -> list[MemberRecord]:
    """Members as index records: all who may be matched, or just `user_ids` among them
    (``only_matchable=False``: those ids whatever their consent, for scoring a given
    group such as a mentoring round)."""
    wanted = None if user_ids is None else sorted(set(user_ids))
    if wanted is not None and not wanted:
        return []
    conditions: list[Any] = list(_matchable()) if only_matchable else []
    if wanted is not None:
        conditions.append(MemberProfile.user_id.in_(wanted))

    profiles = session.execute(
        select(
            MemberProfile.user_id,
            User.display_name,
            MemberProfile.career_stage,
            MemberProfile.sector,
            MemberProfile.headline,
            MemberProfile.role,
            MemberProfile.bio,
            MemberProfile.time_zone,
            MemberProfile.novices_may_request,
        )
        .join(User, User.id == MemberProfile.user_id)
        .where(*conditions)
        .order_by(MemberProfile.user_id)
    ).all()
    if not profiles:
        return []
    in_scope = select(MemberProfile.user_id).where(*conditions)

    tags: dict[int, dict[TagKind, list[str]]] = {}
    for user_id, kind, value in session.execute(
        select(MemberTag.user_id, MemberTag.kind, MemberTag.value)
        .where(
            MemberTag.kind.in_((TagKind.interest, TagKind.network)),
            MemberTag.user_id.in_(in_scope),
        )
        .order_by(MemberTag.user_id, MemberTag.position, MemberTag.id)
    ):
        tags.setdefault(user_id, {}).setdefault(kind, []).append(value)

    intents: dict[int, dict[IntentDirection, list[str]]] = {}
    for user_id, direction, code in session.execute(
        select(MemberIntent.user_id, MemberIntent.direction, MemberIntent.intent)
        .where(MemberIntent.user_id.in_(in_scope))
        .order_by(MemberIntent.user_id, MemberIntent.position)
    ):
        intents.setdefault(user_id, {}).setdefault(direction, []).append(code)

    events: dict[int, list[int]] = {}
    for user_id, event_id in session.execute(
        select(Rsvp.user_id, Rsvp.event_id)
        .join(Event, Event.id == Rsvp.event_id)
        .where(
            Rsvp.status == RsvpStatus.going,
            Event.cancelled_at.is_(None),
            Event.ends_at > utcnow(),
            Rsvp.user_id.in_(in_scope),
        )
        .order_by(Rsvp.user_id, Rsvp.event_id)
    ):
        events.setdefault(user_id, []).append(event_id)

    posts = _recent_posts(session, in_scope)

    records = []
    for row in profiles:
        user_id = row.user_id
        member_tags = tags.get(user_id, {})
        member_intents = intents.get(user_id, {})
        records.append(
            MemberRecord(
                user_id=user_id,
                name=row.display_name,
                career_stage=row.career_stage,
                sector=row.sector,
                interests=tuple(member_tags.get(TagKind.interest, ())),
                networks=tuple(member_tags.get(TagKind.network, ())),
                looking_for=tuple(member_intents.get(IntentDirection.looking_for, ())),
                offering=tuple(member_intents.get(IntentDirection.offering, ())),
                text="\n".join(
                    part
                    for part in (row.headline, row.role, row.bio, posts.get(user_id, ""))
                    if part
                ),
                time_zone=row.time_zone,
                events=tuple(events.get(user_id, ())),
                novices_may_request=row.novices_may_request,
            )
        )
    return records


def _recent_posts(session: Session, authors: Any) -> dict[int, str]:
    """{member: the text of their latest few threads and comments} (not hidden or deleted),
    cut to a few thousand characters: what they write about, in their own words."""
    parts = []
    for model, text in (
        (Thread, Thread.title + "\n" + Thread.body),
        (Comment, Comment.body),
    ):
        ranked = (
            select(
                model.author_id.label("user_id"),
                text.label("text"),
                func.row_number()
                .over(partition_by=model.author_id, order_by=(model.created_at.desc(), model.id))
                .label("recent"),
            )
            .where(
                model.author_id.in_(authors), model.hidden_at.is_(None), model.deleted_at.is_(None)
            )
            .subquery()
        )
        parts.append(
            select(ranked.c.user_id, ranked.c.text).where(ranked.c.recent <= _POSTS_PER_MEMBER)
        )
    texts: dict[int, list[str]] = {}
    for statement in parts:
        for user_id, text in session.execute(statement):
            texts.setdefault(user_id, []).append(text)
    return {user_id: "\n".join(pieces)[:_POST_TEXT_LENGTH] for user_id, pieces in texts.items()}


def _event_titles(session: Session, event_ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(event_ids))
    if not wanted:
        return {}
    return dict(session.execute(select(Event.id, Event.title).where(Event.id.in_(wanted))).all())


def build_from_database(session: Session, **options: Any) -> MatchIndex:
    """A fresh index of every member who may be matched."""
    records = member_records(session)
    titles = _event_titles(session, (event for record in records for event in record.events))
    return build_index(records, event_titles=titles, **options)


# --------------------------------------------------------------------------------------
# This process's index, kept in step with the database
# --------------------------------------------------------------------------------------


@dataclass
class _Cached:
    index: MatchIndex
    version: int
    last_change: int
    #: The id of the change-log row this process wrote when it built the index: if it is
    #: gone, the database is not the one the index was built from (a reset, or a test's
    #: rolled-back transaction), whatever the version says.
    marker: int


#: ``matching_index_changes.user_id`` of the rows marking an index build (not a member).
BUILD_MARKER = 0


_cache: dict[str, _Cached] = {}
#: Held while an index is patched or read: a reader never sees half-updated rows.
_lock = threading.RLock()


def _cache_key(session: Session) -> str:
    bind: Any = session.get_bind()
    return str(getattr(bind, "engine", bind).url)


def _database_version(session: Session) -> int:
    return jobs.index_version(session)


def _last_change(session: Session) -> int:
    return session.scalar(select(func.max(MatchIndexChange.id))) or 0


def _new_marker(session: Session) -> int:
    marker = MatchIndexChange(user_id=BUILD_MARKER)
    session.add(marker)
    session.flush()
    return marker.id


def _marker_exists(session: Session, marker: int) -> bool:
    return (
        session.scalar(select(MatchIndexChange.id).where(MatchIndexChange.id == marker)) is not None
    )


def refresh_rows(session: Session, index: MatchIndex, user_ids: Iterable[int]) -> None:
    """Re-read some members into the index: changed ones replaced, gone ones removed."""
    wanted = set(user_ids)
    records = member_records(session, wanted)
    index.update(records)
    index.remove(wanted - {record.user_id for record in records})
    missing = {e for record in records for e in record.events} - set(index.event_titles)
    index.event_titles.update(_event_titles(session, missing))


def current_index(session: Session) -> MatchIndex:
    """This process's index, brought up to date with the database first if needed."""
    key = _cache_key(session)
    version = _database_version(session)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and not _marker_exists(session, cached.marker):
            cached = None
        if cached is not None and cached.version == version:
            return cached.index
        if cached is not None and 0 < version - cached.version <= jobs.MAX_INCREMENTAL_VERSIONS:
            changed = set(
                session.scalars(
                    select(MatchIndexChange.user_id).where(
                        MatchIndexChange.id > cached.last_change,
                        MatchIndexChange.user_id != BUILD_MARKER,
                    )
                )
            )
            if len(changed) <= max(10, _MAX_INCREMENTAL_SHARE * cached.index.size):
                last = _last_change(session)
                refresh_rows(session, cached.index, changed)
                cached.version, cached.last_change = version, last
                return cached.index
        started = time.perf_counter()
        last = _last_change(session)
        index = build_from_database(session)
        _cache[key] = _Cached(index, version, last, _new_marker(session))
        logger.info(
            "Matching index built: %d members in %.2f s", index.size, time.perf_counter() - started
        )
        return index


def forget_cached_index() -> None:
    """Drop every process-local index (the next query rebuilds) and the reasons kept."""
    with _lock:
        _cache.clear()
    with _kept_lock:
        _kept_reasons.clear()


# --------------------------------------------------------------------------------------
# Per-viewer facts read at query time
# --------------------------------------------------------------------------------------


def dismissals_of(session: Session, viewer_id: int) -> dict[int, str | None]:
    """{dismissed member: reason} for one viewer."""
    return dict(
        session.execute(
            select(MatchDismissal.dismissed_id, MatchDismissal.reason).where(
                MatchDismissal.viewer_id == viewer_id
            )
        ).all()
    )


def dismissed_ids(session: Session, viewer_id: int) -> set[int]:
    return set(dismissals_of(session, viewer_id))


def pending_incoming(session: Session, user_ids: Sequence[int]) -> dict[int, int]:
    """How many open requests wait for each of these members' answer."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(MeetingRequest.recipient_id, func.count())
        .where(MeetingRequest.recipient_id.in_(user_ids), MeetingRequest.status.in_(_PENDING))
        .group_by(MeetingRequest.recipient_id)
    )
    return {user_id: int(count) for user_id, count in rows}


def _may_be_matched(session: Session, user_id: int) -> bool:
    row = session.execute(
        select(MemberProfile.matchable, MemberProfile.visibility).where(
            MemberProfile.user_id == user_id
        )
    ).first()
    return row is not None and row.matchable and row.visibility is not ProfileVisibility.private


def _record_of(session: Session, index: MatchIndex, user_id: int) -> MemberRecord | None:
    row = index.row_of.get(user_id)
    if row is not None and index.active[row]:
        return index.records[row]
    found = member_records(session, [user_id], only_matchable=False)
    return found[0] if found else None


# --------------------------------------------------------------------------------------
# Suggestions and reasons
# --------------------------------------------------------------------------------------


def suggestions(
    session: Session, viewer: User, *, event_id: int | None = None, limit: int = 10
) -> list[Suggestion]:
    """The people `viewer` should meet, best first, each with factors and reasons.

    Nothing for a member who has not opted in (or whose profile is private): matching is
    mutual. With `event_id`, only people going to that event.
    """
    if limit <= 0 or not _may_be_matched(session, viewer.id):
        return []
    facts = _ViewerFacts.load(session, {viewer.id})
    with _lock:
        index = current_index(session)
        _read_newcomers(session, index, [viewer.id])
        if viewer.id not in index.row_of:
            return []
        found = _candidates(
            index,
            viewer.id,
            facts,
            limit=limit,
            event_id=event_id,
            pending_counts=lambda ids: pending_incoming(session, ids),
        )
        still_matchable = _still_matchable(session, [other_id for other_id, _ in found])
        found = [(other_id, score) for other_id, score in found if other_id in still_matchable]
        viewer_record = index.records[index.row_of[viewer.id]]
        picked = []
        for other_id, score in found[:limit]:
            factors = index.factors(viewer.id, other_id)
            factors["score"] = score
            picked.append((other_id, score, factors, index.records[index.row_of[other_id]]))
    return [
        Suggestion(
            user_id=other_id,
            score=round(score, 4),
            factors={name: round(value, 4) for name, value in factors.items()},
            reasons=_reasons(session, index, viewer_record, other),
        )
        for other_id, score, factors, other in picked
    ]


def members_with_suggestions(
    session: Session, user_ids: Iterable[int], *, event_id: int | None = None
) -> set[int]:
    """Which of these members would be shown at least one suggestion (``suggestions``
    with ``limit=1`` not empty), worked out for all of them at once: a few statements
    whatever their number, for the organisers' dashboard of a large event."""
    viewer_ids = set(
        session.scalars(
            select(MemberProfile.user_id).where(
                MemberProfile.user_id.in_(set(user_ids)), *_matchable()
            )
        )
    )
    if not viewer_ids:
        return set()
    facts = _ViewerFacts.load(session, viewer_ids)
    found: dict[int, set[int]] = {}
    with _lock:
        index = current_index(session)
        _read_newcomers(session, index, viewer_ids)
        pending = _pending_counts_for(session, index, event_id)
        for viewer_id in sorted(viewer_ids & set(index.row_of)):
            found[viewer_id] = {
                other_id
                for other_id, _score in _candidates(
                    index, viewer_id, facts, limit=1, event_id=event_id, pending_counts=pending
                )
            }
    still_matchable = _still_matchable(session, set().union(*found.values()))
    return {viewer_id for viewer_id, others in found.items() if others & still_matchable}


def _read_newcomers(session: Session, index: MatchIndex, user_ids: Iterable[int]) -> None:
    """Members who opted in a moment ago (the index's job is on its way): read them now."""
    absent = []
    for user_id in user_ids:
        row = index.row_of.get(user_id)
        if row is None or not index.active[row]:
            absent.append(user_id)
    if absent:
        refresh_rows(session, index, absent)


def _candidates(
    index: MatchIndex,
    viewer_id: int,
    facts: _ViewerFacts,
    *,
    limit: int,
    event_id: int | None,
    pending_counts: Callable[[list[int]], Mapping[int, int]],
) -> list[tuple[int, float]]:
    """The best ``limit`` others for the viewer, and a few spare ones in case some
    withdrew their consent since the index saw them (``_still_matchable``)."""
    return index.top_matches(
        viewer_id,
        limit=limit + _SPARE,
        event_id=event_id,
        exclude=facts.excluded[viewer_id],
        dismissed=facts.dismissed[viewer_id],
        feedback=facts.feedback[viewer_id],
        pending_counts=pending_counts,
    )


def _still_matchable(session: Session, user_ids: Iterable[int]) -> set[int]:
    """Which of these still consent: the index may lag a change by a moment (its job
    runs after the commit), so the consent itself is checked on the few people found."""
    wanted = set(user_ids)
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(MemberProfile.user_id).where(MemberProfile.user_id.in_(wanted), *_matchable())
        )
    )


@dataclass
class _ViewerFacts:
    """What rules people out for each viewer, or ranks them lower, read for any number
    of viewers in four statements: blocks and meetings under way (either way),
    dismissals, and feedback after meetings."""

    excluded: dict[int, set[int]]
    dismissed: dict[int, dict[int, str | None]]
    feedback: dict[int, dict[int, bool]]

    @classmethod
    def load(cls, session: Session, viewer_ids: set[int]) -> _ViewerFacts:
        facts = cls(
            excluded={each: set() for each in viewer_ids},
            dismissed={each: {} for each in viewer_ids},
            feedback={each: {} for each in viewer_ids},
        )
        blocks = session.execute(
            select(Block.blocker_id, Block.blocked_id).where(
                or_(Block.blocker_id.in_(viewer_ids), Block.blocked_id.in_(viewer_ids))
            )
        )
        contacts = session.execute(
            select(MeetingRequest.sender_id, MeetingRequest.recipient_id).where(
                or_(
                    MeetingRequest.sender_id.in_(viewer_ids),
                    MeetingRequest.recipient_id.in_(viewer_ids),
                ),
                MeetingRequest.status.in_(_OPEN_OR_MET),
            )
        )
        for one, other in (*blocks, *contacts):  # either way, as blocked_either_way
            if one in viewer_ids:
                facts.excluded[one].add(other)
            if other in viewer_ids:
                facts.excluded[other].add(one)
        for viewer_id, dismissed_id, reason in session.execute(
            select(
                MatchDismissal.viewer_id, MatchDismissal.dismissed_id, MatchDismissal.reason
            ).where(MatchDismissal.viewer_id.in_(viewer_ids))
        ):
            facts.dismissed[viewer_id][dismissed_id] = reason
        for author_id, about_id, useful in session.execute(
            select(MeetingFeedback.author_id, MeetingFeedback.about_id, MeetingFeedback.useful)
            .where(MeetingFeedback.author_id.in_(viewer_ids))
            .order_by(MeetingFeedback.created_at, MeetingFeedback.id)
        ):
            facts.feedback[author_id][about_id] = useful  # the latest answer counts
        return facts


def _pending_counts_for(
    session: Session, index: MatchIndex, event_id: int | None
) -> Callable[[list[int]], Mapping[int, int]]:
    """``top_matches``' ``pending_counts`` for many viewers: an event's candidates are
    its people, read once; without an event, each count is read once when first asked."""
    known: dict[int, int] = {}
    if event_id is not None:
        people = [int(index.user_ids[row]) for row in index.event_rows(event_id)]
        known = {each: 0 for each in people} | pending_incoming(session, people)

    def counts(user_ids: list[int]) -> Mapping[int, int]:
        unknown = [each for each in user_ids if each not in known]
        if unknown:
            known.update({each: 0 for each in unknown} | pending_incoming(session, unknown))
        return known

    return counts


def _reasons(
    session: Session, index: MatchIndex, viewer: MemberRecord, other: MemberRecord
) -> list[str]:
    explanation = explain_pair(index, viewer, other)
    titles = {
        e: index.event_titles[e] for e in explanation.shared_events if e in index.event_titles
    }
    missing = [e for e in explanation.shared_events if e not in titles]
    titles.update(_event_titles(session, missing))
    return reasons_for(explanation, other_name=other.name, event_titles=titles)


def pair_reasons(
    session: Session, viewer: User, other_id: int, *, index_version: int = 0
) -> list[str]:
    """Why `viewer` and another member match, in sentences from the viewer's side (the
    other member calling this with the viewer's id gets the same facts turned to them).
    Empty when either has no profile, the other's profile is private, or either blocked
    the other.

    With ``index_version`` (the index's content version, read by the caller before
    anything else), the sentences are kept per pair and language until that version
    changes: they come from the index, which changes only with it. The rules above are
    checked on every call.
    """
    if other_id in blocked_either_way(session, viewer.id):
        return []
    # A profile page loaded the profile already: get() finds it without a query.
    other = session.get(MemberProfile, other_id)
    if other is None or other.visibility is ProfileVisibility.private:
        return []
    key = (_cache_key(session), current_locale_name(), viewer.id, other_id)
    if index_version:
        with _kept_lock:
            kept = _kept_reasons.get(key)
            if kept is not None and kept[0] == index_version:
                _kept_reasons.move_to_end(key)
                return list(kept[1])
    with _lock:
        index = current_index(session)
        mine = _record_of(session, index, viewer.id)
        theirs = _record_of(session, index, other_id)
    if mine is None or theirs is None or mine.user_id == theirs.user_id:
        reasons = []
    else:
        reasons = _reasons(session, index, mine, theirs)
    if index_version:
        with _kept_lock:
            _kept_reasons[key] = (index_version, tuple(reasons))
            _kept_reasons.move_to_end(key)
            while len(_kept_reasons) > _KEPT_PAIRS:
                _kept_reasons.popitem(last=False)
    return reasons


#: Pairs' reasons kept by ``pair_reasons``: {(database, language, viewer, other): (index
#: version, reasons)}, the least recently used dropped beyond ``_KEPT_PAIRS``.
_kept_reasons: OrderedDict[tuple[str, str, int, int], tuple[int, tuple[str, ...]]] = OrderedDict()
_kept_lock = threading.Lock()
_KEPT_PAIRS = 4096


def pair_factors(session: Session, viewer: User, other_id: int) -> dict[str, float]:
    """The factors of a pair from the viewer's side ({} unless both are in the index)."""
    with _lock:
        index = current_index(session)
        for user_id in (viewer.id, other_id):
            row = index.row_of.get(user_id)
            if row is None or not index.active[row]:
                return {}
        return index.factors(viewer.id, other_id)


def pair_scores(
    session: Session, mentee_ids: Sequence[int], mentor_ids: Sequence[int]
) -> np.ndarray:
    """Match quality of each mentee (rows) with each mentor (columns), for assignments.

    Everyone named is scored from their profile whatever their matching consent (the
    organiser chose them); 0 where a hard rule forbids the pair: the same person, a
    block either way, or a novice and someone who does not accept novice requests.
    """
    with _lock:
        index = current_index(session)
    people = sorted(set(mentee_ids) | set(mentor_ids))
    records = member_records(session, people, only_matchable=False)
    scores = index.sibling(records).pair_scores(list(mentee_ids), list(mentor_ids))
    if not scores.size:
        return scores
    rows = {user_id: i for i, user_id in enumerate(mentee_ids)}
    columns = {user_id: j for j, user_id in enumerate(mentor_ids)}
    blocks = session.execute(
        select(Block.blocker_id, Block.blocked_id).where(
            Block.blocker_id.in_(people), Block.blocked_id.in_(people)
        )
    )
    for first, second in blocks:
        for mentee, mentor in ((first, second), (second, first)):
            if mentee in rows and mentor in columns:
                scores[rows[mentee], columns[mentor]] = 0.0
    return scores


# --------------------------------------------------------------------------------------
# "Not for me"
# --------------------------------------------------------------------------------------


def dismiss(
    session: Session,
    *,
    actor: User,
    other_id: int,
    reason: str | None = None,
    note: str = "",
) -> MatchDismissal:
    """The member says "not for me" about a suggestion: that person is never suggested
    to them again, and people like them come lower (unless the reason is that they
    already know each other). Saying it again updates the reason."""
    errors: dict[str, list[str]] = {}
    reason = reason or None
    if reason is not None and reason not in DISMISS_REASONS:
        errors["reason"] = [gettext("Choose one of the reasons offered.")]
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        errors["note"] = [
            gettext("Keep the note under %(count)d characters.", count=MAX_NOTE_LENGTH)
        ]
    if other_id == actor.id:
        errors["other_id"] = [gettext("You can't dismiss yourself.")]
    if errors:
        raise InvalidInput(gettext("Please correct the highlighted fields."), errors)
    if session.get(User, other_id) is None:
        raise NotFound(gettext("That member does not exist."))
    dismissal = session.get(MatchDismissal, (actor.id, other_id))
    if dismissal is None:
        dismissal = MatchDismissal(viewer_id=actor.id, dismissed_id=other_id, created_at=utcnow())
        session.add(dismissal)
    dismissal.reason, dismissal.note = reason, note
    session.flush()
    jobs.members_changed(session, [actor.id])
    return dismissal


def undismiss(session: Session, *, actor: User, other_id: int) -> None:
    """Take back a "not for me"."""
    dismissal = session.get(MatchDismissal, (actor.id, other_id))
    if dismissal is None:
        raise NotFound(gettext("You have not dismissed that member."))
    session.delete(dismissal)
    session.flush()
    jobs.members_changed(session, [actor.id])


def dismissals(session: Session, *, actor: User) -> list[MatchDismissal]:
    """The member's "not for me" answers, most recent first."""
    return list(
        session.scalars(
            select(MatchDismissal)
            .where(MatchDismissal.viewer_id == actor.id)
            .order_by(MatchDismissal.created_at.desc(), MatchDismissal.dismissed_id)
        )
    )
