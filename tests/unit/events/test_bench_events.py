"""`make bench`'s events part: which pages it times and how it reports statement counts
(the counts themselves are asserted in tests/integration/events/test_query_counts.py)."""

from __future__ import annotations

from types import SimpleNamespace

from hallway.bench import events as bench_events
from hallway.bench.events import EventPages


def _pages(statements: dict[str, dict[int, int]]) -> EventPages:
    return EventPages(big_path="/events/9", small_path="/events/8", statements=statements)


def test_the_events_list_and_the_big_event_are_timed_once_seeded():
    assert bench_events.pages(SimpleNamespace(events=None)) == []
    seeded = SimpleNamespace(events=_pages({}))
    assert bench_events.pages(seeded) == [
        ("/events", "/events"),
        ("event, 2,000 attendees, 60 sessions", "/events/9"),
    ]


def test_constant_means_the_same_at_20_and_2000_and_for_5_or_60_sessions():
    same = {
        "/events": {20: 7, 2_000: 7},
        "event, 60 sessions": {20: 15, 2_000: 15},
        "event, 5 sessions": {20: 15, 2_000: 15},
    }
    assert _pages(same).constant
    grows = {**same, "event, 60 sessions": {20: 15, 2_000: 16}}
    assert not _pages(grows).constant
    more_sessions_cost_more = {**same, "event, 60 sessions": {20: 17, 2_000: 17}}
    assert not _pages(more_sessions_cost_more).constant
    list_grows = {**same, "/events": {20: 7, 2_000: 8}}
    assert not _pages(list_grows).constant


def test_the_report_gives_each_count_and_says_whether_it_stayed_constant():
    found = _pages({"/events": {20: 7, 2_000: 7}, "event, 60 sessions": {20: 15, 2_000: 16}})
    text = bench_events.report_section(SimpleNamespace(seeded=SimpleNamespace(events=found)))
    assert "| /events | 7 | 7 | yes |" in text
    assert "| event, 60 sessions | 15 | 16 | **no** |" in text
    assert "**not constant**" in text
    assert bench_events.report_section(SimpleNamespace(seeded=SimpleNamespace(events=None))) == ""
