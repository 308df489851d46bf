"""Why a pair matches, from one side: the facts behind the scores, for reasons in words.

Scores come from the index's matrices; this module looks again at just one pair (plain
Python over two records is fine here: it runs for the handful of people shown) and says
which intents, topics, events, networks and hours they share, from the viewer's side.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from hallway.matching.index import (
    COMPLEMENT,
    INTENTS,
    STAGE_FLOW,
    TOPICS,
    UNKNOWN_STAGE,
    WORKING_HOURS,
    MatchIndex,
    MemberRecord,
    TopicEvidence,
    utc_offset_hours,
)

_INTENT = {code: position for position, code in enumerate(INTENTS)}
_STAGES = {"novice": 0, "career": 1, "advanced": 2}
#: A stage weight below this does not count as an answer worth saying.
_GOOD_FLOW = 0.5
#: Text similarity above this is worth a sentence when nothing more specific is.
_SIMILAR_TEXT = 0.35


@dataclass
class NeedAnswer:
    """Someone looks for `wanted`; the other side offers `offered` (maybe a near answer)."""

    wanted: str
    offered: str


@dataclass
class PairExplanation:
    """What `viewer` and `other` have for each other, from the viewer's side."""

    viewer_id: int
    other_id: int
    #: What the viewer looks for that the other offers.
    answers: list[NeedAnswer] = field(default_factory=list)
    #: What the other looks for that the viewer offers.
    answered: list[NeedAnswer] = field(default_factory=list)
    #: Topics both have, each with the other's own word for it ("captioning").
    shared_topics: list[tuple[str, str]] = field(default_factory=list)
    shared_events: list[int] = field(default_factory=list)
    shared_networks: list[str] = field(default_factory=list)
    same_sector: str | None = None
    #: (viewer's UTC offset, other's) when their working hours overlap.
    time_zones: tuple[float, float] | None = None
    similar_writing: bool = False


def _stage(record: MemberRecord) -> int:
    return _STAGES.get(record.career_stage or "", UNKNOWN_STAGE)


def _answers(seeker: MemberRecord, giver: MemberRecord) -> list[NeedAnswer]:
    """Each intent `seeker` looks for that `giver` offers in the right direction."""
    found = []
    for wanted in seeker.looking_for:
        if wanted not in _INTENT:
            continue
        best: tuple[float, str] | None = None
        for offered in giver.offering:
            if offered not in _INTENT:
                continue
            weight = (
                COMPLEMENT[_INTENT[wanted], _INTENT[offered]]
                * STAGE_FLOW[_INTENT[offered], _stage(giver), _stage(seeker)]
            )
            if weight >= _GOOD_FLOW and (best is None or weight > best[0]):
                best = (float(weight), offered)
        if best is not None:
            found.append(NeedAnswer(wanted, best[1]))
    return found


def _shared_topics(
    mine: np.ndarray, theirs: np.ndarray, their_evidence: TopicEvidence, topics: tuple[str, ...]
) -> list[tuple[str, str]]:
    """Topics both have, strongest for the viewer first, with the other's word for each."""
    both = np.flatnonzero((mine > 0) & (theirs > 0))
    ordered = sorted(both, key=lambda position: (-mine[position], -theirs[position], position))
    return [(topics[p], their_evidence.word_for(topics[p])) for p in ordered]


#: Explanations kept per index (a profile page asks for the same pair on every view;
#: working one out encodes both members' words again). Keyed by the two records, which
#: change whenever what they say changes; a new index (version) starts afresh.
_EXPLAINED_KEPT = 2_048
_explained: weakref.WeakKeyDictionary[
    MatchIndex, OrderedDict[tuple[MemberRecord, MemberRecord], PairExplanation]
] = weakref.WeakKeyDictionary()
_explained_lock = threading.Lock()


def explain_pair(index: MatchIndex, viewer: MemberRecord, other: MemberRecord) -> PairExplanation:
    """The facts behind a pair, from `viewer`'s side (either may be outside the index)."""
    key = (viewer, other)
    with _explained_lock:
        kept = _explained.setdefault(index, OrderedDict())
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    explanation = _explain_pair(index, viewer, other)
    with _explained_lock:
        kept[key] = explanation
        if len(kept) > _EXPLAINED_KEPT:
            kept.popitem(last=False)
    return explanation


def _explain_pair(index: MatchIndex, viewer: MemberRecord, other: MemberRecord) -> PairExplanation:
    explanation = PairExplanation(viewer_id=viewer.user_id, other_id=other.user_id)
    explanation.answers = _answers(viewer, other)
    explanation.answered = _answers(other, viewer)

    my_topics, _ = index._encode_topics(viewer)
    their_topics, their_evidence = index._encode_topics(other)
    explanation.shared_topics = _shared_topics(my_topics, their_topics, their_evidence, TOPICS)

    their_events = set(other.events)
    explanation.shared_events = [event for event in viewer.events if event in their_events]
    their_networks = set(other.networks)
    explanation.shared_networks = [n for n in viewer.networks if n in their_networks]
    if viewer.sector and viewer.sector == other.sector:
        explanation.same_sector = viewer.sector

    mine = utc_offset_hours(viewer.time_zone, index.at)
    theirs = utc_offset_hours(other.time_zone, index.at)
    if mine is not None and theirs is not None:
        distance = abs(mine - theirs)
        distance = min(distance, 24 - distance)
        if WORKING_HOURS - distance >= 3:  # at least three shared working hours
            explanation.time_zones = (mine, theirs)

    if index.text_model.size:
        vectors = index.text_model.transform([index._document(viewer), index._document(other)])
        explanation.similar_writing = float(vectors[0] @ vectors[1]) >= _SIMILAR_TEXT
    return explanation
