"""How docs/benchmarks.md reports the fan-out: the goal is judged on the production
recipe with the readers it names, and the other readers' figures sit apart."""

from __future__ import annotations

from hallway.bench import report, run
from hallway.bench.results import FanOut, Results
from hallway.bench.seed import Seeded


def _results(*fanouts: FanOut) -> Results:
    args = run.parse_args([])
    return Results(args, Seeded("a@example.org", "pw", "a"), "SQLite", fanout=list(fanouts))


def _fanout(server: str, p99: float, processes: int, timed_by: str = "stamped") -> FanOut:
    return FanOut(server, 1000, 20, processes=processes, timed_by=timed_by,
                  latencies_ms=[p99 / 2] * 98 + [p99] * 2, delivered=20_000)  # fmt: skip


def test_the_goal_is_met_only_below_50_ms_in_the_recipe():
    met = report._goals_section(_results(_fanout("Hallway", 49.9, 2)))
    missed = report._goals_section(_results(_fanout("Hallway", 50.0, 2)))
    assert "two processes over Redis (the recipe) | 49.9 ms | met |" in met
    assert "| 50.0 ms | not yet |" in missed


def test_one_process_is_shown_for_comparison_not_judged():
    goals = report._goals_section(_results(_fanout("Hallway", 30.0, 1)))
    assert "one process | 30.0 ms | one process alone, for comparison |" in goals
    assert "met" not in goals


def test_readers_sharing_the_cores_neither_decide_the_goal_nor_join_the_main_table():
    results = _results(
        _fanout("Hallway", 40.0, 2),
        _fanout("bare python-socketio", 20.0, 2),
        _fanout("Hallway", 80.0, 2, timed_by="node"),
        _fanout("bare python-socketio", 60.0, 2, timed_by="node"),
    )
    goals = report._goals_section(results)
    assert "| 40.0 ms | met |" in goals and "80" not in goals
    live = report._live_section(results)
    main, shared = live.split("taking their share of")
    assert "| 1,000 | 2 (Redis) | 20 | 40 | 10 | 20 | 20,000/20,000, 20,000/20,000 |" in main
    assert "| 1,000 | 2 (Redis) | 40 | 80 | 30 | 60 |" in shared
    assert "80" not in main
