"""How good Hallway's "People to meet" ranking is, on labelled generated members.

The members come from ``member_generator`` (a hidden truth, a profile that reveals it in
part and in other words); each pair's relevance is graded from the truth. Every ranking
(Hallway's and the baselines') sees only the profiles and proposes ten people per
member; we report NDCG@10 (gain 2^grade − 1, against the best ten possible) and
precision@10 (share of the ten with grade ≥ 2), averaged over members.

Baselines, all under the same hard rules (never oneself; a novice never gets someone who
refuses novices' requests, and the other way round):

- random: ten candidates at random;
- tag overlap: most interests in common (normalised tags; ties at random);
- bio similarity: TF-IDF cosine of the bios (scikit-learn, fitted on these bios).

Held-out synonyms: the generator writes topics with phrases of its own and with synonyms
the vocabulary knows. To see how much of Hallway's figure comes from knowing the
generator's words, part of those synonyms (chosen with a fixed seed) is taken out of
the vocabulary while measuring (tags typed with them stay free tags; the engine's
synonym table loses them), and both figures are reported.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from hallway.bench.member_generator import (
    NOVICE,
    STAGE_CODES,
    TOPIC_PHRASES,
    GeneratedMember,
    MemberGenerator,
    TruthArrays,
    relevance,
)
from hallway.members import vocabulary

K = 10
RELEVANT_GRADE = 2

#: member index -> ranked candidate indices (best first; at most K are read).
Ranking = Callable[[int], Sequence[int]]


# --- Metrics -----------------------------------------------------------------------------


def dcg(gains: Sequence[float] | NDArray[np.float64]) -> float:
    return float(sum(gain / math.log2(position + 2) for position, gain in enumerate(gains)))


def ndcg_at_k(ranked: Sequence[int], grades: NDArray[np.integer], k: int = K,
              exclude: int | None = None) -> float:  # fmt: skip
    """NDCG@k of ``ranked`` (candidate indices) for one member whose pair grades are
    ``grades`` (one per candidate); the ideal is the best k of all candidates but
    ``exclude`` (the member). NaN when no candidate has any relevance."""
    gains = np.power(2.0, grades.astype(np.float64)) - 1
    pool = gains if exclude is None else np.delete(gains, exclude)
    ideal = dcg(np.sort(pool)[::-1][:k])
    if ideal == 0:
        return math.nan
    return dcg([gains[index] for index in list(ranked)[:k]]) / ideal


def precision_at_k(ranked: Sequence[int], grades: NDArray[np.integer], k: int = K,
                   threshold: int = RELEVANT_GRADE) -> float:  # fmt: skip
    """Share of the first k places holding a candidate of grade ≥ threshold (an empty
    place counts as a miss: a ranking that proposes fewer than k loses those places)."""
    return sum(1 for index in list(ranked)[:k] if grades[index] >= threshold) / k


@dataclass
class Scores:
    name: str
    ndcg: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    empty: int = 0  # members who got no suggestion at all
    ndcg_members: list[int] = field(default_factory=list)  # whose each NDCG figure is

    def add(self, ranked: Sequence[int], grades: NDArray[np.integer], member: int) -> None:
        if not ranked:
            self.empty += 1
        value = ndcg_at_k(ranked, grades, exclude=member)
        if not math.isnan(value):
            self.ndcg.append(value)
            self.ndcg_members.append(member)
        self.precision.append(precision_at_k(ranked, grades))

    def ndcg_of(self, members: Collection[int]) -> float:
        """Mean NDCG@10 over some of the members (NaN if none of them counts)."""
        values = [v for v, m in zip(self.ndcg, self.ndcg_members, strict=True) if m in members]
        return float(np.mean(values)) if values else math.nan

    @staticmethod
    def _mean(values: list[float]) -> tuple[float, float]:
        if not values:
            return math.nan, math.nan
        array = np.asarray(values)
        return float(array.mean()), float(1.96 * array.std(ddof=1) / math.sqrt(len(array)))

    @property
    def mean_ndcg(self) -> tuple[float, float]:
        """(mean, half-width of its 95% confidence interval)."""
        return self._mean(self.ndcg)

    @property
    def mean_precision(self) -> tuple[float, float]:
        return self._mean(self.precision)


# --- Hold-out ----------------------------------------------------------------------------


def held_out_phrases(known: Collection[str], share: float = 0.5, seed: int = 2026) -> set[str]:
    """Part of the generator's phrases that the engine's vocabulary knows (``known``, as
    the generator writes them), chosen per topic with a fixed seed, to take out while
    measuring."""
    rng = random.Random(seed)
    chosen: set[str] = set()
    for topic in sorted(TOPIC_PHRASES):
        phrases = sorted(phrase for phrase in TOPIC_PHRASES[topic] if phrase in known)
        rng.shuffle(phrases)
        chosen.update(phrases[: round(len(phrases) * share)])
    return chosen


def normalise_interests(raws: Sequence[str], held_out: Collection[str] = ()) -> list[str]:
    """The members vocabulary's normalisation, except that a held-out synonym stays a free
    tag (what it would be if the vocabulary did not list it)."""
    held = {phrase.casefold() for phrase in held_out}
    tags: list[str] = []
    for raw in raws:
        tag = raw.strip().lower() if raw.casefold() in held else vocabulary.normalise_tag(raw)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


# --- Baselines ---------------------------------------------------------------------------


def allowed_matrix(members: Sequence[GeneratedMember]) -> NDArray[np.bool_]:
    """Who may be proposed to whom under the hard rules, from what profiles show."""
    novice = np.array([m.profile.career_stage == "novice" for m in members])
    accepts = np.array([m.profile.novices_may_request for m in members])
    refused = novice[:, None] & ~accepts[None, :]
    allowed = ~(refused | refused.T)
    np.fill_diagonal(allowed, False)
    return allowed


def _top_k(scores: NDArray[np.float64], allowed: NDArray[np.bool_], k: int = K) -> list[int]:
    masked = np.where(allowed, scores, -np.inf)
    top = np.argpartition(-masked, k)[:k] if len(masked) > k else np.arange(len(masked))
    top = top[np.argsort(-masked[top], kind="stable")]
    return [int(index) for index in top if np.isfinite(masked[index])]


def random_ranking(members: Sequence[GeneratedMember], seed: int = 3) -> Ranking:
    allowed = allowed_matrix(members)
    rng = np.random.default_rng(seed)

    def rank(member: int) -> list[int]:
        return _top_k(rng.random(len(members)), allowed[member])

    return rank


def tag_overlap_ranking(
    members: Sequence[GeneratedMember], held_out: Collection[str] = (), seed: int = 4
) -> Ranking:
    """Most interests in common first; ties broken at random (fixed seed)."""
    tag_lists = [normalise_interests(m.profile.interests, held_out) for m in members]
    index = {tag: number for number, tag in enumerate(sorted({t for ts in tag_lists for t in ts}))}
    matrix = np.zeros((len(members), max(len(index), 1)), dtype=np.float32)
    for row, tags in enumerate(tag_lists):
        matrix[row, [index[tag] for tag in tags]] = 1
    allowed = allowed_matrix(members)
    jitter = np.random.default_rng(seed)

    def rank(member: int) -> list[int]:
        overlap = matrix @ matrix[member]
        return _top_k(overlap + jitter.random(len(members)) * 0.5, allowed[member])

    return rank


def bio_similarity_ranking(members: Sequence[GeneratedMember]) -> Ranking:
    """TF-IDF cosine of the bios (English stop words out, fitted on these bios)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [m.profile.bio for m in members]
    )
    allowed = allowed_matrix(members)

    def rank(member: int) -> list[int]:
        similarity = (vectors @ vectors[member].T).toarray().ravel()
        return _top_k(similarity, allowed[member])

    return rank


# --- The run -----------------------------------------------------------------------------


@dataclass
class QualityResult:
    members: int
    seed: int
    held_out: list[str]
    known_phrases: int
    all_held_out: int = 0  # phrases held out in the strictest run (every one that can be)
    scores: dict[str, Scores] = field(default_factory=dict)  # by ranking name, in order
    relevant_per_member: float = 0.0
    grade_shares: dict[int, float] = field(default_factory=dict)
    skipped_members: int = 0  # no relevant candidate at all (NDCG undefined)
    notes: list[str] = field(default_factory=list)
    by_stage: dict[str, set[int]] = field(default_factory=dict)  # true stage -> members


def labelled_members(
    count: int, seed: int, generator: MemberGenerator | None = None
) -> tuple[list[GeneratedMember], NDArray[np.int8]]:
    members = (generator or MemberGenerator(seed)).generate(count)
    grades = relevance(TruthArrays.of(members))
    # Pairs the hard rules forbid (as the profiles show them) are no candidate for anyone.
    grades = np.where(allowed_matrix(members), grades, 0).astype(np.int8)
    return members, grades


def evaluate(
    name: str,
    ranking: Ranking,
    grades: NDArray[np.int8],
    on_member: Callable[[], None] | None = None,
) -> Scores:
    scores = Scores(name)
    for member in range(len(grades)):
        scores.add(list(ranking(member))[:K], grades[member], member)
        if on_member is not None:
            on_member()
    return scores


def describe(
    members: Sequence[GeneratedMember], grades: NDArray[np.int8], result: QualityResult
) -> None:
    count = len(members)
    result.relevant_per_member = float((grades >= RELEVANT_GRADE).sum() / count)
    off_diagonal = count * (count - 1)
    result.grade_shares = {g: float((grades == g).sum() / off_diagonal) for g in (1, 2, 3)}
    result.skipped_members = int(((grades > 0).sum(axis=1) == 0).sum())
    for number, member in enumerate(members):
        result.by_stage.setdefault(STAGE_CODES[member.truth.stage], set()).add(number)


def is_novice(member: GeneratedMember) -> bool:
    return member.truth.stage == NOVICE
