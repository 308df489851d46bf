"""Joining a room over the socket: who may, what the acknowledgement brings, presence."""

from __future__ import annotations

import pytest

from hallway.rooms import service, sockets
from tests.factories import make_user
from tests.integration.rooms.room_clients import (
    build_cast,
    connect,
    fresh_rooms_state,  # noqa: F401
    in_app,
    join,
    new_client_id,
    received,
    send,
)


@pytest.fixture
def cast(app, session):
    return build_cast(app, session)


def test_a_member_going_joins_with_the_recent_history_and_who_is_here(app, cast):
    alice = connect(app, cast.alice)
    ack = join(alice, cast.room_id)
    assert ack["ok"] is True and ack["room_id"] == cast.room_id
    assert ack["messages"] == [] and ack["has_earlier"] is False
    assert ack["read_only"] is False and ack["muted"] is False and ack["can_moderate"] is False
    assert [person["name"] for person in ack["people"]] == ["Alice Adams"]
    assert ack["people"][0]["career_stage"] == "novice"
    assert ack["room"]["name"] == "Hallway"


def test_the_history_is_the_last_fifty_oldest_first(app, session, cast):
    def fill():
        service.join_room(session, cast.alice, cast.room_id)
        for number in range(52):
            service.send_message(
                session, cast.alice, cast.room_id, f"Message {number}", new_client_id()
            )

    in_app(app, session, fill)
    late = connect(app, cast.bob)
    ack = join(late, cast.room_id)
    bodies = [message["body"] for message in ack["messages"]]
    assert bodies == [f"Message {number}" for number in range(2, 52)]
    assert ack["has_earlier"] is True
    assert ack["seq"] == ack["messages"][-1]["seq"]
    earlier = late.emit(
        "room_history",
        {"room_id": cast.room_id, "before_seq": ack["messages"][0]["seq"]},
        callback=True,
    )
    assert [m["body"] for m in earlier["messages"]] == ["Message 0", "Message 1"]
    assert earlier["has_earlier"] is False


def test_a_member_not_going_is_refused_with_the_reason(app, cast):
    otto = connect(app, cast.outsider)
    ack = join(otto, cast.room_id)
    assert ack["ok"] is False
    assert ack["error"] == "This room is for the people going to the event."
    [(name, error)] = received(otto, "room_error")
    assert error["error"] == ack["error"] and error["room_id"] == cast.room_id
    # Not in the room: its messages never reach them.
    alice = connect(app, cast.alice)
    join(alice, cast.room_id)
    send(alice, cast.room_id, "Private-ish")
    assert received(otto, "room_message") == []


def test_an_invite_only_room_takes_the_invited_only(app, session, cast):
    room_id = in_app(
        app,
        session,
        lambda: (
            service.create_room(
                session, cast.organiser, cast.event_id, {"name": "Mentors", "access": "invite"}
            ).id
        ),
    )
    alice, bob = connect(app, cast.alice), connect(app, cast.bob)
    assert join(alice, room_id)["error"] == "This room is by invitation only."
    in_app(
        app, session, lambda: service.invite_member(session, cast.organiser, room_id, cast.bob.id)
    )
    assert join(bob, room_id)["ok"] is True


def test_an_unknown_room_and_a_bad_payload_are_refused(app, cast):
    alice = connect(app, cast.alice)
    assert join(alice, 999_999)["ok"] is False
    refused = alice.emit("room_join", {"room_id": "7", "x": 1}, callback=True)
    assert refused["ok"] is False and set(refused["errors"]) == {"room_id", "x"}
    assert join(alice, cast.room_id, last_seq=-1)["ok"] is False


def test_an_archived_room_is_joined_read_only_and_refuses_sends(app, session, cast):
    alice = connect(app, cast.alice)
    join(alice, cast.room_id)
    assert send(alice, cast.room_id, "Before the end")["ok"] is True
    in_app(app, session, lambda: service.archive_room(session, cast.organiser, cast.room_id))
    bob = connect(app, cast.bob)
    ack = join(bob, cast.room_id)
    assert ack["ok"] is True and ack["read_only"] is True and ack["room"]["archived"] is True
    assert [m["body"] for m in ack["messages"]] == ["Before the end"]
    refused = send(bob, cast.room_id, "After the end")
    assert refused["ok"] is False and "archived" in refused["error"]
    [(_, error)] = received(bob, "room_error")
    assert "archived" in error["error"]


def test_presence_updates_on_join_leave_and_disconnect(app, cast):
    alice, bob = connect(app, cast.alice), connect(app, cast.bob)
    join(alice, cast.room_id)
    received(alice)
    join(bob, cast.room_id)
    [(_, shown)] = received(alice, "room_presence")
    assert [person["name"] for person in shown["people"]] == ["Alice Adams", "Bob Brown"]
    assert shown["count"] == 2
    assert bob.emit("room_leave", {"room_id": cast.room_id}, callback=True)["ok"] is True
    [(_, shown)] = received(alice, "room_presence")
    assert [person["name"] for person in shown["people"]] == ["Alice Adams"]
    join(bob, cast.room_id)
    received(alice)
    bob.disconnect()  # the tab closes: realtime's disconnect tells the room at once
    [(_, ids)] = received(alice, "presence")
    assert ids["user_ids"] == [cast.alice.id]


def test_the_lobby_hears_counts_when_people_join_and_leave(app, cast):
    watcher = connect(app, cast.outsider)
    ack = watcher.emit("rooms_lobby_join", {"event_id": cast.event_id}, callback=True)
    assert ack["ok"] is True
    [entry] = ack["rooms"]
    assert entry["id"] == cast.room_id and entry["present_count"] == 0
    alice = connect(app, cast.alice)
    join(alice, cast.room_id)
    [(_, line)] = received(watcher, "lobby_room")
    assert line["room_id"] == cast.room_id and line["present_count"] == 1
    assert [person["name"] for person in line["present"]] == ["Alice Adams"]
    alice.emit("room_leave", {"room_id": cast.room_id}, callback=True)
    [(_, line)] = received(watcher, "lobby_room")
    assert line["present_count"] == 0 and line["present"] == []


def test_a_private_profile_is_counted_not_named(app, session, cast):
    def hide_bob():
        from tests.factories import make_profile

        make_profile(session, cast.bob, visibility="private", career_stage="advanced")

    in_app(app, session, hide_bob)
    alice, bob = connect(app, cast.alice), connect(app, cast.bob)
    join(alice, cast.room_id)
    received(alice)
    join(bob, cast.room_id)
    [(_, shown)] = received(alice, "room_presence")
    assert [person["name"] for person in shown["people"]] == ["Alice Adams"]
    assert shown["unnamed_count"] == 1 and shown["count"] == 2


def test_a_vanished_client_drops_out_when_its_presence_expires(app, cast, monkeypatch):
    """No disconnect, no leave: only the expiry. The sweep tells the room and the lobby."""
    store = app.extensions["hallway.presence"]["store"]
    clock = [1000.0]
    monkeypatch.setattr(store, "clock", lambda: clock[0])
    alice, bob = connect(app, cast.alice), connect(app, cast.bob)
    watcher = connect(app, cast.outsider)
    watcher.emit("rooms_lobby_join", {"event_id": cast.event_id}, callback=True)
    join(alice, cast.room_id)
    clock[0] += 40
    join(bob, cast.room_id)
    for client in (alice, bob, watcher):
        received(client)
    assert sockets.sweep_presence(app) == 0  # nothing changed: nothing said
    clock[0] += 30  # Alice's entry (not renewed) expired; Bob's has 30 s left
    assert sockets.sweep_presence(app) == 1
    [(_, shown)] = received(bob, "room_presence")
    assert [person["name"] for person in shown["people"]] == ["Bob Brown"]
    [(_, line)] = received(watcher, "lobby_room")
    assert line["present_count"] == 1
    assert sockets.sweep_presence(app) == 0


def test_rejoining_a_full_room_keeps_the_seat(app, session, cast):
    room_id = in_app(
        app,
        session,
        lambda: (
            service.create_room(
                session, cast.organiser, cast.event_id, {"name": "Small", "size_limit": 2}
            ).id
        ),
    )
    third = in_app(app, session, lambda: _going(session, cast))
    alice, bob, carol = connect(app, cast.alice), connect(app, cast.bob), connect(app, third)
    assert join(alice, room_id)["ok"] and join(bob, room_id)["ok"]
    full = join(carol, room_id)
    assert full["ok"] is False and "full" in full["error"]
    assert join(alice, room_id)["ok"] is True


def _going(session, cast):
    from hallway.events import service as events_service
    from hallway.events.models import Event, RsvpStatus

    user = make_user(session, handle="carol", display_name="Carol Chen")
    event = session.get(Event, cast.event_id)
    events_service.set_rsvp(session, actor=user, event=event, status=RsvpStatus.going)
    return user


def test_new_client_ids_are_distinct():
    assert new_client_id() != new_client_id()


def test_leaving_on_purpose_gives_up_the_seat_closing_the_page_does_not(app, session, cast):
    from hallway.rooms.models import RoomMembership

    def seats():
        session.expire_all()
        return session.get(RoomMembership, (cast.room_id, cast.alice.id))

    alice = connect(app, cast.alice)
    join(alice, cast.room_id)
    assert alice.emit("room_leave", {"room_id": cast.room_id}, callback=True)["ok"] is True
    assert seats() is not None
    join(alice, cast.room_id)
    left = alice.emit("room_leave", {"room_id": cast.room_id, "give_up_seat": True}, callback=True)
    assert left["ok"] is True and seats() is None
