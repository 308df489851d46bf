"""Features plug their demo seeders in; the demo package runs them in order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import hallway.demo as demo
from hallway.demo import DemoContext, DemoLogin


@pytest.fixture(autouse=True)
def no_seeders(app, monkeypatch):
    """An empty registry (after the app has registered the real seeders)."""
    monkeypatch.setattr(demo, "_seeders", {})


def test_seeders_run_by_order_and_share_one_context():
    calls: list[str] = []

    def members(context: DemoContext) -> None:
        calls.append("members")
        context.users["dee"] = "Dee's account"  # type: ignore[assignment]
        context.logins.append(DemoLogin("dee@example.org", "career: Dee"))

    def discussions(context: DemoContext) -> None:
        calls.append(f"discussions by {context.users['dee']}")

    def events(context: DemoContext) -> None:
        calls.append(f"events, {context.member_count} members, on {context.now:%Y-%m-%d}")

    demo.register_seeder("events", events, order=30)
    demo.register_seeder("discussions", discussions, order=20)
    demo.register_seeder("members", members, order=10)
    now = datetime(2026, 3, 1, tzinfo=UTC)

    logins = demo.seed_demo_community(None, member_count=7, now=now)  # type: ignore[arg-type]

    assert calls == ["members", "discussions by Dee's account", "events, 7 members, on 2026-03-01"]
    assert logins == [DemoLogin("dee@example.org", "career: Dee")]
    assert demo.registered_seeders() == ["members", "discussions", "events"]


def test_registering_a_name_again_replaces_it():
    calls: list[str] = []
    demo.register_seeder("members", lambda context: calls.append("first"), order=10)
    demo.register_seeder("members", lambda context: calls.append("second"), order=10)
    demo.seed_demo_community(None)  # type: ignore[arg-type]
    assert calls == ["second"]


def test_the_random_generator_is_seeded_the_same_every_time():
    drawn: list[float] = []
    demo.register_seeder("draw", lambda context: drawn.append(context.rng.random()), order=1)
    demo.seed_demo_community(None)  # type: ignore[arg-type]
    demo.seed_demo_community(None)  # type: ignore[arg-type]
    assert drawn[0] == drawn[1]


def test_the_features_register_their_seeders(app, monkeypatch):
    monkeypatch.undo()  # the real registry, as create_app filled it
    # Rooms and meetings come after the events they belong to and the members in them.
    assert demo.registered_seeders() == ["members", "discussions", "events", "rooms", "meetings"]
