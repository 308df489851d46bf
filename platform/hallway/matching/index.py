"""The matching index: every opted-in member as rows of small numeric matrices.

Pure data and numpy: no Flask, no database. ``build_index`` takes plain ``MemberRecord``s
(the service reads them from the database in one pass; the benchmark generates them), and
scoring one member against everyone is a handful of matrix-vector products followed by a
partial sort, never a Python loop over pairs.

How a pair is scored (all factors in [0, 1]):

- ``need_met``: how much of what the viewer looks for the other offers, each intent weighted
  by career-stage direction (mentoring and career chats flow from more senior to less
  senior; collaborators and peer support among peers). What a member *offers* also counts,
  a little less, as something they look for: a mentor wants someone who wants mentoring.
  ``need_met_reverse`` is the same from the other side.
- ``topics``: how much of one side's interests the other covers (declared tags, tags and
  free text recognised through the vocabulary's phrases, related topics a little).
- ``text``: similarity of their own words in the community's LSA text model.
- ``reciprocal``: the geometric mean of the two directional fits, so a pair ranks high only
  when each is a good answer to the other.
- ``events``, ``networks``, ``sector``, ``time_zone``: context added on top.
- ``load``: below 1 for people already suggested to many (estimated at build time on a
  sample of viewers) and for people with pending requests waiting.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from scipy import sparse

from hallway.matching.text import TextModel
from hallway.members import vocabulary
from hallway.members.vocabulary import TopicMatcher, default_topic_matcher

INTENTS: tuple[str, ...] = tuple(vocabulary.INTENTS)
STAGES: tuple[str, ...] = ("novice", "career", "advanced")
UNKNOWN_STAGE = len(STAGES)
TOPICS: tuple[str, ...] = vocabulary.INTEREST_TAGS
SECTORS: tuple[str, ...] = tuple(vocabulary.SECTORS)

_I = len(INTENTS)
_S = len(STAGES) + 1  # the last "stage" is "not said"
_K = len(TOPICS)
_INTENT = {code: position for position, code in enumerate(INTENTS)}
_TOPIC = {name: position for position, name in enumerate(TOPICS)}
_SECTOR = {code: position for position, code in enumerate(SECTORS)}
_STAGE = {code: position for position, code in enumerate(STAGES)}

# Weights of a directional fit and of the context bonuses.
W_NEED, W_TOPICS, W_TEXT = 0.5, 0.3, 0.2
W_EVENTS, W_NETWORKS, W_SECTOR, W_TIME_ZONE = 0.12, 0.06, 0.04, 0.05
#: What a member offers counts this much as something they look for.
OUTLET_WEIGHT = 0.7
#: Related topics (same group in the vocabulary) count this much of a shared one.
RELATED_TOPIC_WEIGHT = 0.25
#: Below this a candidate is not worth suggesting.
MIN_SCORE = 0.02
#: Sharing only context (an event, a network, a sector, hours) is not a reason to meet:
#: a candidate needs at least this much reciprocal fit.
MIN_RECIPROCAL = 0.05
#: Each pending incoming request multiplies by 1 / (1 + this).
PENDING_PENALTY = 0.25
#: How strongly being in many people's lists pushes one down (per doubling past twice
#: the fair share).
EXPOSURE_PENALTY = 0.15
WORKING_HOURS = 8.0

#: Looking for the row's intent is answered by offering the column's (identity plus a few
#: near answers: someone hiring answers a job search, a mentor can give a career chat).
COMPLEMENT = np.eye(_I, dtype=np.float32)
COMPLEMENT[_INTENT["job_leads"], _INTENT["hiring"]] = 1.0
COMPLEMENT[_INTENT["career_chat"], _INTENT["mentoring"]] = 0.7
COMPLEMENT[_INTENT["mentoring"], _INTENT["career_chat"]] = 0.6

_SENIOR_FLOW = {"mentoring", "career_chat"}
_PEER = {"collaborators", "peer_support"}


def _stage_weight(intent: str, giver: int, receiver: int) -> float:
    """How well an offer of `intent` flows from a giver at one stage to a receiver at another."""
    unknown = giver == UNKNOWN_STAGE or receiver == UNKNOWN_STAGE
    if intent in _SENIOR_FLOW:
        if unknown:
            return 0.5
        if giver > receiver:
            return 1.0
        return 0.35 if giver == receiver else 0.05
    if intent in _PEER:
        if unknown:
            return 0.7
        return (1.0, 0.6, 0.25)[abs(giver - receiver)]
    if intent == "course_feedback":
        if unknown:
            return 0.8
        return 1.0 if giver > receiver else (0.8 if giver == receiver else 0.5)
    return 1.0


#: STAGE_FLOW[j, g, r]: weight of offered intent j from giver stage g to receiver stage r.
STAGE_FLOW = np.array(
    [[[_stage_weight(code, g, r) for r in range(_S)] for g in range(_S)] for code in INTENTS],
    dtype=np.float32,
)


def _related_topics() -> np.ndarray:
    """K x K: 1 between different topics of the same vocabulary group."""
    related = np.zeros((_K, _K), dtype=np.float32)
    for _name, group in vocabulary.INTEREST_GROUPS:
        positions = [_TOPIC[tag] for tag in group if tag in _TOPIC]
        for a in positions:
            for b in positions:
                if a != b:
                    related[a, b] = 1.0
    return related


_RELATED = _related_topics()


@dataclass(frozen=True)
class MemberRecord:
    """What matching needs to know about one opted-in member (plain data)."""

    user_id: int
    name: str = ""
    career_stage: str | None = None
    sector: str | None = None
    interests: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    looking_for: tuple[str, ...] = ()
    offering: tuple[str, ...] = ()
    text: str = ""
    time_zone: str | None = None
    events: tuple[int, ...] = ()
    novices_may_request: bool = True


@dataclass
class TopicEvidence:
    """How a member shows each topic: declared as an interest, or a phrase they wrote."""

    declared: set[str] = field(default_factory=set)
    #: topic -> the first phrase (as written) that showed it, for tags or text in other words
    phrases: dict[str, str] = field(default_factory=dict)

    def word_for(self, topic: str) -> str:
        """The member's own word for a topic: the topic if declared, else their phrase."""
        if topic in self.declared:
            return topic
        return self.phrases.get(topic, topic)


def utc_offset_hours(zone: str | None, at: datetime | None = None) -> float | None:
    """The zone's UTC offset in hours at `at` (now by default), or None if unknown."""
    if not zone:
        return None
    try:
        offset = (at or datetime.now(UTC)).astimezone(ZoneInfo(zone)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return None if offset is None else offset.total_seconds() / 3600


@dataclass
class _Vector:
    """One member, encoded: the viewer side of a scoring."""

    user_id: int
    row: int | None
    stage: int
    looking: np.ndarray
    offering: np.ndarray
    topics: np.ndarray
    topics_share: np.ndarray
    profile: np.ndarray
    text: np.ndarray
    denominator: float
    events: tuple[int, ...]
    networks: tuple[str, ...]
    sector: int
    offset: float
    novices_ok: bool


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


class MatchIndex:
    """Every opted-in member as rows; see the module docstring for the factors."""

    def __init__(
        self,
        *,
        matcher: TopicMatcher | None = None,
        text_dimensions: int = 64,
        event_titles: Mapping[int, str] | None = None,
        at: datetime | None = None,
        seed: int = 0,
    ) -> None:
        self.matcher = matcher or default_topic_matcher()
        self.text_model = TextModel(text_dimensions, seed=seed)
        self.event_titles: dict[int, str] = dict(event_titles or {})
        self.at = at or datetime.now(UTC)
        self.seed = seed
        self.records: list[MemberRecord] = []
        self.evidence: list[TopicEvidence] = []
        self.row_of: dict[int, int] = {}
        self.user_ids = np.zeros(0, dtype=np.int64)
        self.active = np.zeros(0, dtype=bool)
        self.stage = np.zeros(0, dtype=np.int8)
        self.novices_ok = np.zeros(0, dtype=bool)
        self.sector = np.zeros(0, dtype=np.int16)
        self.offset = np.zeros(0, dtype=np.float32)
        self.looking = np.zeros((0, _I), dtype=np.float32)
        self.offering = np.zeros((0, _I), dtype=np.float32)
        self.features = np.zeros((0, 2 * _I * _S), dtype=np.float32)
        self.denominator = np.zeros(0, dtype=np.float32)
        self.topics = np.zeros((0, _K), dtype=np.float32)
        self.topics_share = np.zeros((0, _K), dtype=np.float32)
        self.profile = np.zeros((0, _K + _I), dtype=np.float32)
        self.text = np.zeros((0, 0), dtype=np.float32)
        self.exposure_load = np.zeros(0, dtype=np.float32)
        self._event_rows: dict[int, set[int]] = {}
        self._network_rows: dict[str, set[int]] = {}
        self._arrays: dict[tuple[str, object], np.ndarray] = {}
        self._sparse: dict[str, sparse.csr_matrix] = {}

    # ----------------------------------------------------------------------------------
    # Building and updating
    # ----------------------------------------------------------------------------------

    @property
    def size(self) -> int:
        """How many members are in the index now."""
        return int(self.active.sum())

    def _encode_topics(self, record: MemberRecord) -> tuple[np.ndarray, TopicEvidence]:
        weights = np.zeros(_K, dtype=np.float32)
        evidence = TopicEvidence()

        def add(topic: str, weight: float, phrase: str | None) -> None:
            position = _TOPIC.get(topic)
            if position is None:
                return
            weights[position] = max(weights[position], weight)
            if phrase is None:
                evidence.declared.add(topic)
            elif topic not in evidence.declared:
                evidence.phrases.setdefault(topic, phrase)

        for tag in record.interests:
            if tag in _TOPIC:
                add(tag, 1.0, None)
            for phrase, topics in self.matcher.matches(tag):
                for topic in topics:
                    add(topic, 0.8, phrase)
        for phrase, topics in self.matcher.matches(record.text):
            for topic in topics:
                add(topic, 0.6, phrase)
        return weights, evidence

    @staticmethod
    def _document(record: MemberRecord) -> str:
        return " ".join((record.text, *record.interests))

    def _encode_rows(self, records: Sequence[MemberRecord], text: np.ndarray) -> dict:
        n = len(records)
        looking = np.zeros((n, _I), dtype=np.float32)
        offering = np.zeros((n, _I), dtype=np.float32)
        topics = np.zeros((n, _K), dtype=np.float32)
        stage = np.full(n, UNKNOWN_STAGE, dtype=np.int8)
        sector = np.full(n, -1, dtype=np.int16)
        offset = np.full(n, np.nan, dtype=np.float32)
        novices_ok = np.ones(n, dtype=bool)
        evidence = []
        for position, record in enumerate(records):
            for code in record.looking_for:
                if code in _INTENT:
                    looking[position, _INTENT[code]] = 1.0
            for code in record.offering:
                if code in _INTENT:
                    offering[position, _INTENT[code]] = 1.0
            topics[position], found = self._encode_topics(record)
            evidence.append(found)
            stage[position] = _STAGE.get(record.career_stage or "", UNKNOWN_STAGE)
            sector[position] = _SECTOR.get(record.sector or "", -1)
            hours = utc_offset_hours(record.time_zone, self.at)
            if hours is not None:
                offset[position] = hours
            novices_ok[position] = record.novices_may_request
        one_hot = np.zeros((n, _S), dtype=np.float32)
        one_hot[np.arange(n), stage] = 1.0
        features = np.concatenate(
            [
                (offering[:, :, None] * one_hot[:, None, :]).reshape(n, _I * _S),
                (looking[:, :, None] * one_hot[:, None, :]).reshape(n, _I * _S),
            ],
            axis=1,
        )
        totals = topics.sum(axis=1, keepdims=True)
        share = np.divide(topics, totals, out=np.zeros_like(topics), where=totals > 0)
        profile = np.concatenate([topics, 0.7 * offering], axis=1)
        norms = np.linalg.norm(profile, axis=1, keepdims=True)
        profile = np.divide(profile, norms, out=np.zeros_like(profile), where=norms > 0)
        return {
            "looking": looking,
            "offering": offering,
            "features": features,
            "denominator": looking.sum(axis=1) + OUTLET_WEIGHT * offering.sum(axis=1),
            "topics": topics,
            "topics_share": share,
            "profile": profile,
            "stage": stage,
            "sector": sector,
            "offset": offset,
            "novices_ok": novices_ok,
            "text": text,
            "evidence": evidence,
        }

    def _fit(self, records: Sequence[MemberRecord]) -> None:
        text = self.text_model.fit_transform([self._document(record) for record in records])
        encoded = self._encode_rows(records, text)
        self.records = list(records)
        self.evidence = encoded.pop("evidence")
        for name, value in encoded.items():
            setattr(self, name, value)
        self.user_ids = np.array([record.user_id for record in records], dtype=np.int64)
        self.row_of = {record.user_id: row for row, record in enumerate(records)}
        self.active = np.ones(len(records), dtype=bool)
        self.exposure_load = np.ones(len(records), dtype=np.float32)
        self._event_rows, self._network_rows, self._arrays = {}, {}, {}
        self._sparse = {}
        for row, record in enumerate(records):
            self._link(row, record)

    def _link(self, row: int, record: MemberRecord) -> None:
        for event_id in record.events:
            self._event_rows.setdefault(event_id, set()).add(row)
        for network in record.networks:
            self._network_rows.setdefault(network, set()).add(row)
        self._arrays.clear()

    def _unlink(self, row: int) -> None:
        record = self.records[row]
        for event_id in record.events:
            self._event_rows.get(event_id, set()).discard(row)
        for network in record.networks:
            self._network_rows.get(network, set()).discard(row)
        self._arrays.clear()

    def update(self, records: Iterable[MemberRecord]) -> None:
        """Add or replace members (the text model is not refitted: new words wait for the
        next full build)."""
        records = list(records)
        if not records:
            return
        self._sparse = {}
        text = self.text_model.transform([self._document(record) for record in records])
        encoded = self._encode_rows(records, text)
        evidence = encoded.pop("evidence")
        new_rows: list[int] = []
        for position, record in enumerate(records):
            row = self.row_of.get(record.user_id)
            if row is None:
                new_rows.append(position)
                continue
            self._unlink(row)
            for name, value in encoded.items():
                getattr(self, name)[row] = value[position]
            self.records[row] = record
            self.evidence[row] = evidence[position]
            self.active[row] = True
            self._link(row, record)
        if new_rows:
            start = len(self.records)
            for name, value in encoded.items():
                setattr(self, name, np.concatenate([getattr(self, name), value[new_rows]]))
            added = [records[position] for position in new_rows]
            self.records.extend(added)
            self.evidence.extend(evidence[position] for position in new_rows)
            self.user_ids = np.concatenate(
                [self.user_ids, np.array([r.user_id for r in added], dtype=np.int64)]
            )
            self.active = np.concatenate([self.active, np.ones(len(added), dtype=bool)])
            self.exposure_load = np.concatenate(
                [self.exposure_load, np.ones(len(added), dtype=np.float32)]
            )
            for offset, record in enumerate(added):
                self.row_of[record.user_id] = start + offset
                self._link(start + offset, record)

    def sibling(self, records: Iterable[MemberRecord]) -> MatchIndex:
        """A separate index of `records` with this one's phrases and text model (not
        refitted) and no load spreading: for scoring a chosen group, such as a round."""
        other = MatchIndex(matcher=self.matcher, text_dimensions=0, at=self.at, seed=self.seed)
        other.text_model = self.text_model
        other.text = np.zeros((0, self.text_model.size), dtype=np.float32)
        other.event_titles = self.event_titles
        other.update(records)
        return other

    def remove(self, user_ids: Iterable[int]) -> None:
        """Take members out (they opted out, went private or left)."""
        for user_id in user_ids:
            row = self.row_of.get(user_id)
            if row is not None and self.active[row]:
                self._unlink(row)
                self.active[row] = False
                self.records[row] = MemberRecord(user_id=user_id)

    # ----------------------------------------------------------------------------------
    # Scoring
    # ----------------------------------------------------------------------------------

    def vector_of(self, user_id: int) -> _Vector:
        row = self.row_of.get(user_id)
        if row is None or not self.active[row]:
            raise KeyError(user_id)
        record = self.records[row]
        return _Vector(
            user_id=user_id,
            row=row,
            stage=int(self.stage[row]),
            looking=self.looking[row],
            offering=self.offering[row],
            topics=self.topics[row],
            topics_share=self.topics_share[row],
            profile=self.profile[row],
            text=self.text[row],
            denominator=float(self.denominator[row]),
            events=record.events,
            networks=record.networks,
            sector=int(self.sector[row]),
            offset=float(self.offset[row]),
            novices_ok=bool(self.novices_ok[row]),
        )

    def _rows_of(self, key: str, value: object, table: Mapping) -> np.ndarray:
        cached = self._arrays.get((key, value))
        if cached is None:
            cached = np.fromiter(sorted(table.get(value, ())), dtype=np.int64)
            self._arrays[(key, value)] = cached
        return cached

    def event_rows(self, event_id: int) -> np.ndarray:
        """Rows of the members going to an event."""
        return self._rows_of("event", event_id, self._event_rows)

    def _csr(self, name: str) -> sparse.csr_matrix:
        """A sparse copy of a mostly-zero matrix (rebuilt after an update)."""
        matrix = self._sparse.get(name)
        if matrix is None:
            matrix = sparse.csr_matrix(getattr(self, name))
            self._sparse[name] = matrix
        return matrix

    def _factors(self, viewer: _Vector, rows: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Every factor of `viewer` against all rows (or the given rows), vectorised."""

        def pick(matrix: np.ndarray) -> np.ndarray:
            return matrix if rows is None else matrix[rows]

        def pick_sparse(name: str) -> sparse.csr_matrix | np.ndarray:
            return self._csr(name) if rows is None else getattr(self, name)[rows]

        wanted = viewer.looking @ COMPLEMENT  # how much the viewer wants each offer
        # Offers the viewer answers (their outlets) for a candidate at each stage.
        outlets = (COMPLEMENT * viewer.offering[None, :]) @ STAGE_FLOW[:, viewer.stage, :]
        served = (wanted[:, None] * STAGE_FLOW[:, :, viewer.stage]).ravel()
        weights = np.stack(
            [
                np.concatenate([served, OUTLET_WEIGHT * outlets.ravel()]),
                np.concatenate([OUTLET_WEIGHT * served, outlets.ravel()]),
            ],
            axis=1,
        ).astype(np.float32)
        needs = np.asarray(pick_sparse("features") @ weights)
        # Coverage counts related topics (same vocabulary group) a quarter. Spreading the
        # viewer's side gives the same sums as spreading every row, and keeps rows sparse.
        spread_share = viewer.topics_share + RELATED_TOPIC_WEIGHT * (_RELATED @ viewer.topics_share)
        spread_topics = viewer.topics + RELATED_TOPIC_WEIGHT * (_RELATED @ viewer.topics)
        covered = np.minimum(np.asarray(pick_sparse("topics") @ spread_share).ravel(), 1.0)
        covering = np.minimum(np.asarray(pick_sparse("topics_share") @ spread_topics).ravel(), 1.0)
        if viewer.denominator > 0:
            need_met = np.minimum(needs[:, 0] / viewer.denominator, 1.0)
        else:
            need_met = covered
        denominators = pick(self.denominator)
        need_reverse = np.where(
            denominators > 0,
            np.minimum(needs[:, 1] / np.maximum(denominators, 1e-9), 1.0),
            covering,
        )
        if self.text.shape[1]:
            text = np.clip(pick(self.text) @ viewer.text, 0.0, 1.0)
        else:
            text = np.zeros(len(need_met), dtype=np.float32)
        fit_viewer = W_NEED * need_met + W_TOPICS * covered + W_TEXT * text
        fit_other = W_NEED * need_reverse + W_TOPICS * covering + W_TEXT * text
        reciprocal = np.sqrt(fit_viewer * fit_other)

        count = len(need_met)
        context = W_TIME_ZONE * self._time_zone_overlap(viewer.offset, rows)
        time_zone = context / W_TIME_ZONE
        event_bonus = self._shared(viewer.events, "event", self._event_rows, rows, count)
        network_bonus = self._shared(viewer.networks, "network", self._network_rows, rows, count)
        if viewer.events:
            context += W_EVENTS * event_bonus
        if viewer.networks:
            context += W_NETWORKS * network_bonus
        if viewer.sector >= 0:
            sector = (pick(self.sector) == viewer.sector).astype(np.float32)
            context += W_SECTOR * sector
        else:
            sector = np.zeros(count, dtype=np.float32)
        return {
            "need_met": need_met,
            "need_met_reverse": need_reverse,
            "topics": (covered + covering) / 2,
            "text": text,
            "reciprocal": reciprocal,
            "events": event_bonus,
            "networks": network_bonus,
            "sector": sector,
            "time_zone": time_zone,
            "base": reciprocal + context,
        }

    def _shared(
        self,
        values: Sequence[object],
        key: str,
        table: Mapping,
        rows: np.ndarray | None,
        count: int,
    ) -> np.ndarray:
        """1 - 0.5^k, k = how many of `values` (events, networks) each row shares."""
        if not values:
            return np.zeros(count, dtype=np.float32)
        shared = np.zeros(len(self.records), dtype=np.float32)
        for value in values:
            shared[self._rows_of(key, value, table)] += 1.0
        if rows is not None:
            shared = shared[rows]
        return (1.0 - np.exp2(-shared)).astype(np.float32)

    def _time_zone_overlap(self, offset: float, rows: np.ndarray | None) -> np.ndarray:
        """Shared working hours (9 to 5 local) as a share of a working day, per row."""
        codes = self._offset_codes()
        if rows is not None:
            codes = codes[rows]
        if math.isnan(offset):
            return np.zeros(len(codes), dtype=np.float32)
        distinct = self._arrays[("offsets", None)]
        distance = np.abs(distinct - offset)
        distance = np.minimum(distance, 24.0 - distance)
        table = np.nan_to_num(np.clip(WORKING_HOURS - distance, 0.0, WORKING_HOURS))
        table = np.append(table / WORKING_HOURS, 0.0).astype(np.float32)  # last: unknown
        return table[codes]

    def _offset_codes(self) -> np.ndarray:
        """Each row's UTC offset as a position in the few distinct offsets (cached)."""
        codes = self._arrays.get(("offset_codes", None))
        if codes is None:
            known = ~np.isnan(self.offset)
            distinct, inverse = np.unique(self.offset[known], return_inverse=True)
            codes = np.full(len(self.offset), len(distinct), dtype=np.int32)
            codes[known] = inverse
            self._arrays[("offsets", None)] = distinct.astype(np.float32)
            self._arrays[("offset_codes", None)] = codes
        return codes

    def _allowed(self, viewer: _Vector) -> np.ndarray:
        """The hard rules that the index knows: active, not oneself, novice consent."""
        allowed = self.active.copy()
        if viewer.row is not None:
            allowed[viewer.row] = False
        novice = _STAGE["novice"]
        if viewer.stage == novice:
            allowed &= self.novices_ok
        if not viewer.novices_ok:
            allowed &= self.stage != novice
        return allowed

    def score_all(self, user_id: int) -> np.ndarray:
        """The score against every row (-inf where a hard rule forbids), load included."""
        viewer = self.vector_of(user_id)
        scores = self._factors(viewer)["base"] * self.exposure_load
        return np.where(self._allowed(viewer), scores, -np.inf)

    def _adjustment(
        self,
        viewer: _Vector,
        dismissed: Mapping[int, str | None],
        feedback: Mapping[int, bool],
    ) -> np.ndarray:
        """Multipliers from the viewer's "not for me" answers and meeting feedback: people
        like those dismissed (topics and offers) sink, people like useful partners rise."""
        adjustment = np.ones(len(self.records), dtype=np.float32)

        def centroid(user_ids: Iterable[int]) -> np.ndarray | None:
            rows = [self.row_of[u] for u in user_ids if u in self.row_of]
            if not rows:
                return None
            return _unit(self.profile[rows].mean(axis=0))

        unwanted = centroid(
            u for u, reason in dismissed.items() if reason in (None, "", "not_relevant", "other")
        )
        if unwanted is not None:
            adjustment *= 1.0 - 0.35 * np.clip(self.profile @ unwanted, 0.0, 1.0)
        for user_id, reason in dismissed.items():
            if reason == "wrong_stage" and user_id in self.row_of:
                stage = self.stage[self.row_of[user_id]]
                if stage != UNKNOWN_STAGE:
                    adjustment *= np.where(self.stage == stage, 0.6, 1.0).astype(np.float32)
        useful = centroid(u for u, was_useful in feedback.items() if was_useful)
        if useful is not None:
            adjustment *= 1.0 + 0.25 * np.clip(self.profile @ useful, 0.0, 1.0)
        not_useful = centroid(u for u, was_useful in feedback.items() if not was_useful)
        if not_useful is not None:
            adjustment *= 1.0 - 0.25 * np.clip(self.profile @ not_useful, 0.0, 1.0)
        return adjustment

    def top_matches(
        self,
        user_id: int,
        *,
        limit: int = 10,
        event_id: int | None = None,
        exclude: Iterable[int] = (),
        dismissed: Mapping[int, str | None] | None = None,
        feedback: Mapping[int, bool] | None = None,
        pending_counts: Callable[[list[int]], Mapping[int, int]] | None = None,
    ) -> list[tuple[int, float]]:
        """The best `limit` others for a member as (user_id, score), best first.

        `exclude`: blocked people and others the caller rules out; `dismissed`: {user_id:
        reason} ("not for me"): never shown, and people like them sink; `feedback`: {user_id:
        useful} after meetings; `pending_counts(user_ids)`: pending incoming requests of the
        best candidates (people with many sink).
        """
        if limit <= 0:
            return []
        viewer = self.vector_of(user_id)
        allowed = self._allowed(viewer)
        dismissed = dismissed or {}
        for other in (*exclude, *dismissed):
            row = self.row_of.get(other)
            if row is not None:
                allowed[row] = False
        # For an event only its people are scored (a few thousand, not the whole index):
        # ``rows`` maps positions in the scored slice back to index rows.
        rows = None if event_id is None else np.asarray(self.event_rows(event_id), dtype=np.intp)
        if rows is not None and rows.size == 0:
            return []
        factors = self._factors(viewer, rows)
        load = self.exposure_load
        if rows is not None:
            allowed, load = allowed[rows], load[rows]
        scores = factors["base"] * load
        if dismissed or feedback:
            adjustment = self._adjustment(viewer, dismissed, feedback or {})
            scores = scores * (adjustment if rows is None else adjustment[rows])
        allowed &= factors["reciprocal"] >= MIN_RECIPROCAL
        scores = np.where(allowed & (scores >= MIN_SCORE), scores, -np.inf)
        candidates = int(np.isfinite(scores).sum())
        if candidates == 0:
            return []
        user_ids = self.user_ids if rows is None else self.user_ids[rows]
        pool_size = min(candidates, limit * 3 + 10)
        pool = np.argpartition(-scores, pool_size - 1)[:pool_size]
        pool_scores = scores[pool].astype(np.float64)
        if pending_counts is not None:
            pending = pending_counts([int(user_ids[row]) for row in pool])
            counts = np.array(
                [pending.get(int(user_ids[row]), 0) for row in pool], dtype=np.float64
            )
            pool_scores = pool_scores / (1.0 + PENDING_PENALTY * counts)
        order = np.lexsort((user_ids[pool], -pool_scores))[:limit]
        return [(int(user_ids[pool[i]]), float(pool_scores[i])) for i in order]

    def factors(self, user_id: int, other_id: int) -> dict[str, float]:
        """Every factor of one pair, from `user_id`'s side ("base" before load)."""
        viewer = self.vector_of(user_id)
        row = self.row_of[other_id]
        values = {
            name: float(value[0]) for name, value in self._factors(viewer, np.array([row])).items()
        }
        values["load"] = float(self.exposure_load[row])
        return values

    def pair_scores(self, row_ids: Sequence[int], column_ids: Sequence[int]) -> np.ndarray:
        """Match quality (reciprocal + context, no load) of each row member with each column
        member; 0 where a hard rule forbids the pair or someone is not in the index."""
        result = np.zeros((len(row_ids), len(column_ids)), dtype=np.float64)
        present = [(j, self.row_of.get(u)) for j, u in enumerate(column_ids)]
        present = [(j, row) for j, row in present if row is not None and self.active[row]]
        if not present:
            return result
        columns = np.array([j for j, _ in present])
        rows = np.array([row for _, row in present])
        for i, user_id in enumerate(row_ids):
            if user_id not in self.row_of or not self.active[self.row_of[user_id]]:
                continue
            viewer = self.vector_of(user_id)
            base = self._factors(viewer, rows)["base"]
            result[i, columns] = np.where(self._allowed(viewer)[rows], base, 0.0)
        return result

    def estimate_exposure(self, *, sample: int = 256, k: int = 10) -> None:
        """Set each member's load multiplier from how often they land in others' top `k`,
        measured on a random sample of viewers (all of them in a small community)."""
        active_rows = np.flatnonzero(self.active)
        n = len(active_rows)
        self.exposure_load = np.ones(len(self.records), dtype=np.float32)
        if n < 3:
            return
        rng = np.random.default_rng(self.seed)
        viewers = active_rows if n <= sample else rng.choice(active_rows, sample, replace=False)
        counts = np.zeros(len(self.records), dtype=np.float64)
        for row in viewers:
            viewer = self.vector_of(int(self.user_ids[row]))
            factors = self._factors(viewer)
            allowed = self._allowed(viewer) & (factors["reciprocal"] >= MIN_RECIPROCAL)
            scores = np.where(allowed, factors["base"], -np.inf)
            top = min(k, n - 1)
            best = np.argpartition(-scores, top - 1)[:top]
            best = best[np.isfinite(scores[best]) & (scores[best] >= MIN_SCORE)]
            counts[best] += 1.0
        share = counts / len(viewers)
        fair = min(1.0, k / (n - 1))
        ratio = share / fair
        penalty = EXPOSURE_PENALTY * np.log2(np.maximum(1.0, ratio / 2.0))
        self.exposure_load = (1.0 / (1.0 + penalty)).astype(np.float32)


def build_index(
    records: Iterable[MemberRecord],
    *,
    matcher: TopicMatcher | None = None,
    text_dimensions: int = 64,
    event_titles: Mapping[int, str] | None = None,
    exposure_sample: int = 256,
    exposure_k: int = 10,
    at: datetime | None = None,
    seed: int = 0,
) -> MatchIndex:
    """An index of `records` (already filtered to members who may be suggested).

    `matcher`: the vocabulary phrases (the benchmark holds some out); `text_dimensions`:
    the LSA size (0: no text model); `exposure_sample`: viewers sampled to estimate who is
    suggested to too many (0: no load spreading by exposure).
    """
    index = MatchIndex(
        matcher=matcher,
        text_dimensions=text_dimensions,
        event_titles=event_titles,
        at=at,
        seed=seed,
    )
    index._fit(list(records))
    if exposure_sample > 0:
        index.estimate_exposure(sample=exposure_sample, k=exposure_k)
    return index


def format_utc_offset(hours: float) -> str:
    """ "UTC−8", "UTC+5:30", "UTC" (with a real minus sign)."""
    if hours == 0 or math.isnan(hours):
        return "UTC"
    sign = "+" if hours > 0 else "\u2212"
    whole, minutes = divmod(round(abs(hours) * 60), 60)
    return f"UTC{sign}{whole}" + (f":{minutes:02d}" if minutes else "")
