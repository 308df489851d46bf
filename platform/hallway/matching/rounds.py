"""The mentoring round's assignment: which mentee meets which mentor.

Pure functions over numbers (no database, no Flask), so the service, the tests and the
benchmark (``make bench``: 1,000 mentees x 300 mentors) run the same code.

The organiser's goal, in this order:

1. as many mentees as possible get a mentor (a round that leaves someone out to raise
   the average would surprise everyone);
2. among those assignments, the greatest total match quality (the sum of the pairs'
   scores, from the matching service's ``pair_scores``).

Rules that always hold: each mentee gets at most one mentor, a mentor gets at most
their capacity, and a forbidden pair (blocked, novice requests refused, oneself, or a
score that is not a finite number) is never assigned.

``optimal_assignment`` solves it exactly with ``scipy.optimize.linear_sum_assignment`` on
a capacity-expanded cost matrix: one column per mentor seat, plus one "nobody" column per
mentee so that staying unassigned is always possible and a forbidden pair never has to
be taken. Each real seat's cost is ``-(score + bonus)`` where the bonus outweighs any
difference in total score, which makes "more mentees assigned" win first.
``greedy_assignment`` is the baseline the benchmark compares it with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.core.validation import N_
from hallway.db import utcnow
from hallway.events import service as events_service
from hallway.events.models import Event, Rsvp, RsvpStatus
from hallway.matching.round_models import (
    MentoringRound,
    MentoringRoundPair,
    MentoringRoundPerson,
    RoundRole,
    RoundStatus,
)
from hallway.members.models import MemberProfile
from hallway.members.privacy import NOVICE
from hallway.moderation.models import Block

#: The cost of a forbidden seat: above every "nobody" seat (cost 0), so never chosen.
FORBIDDEN_COST = 1e9


@dataclass(frozen=True)
class Assignment:
    """Pairs as (mentee index, mentor index), by mentee index; the rest unassigned."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    total: float = 0.0
    unassigned: list[int] = field(default_factory=list)

    def mentor_of(self, mentee: int) -> int | None:
        for row, column in self.pairs:
            if row == mentee:
                return column
        return None


def _checked(
    scores: ArrayLike, capacities: Sequence[int], allowed: ArrayLike | None
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.bool_]]:
    matrix = np.asarray(scores, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("scores must be a mentees x mentors matrix")
    seats = np.asarray(list(capacities), dtype=np.int64)
    if seats.shape != (matrix.shape[1],):
        raise ValueError("one capacity per mentor")
    if (seats < 0).any():
        raise ValueError("capacities cannot be negative")
    usable = np.isfinite(matrix)
    if allowed is not None:
        mask = np.asarray(allowed, dtype=bool)
        if mask.shape != matrix.shape:
            raise ValueError("allowed must have the shape of scores")
        usable &= mask
    return np.where(usable, matrix, 0.0), seats, usable


def _assignment(
    matrix: NDArray[np.float64], pairs: list[tuple[int, int]], mentees: int
) -> Assignment:
    pairs.sort()
    assigned = {row for row, _ in pairs}
    total = float(sum(matrix[row, column] for row, column in pairs))
    return Assignment(
        pairs=pairs,
        total=total,
        unassigned=[row for row in range(mentees) if row not in assigned],
    )


def optimal_assignment(
    scores: ArrayLike, capacities: Sequence[int], allowed: ArrayLike | None = None
) -> Assignment:
    """The assignment with the most mentees assigned, then the greatest total score.

    ``scores[i, j]``: how good mentor ``j`` is for mentee ``i`` (finite; NaN or -inf
    forbids the pair); ``capacities[j]``: how many mentees mentor ``j`` takes;
    ``allowed``: an optional boolean mask, False forbids a pair.
    """
    matrix, seats, usable = _checked(scores, capacities, allowed)
    mentees, _ = matrix.shape
    if mentees == 0 or seats.sum() == 0 or not usable.any():
        return _assignment(matrix, [], mentees)
    # A mentor with more seats than mentees never fills the extra ones.
    seats = np.minimum(seats, mentees)
    seat_mentor = np.repeat(np.arange(len(seats)), seats)
    # Two assignments' totals differ by less than (2n + 1) x the largest |score|.
    bonus = (2 * mentees + 1) * float(np.abs(matrix[usable]).max()) + 1.0
    seat_costs = np.where(usable[:, seat_mentor], -(matrix[:, seat_mentor] + bonus), FORBIDDEN_COST)
    nobody = np.zeros((mentees, mentees))
    rows, columns = linear_sum_assignment(np.hstack([seat_costs, nobody]))
    pairs = [
        (int(row), int(seat_mentor[column]))
        for row, column in zip(rows, columns, strict=True)
        if column < len(seat_mentor) and usable[row, seat_mentor[column]]
    ]
    return _assignment(matrix, pairs, mentees)


def greedy_assignment(
    scores: ArrayLike, capacities: Sequence[int], allowed: ArrayLike | None = None
) -> Assignment:
    """The baseline: take the best remaining allowed pair while its mentee is free and
    its mentor has a seat left. Fast, but neither the most assigned nor the best total."""
    matrix, seats, usable = _checked(scores, capacities, allowed)
    mentees, _ = matrix.shape
    rows, columns = np.nonzero(usable)
    order = np.argsort(-matrix[rows, columns], kind="stable")
    left = seats.copy()
    taken = np.zeros(mentees, dtype=bool)
    seats_left = int(left.sum())
    pairs: list[tuple[int, int]] = []
    for index in order:
        if len(pairs) == mentees or seats_left == 0:
            break
        row, column = int(rows[index]), int(columns[index])
        if taken[row] or left[column] <= 0:
            continue
        taken[row] = True
        left[column] -= 1
        seats_left -= 1
        pairs.append((row, column))
    return _assignment(matrix, pairs, mentees)


# --- The round service: the organiser's round, stored, edited and published -------------
# Takes ``session`` and an explicit ``actor``; adds and flushes, never commits.


@dataclass(frozen=True)
class RoundInput:
    """What the organiser chose: the round's meeting details and who takes part."""

    title: str
    starts_at: datetime
    duration_minutes: int
    place: str
    message: str
    mentee_ids: list[int]
    #: mentor id -> how many mentees they take
    mentor_capacities: dict[int, int]


def _require_manager(actor: Any, event: Event) -> None:
    if not events_service.can_manage(actor, event):
        raise NotAllowed(N_("Only this event's organisers can do that."))


def round_in_event(session: Session, viewer: Any, raw: Any, event: Event) -> MentoringRound:
    """Loader (``@loads(..., within="event")``): a round of this event, for its organisers."""
    _require_manager(viewer, event)
    try:
        round_id = int(raw)
    except (TypeError, ValueError):
        raise NotFound(N_("No such mentoring round.")) from None
    found = session.get(MentoringRound, round_id) if 0 < round_id < 2**31 else None
    if found is None or found.event_id != event.id:
        raise NotFound(N_("No such mentoring round."))
    return found


def rounds_of(session: Session, *, actor: Any, event: Event) -> list[MentoringRound]:
    _require_manager(actor, event)
    return list(
        session.scalars(
            select(MentoringRound)
            .where(MentoringRound.event_id == event.id)
            .order_by(MentoringRound.created_at.desc(), MentoringRound.id.desc())
        )
    )


def going_ids(session: Session, event: Event) -> set[int]:
    return set(
        session.scalars(
            select(Rsvp.user_id).where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.going)
        )
    )


def _check_people(session: Session, event: Event, data: RoundInput) -> None:
    errors: dict[str, list[str]] = {}
    if not data.mentee_ids:
        errors["mentees"] = [N_("Choose at least one mentee.")]
    if not data.mentor_capacities:
        errors["mentors"] = [N_("Choose at least one mentor.")]
    if set(data.mentee_ids) & set(data.mentor_capacities):
        errors.setdefault("mentors", []).append(
            N_("Someone cannot be a mentee and a mentor in the same round.")
        )
    if any(capacity < 1 or capacity > MAX_CAPACITY for capacity in data.mentor_capacities.values()):
        errors.setdefault("mentors", []).append(N_("A mentor takes between 1 and 20 mentees."))
    going = going_ids(session, event)
    if not (set(data.mentee_ids) | set(data.mentor_capacities)) <= going:
        errors.setdefault("mentees", []).append(
            N_("Everyone in a round must be going to the event.")
        )
    if errors:
        raise InvalidInput(N_("Please correct the highlighted fields."), errors)


def _check_time(event: Event, data: RoundInput) -> None:
    if data.starts_at < event.starts_at or data.starts_at >= event.ends_at:
        message = N_("The meetings must start during the event.")
        raise InvalidInput(message, {"starts_at": [message]})


#: The most mentees one mentor may take in a round.
MAX_CAPACITY = 20


def create_round(session: Session, *, actor: Any, event: Event, data: RoundInput) -> MentoringRound:
    """The organiser starts a round among people going; the best assignment is computed
    at once (a draft: nothing is sent until it is published)."""
    _require_manager(actor, event)
    _check_time(event, data)
    _check_people(session, event, data)
    mentoring_round = MentoringRound(
        event_id=event.id,
        created_by_id=actor.id,
        title=data.title,
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        place=data.place,
        message=data.message,
    )
    mentoring_round.people = [
        MentoringRoundPerson(user_id=user_id, role=RoundRole.mentee, capacity=0)
        for user_id in dict.fromkeys(data.mentee_ids)
    ] + [
        MentoringRoundPerson(user_id=user_id, role=RoundRole.mentor, capacity=capacity)
        for user_id, capacity in data.mentor_capacities.items()
    ]
    session.add(mentoring_round)
    session.flush()
    assign(session, actor=actor, mentoring_round=mentoring_round)
    return mentoring_round


def mentee_ids_of(mentoring_round: MentoringRound) -> list[int]:
    return sorted(p.user_id for p in mentoring_round.people if p.role is RoundRole.mentee)


def mentor_capacities_of(mentoring_round: MentoringRound) -> dict[int, int]:
    return {
        p.user_id: p.capacity
        for p in sorted(mentoring_round.people, key=lambda person: person.user_id)
        if p.role is RoundRole.mentor
    }


def _forbidden_mask(
    session: Session, mentee_ids: list[int], mentor_ids: list[int]
) -> NDArray[np.bool_]:
    """True where a pair may never be assigned: oneself, a block either way, or a
    novice mentee and a mentor who does not take novices' requests."""
    people = set(mentee_ids) | set(mentor_ids)
    blocked = {
        (blocker, blocked)
        for blocker, blocked in session.execute(
            select(Block.blocker_id, Block.blocked_id).where(
                Block.blocker_id.in_(people), Block.blocked_id.in_(people)
            )
        )
    }
    novices = set(
        session.scalars(
            select(MemberProfile.user_id).where(
                MemberProfile.user_id.in_(mentee_ids), MemberProfile.career_stage == NOVICE
            )
        )
    )
    closed_to_novices = set(
        session.scalars(
            select(MemberProfile.user_id).where(
                MemberProfile.user_id.in_(mentor_ids), MemberProfile.novices_may_request.is_(False)
            )
        )
    )
    mask = np.zeros((len(mentee_ids), len(mentor_ids)), dtype=bool)
    for row, mentee in enumerate(mentee_ids):
        for column, mentor in enumerate(mentor_ids):
            mask[row, column] = (
                mentee == mentor
                or (mentee, mentor) in blocked
                or (mentor, mentee) in blocked
                or (mentee in novices and mentor in closed_to_novices)
            )
    return mask


def score_matrix(
    session: Session, mentee_ids: list[int], mentor_ids: list[int]
) -> NDArray[np.float64]:
    """The matching service's pair scores, with forbidden pairs as NaN."""
    from hallway.matching import service as matching_service

    if not mentee_ids or not mentor_ids:
        return np.zeros((len(mentee_ids), len(mentor_ids)))
    scores = np.array(
        matching_service.pair_scores(session, mentee_ids, mentor_ids), dtype=np.float64
    )
    scores[_forbidden_mask(session, mentee_ids, mentor_ids)] = np.nan
    return scores


def assign(session: Session, *, actor: Any, mentoring_round: MentoringRound) -> Assignment:
    """(Re)compute the best assignment. Pairs already published stay as they are and
    use up their mentor's seats; every other pair is replaced."""
    _require_manager(actor, mentoring_round.event)
    published = [pair for pair in mentoring_round.pairs if pair.is_published]
    done = {pair.mentee_id for pair in published}
    mentee_ids = [user_id for user_id in mentee_ids_of(mentoring_round) if user_id not in done]
    capacities = mentor_capacities_of(mentoring_round)
    for pair in published:
        if pair.mentor_id in capacities:
            capacities[pair.mentor_id] = max(0, capacities[pair.mentor_id] - 1)
    mentor_ids = list(capacities)
    scores = score_matrix(session, mentee_ids, mentor_ids)
    result = optimal_assignment(scores, [capacities[m] for m in mentor_ids])
    for pair in list(mentoring_round.pairs):
        if not pair.is_published:
            mentoring_round.pairs.remove(pair)
    session.flush()
    for row, column in result.pairs:
        mentoring_round.pairs.append(
            MentoringRoundPair(
                mentee_id=mentee_ids[row],
                mentor_id=mentor_ids[column],
                score=float(scores[row, column]),
            )
        )
    session.flush()
    return result


def edit_pairs(
    session: Session,
    *,
    actor: Any,
    mentoring_round: MentoringRound,
    choices: dict[int, int | None],
) -> None:
    """The organiser's edits: ``choices`` gives a mentee a mentor, another mentor (a swap
    is two choices) or nobody (None). Capacities, blocks and novice consent still hold;
    a pair already published stays (its request is out). All or nothing."""
    _require_manager(actor, mentoring_round.event)
    mentees = set(mentee_ids_of(mentoring_round))
    capacities = mentor_capacities_of(mentoring_round)
    current = {pair.mentee_id: pair for pair in mentoring_round.pairs}
    wanted = {mentee: pair.mentor_id for mentee, pair in current.items()}
    errors: dict[str, list[str]] = {}
    changed: set[int] = set()
    for mentee_id, mentor_id in choices.items():
        name = f"mentor-{mentee_id}"
        pair = current.get(mentee_id)
        if mentee_id not in mentees:
            errors[name] = [N_("This person is not a mentee in this round.")]
        elif mentor_id == (pair.mentor_id if pair else None):
            continue
        elif pair is not None and pair.is_published:
            errors[name] = [N_("This pair's request is already sent.")]
        elif mentor_id is not None and mentor_id not in capacities:
            errors[name] = [N_("This person is not a mentor in this round.")]
        else:
            changed.add(mentee_id)
            if mentor_id is None:
                wanted.pop(mentee_id, None)
            else:
                wanted[mentee_id] = mentor_id
    new_pairs = sorted((mentee, wanted[mentee]) for mentee in changed if mentee in wanted)
    scores = _scores_of(session, new_pairs)
    load = Counter(wanted.values())
    for mentee, mentor in new_pairs:
        if not np.isfinite(scores[mentee, mentor]):
            errors.setdefault(f"mentor-{mentee}", []).append(
                N_("These two cannot be paired (a block, or novice requests refused).")
            )
        if load[mentor] > capacities[mentor]:
            errors.setdefault(f"mentor-{mentee}", []).append(
                N_("This mentor has no seat left in this round.")
            )
    if errors:
        raise InvalidInput(N_("Please correct the highlighted fields."), errors)
    for mentee in changed:
        if (pair := current.get(mentee)) is not None:
            mentoring_round.pairs.remove(pair)
    session.flush()
    for mentee, mentor in new_pairs:
        mentoring_round.pairs.append(
            MentoringRoundPair(
                mentee_id=mentee, mentor_id=mentor, score=float(scores[mentee, mentor])
            )
        )
    session.flush()


def _scores_of(session: Session, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """Each pair's score (NaN when forbidden), from one matrix over everyone involved."""
    mentee_ids = sorted({mentee for mentee, _ in pairs})
    mentor_ids = sorted({mentor for _, mentor in pairs})
    matrix = score_matrix(session, mentee_ids, mentor_ids)
    return {
        (mentee, mentor): float(matrix[mentee_ids.index(mentee), mentor_ids.index(mentor)])
        for mentee, mentor in pairs
    }


def proposed_time(mentoring_round: MentoringRound, pair: MentoringRoundPair) -> datetime:
    """A mentor's n-th mentee (by pair order) is proposed the n-th slot of the round."""
    same_mentor = [p.id for p in mentoring_round.pairs if p.mentor_id == pair.mentor_id]
    position = sorted(same_mentor).index(pair.id)
    return mentoring_round.starts_at + timedelta(
        minutes=mentoring_round.duration_minutes * position
    )


def publish_round(
    session: Session, *, actor: Any, mentoring_round: MentoringRound, now: datetime | None = None
) -> int:
    """Send one meeting request per pair not yet sent (mentee to mentor, from the
    organiser), all in the caller's transaction: one refusal sends none. Publishing again
    sends only the pairs added since. Returns how many requests were sent."""
    from hallway.meetings import service as meetings_service

    _require_manager(actor, mentoring_round.event)
    # Two organisers pressing "Publish" at once: the second waits here, then finds the
    # pairs already sent.
    session.execute(
        select(MentoringRound.id).where(MentoringRound.id == mentoring_round.id).with_for_update()
    )
    session.refresh(mentoring_round)
    for pair in mentoring_round.pairs:
        session.refresh(pair)
    sent = 0
    for pair in sorted(mentoring_round.pairs, key=lambda p: p.id):
        if pair.is_published:
            continue
        request = meetings_service.publish_round_request(
            session,
            organiser=actor,
            event_id=mentoring_round.event_id,
            sender_id=pair.mentee_id,
            recipient_id=pair.mentor_id,
            proposed_times=[proposed_time(mentoring_round, pair)],
            duration_minutes=mentoring_round.duration_minutes,
            message=mentoring_round.message,
            place=mentoring_round.place,
            now=now,
        )
        pair.meeting_request_id = request.id
        sent += 1
    if not mentoring_round.pairs:
        raise Conflict(N_("This round has no pairs to publish."))
    mentoring_round.status = RoundStatus.published
    mentoring_round.published_at = mentoring_round.published_at or utcnow()
    session.flush()
    return sent


def delete_round(session: Session, *, actor: Any, mentoring_round: MentoringRound) -> None:
    """A draft goes; a published round stays (its requests are out)."""
    _require_manager(actor, mentoring_round.event)
    if mentoring_round.status is RoundStatus.published:
        raise Conflict(N_("A published round cannot be deleted."))
    session.delete(mentoring_round)
    session.flush()
