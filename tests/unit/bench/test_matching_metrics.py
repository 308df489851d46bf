"""The matching quality benchmark's metrics, baselines, hold-out and report section."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from hallway.bench import matching, matching_quality
from hallway.bench.matching_quality import K, ndcg_at_k, precision_at_k


def test_ndcg_of_the_perfect_ranking_is_one() -> None:
    grades = np.array([0, 3, 1, 2, 0, 3, 2, 1, 0, 0, 2, 1])
    perfect = sorted(range(len(grades)), key=lambda i: -grades[i])
    assert ndcg_at_k(perfect, grades) == pytest.approx(1.0)


def test_ndcg_of_the_reversed_ranking_is_lower() -> None:
    grades = np.array([3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    perfect = list(range(len(grades)))
    assert ndcg_at_k(perfect[::-1], grades) < ndcg_at_k(perfect[::1], grades)
    # Swapping two neighbours of different grade already costs something.
    assert ndcg_at_k([1, 2, 0, 3, 4, 5], grades) < 1.0
    assert 0 < ndcg_at_k([2, 1, 0], grades) < 1.0


def test_ndcg_uses_exponential_gains_and_log_discounts() -> None:
    grades = np.array([0, 1, 2])
    # Ideal: grade 2 (gain 3) then grade 1 (gain 1): 3 + 1/log2(3).
    ideal = 3 + 1 / math.log2(3)
    assert ndcg_at_k([1, 2], grades) == pytest.approx((1 + 3 / math.log2(3)) / ideal)


def test_ndcg_ignores_the_member_and_places_beyond_k() -> None:
    grades = np.array([3] + [0] * 15 + [1])
    # Member 0 is the one asking: its own grade is not part of the ideal.
    assert ndcg_at_k([16], grades, exclude=0) == pytest.approx(1.0)
    late = list(range(1, 11)) + [16]  # the relevant one in 11th place does not count
    assert ndcg_at_k(late, grades, exclude=0) == 0.0
    assert math.isnan(ndcg_at_k([1, 2], np.zeros(5, dtype=int), exclude=0))


def test_precision_counts_grade_two_and_up_over_ten_places() -> None:
    grades = np.array([2, 1, 3, 0, 2, 2, 2, 2, 2, 2, 2, 2])
    assert precision_at_k([0], grades) == pytest.approx(0.1)  # grade 2 counts
    assert precision_at_k([1], grades) == 0.0  # grade 1 does not
    assert precision_at_k([0, 2], grades) == pytest.approx(0.2)  # empty places are misses
    eleven = [0, 2, 4, 5, 6, 7, 8, 9, 10, 11, 1]
    assert precision_at_k(eleven, grades) == pytest.approx(1.0)
    assert precision_at_k([3, *eleven], grades) == pytest.approx(0.9)  # only the first ten
    assert K == 10


def test_scores_average_and_count_empty_suggestions() -> None:
    grades = np.array([[0, 2, 0], [2, 0, 0], [0, 0, 0]])
    scores = matching_quality.Scores("x")
    for member, ranked in enumerate([[1], [2], []]):
        scores.add(ranked, grades[member], member)
    assert scores.empty == 1
    assert scores.ndcg == [1.0, 0.0]  # member 2 has no relevant candidate: left out
    assert scores.mean_precision[0] == pytest.approx(0.1 / 3)


def test_baselines_respect_the_hard_rules_and_rank_ten() -> None:
    members, grades = matching_quality.labelled_members(300, seed=5)
    allowed = matching_quality.allowed_matrix(members)
    for ranking in (
        matching_quality.random_ranking(members),
        matching_quality.tag_overlap_ranking(members),
        matching_quality.bio_similarity_ranking(members),
    ):
        for member in range(0, 300, 37):
            ranked = ranking(member)
            assert len(ranked) == K and len(set(ranked)) == K
            assert member not in ranked
            assert all(allowed[member, other] for other in ranked)
    # The forbidden pairs are graded 0 for everyone.
    assert (grades[~allowed] == 0).all()


def test_tag_overlap_puts_shared_interests_first() -> None:
    members, _grades = matching_quality.labelled_members(200, seed=6)
    ranking = matching_quality.tag_overlap_ranking(members)
    tags = [set(matching_quality.normalise_interests(m.profile.interests)) for m in members]
    member = next(i for i, t in enumerate(tags) if t)
    ranked = ranking(member)
    overlaps = [len(tags[member] & tags[other]) for other in ranked]
    assert overlaps == sorted(overlaps, reverse=True)
    assert overlaps[0] >= 1


def test_held_out_synonyms_are_really_absent_from_the_vocabulary() -> None:
    from hallway.bench.member_generator import phrase_topics
    from hallway.members import vocabulary

    matcher, held, known = matching.held_out_matcher(0.5, seed=12)
    topic_of = phrase_topics()
    full = vocabulary.default_topic_matcher()
    assert len(held) >= known // 4
    for phrase in held:
        assert topic_of[phrase] in full.topics(phrase)  # known before
        assert topic_of[phrase] not in matcher.topics(phrase)  # not while measuring
        assert topic_of[phrase] not in matcher.topics(f"Most of my work is {phrase}.")
    kept = [p for p in topic_of if p not in held and topic_of[p] in full.topics(p)]
    assert any(topic_of[p] in matcher.topics(p) for p in kept)  # the rest still works
    # A tag typed with a held-out synonym stays a free tag.
    phrase = sorted(held)[0]
    assert matching_quality.normalise_interests([phrase], held) == [phrase.lower()]
    assert matching_quality.normalise_interests(["a11y"]) == ["accessibility & UDL"]


def test_held_out_phrases_take_the_share_per_topic_with_a_fixed_seed() -> None:
    known = {"a11y", "UDL", "WCAG", "captioning", "LMS admin", "course shells", "not ours"}
    first = matching_quality.held_out_phrases(known, 0.5, seed=1)
    assert first == matching_quality.held_out_phrases(known, 0.5, seed=1)
    assert first <= known - {"not ours"}
    assert len(first & {"a11y", "UDL", "WCAG", "captioning"}) == 2
    assert len(first & {"LMS admin", "course shells"}) == 1
    assert matching_quality.held_out_phrases(known, 0.0, seed=1) == set()


def test_the_section_replaces_the_previous_one_and_keeps_the_rest() -> None:
    start, end = matching.SECTION_START, matching.SECTION_END
    old = f"# Benchmarks\n\nPages.\n\n{start}\nold\n{end}\n\nBefore.\n"
    new_section = f"{matching.SECTION_START}\nnew\n{matching.SECTION_END}\n"
    text = matching.carry_section(old, new_section)
    assert "old" not in text and "new" in text
    assert text.startswith("# Benchmarks\n\nPages.") and text.endswith("Before.\n")
    appended = matching.carry_section("# Benchmarks\n\nPages.\n", new_section)
    assert appended == "# Benchmarks\n\nPages.\n\n" + new_section
    # Before the older figures `make bench` keeps last.
    report = "# Benchmarks\n\nPages.\n\n## Before (issue 8, for comparison)\n\nOld.\n"
    inserted = matching.carry_section(report, new_section)
    assert inserted.index("new") < inserted.index("## Before (issue 8")
    assert inserted.endswith("Old.\n")


def test_array_bytes_counts_arrays_once() -> None:
    from scipy import sparse

    shared = np.zeros(100, dtype=np.float64)

    class Holder:
        def __init__(self) -> None:
            self.a = shared
            self.b = {"same": shared, "view": shared[:10]}
            self.m = sparse.csr_matrix(np.eye(4, dtype=np.float32))

    matrix = Holder().m
    own = matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
    assert matching.array_bytes(Holder()) >= 800 + own  # the view of `shared` adds nothing
    assert matching.array_bytes(Holder()) < 800 + own + 100 * 8


def test_the_engine_measured_with_held_out_synonyms_does_not_read_them() -> None:
    from hallway.bench.member_generator import phrase_topics
    from hallway.matching.index import MemberRecord, build_index
    from hallway.members.vocabulary import TopicMatcher

    matcher, held, _known = matching.held_out_matcher(0.5, seed=12)
    topic_of = phrase_topics()
    phrase = sorted(held)[0]
    writer = MemberRecord(1, career_stage="career", text=f"Most of my work is {phrase}.")
    tagged = MemberRecord(2, career_stage="career", interests=(topic_of[phrase],))
    other = MemberRecord(3, career_stage="career", interests=("podcasting",))

    def shared_topics(chosen: TopicMatcher | None) -> float:
        index = build_index(
            [writer, tagged, other], matcher=chosen, text_dimensions=0, exposure_sample=0
        )
        return index.factors(1, 2)["topics"]

    assert shared_topics(None) > 0  # the full vocabulary reads the phrase
    assert shared_topics(matcher) == 0  # the held-out one does not


def test_make_bench_keeps_the_matching_section_it_finds(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    assert matching.existing_section(path) == ""
    path.write_text("# Benchmarks\n\nNo matching yet.\n")
    assert matching.existing_section(path) == ""
    section = f"{matching.SECTION_START}\n## Matching\n{matching.SECTION_END}\n"
    matching.write_section(path, section)
    assert matching.existing_section(path) == section
    fresh = "# Benchmarks\n\nNew pages.\n\n## Before (issue 8, for comparison)\n"
    kept = matching.carry_section(fresh, matching.existing_section(path))
    assert "New pages." in kept and "## Matching" in kept and "No matching yet" not in kept
