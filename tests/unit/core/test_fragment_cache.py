"""Cached HTML: bounded by entries and bytes, and never newer-looking than its data."""

from __future__ import annotations

from hallway.core import fragment_cache
from hallway.core.fragment_cache import (
    FragmentCache,
    SlotMarks,
    bump,
    cached_html,
    current_versions,
)


def test_the_least_recently_used_entry_goes_first_when_entries_run_out():
    cache = FragmentCache(max_entries=2, max_bytes=1_000)
    cache.put("a", (1,), "A")
    cache.put("b", (1,), "B")
    assert cache.get("a", (1,)) == "A"  # "a" is now the most recently used
    cache.put("c", (1,), "C")
    assert cache.get("b", (1,)) is None
    assert cache.get("a", (1,)) == "A"
    assert cache.get("c", (1,)) == "C"
    assert len(cache) == 2


def test_old_entries_go_when_the_bytes_run_out():
    cache = FragmentCache(max_entries=100, max_bytes=10)
    cache.put("a", (), "x" * 4)
    cache.put("b", (), "y" * 4)
    cache.put("c", (), "z" * 4)  # 12 bytes: "a" must go
    assert cache.get("a", ()) is None
    assert cache.get("b", ()) == "y" * 4
    assert cache.get("c", ()) == "z" * 4
    cache.put("b", (), "w" * 10)  # a replaced entry's old bytes are given back
    assert cache.get("b", ()) == "w" * 10
    assert cache.get("c", ()) is None
    assert len(cache) == 1


def test_html_larger_than_the_whole_cache_is_not_kept():
    cache = FragmentCache(max_entries=10, max_bytes=5)
    cache.put("big", (), "x" * 6)
    assert cache.get("big", ()) is None
    assert len(cache) == 0


def test_a_copy_made_for_other_versions_is_not_served():
    cache = FragmentCache()
    cache.put("k", (1, 2), "old")
    assert cache.get("k", (1, 3)) is None
    assert cache.get("k", (1, 2)) == "old"


def test_versions_count_each_bump_and_start_at_zero(session):
    assert current_versions(session, ["pages", "other"]) == (0, 0)
    bump(session, "pages")
    bump(session, "pages")
    assert current_versions(session, ["other", "pages"]) == (0, 2)
    assert current_versions(session, []) == ()


def test_one_bump_may_name_several_versions_and_counts_each_once(session):
    bump(session, "pages", "lists")
    bump(session, "lists", "pages", "lists")
    bump(session)  # nothing named: nothing changes
    assert current_versions(session, ["pages", "lists", "other"]) == (2, 3, 0)


def test_html_is_reused_until_its_content_changes(session):
    renders: list[int] = []

    def render() -> str:
        renders.append(1)
        return f"<p>render {len(renders)}</p>"

    assert cached_html(session, "k", ["pages"], render) == "<p>render 1</p>"
    assert cached_html(session, "k", ["pages"], render) == "<p>render 1</p>"
    bump(session, "pages")
    assert cached_html(session, "k", ["pages"], render) == "<p>render 2</p>"
    assert cached_html(session, "other key", ["pages"], render) == "<p>render 3</p>"


def test_versions_are_read_before_the_data(session):
    """A change committed while a page renders must not be hidden behind its copy:
    the copy is stored under the versions read before its data, so it is stale at once."""

    def render_during_a_change() -> str:
        html = "<p>before the change</p>"
        bump(session, "pages")  # another request's change lands while we render
        return html

    first = cached_html(session, "k", ["pages"], render_during_a_change)
    assert first == "<p>before the change</p>"
    again = cached_html(session, "k", ["pages"], lambda: "<p>after the change</p>")
    assert again == "<p>after the change</p>"


def test_the_process_wide_cache_is_bounded():
    assert fragment_cache.fragments.max_entries > 0
    assert fragment_cache.fragments.max_bytes <= 64 * 1024 * 1024


def test_slot_marks_fill_every_slot_with_its_value_in_place():
    marks = SlotMarks("csrf", "name")
    kept = marks.split(f"<a>{marks['name']}</a><i>{marks['csrf']}</i><b>{marks['name']}</b>")
    assert kept.fill({"csrf": "T1", "name": "Ann"}) == "<a>Ann</a><i>T1</i><b>Ann</b>"
    assert kept.fill({"csrf": "T2", "name": "Bo"}) == "<a>Bo</a><i>T2</i><b>Bo</b>"
    assert len(kept) == len("<a></a><i></i><b></b>")


def test_another_processes_or_a_members_lookalike_mark_is_plain_text():
    """The marks are random per SlotMarks: text that copies another's mark (or guesses
    the shape) is kept as it is, never taken for a slot."""
    ours, theirs = SlotMarks("csrf"), SlotMarks("csrf")
    assert ours["csrf"] != theirs["csrf"]
    text = f"<p>{theirs['csrf']} \ue000csrf\ue000</p>{ours['csrf']}"
    filled = ours.split(text).fill({"csrf": "T"})
    assert filled == f"<p>{theirs['csrf']} \ue000csrf\ue000</p>T"
