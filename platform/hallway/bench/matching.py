"""`make bench-matching` (`python -m hallway.bench.matching`): the matching engine's speed
and the quality of its suggestions, in one process, without a database.

Steps (members from ``hallway.bench.member_generator``, fixed seeds):

1. speed, for 1,000, 10,000 and 100,000 members: the index built from plain member
   records (time, RSS growth, bytes held in numpy/scipy arrays); one member's
   suggestions (p50/p99 over a sample of members); a whole 5,000-person event (every
   attendee's suggestions within the event: total and per member);
2. the mentoring round: 1,000 mentees × 300 mentors with capacities, the optimal
   assignment (``hallway.matching.rounds``) against the greedy one on the same scores;
3. quality on labelled members (``hallway.bench.matching_quality``): NDCG@10 and
   precision@10 of Hallway's ranking and of three baselines, with the full vocabulary
   and with part of the synonyms held out.

The results replace the matching section of docs/benchmarks.md (between the markers
below); the rest of the file (the `make bench` report) is kept as it is.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hallway.bench import matching_quality as quality
from hallway.bench.member_generator import (
    STAGE_CODES,
    TOPIC_PHRASES,
    GeneratedMember,
    MemberGenerator,
    TruthArrays,
    assign_events,
    phrase_topics,
    relevance,
)

SECTION_START = "<!-- matching-bench:start -->"
SECTION_END = "<!-- matching-bench:end -->"
BIG_EVENT = 1
BEFORE_HEADING = "## Before (issue 8"  # the last section of `make bench`'s report
SPEED_HEADER = (
    "| members | index build | RSS growth | arrays | one member p50 ms | p99 ms | p50 CPU ms "
    "| event attendees | whole event | per attendee p50 ms | p99 ms |\n"
    "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
)


def _stage(member: GeneratedMember) -> str | None:
    return member.profile.career_stage


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hallway.bench.matching",
        description="The matching engine's speed, the mentoring round and the quality of "
        "suggestions on labelled members, into docs/benchmarks.md.",
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="members per speed run")
    parser.add_argument("--queries", type=int, default=200, help="members timed one by one")
    parser.add_argument("--event-size", type=int, default=5_000)
    parser.add_argument(
        "--event-budget",
        type=float,
        default=30.0,
        help="seconds spent on one event; the remaining attendees are extrapolated",
    )
    parser.add_argument("--mentees", type=int, default=1_000)
    parser.add_argument("--mentors", type=int, default=300)
    parser.add_argument("--quality-members", type=int, default=3_000)
    parser.add_argument("--held-out-share", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="threads numpy's BLAS may use (0: its default); one server process per core wants 1",
    )
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-round", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    return parser.parse_args(argv)


# --- Records for the engine --------------------------------------------------------------


def member_record(member: GeneratedMember, held_out: Collection[str] = ()) -> Any:
    """The engine's plain record of a generated profile (interests normalised as the
    import would, held-out synonyms left as free tags)."""
    from hallway.matching.index import MemberRecord
    from hallway.members import vocabulary

    profile = member.profile
    return MemberRecord(
        user_id=profile.user_id,
        name=profile.name,
        career_stage=profile.career_stage,
        sector=profile.sector,
        interests=tuple(quality.normalise_interests(profile.interests, held_out)),
        networks=tuple(vocabulary.normalise_networks(profile.networks)),
        looking_for=tuple(profile.looking_for),
        offering=tuple(profile.offering),
        text="\n".join(part for part in (profile.role, profile.organisation, profile.bio) if part),
        time_zone=profile.time_zone,
        events=tuple(profile.events),
        novices_may_request=profile.novices_may_request,
    )


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def array_bytes(value: Any, seen: set[int] | None = None, depth: int = 0) -> int:
    """Bytes held by the numpy arrays and scipy sparse matrices reachable from ``value``
    (its attributes, dicts, lists and tuples, a few levels deep; each object once)."""
    seen = set() if seen is None else seen
    if id(value) in seen or depth > 4:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        if isinstance(value.base, np.ndarray):  # a view: its base, once
            return array_bytes(value.base, seen, depth)
        return int(value.nbytes)
    if hasattr(value, "tocsr") and hasattr(value, "nnz"):  # scipy sparse
        return sum(
            array_bytes(getattr(value, name, None), seen, depth + 1)
            for name in ("data", "indices", "indptr", "row", "col", "offsets")
        )
    if isinstance(value, Mapping):
        items: Iterable[Any] = value.values()
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        items = vars(value).values()
    elif hasattr(value, "__slots__"):
        items = [getattr(value, name, None) for name in value.__slots__]
    else:
        return 0
    return sum(array_bytes(item, seen, depth + 1) for item in items)


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return math.nan
    return float(np.percentile(np.asarray(values), share * 100))


# --- Results -----------------------------------------------------------------------------


@dataclass
class SpeedResult:
    members: int
    generate_seconds: float = 0.0
    build_seconds: float = 0.0
    rss_delta_kib: int = 0
    array_bytes: int = 0
    query_ms: list[float] = field(default_factory=list)
    query_cpu_ms: list[float] = field(default_factory=list)  # CPU time of this process
    empty_queries: int = 0
    event_attendees: int = 0
    event_seconds: float = 0.0  # for every attendee (extrapolated beyond --event-budget)
    event_ms: list[float] = field(default_factory=list)


@dataclass
class RoundResult:
    mentees: int
    mentors: int
    seats: int
    population: int
    score_seconds: float = 0.0
    optimal_seconds: float = 0.0
    greedy_seconds: float = 0.0
    optimal_total: float = 0.0
    greedy_total: float = 0.0
    optimal_assigned: int = 0
    greedy_assigned: int = 0
    optimal_truth: float = math.nan  # mean true grade of the pairs
    greedy_truth: float = math.nan
    optimal_truth_total: int = 0  # the true grades added up
    greedy_truth_total: int = 0
    oracle_truth_total: int = 0  # the best total of true grades any assignment reaches


@dataclass
class MatchingResults:
    args: argparse.Namespace
    started: float = field(default_factory=time.time)
    load_before: tuple[float, float, float] = field(default_factory=os.getloadavg)
    speed: list[SpeedResult] = field(default_factory=list)
    mentoring: RoundResult | None = None
    quality: quality.QualityResult | None = None
    problems: list[str] = field(default_factory=list)


# --- Speed -------------------------------------------------------------------------------


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def measure_speed(
    count: int, args: argparse.Namespace, progress: Progress
) -> tuple[SpeedResult, Any, list[GeneratedMember]]:
    from hallway.matching.index import build_index

    result = SpeedResult(count)
    task = progress.add_task(f"{count:,} members: generate and build", total=2)
    started = time.perf_counter()
    members = MemberGenerator(args.seed).generate(count)
    attendees = assign_events(members, BIG_EVENT, args.event_size, seed=args.seed)
    records = [member_record(member) for member in members]
    result.generate_seconds = time.perf_counter() - started
    progress.advance(task)
    gc.collect()
    before = rss_kib()
    started = time.perf_counter()
    index = build_index(records, seed=0)
    result.build_seconds = time.perf_counter() - started
    gc.collect()
    result.rss_delta_kib = rss_kib() - before
    result.array_bytes = array_bytes(index)
    progress.advance(task)
    del records

    rng = random.Random(args.seed)
    sample = rng.sample(range(1, count + 1), min(args.queries, count))
    for user_id in sample[:5]:  # warm-up: first-use costs are not per query
        index.top_matches(user_id, limit=10)
    query_task = progress.add_task(
        f"{count:,} members: one member's suggestions", total=len(sample)
    )
    for user_id in sample:
        started, cpu_started = time.perf_counter(), time.process_time()
        found = index.top_matches(user_id, limit=10)
        result.query_ms.append((time.perf_counter() - started) * 1000)
        result.query_cpu_ms.append((time.process_time() - cpu_started) * 1000)
        result.empty_queries += not found
        progress.advance(query_task)

    result.event_attendees = len(attendees)
    event_task = progress.add_task(
        f"{count:,} members: a {len(attendees):,}-person event", total=len(attendees)
    )
    event_started = time.perf_counter()
    for user_id in attendees:
        started = time.perf_counter()
        index.top_matches(user_id, limit=10, event_id=BIG_EVENT)
        result.event_ms.append((time.perf_counter() - started) * 1000)
        progress.advance(event_task)
        if started - event_started > args.event_budget:
            break  # the rest is extrapolated from the attendees measured
    result.event_seconds = time.perf_counter() - event_started
    if len(result.event_ms) < len(attendees):
        result.event_seconds *= len(attendees) / len(result.event_ms)
        progress.update(event_task, completed=len(attendees))
    return result, index, members


# --- The mentoring round -----------------------------------------------------------------


def measure_round(
    index: Any, members: Sequence[GeneratedMember], args: argparse.Namespace, progress: Progress
) -> RoundResult:
    """Mentees: members looking for mentoring or novices; mentors: members offering it or
    advanced; capacities 1–5 (fixed seed). Scores from the engine's ``pair_scores``."""
    from hallway.matching.rounds import greedy_assignment, optimal_assignment

    task = progress.add_task(
        f"Mentoring round: {args.mentees:,} mentees × {args.mentors:,} mentors", total=3
    )
    rng = random.Random(args.seed)
    wants = [m for m in members if "mentoring" in m.profile.looking_for or _stage(m) == "novice"]
    gives = [m for m in members if "mentoring" in m.profile.offering or _stage(m) == "advanced"]
    mentors = rng.sample(gives, min(args.mentors, len(gives)))
    mentor_ids = {m.profile.user_id for m in mentors}
    wants = [m for m in wants if m.profile.user_id not in mentor_ids]
    mentees = rng.sample(wants, min(args.mentees, len(wants)))
    capacities = [rng.randint(1, 5) for _ in mentors]
    result = RoundResult(len(mentees), len(mentors), sum(capacities), len(members))

    started = time.perf_counter()
    scores = np.asarray(
        index.pair_scores(
            [m.profile.user_id for m in mentees], [m.profile.user_id for m in mentors]
        )
    )
    result.score_seconds = time.perf_counter() - started
    progress.advance(task)
    allowed = scores > 0  # the engine scores a pair a hard rule forbids 0
    started = time.perf_counter()
    optimal = optimal_assignment(scores, capacities, allowed)
    result.optimal_seconds = time.perf_counter() - started
    progress.advance(task)
    started = time.perf_counter()
    greedy = greedy_assignment(scores, capacities, allowed)
    result.greedy_seconds = time.perf_counter() - started
    progress.advance(task)
    result.optimal_total, result.greedy_total = optimal.total, greedy.total
    result.optimal_assigned, result.greedy_assigned = len(optimal.pairs), len(greedy.pairs)

    # How good the pairs really are, from the generator's hidden truth.
    people = [*mentees, *mentors]
    grades = relevance(TruthArrays.of(people))
    offset = len(mentees)
    for name, assignment in (("optimal", optimal), ("greedy", greedy)):
        truth = [grades[row, offset + column] for row, column in assignment.pairs]
        setattr(result, f"{name}_truth", float(np.mean(truth)) if truth else math.nan)
        setattr(result, f"{name}_truth_total", int(np.sum(truth)))
    # The best any assignment could do by the truth (same seats, same forbidden pairs).
    true_scores = grades[:offset, offset:].astype(np.float64)
    oracle = optimal_assignment(true_scores, capacities, allowed & (true_scores > 0))
    result.oracle_truth_total = int(round(oracle.total))
    return result


# --- Quality -----------------------------------------------------------------------------


def held_out_matcher(share: float, seed: int) -> tuple[Any, set[str], int]:
    """A TopicMatcher without part of the synonyms the generator uses.

    Returns the matcher, the held-out phrases and how many of the generator's phrases the
    full vocabulary knows. Besides each held-out phrase itself, every vocabulary phrase
    found inside it is taken out too ("captions" inside "closed captions"), so it is
    really not recognised; a held-out phrase still recognised through a curated topic's
    own name (which cannot go) is dropped from the held-out set.
    """
    from hallway.members import vocabulary

    full = vocabulary.default_topic_matcher()
    known = {
        phrase
        for topic, phrases in TOPIC_PHRASES.items()
        for phrase in phrases
        if topic in full.topics(phrase)
    }
    held = quality.held_out_phrases(known, share, seed)
    sources = [dict(vocabulary._TAG_SYNONYMS), dict(vocabulary.TOPIC_PHRASES)]
    for source in sources:
        for topic, phrases in list(source.items()):
            source[topic] = tuple(phrase for phrase in phrases if not _found_in(phrase, held))
    matcher = vocabulary.TopicMatcher(*sources)
    topic_of = phrase_topics()
    held = {phrase for phrase in held if topic_of[phrase] not in matcher.topics(phrase)}
    return matcher, held, len(known)


def _found_in(phrase: str, texts: Iterable[str]) -> bool:
    """Whether the vocabulary would read ``phrase`` inside any of ``texts`` (a matcher that
    knows only that phrase, under a topic with no words of its own)."""
    from hallway.members import vocabulary

    alone = vocabulary.TopicMatcher({"": (phrase,)})
    return any(alone.topics(text) for text in texts)


def hallway_ranking(
    members: Sequence[GeneratedMember], matcher: Any = None, held_out: Iterable[str] = ()
) -> quality.Ranking:
    from hallway.matching.index import build_index

    held = list(held_out)
    index = build_index([member_record(m, held) for m in members], matcher=matcher, seed=0)
    position = {m.profile.user_id: number for number, m in enumerate(members)}

    def rank(member: int) -> list[int]:
        found = index.top_matches(members[member].profile.user_id, limit=quality.K)
        return [position[user_id] for user_id, _score in found]

    return rank


def measure_quality(args: argparse.Namespace, progress: Progress) -> quality.QualityResult:
    count = args.quality_members
    task = progress.add_task(f"Quality: {count:,} labelled members", total=1)
    members, grades = quality.labelled_members(count, args.seed)
    complete, _same_grades = quality.labelled_members(
        count, args.seed, MemberGenerator.complete_profiles(args.seed)
    )
    matcher, held, known = held_out_matcher(args.held_out_share, args.seed)
    strict_matcher, strict_held, _known = held_out_matcher(1.0, args.seed)
    result = quality.QualityResult(count, args.seed, sorted(held), known, len(strict_held))
    quality.describe(members, grades, result)
    progress.advance(task)
    rankings: list[tuple[str, Callable[[], quality.Ranking]]] = [
        ("Hallway", lambda: hallway_ranking(members)),
        ("Hallway, synonyms held out", lambda: hallway_ranking(members, matcher, held)),
        (
            "Hallway, every known synonym held out",
            lambda: hallway_ranking(members, strict_matcher, strict_held),
        ),
        ("Hallway, complete profiles (diagnostic)", lambda: hallway_ranking(complete)),
        ("random", lambda: quality.random_ranking(members)),
        ("tag overlap", lambda: quality.tag_overlap_ranking(members)),
        ("tag overlap, synonyms held out", lambda: quality.tag_overlap_ranking(members, held)),
        ("bio similarity (TF-IDF cosine)", lambda: quality.bio_similarity_ranking(members)),
    ]
    for name, make in rankings:
        step = progress.add_task(f"Quality: {name}", total=count)
        try:
            ranking = make()
        except Exception as error:  # reported, the rest still runs
            result.notes.append(f"{name}: could not run ({type(error).__name__}: {error})")
            progress.update(step, completed=count)
            continue
        result.scores[name] = quality.evaluate(
            name, ranking, grades, partial(progress.advance, step)
        )
    return result


# --- Report ------------------------------------------------------------------------------


def _ms(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"


def _mb(size: float) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def _cpu() -> str:
    from hallway.bench.report import cpu_model

    return cpu_model()


def _attendees(item: SpeedResult) -> str:
    measured = len(item.event_ms)
    if measured >= item.event_attendees:
        return f"{item.event_attendees:,}"
    return f"{item.event_attendees:,} ({measured:,} timed, the rest extrapolated)"


def _speed_section(results: MatchingResults) -> str:
    if not results.speed:
        return ""
    rows = []
    for item in results.speed:
        rows.append(
            f"| {item.members:,} | {item.build_seconds:,.1f} s "
            f"| {_mb(item.rss_delta_kib * 1024)} | {_mb(item.array_bytes)} "
            f"| {_ms(percentile(item.query_ms, 0.5))} | {_ms(percentile(item.query_ms, 0.99))} "
            f"| {_ms(percentile(item.query_cpu_ms, 0.5))} "
            f"| {_attendees(item)} | {item.event_seconds:,.1f} s "
            f"| {_ms(percentile(item.event_ms, 0.5))} | {_ms(percentile(item.event_ms, 0.99))} |"
        )
    args = results.args
    return f"""### Suggestions and the index

Generated members (`hallway/bench/member_generator.py`, seed {args.seed}) turned into the
engine's plain records and indexed with `hallway.matching.index.build_index`, all in one
process. "One member" is `top_matches(user_id, limit=10)` for {args.queries} members drawn
at random (after 5 warm-up queries); "event" asks the same for every attendee of one
event ({args.event_size:,} attendees, or everyone when there are fewer members), only
among people going to it; after {args.event_budget:g} s the remaining attendees are
extrapolated from the mean of those timed. Memory: the process's RSS growth across the
build, and the bytes held in the index's numpy/scipy arrays. The machine is shared with
other work (see the load average): wall-clock figures are upper bounds of a quiet
machine's; "CPU ms" is the process's own CPU time per query, which waiting for a core
does not inflate.

{SPEED_HEADER}
{chr(10).join(rows)}
"""


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def _round_row(label: str, item: RoundResult, name: str) -> str:
    seconds, assigned = getattr(item, f"{name}_seconds"), getattr(item, f"{name}_assigned")
    total, truth = getattr(item, f"{name}_total"), getattr(item, f"{name}_truth")
    truth_total = getattr(item, f"{name}_truth_total")
    return (
        f"| {label} | {seconds:,.2f} s | {assigned:,} | {total:,.1f} | {truth:.2f} "
        f"| {truth_total:,} |"
    )


def _round_section(results: MatchingResults) -> str:
    item = results.mentoring
    if item is None:
        return ""
    gain = item.optimal_total / item.greedy_total - 1 if item.greedy_total else math.nan
    optimal_share = _share(item.optimal_truth_total, item.oracle_truth_total)
    greedy_share = _share(item.greedy_truth_total, item.oracle_truth_total)
    return f"""### Mentoring round

{item.mentees:,} mentees (members looking for mentoring, or novices) and {item.mentors:,} mentors
(offering mentoring, or advanced) drawn from {item.population:,} generated members, each mentor
taking 1–5 mentees ({item.seats:,} seats in all). Scores: the engine's `pair_scores`
(0 where a hard rule forbids the pair); assignment: `hallway.matching.rounds`. "True
grade" is the mean relevance (0–3) of the assigned pairs by the generator's hidden truth,
which neither assignment sees.

| | time | mentees assigned | total score | mean true grade | true grades added up |
|---|--:|--:|--:|--:|--:|
| scoring the {item.mentees:,} × {item.mentors:,} pairs | {item.score_seconds:,.2f} s | | | | |
{_round_row("optimal (`linear_sum_assignment`, capacity-expanded)", item, "optimal")}
{_round_row("greedy (best remaining pair first)", item, "greedy")}

By the hidden truth, the best any assignment of these seats could reach is
{item.oracle_truth_total:,} (true grades added up, assigning only pairs of grade ≥ 1 the
engine allows): the optimal assignment reaches {optimal_share} of it, the greedy one
{greedy_share}.

The optimal assignment's total score is **{gain:+.1%}** against the greedy one on the same input;
scoring plus assignment took {item.score_seconds + item.optimal_seconds:,.2f} s (goal: under 5 s).
"""


def _stage_table(item: quality.QualityResult) -> str:
    stages = [stage for stage in STAGE_CODES if stage in item.by_stage]
    header = "| ranking | " + " | ".join(
        f"{stage} ({len(item.by_stage[stage]):,})" for stage in stages
    )
    lines = [header + " |", "|---|" + "--:|" * len(stages)]
    for scores in item.scores.values():
        cells = " | ".join(f"{scores.ndcg_of(item.by_stage[stage]):.3f}" for stage in stages)
        lines.append(f"| {scores.name} | {cells} |")
    return "\n".join(lines)


def _quality_section(results: MatchingResults) -> str:
    item = results.quality
    if item is None:
        return ""
    rows = []
    for scores in item.scores.values():
        ndcg, ndcg_ci = scores.mean_ndcg
        precision, precision_ci = scores.mean_precision
        rows.append(
            f"| {scores.name} | **{ndcg:.3f}** ± {ndcg_ci:.3f} | **{precision:.3f}** ± "
            f"{precision_ci:.3f} | {scores.empty:,} |"
        )
    shares = ", ".join(f"grade {g}: {share:.1%}" for g, share in item.grade_shares.items())
    held = ", ".join(f"“{phrase}”" for phrase in item.held_out)
    notes = "".join(f"\n- {note}" for note in item.notes)
    return f"""### Quality on labelled members

{item.members:,} generated members (seed {item.seed}) with a hidden truth: the topics they need
and can help with, what they look for and offer, career stage, working hours. Profiles
reveal it in part and in other words: a true topic is ticked as an interest 40% of the
time (sometimes as a synonym), otherwise usually written in the bio with a phrase
("captioning", "Moodle admin", "renewable assignments") or a plain mention; intents are
ticked 55% of the time, else often said in a sentence; stage and time zone are
sometimes blank; a third tick one interest that is not theirs. Each pair's relevance
(0–3) is graded from the truth, reciprocally: what each answers of the other's needs
(mentoring and career chats from someone more senior, course feedback from someone at
least as senior, collaborators and peer support among peers, job leads from someone
hiring or passing leads on; topics must line up), a grade less when their working
hours overlap under two hours; pairs the hard rules forbid are 0. Share of pairs: {shares};
on average {item.relevant_per_member:,.0f} candidates per member have grade ≥ 2.

"Complete profiles" is a diagnostic, not a result: the same members and truth with
profiles that reveal all of it (every topic ticked, every intent, stage and time zone
given, no stray interest). It shows how much is lost to what profiles leave unsaid and
how much to the engine's model of a good pair against this generator's.

Each ranking proposes ten people per member under the same hard rules; NDCG@10 uses
gain 2^grade − 1 against the best ten possible; precision@10 is the share of the ten
with grade ≥ 2 (an empty place counts as a miss). Means over all members, ± the half-
width of a 95% confidence interval.

| ranking | NDCG@10 | precision@10 | members with no suggestion |
|---|--:|--:|--:|
{chr(10).join(rows)}

NDCG@10 by the member's true career stage:

{_stage_table(item)}

Held out: of the generator's phrases, {item.known_phrases} are known to the full vocabulary
(`_TAG_SYNONYMS` and `TOPIC_PHRASES` in `hallway.members.vocabulary`); half of them per
topic (seed 2026), {len(item.held_out)} phrases, were taken out for the "held out" rows
(with every vocabulary phrase found inside them; a tag typed with one stays a free
tag): {held}. The "every known synonym" row holds out all {item.all_held_out} of them that
can be (the strictest reading: Hallway then knows none of the generator's synonyms and
recognises those topics only through their own names, the tags and its text model).{notes}
"""


def render_section(results: MatchingResults, command: str) -> str:
    started = datetime.fromtimestamp(results.started, UTC)
    load_after = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    load_before = " / ".join(f"{value:.2f}" for value in results.load_before)
    parts = [_speed_section(results), _round_section(results), _quality_section(results)]
    body = "\n".join(part for part in parts if part)
    problems = "".join(f"\n- {problem}" for problem in results.problems)
    goals = _goals(results)
    return f"""{SECTION_START}
## Matching

Measured {started:%Y-%m-%d %H:%M} UTC with `make bench-matching` (`{command}`), one Python
process, no database or server (the engine's pure API over generated member records).

- Machine: {_cpu()}, {os.cpu_count()} cores; {platform.platform()}
- Python {sys.version.split()[0]}; numpy {np.__version__}, {_versions()}; {_blas(results)}
- Load average (1 / 5 / 15 min): {load_before} at the start, {load_after} at the end.{problems}

{goals}
{body}{SECTION_END}
"""


def _blas(results: MatchingResults) -> str:
    threads = results.args.blas_threads
    if threads <= 0:
        return "BLAS threads: the library's default"
    return (
        f"BLAS threads: {threads} (threadpoolctl), as one server process per core wants"
        " (under this shared machine's load, numpy's default of one per core made the"
        " index build about 3× slower)"
    )


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("scipy", "scikit-learn"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    return ", ".join(found)


def _goals(results: MatchingResults) -> str:
    lines = []
    largest = max(results.speed, key=lambda item: item.members, default=None)
    if largest is not None and largest.query_ms:
        p50 = percentile(largest.query_ms, 0.5)
        p99 = percentile(largest.query_ms, 0.99)
        status = "met" if p99 < 50 else "met at p50, not at p99" if p50 < 50 else "not yet"
        lines.append(
            f"| one member's suggestions under 50 ms at {largest.members:,} members "
            f"| p50 {_ms(p50)} ms, p99 {_ms(p99)} ms "
            f"(CPU p50 {_ms(percentile(largest.query_cpu_ms, 0.5))} ms) | {status} |"
        )
    if results.mentoring is not None:
        item = results.mentoring
        seconds = item.score_seconds + item.optimal_seconds
        lines.append(
            f"| mentoring round {item.mentees:,} × {item.mentors:,} under 5 s "
            f"| {seconds:,.2f} s | {'met' if seconds < 5 else 'not yet'} |"
        )
    if results.quality is not None:
        scores = results.quality.scores
        hallway = scores.get("Hallway, synonyms held out")
        baselines = [s for name, s in scores.items() if not name.startswith("Hallway")]
        if hallway is not None and baselines:
            best = max(baselines, key=lambda s: s.mean_ndcg[0])
            ahead = hallway.mean_ndcg[0] > best.mean_ndcg[0]
            lines.append(
                f"| NDCG@10 (synonyms held out) above every baseline | {hallway.mean_ndcg[0]:.3f} "
                f"against {best.name} {best.mean_ndcg[0]:.3f} | {'met' if ahead else 'not yet'} |"
            )
    if not lines:
        return ""
    return "| goal | measured | |\n|---|---|---|\n" + "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Put the matching section into ``path``: in place of the previous one, else at the end."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    path.write_text(carry_section(text, section))


def carry_section(text: str, section: str) -> str:
    """``text`` with its matching section (if any) replaced by ``section``, else appended."""
    start, end = text.find(SECTION_START), text.find(SECTION_END)
    if start != -1 and end > start:
        return text[:start] + section.rstrip("\n") + text[end + len(SECTION_END) :]
    before = text.find(BEFORE_HEADING)  # the older figures stay last
    if before != -1:
        return text[:before] + section.rstrip("\n") + "\n\n" + text[before:]
    return text.rstrip("\n") + "\n\n" + section


def existing_section(path: Path) -> str:
    """The matching section already in ``path`` ("" if none), so `make bench` keeps it."""
    if not path.exists():
        return ""
    text = path.read_text()
    start, end = text.find(SECTION_START), text.find(SECTION_END)
    return text[start : end + len(SECTION_END)] + "\n" if start != -1 and end > start else ""


def console_summary(results: MatchingResults) -> Table:
    table = Table(title="Matching")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for item in results.speed:
        table.add_row(
            f"{item.members:,} members: build / one member p50, p99",
            f"{item.build_seconds:,.1f} s / {_ms(percentile(item.query_ms, 0.5))}, "
            f"{_ms(percentile(item.query_ms, 0.99))} ms",
        )
        table.add_row(
            f"{item.members:,} members: {item.event_attendees:,}-person event",
            f"{item.event_seconds:,.1f} s",
        )
    if results.mentoring is not None:
        mentoring = results.mentoring
        table.add_row(
            "mentoring round: optimal / greedy total",
            f"{mentoring.optimal_total:,.1f} / {mentoring.greedy_total:,.1f}",
        )
    if results.quality is not None:
        for scores in results.quality.scores.values():
            table.add_row(
                f"{scores.name}: NDCG@10 / P@10",
                f"{scores.mean_ndcg[0]:.3f} / {scores.mean_precision[0]:.3f}",
            )
    return table


# --- The run -----------------------------------------------------------------------------


def run(args: argparse.Namespace, console: Console) -> MatchingResults:
    with ExitStack() as stack:
        if args.blas_threads > 0:
            from threadpoolctl import threadpool_limits

            stack.enter_context(threadpool_limits(limits=args.blas_threads))
        return _run(args, console)


def _warm_up() -> None:
    """One small build first, so lazy imports and one-time set-up are not in the timings."""
    from hallway.matching.index import build_index

    index = build_index([member_record(m) for m in MemberGenerator(0).generate(60)], seed=0)
    index.top_matches(1, limit=10)


def _run(args: argparse.Namespace, console: Console) -> MatchingResults:
    results = MatchingResults(args)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    round_source: tuple[Any, list[GeneratedMember]] | None = None
    with _progress(console) as progress:
        if not args.skip_speed:
            _warm_up()
            for size in sizes:
                speed, index, members = measure_speed(size, args, progress)
                results.speed.append(speed)
                # The round draws from the population nearest 10,000 members.
                if round_source is None or abs(size - 10_000) < abs(len(round_source[1]) - 10_000):
                    round_source = (index, members)
                del index, members
                gc.collect()
        if not args.skip_round:
            if round_source is None:
                from hallway.matching.index import build_index

                members = MemberGenerator(args.seed).generate(10_000)
                round_source = (build_index([member_record(m) for m in members], seed=0), members)
            try:
                index, members = round_source
                results.mentoring = measure_round(index, members, args, progress)
            except Exception as error:  # reported in the section
                results.problems.append(f"Mentoring round failed: {type(error).__name__}: {error}")
        round_source = None
        gc.collect()
        if not args.skip_quality:
            results.quality = measure_quality(args, progress)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    results = run(args, console)
    command = " ".join(["python -m hallway.bench.matching", *(argv or sys.argv[1:])])
    console.print(console_summary(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_section(args.output, render_section(results, command))
    console.print(f"Wrote the matching section of {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
