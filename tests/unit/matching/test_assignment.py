"""The mentoring round's assignment (matching/rounds.py), checked against brute force:
every way to give each mentee one mentor or none, within capacities and allowed pairs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from hallway.matching.rounds import greedy_assignment, optimal_assignment


def brute_force(scores, capacities, allowed) -> tuple[int, float]:
    """The best (mentees assigned, total score) over every possible assignment."""
    mentees, mentors = scores.shape
    best = (0, 0.0)
    for choice in itertools.product([None, *range(mentors)], repeat=mentees):
        used = [0] * mentors
        valid = True
        for mentee, mentor in enumerate(choice):
            if mentor is None:
                continue
            if not allowed[mentee, mentor]:
                valid = False
                break
            used[mentor] += 1
        if not valid or any(u > c for u, c in zip(used, capacities, strict=True)):
            continue
        count = sum(mentor is not None for mentor in choice)
        total = sum(scores[m, j] for m, j in enumerate(choice) if j is not None)
        if count > best[0] or (count == best[0] and total > best[1] + 1e-12):
            best = (count, total)
    return best


def _check_valid(result, scores, capacities, allowed) -> None:
    mentees = [mentee for mentee, _ in result.pairs]
    assert len(mentees) == len(set(mentees)), "a mentee got two mentors"
    for mentor, capacity in enumerate(capacities):
        assert sum(1 for _, j in result.pairs if j == mentor) <= capacity
    for mentee, mentor in result.pairs:
        assert allowed[mentee, mentor], "a forbidden pair was assigned"
    assert sorted(result.unassigned + mentees) == list(range(scores.shape[0]))
    assert result.total == pytest.approx(sum(scores[i, j] for i, j in result.pairs))


@pytest.mark.parametrize("seed", range(25))
def test_optimal_matches_brute_force_on_random_small_rounds(seed):
    rng = np.random.default_rng(seed)
    mentees, mentors = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    scores = rng.random((mentees, mentors)).round(3)
    capacities = [int(c) for c in rng.integers(0, 3, size=mentors)]
    allowed = rng.random((mentees, mentors)) > 0.25
    result = optimal_assignment(scores, capacities, allowed)
    _check_valid(result, scores, capacities, allowed)
    count, total = brute_force(scores, capacities, allowed)
    assert len(result.pairs) == count
    assert result.total == pytest.approx(total)


def test_a_better_pair_is_not_given_up_to_avoid_a_forbidden_one():
    # A-X 10, A-Y 1, B-X 1, B-Y forbidden: both assigned is A-Y + B-X (2 mentees).
    scores = np.array([[10.0, 1.0], [1.0, 0.0]])
    allowed = np.array([[True, True], [True, False]])
    result = optimal_assignment(scores, [1, 1], allowed)
    assert result.pairs == [(0, 1), (1, 0)]
    assert result.total == pytest.approx(2.0)


def test_prefers_the_higher_total_when_as_many_are_assigned():
    scores = np.array([[0.9, 0.8], [0.7, 0.1]])
    result = optimal_assignment(scores, [1, 1])
    assert result.pairs == [(0, 1), (1, 0)]
    assert result.total == pytest.approx(1.5)
    # Greedy takes the best pair first and ends lower.
    greedy = greedy_assignment(scores, [1, 1])
    assert greedy.pairs == [(0, 0), (1, 1)]
    assert greedy.total == pytest.approx(1.0)


def test_capacity_lets_one_mentor_take_several_mentees():
    scores = np.array([[0.9, 0.2], [0.8, 0.1], [0.7, 0.3]])
    result = optimal_assignment(scores, [2, 1])
    assert len(result.pairs) == 3
    assert sum(1 for _, mentor in result.pairs if mentor == 0) == 2
    assert result.mentor_of(2) == 1  # the one who loses least goes to the second mentor


def test_more_mentees_than_seats_leaves_the_weakest_unassigned():
    scores = np.array([[0.9], [0.2], [0.5]])
    result = optimal_assignment(scores, [2])
    assert result.pairs == [(0, 0), (2, 0)]
    assert result.unassigned == [1]


def test_nan_and_minus_infinity_forbid_a_pair():
    scores = np.array([[np.nan, 0.4], [-np.inf, 0.9]])
    result = optimal_assignment(scores, [5, 1])
    assert result.pairs == [(1, 1)]
    assert result.unassigned == [0]
    assert greedy_assignment(scores, [5, 1]).pairs == [(1, 1)]


def test_zero_capacity_and_no_mentees():
    assert optimal_assignment(np.array([[0.5]]), [0]).pairs == []
    assert optimal_assignment(np.array([[0.5]]), [0]).unassigned == [0]
    empty = optimal_assignment(np.zeros((0, 3)), [1, 1, 1])
    assert empty.pairs == [] and empty.unassigned == []


def test_negative_scores_are_still_assigned_rather_than_nobody():
    scores = np.array([[-0.5, -0.1]])
    assert optimal_assignment(scores, [1, 1]).pairs == [(0, 1)]


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError):
        optimal_assignment(np.zeros((2, 2)), [1])
    with pytest.raises(ValueError):
        optimal_assignment(np.zeros((2, 2)), [1, -1])
    with pytest.raises(ValueError):
        optimal_assignment(np.zeros((2, 2)), [1, 1], np.ones((2, 3), dtype=bool))
    with pytest.raises(ValueError):
        optimal_assignment(np.zeros(3), [1, 1, 1])


@pytest.mark.parametrize("seed", range(10))
def test_greedy_is_valid_and_never_beats_optimal(seed):
    rng = np.random.default_rng(100 + seed)
    scores = rng.random((6, 3))
    capacities = [int(c) for c in rng.integers(1, 3, size=3)]
    allowed = rng.random((6, 3)) > 0.2
    greedy = greedy_assignment(scores, capacities, allowed)
    best = optimal_assignment(scores, capacities, allowed)
    _check_valid(greedy, scores, capacities, allowed)
    assert (len(greedy.pairs), greedy.total) <= (len(best.pairs), best.total + 1e-9)


def test_a_thousand_mentees_and_three_hundred_mentors_are_assigned_within_capacities():
    """At a large conference's size (its time is measured by ``make bench-matching``)."""
    rng = np.random.default_rng(7)
    scores = rng.random((1000, 300))
    allowed = rng.random((1000, 300)) > 0.05
    capacities = [int(c) for c in rng.integers(1, 5, size=300)]
    result = optimal_assignment(scores, capacities, allowed)
    _check_valid(result, scores, capacities, allowed)
    assert result.total >= greedy_assignment(scores, capacities, allowed).total
