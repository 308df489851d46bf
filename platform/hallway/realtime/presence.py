"""Who is here: presence per topic, with expiry.

Each connection (Socket.IO sid) that is present in a topic holds an entry that
expires ``ttl`` seconds (45 by default) after its last heartbeat. A tab that closes
cleanly leaves at once; a client (or a whole server process) that vanishes drops out
when its entries expire (within a minute, with the next sweep), so presence heals by
itself. A member is present while any of their
connections is.

Embedded: in this process's memory. Scale-out: Redis, one sorted set per topic
(member ``"<user_id>:<sid>"``, score = expiry time), shared by every process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import redis
from flask import Flask, current_app
from flask_socketio import SocketIO

DEFAULT_TTL_SECONDS = 45.0


class PresenceStore(Protocol):
    def enter(self, topic: str, user_id: int, sid: str) -> None: ...
    def leave(self, topic: str, user_id: int, sid: str) -> None: ...
    def leave_all(self, sid: str) -> list[str]: ...
    def heartbeat(self, sid: str) -> None: ...
    def present(self, topic: str) -> set[int]: ...
    def connections_of(self, topic: str, user_id: int) -> set[str]: ...


class MemoryPresence:
    """One process: a dict of topic -> {(user_id, sid): expires_at}."""

    def __init__(
        self, ttl: float = DEFAULT_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._topics: dict[str, dict[tuple[int, str], float]] = {}
        self._topics_of_sid: dict[str, set[str]] = {}

    def enter(self, topic: str, user_id: int, sid: str) -> None:
        with self._lock:
            self._topics.setdefault(topic, {})[(user_id, sid)] = self.clock() + self.ttl
            self._topics_of_sid.setdefault(sid, set()).add(topic)

    def leave(self, topic: str, user_id: int, sid: str) -> None:
        with self._lock:
            self._topics.get(topic, {}).pop((user_id, sid), None)
            self._topics_of_sid.get(sid, set()).discard(topic)

    def leave_all(self, sid: str) -> list[str]:
        """The connection closed: it leaves every topic; returns those topics."""
        with self._lock:
            topics = sorted(self._topics_of_sid.pop(sid, set()))
            for topic in topics:
                entries = self._topics.get(topic, {})
                for key in [key for key in entries if key[1] == sid]:
                    del entries[key]
            return topics

    def connections_of(self, topic: str, user_id: int) -> set[str]:
        """The sids through which ``user_id`` is present in ``topic``."""
        with self._lock:
            return {sid for uid, sid in self._topics.get(topic, {}) if uid == user_id}

    def heartbeat(self, sid: str) -> None:
        with self._lock:
            expires_at = self.clock() + self.ttl
            for topic in self._topics_of_sid.get(sid, ()):
                entries = self._topics.get(topic, {})
                for key in entries:
                    if key[1] == sid:
                        entries[key] = expires_at

    def present(self, topic: str) -> set[int]:
        with self._lock:
            now = self.clock()
            entries = self._topics.get(topic, {})
            for key in [key for key, expires_at in entries.items() if expires_at <= now]:
                del entries[key]
            return {user_id for user_id, _sid in entries}


class RedisPresence:
    """Several processes: sorted sets in Redis, so presence survives a dead process."""

    def __init__(
        self,
        client: redis.Redis,
        ttl: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
        prefix: str = "hallway:presence",
    ) -> None:
        self.client = client
        self.ttl = ttl
        self.clock = clock
        self.prefix = prefix

    def _topic_key(self, topic: str) -> str:
        return f"{self.prefix}:topic:{topic}"

    def _sid_key(self, sid: str) -> str:
        return f"{self.prefix}:sid:{sid}"

    def enter(self, topic: str, user_id: int, sid: str) -> None:
        expires_at = self.clock() + self.ttl
        pipe = self.client.pipeline()
        pipe.zadd(self._topic_key(topic), {f"{user_id}:{sid}": expires_at})
        pipe.expire(self._topic_key(topic), int(self.ttl * 2) + 1)
        pipe.hset(self._sid_key(sid), topic, user_id)
        pipe.expire(self._sid_key(sid), int(self.ttl * 2) + 1)
        pipe.execute()

    def leave(self, topic: str, user_id: int, sid: str) -> None:
        pipe = self.client.pipeline()
        pipe.zrem(self._topic_key(topic), f"{user_id}:{sid}")
        pipe.hdel(self._sid_key(sid), topic)
        pipe.execute()

    def leave_all(self, sid: str) -> list[str]:
        entries = self.client.hgetall(self._sid_key(sid))
        pipe = self.client.pipeline()
        topics = []
        for raw_topic, raw_user_id in entries.items():
            topic = raw_topic.decode() if isinstance(raw_topic, bytes) else raw_topic
            user_id = int(raw_user_id)
            pipe.zrem(self._topic_key(topic), f"{user_id}:{sid}")
            topics.append(topic)
        pipe.delete(self._sid_key(sid))
        pipe.execute()
        return sorted(topics)

    def connections_of(self, topic: str, user_id: int) -> set[str]:
        """The sids through which ``user_id`` is present in ``topic``, on any process."""
        prefix = f"{user_id}:"
        found = set()
        for raw in self.client.zrange(self._topic_key(topic), 0, -1):
            member = raw.decode() if isinstance(raw, bytes) else str(raw)
            if member.startswith(prefix):
                found.add(member[len(prefix) :])
        return found

    def heartbeat(self, sid: str) -> None:
        entries = self.client.hgetall(self._sid_key(sid))
        if not entries:
            return
        expires_at = self.clock() + self.ttl
        pipe = self.client.pipeline()
        for raw_topic, raw_user_id in entries.items():
            topic = raw_topic.decode() if isinstance(raw_topic, bytes) else raw_topic
            pipe.zadd(self._topic_key(topic), {f"{int(raw_user_id)}:{sid}": expires_at})
            pipe.expire(self._topic_key(topic), int(self.ttl * 2) + 1)
        pipe.expire(self._sid_key(sid), int(self.ttl * 2) + 1)
        pipe.execute()

    def present(self, topic: str) -> set[int]:
        key = self._topic_key(topic)
        now = self.clock()
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(key, "-inf", now)
        pipe.zrange(key, 0, -1)
        _removed, members = pipe.execute()
        return {int((m.decode() if isinstance(m, bytes) else m).split(":", 1)[0]) for m in members}


def build_presence(redis_url: str | None, ttl: float = DEFAULT_TTL_SECONDS) -> PresenceStore:
    if redis_url:
        return RedisPresence(redis.Redis.from_url(redis_url), ttl=ttl)
    return MemoryPresence(ttl=ttl)


# --- The app's presence: used by socket handlers ------------------------------------------

EXTENSION_KEY = "hallway.presence"


def init_presence(app: Flask, socketio: SocketIO) -> PresenceStore:
    """Build the app's store and keep this process's connections' entries fresh.

    Every ``ttl / 3`` seconds the process renews the entries of the connections it
    holds; if the process dies, nobody renews them and they expire.
    """
    store = build_presence(
        app.config.get("REDIS_URL"), app.config.get("PRESENCE_TTL_SECONDS", DEFAULT_TTL_SECONDS)
    )
    local_sids: set[str] = set()
    app.extensions[EXTENSION_KEY] = {"store": store, "sids": local_sids, "started": False}
    return store


def _state() -> dict[str, Any]:
    return current_app.extensions[EXTENSION_KEY]


def start_heartbeat(socketio: SocketIO) -> None:
    """Start the renewal loop once per app, on the first connection."""
    state = _state()
    if state["started"]:
        return
    state["started"] = True
    store: PresenceStore = state["store"]
    sids: set[str] = state["sids"]
    interval = max(1.0, getattr(store, "ttl", DEFAULT_TTL_SECONDS) / 3)

    def renew_forever() -> None:
        while True:
            socketio.sleep(interval)
            for sid in list(sids):
                try:
                    store.heartbeat(sid)
                except Exception:  # Redis hiccup: the next round renews
                    pass

    socketio.start_background_task(renew_forever)


def connection_opened(sid: str) -> None:
    _state()["sids"].add(sid)


def connection_closed(sid: str) -> list[str]:
    """Leave every topic the connection was present in; returns those topics."""
    state = _state()
    state["sids"].discard(sid)
    return state["store"].leave_all(sid)


def enter(topic: str, user_id: int, sid: str) -> set[int]:
    """Mark the member present in ``topic`` through this connection; who is there now."""
    store: PresenceStore = _state()["store"]
    store.enter(topic, user_id, sid)
    return store.present(topic)


def leave(topic: str, user_id: int, sid: str) -> set[int]:
    store: PresenceStore = _state()["store"]
    store.leave(topic, user_id, sid)
    return store.present(topic)


def present(topic: str) -> set[int]:
    return _state()["store"].present(topic)


def connections_of(topic: str, user_id: int) -> set[str]:
    """The connections (sids, on every process with Redis) of a member present in a topic."""
    return _state()["store"].connections_of(topic, user_id)
