"""Helpers for the rooms' socket, page and API tests (helper C's tests).

These tests drive the app through its clients (Flask test client, Flask-SocketIO test
client), which each push their own app context; the data is made first, in a context
of its own that is popped before any client runs (see ``tests/conftest.app_context``),
and committed so every client sees it. Import ``fresh_rooms_state`` into each module.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from hallway.accounts.models import Role, User
from hallway.core import unit_of_work
from hallway.events import service as events_service
from hallway.events.models import RsvpStatus
from hallway.rooms import service
from hallway.rooms.models import Room
from tests.conftest import Browserless
from tests.factories import make_profile, make_user
from tests.unit.events.factories import make_event

_client_ids = itertools.count(1)


def new_client_id() -> str:
    return f"c-{next(_client_ids)}"


_open_clients: list[Any] = []


def _forget_presence(app: Flask) -> None:
    """Presence lives outside the rolled-back transaction: start each test without any."""
    from hallway.realtime.presence import MemoryPresence, RedisPresence
    from hallway.rooms import sockets

    store = app.extensions["hallway.presence"]["store"]
    if isinstance(store, MemoryPresence):
        with store._lock:
            store._topics.clear()
            store._topics_of_sid.clear()
    elif isinstance(store, RedisPresence):
        keys = list(store.client.scan_iter(f"{store.prefix}:*"))
        if keys:
            store.client.delete(*keys)
    sockets._watch_state(app)["rooms"].clear()
    app.extensions.pop(sockets.SEND_RATE_KEY, None)
    app.extensions.pop(sockets.ANNOUNCE_GATE_KEY, None)


@pytest.fixture(autouse=True)
def fresh_rooms_state(app):
    """Each test starts with no presence and ends with its socket clients disconnected
    (import it into the test module: it is autouse there)."""
    _forget_presence(app)
    yield
    while _open_clients:
        client = _open_clients.pop()
        if client.is_connected():
            client.disconnect()
    _forget_presence(app)


@dataclass
class Cast:
    """An event with a room, its organiser, two members going, one not going."""

    event_id: int
    room_id: int
    organiser: User
    alice: User
    bob: User
    outsider: User


def build_cast(app: Flask, session) -> Cast:
    with app.app_context():
        organiser = make_user(
            session, handle="olu", display_name="Olu Organiser", role=Role.organiser
        )
        event = make_event(session, owner=organiser, title="Open Ed Meetup")
        alice = make_user(session, handle="alice", display_name="Alice Adams")
        make_profile(session, alice, visibility="members", career_stage="novice")
        bob = make_user(session, handle="bobby", display_name="Bob Brown")
        outsider = make_user(session, handle="otto", display_name="Otto Outside")
        for user in (alice, bob):
            events_service.set_rsvp(session, actor=user, event=event, status=RsvpStatus.going)
        room = service.create_room(
            session, organiser, event.id, {"name": "Hallway", "topic": "Say hello"}
        )
        session.commit()
        return Cast(event.id, room.id, organiser, alice, bob, outsider)


def in_app(app: Flask, session, action) -> Any:
    """Run ``action()`` (a service call) in an app context of its own and commit as the
    app's boundaries do: its broadcasts and hooks run after the commit."""
    with app.app_context():
        result = action()
        unit_of_work.commit(session)
        return result


def logged_in_client(app: Flask, user: User) -> Browserless:
    helper = Browserless(app.test_client())
    response = helper.log_in(user.email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return helper


def connect(app: Flask, user: User):
    """A Socket.IO test client logged in as ``user``."""
    helper = logged_in_client(app, user)
    client = app.extensions["socketio"].test_client(app, flask_test_client=helper.client)
    _open_clients.append(client)
    return client


def received(client, name: str | None = None) -> list[tuple[str, Any]]:
    return [
        (packet["name"], packet["args"][0] if packet["args"] else None)
        for packet in client.get_received()
        if name is None or packet["name"] == name
    ]


def join(client, room_id: int, **extra: Any) -> dict[str, Any]:
    return client.emit("room_join", {"room_id": room_id, **extra}, callback=True)


def send(client, room_id: int, body: str = "Hello", client_id: str | None = None, **extra):
    payload = {"room_id": room_id, "body": body, "client_id": client_id or new_client_id()}
    return client.emit("room_send", {**payload, **extra}, callback=True)


def room_of(session, room_id: int) -> Room:
    session.expire_all()
    room = session.get(Room, room_id)
    assert room is not None
    return room
