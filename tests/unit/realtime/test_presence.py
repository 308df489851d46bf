"""Presence: who is in a topic, with expiry; the same rules in memory and in Redis."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from hallway.realtime.presence import MemoryPresence, RedisPresence


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def _memory(clock: FakeClock) -> MemoryPresence:
    return MemoryPresence(ttl=60, clock=clock)


def _redis(clock: FakeClock) -> RedisPresence:
    url = os.environ.get("HALLWAY_REDIS_URL")
    if not url:
        pytest.skip("HALLWAY_REDIS_URL is not set: Redis presence runs in the scale-out pass")
    return RedisPresence(
        redis.Redis.from_url(url), ttl=60, clock=clock, prefix=f"test:{uuid.uuid4()}"
    )


@pytest.fixture(params=["memory", "redis"])
def store_and_clock(request):
    clock = FakeClock()
    store = _memory(clock) if request.param == "memory" else _redis(clock)
    return store, clock


def test_members_entering_are_present(store_and_clock):
    store, _clock = store_and_clock
    store.enter("room:1", 7, "sid-a")
    store.enter("room:1", 8, "sid-b")
    store.enter("room:2", 9, "sid-c")
    assert store.present("room:1") == {7, 8}
    assert store.present("room:2") == {9}


def test_leaving_removes_only_that_connection(store_and_clock):
    store, _clock = store_and_clock
    store.enter("room:1", 7, "tab-1")
    store.enter("room:1", 7, "tab-2")
    store.leave("room:1", 7, "tab-1")
    assert store.present("room:1") == {7}, "still present through the other tab"
    store.leave("room:1", 7, "tab-2")
    assert store.present("room:1") == set()


def test_a_closed_connection_leaves_every_topic(store_and_clock):
    store, _clock = store_and_clock
    store.enter("room:1", 7, "sid-a")
    store.enter("thread:4", 7, "sid-a")
    store.enter("room:1", 8, "sid-b")
    assert store.leave_all("sid-a") == ["room:1", "thread:4"]
    assert store.present("room:1") == {8}
    assert store.present("thread:4") == set()


def test_a_vanished_client_drops_out_when_its_entry_expires(store_and_clock):
    store, clock = store_and_clock
    store.enter("room:1", 7, "sid-a")
    clock.now += 59
    assert store.present("room:1") == {7}
    clock.now += 1
    assert store.present("room:1") == set(), "60 s without a heartbeat: gone"


def test_a_heartbeat_keeps_a_live_connection_present(store_and_clock):
    store, clock = store_and_clock
    store.enter("room:1", 7, "sid-a")
    store.enter("room:1", 8, "sid-b")
    clock.now += 50
    store.heartbeat("sid-a")
    clock.now += 50
    assert store.present("room:1") == {7}, "only the renewed connection stays"


def test_connections_of_names_only_that_members_live_connections(store_and_clock):
    store, _clock = store_and_clock
    store.enter("room:1", 7, "sid-a")
    store.enter("room:1", 7, "sid-b")
    store.enter("room:1", 8, "sid-c")
    store.enter("room:2", 7, "sid-d")
    assert store.connections_of("room:1", 7) == {"sid-a", "sid-b"}
    store.leave("room:1", 7, "sid-a")
    assert store.connections_of("room:1", 7) == {"sid-b"}
    assert store.connections_of("room:1", 9) == set()
