"""Content versions (what kept HTML depends on): read in the order asked, 0 for a name
never bumped, each bump counted."""

from __future__ import annotations

from hallway.core.fragment_cache import bump, current_versions


def test_versions_come_back_in_the_order_asked_with_zero_for_a_new_name(session):
    bump(session, "versions-test.a")
    bump(session, "versions-test.b", "versions-test.a")
    session.flush()
    asked = ["versions-test.b", "versions-test.never", "versions-test.a"]
    assert current_versions(session, asked) == (1, 0, 2)
    assert current_versions(session, ["versions-test.a"]) == (2,)
    assert current_versions(session, []) == ()


def test_as_many_names_as_a_page_asks_for(session):
    names = [f"versions-test.many.{index}" for index in range(30)]
    bump(session, *names[::3])
    session.flush()
    assert current_versions(session, names) == tuple(
        1 if index % 3 == 0 else 0 for index in range(30)
    )
