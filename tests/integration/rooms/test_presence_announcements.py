"""What presence costs: a join in a quiet room is announced at once, a burst of joins
is told in one announcement when its window ends, and big rooms name at most
``PEOPLE_NAMES_SHOWN`` people (the rest counted)."""

from __future__ import annotations

import pytest

from hallway.events import service as events_service
from hallway.events.models import RsvpStatus
from hallway.rooms import sockets
from tests.factories import make_user
from tests.integration.rooms.room_clients import (
    build_cast,
    connect,
    fresh_rooms_state,  # noqa: F401
    in_app,
    join,
    received,
)


@pytest.fixture
def cast(app, session):
    return build_cast(app, session)


@pytest.fixture
def clock(app):
    """The announcement gate's clock, moved by hand."""
    now = [1000.0]
    app.extensions[sockets.ANNOUNCE_GATE_KEY] = sockets.AnnounceGate(clock=lambda: now[0])
    return now


def members_going(app, session, cast, count):
    def make():
        event = events_service.visible_event(session, cast.organiser, cast.event_id)
        users = []
        for number in range(count):
            user = make_user(
                session, handle=f"guest{number:02d}", display_name=f"Guest {number:02d}"
            )
            events_service.set_rsvp(session, actor=user, event=event, status=RsvpStatus.going)
            users.append(user)
        return users

    return in_app(app, session, make)


# --- The gate on its own ------------------------------------------------------------------


def test_the_gate_lets_a_burst_through_then_holds_the_rest_for_the_windows_end():
    now = [0.0]
    gate = sockets.AnnounceGate(burst=3, window=1.0, clock=lambda: now[0])
    assert [gate.may_announce(7, 1) for _ in range(3)] == [True, True, True]
    assert gate.may_announce(7, 1) is False
    assert gate.may_announce(8, 1) is True  # another room has its own window
    now[0] = 0.99
    assert gate.may_announce(7, 1) is False
    assert gate.due() == []  # not yet
    now[0] = 1.0
    assert gate.due() == [(7, 1)]  # once, however many were held
    assert gate.due() == []
    # The announcement at the window's end counts in the new window; while one is held,
    # nothing goes out ahead of it.
    assert gate.may_announce(7, 1) is True
    assert gate.may_announce(7, 1) is True
    assert gate.may_announce(7, 1) is False
    now[0] = 1.5
    assert gate.may_announce(7, 1) is False
    now[0] = 2.0
    assert gate.due() == [(7, 1)]
    now[0] = 10.0  # quiet again: the next join is told at once
    assert gate.may_announce(7, 1) is True


def test_a_single_join_in_a_quiet_room_is_announced_at_once(app, cast, clock):
    alice, bob = connect(app, cast.alice), connect(app, cast.bob)
    join(alice, cast.room_id)
    clock[0] += 60
    received(alice)
    join(bob, cast.room_id)
    [(_, shown)] = received(alice, "room_presence")
    assert shown["count"] == 2


# --- A burst of joins ---------------------------------------------------------------------


def test_a_burst_of_joins_is_told_once_when_its_window_ends(app, session, cast, clock):
    guests = members_going(app, session, cast, sockets.ANNOUNCE_BURST + 2)
    watcher = connect(app, cast.outsider)
    watcher.emit("rooms_lobby_join", {"event_id": cast.event_id}, callback=True)
    first = connect(app, cast.alice)
    join(first, cast.room_id)  # 1 announcement
    received(first)
    clients = [connect(app, guest) for guest in guests]
    for client in clients:
        assert join(client, cast.room_id)["ok"] is True
    # The burst: the first ANNOUNCE_BURST announcements went out (Alice's included),
    # the last joins wait for the window to end.
    heard = [data["count"] for _, data in received(first, "room_presence")]
    assert heard == list(range(2, sockets.ANNOUNCE_BURST + 1))
    lobby = [data["present_count"] for _, data in received(watcher, "lobby_room")]
    assert lobby == list(range(1, sockets.ANNOUNCE_BURST + 1))
    assert sockets.flush_announcements(app) == 0  # the window is not over
    assert received(first, "room_presence") == []

    clock[0] += sockets.ANNOUNCE_WINDOW_SECONDS
    assert sockets.flush_announcements(app) == 1
    everyone = 1 + len(guests)
    [(_, shown)] = received(first, "room_presence")
    assert shown["count"] == everyone and len(shown["people"]) == everyone
    [(_, line)] = received(watcher, "lobby_room")
    assert line["present_count"] == everyone
    assert sockets.flush_announcements(app) == 0  # told once


def test_the_sweep_tells_a_held_back_change_too(app, session, cast, clock):
    """Without the flush (a process whose loop stalled), the sweep still tells the room."""
    guests = members_going(app, session, cast, sockets.ANNOUNCE_BURST)
    first = connect(app, cast.alice)
    join(first, cast.room_id)
    for guest in guests:
        join(connect(app, guest), cast.room_id)
    received(first)
    assert sockets.sweep_presence(app) == 1
    [(_, shown)] = received(first, "room_presence")
    assert shown["count"] == 1 + len(guests)


def test_a_join_does_not_broadcast_every_id_again(app, cast):
    """realtime's own ``presence`` event (every id, to everyone) is not sent on a join:
    ``room_presence`` says who is here."""
    alice, bob = connect(app, cast.alice), connect(app, cast.bob)
    join(alice, cast.room_id)
    received(alice)
    join(bob, cast.room_id)
    names = [name for name, _ in received(alice)]
    assert names.count("room_presence") == 1 and "presence" not in names


# --- Big rooms: names capped, the rest counted ---------------------------------------------


def test_a_big_room_names_the_first_people_alphabetically_and_counts_the_rest(
    app, session, cast, monkeypatch
):
    monkeypatch.setattr(sockets, "PEOPLE_NAMES_SHOWN", 2)
    guests = members_going(app, session, cast, 2)
    alice = connect(app, cast.alice)
    join(alice, cast.room_id)
    join(connect(app, cast.bob), cast.room_id)
    join(connect(app, guests[1]), cast.room_id)
    received(alice)
    ack = join(connect(app, guests[0]), cast.room_id)
    [(_, shown)] = received(alice, "room_presence")
    assert [person["name"] for person in shown["people"]] == ["Alice Adams", "Bob Brown"]
    assert shown["count"] == 4 and shown["unnamed_count"] == 2
    assert [person["name"] for person in ack["people"]] == ["Alice Adams", "Bob Brown"]
    assert ack["count"] == 4 and ack["unnamed_count"] == 2
