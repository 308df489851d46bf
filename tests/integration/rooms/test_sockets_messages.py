"""Sending over the socket: acks, broadcasts, resends, refusals, typing, removal, catch-up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hallway.db import utcnow
from hallway.realtime import presence as realtime_presence
from hallway.realtime.publish import REPLAY_LIMIT
from hallway.rooms import service, sockets
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


@pytest.fixture
def pair(app, cast):
    """Alice and Bob in the room, nothing received yet."""
    alice, bob = connect(app, cast.alice), connect(app, cast.bob)
    assert join(alice, cast.room_id)["ok"] and join(bob, cast.room_id)["ok"]
    received(alice)
    received(bob)
    return alice, bob


def test_a_send_is_acked_with_the_message_and_reaches_the_others_with_id_and_seq(cast, pair):
    alice, bob = pair
    ack = send(alice, cast.room_id, "Hello **all**", client_id="abc-1")
    assert ack["ok"] is True and ack["duplicate"] is False
    message = ack["message"]
    assert message["body"] == "Hello **all**" and "<strong>all</strong>" in message["body_html"]
    assert message["client_id"] == "abc-1" and message["author"]["name"] == "Alice Adams"
    [(name, live)] = received(bob, "room_message")
    assert live["id"] == message["id"] and live["seq"] == message["seq"]
    assert live["room_id"] == cast.room_id and live["body"] == "Hello **all**"
    # The sender's own page gets it too (its other tabs); the page dedupes by seq.
    assert [data["id"] for _, data in received(alice, "room_message")] == [message["id"]]


def test_sequence_numbers_follow_on_without_gaps(cast, pair):
    alice, bob = pair
    seqs = [send(alice, cast.room_id, f"n{number}")["message"]["seq"] for number in range(3)]
    seqs.append(send(bob, cast.room_id, "from bob")["message"]["seq"])
    assert seqs == list(range(seqs[0], seqs[0] + 4))


def test_a_resend_with_the_same_client_id_answers_the_original_and_broadcasts_nothing(cast, pair):
    alice, bob = pair
    first = send(alice, cast.room_id, "Once", client_id="same-id")
    received(alice)
    received(bob)
    again = send(alice, cast.room_id, "Once", client_id="same-id")
    assert again["ok"] is True and again["duplicate"] is True
    assert again["message"]["id"] == first["message"]["id"]
    assert again["message"]["seq"] == first["message"]["seq"]
    assert received(bob) == [] and received(alice, "room_message") == []
    # Another member may use the same client id: theirs is a new message.
    other = send(bob, cast.room_id, "Mine", client_id="same-id")
    assert other["duplicate"] is False and other["message"]["id"] != first["message"]["id"]


def test_a_message_over_4000_characters_gets_an_error_event(cast, pair):
    alice, bob = pair
    assert send(alice, cast.room_id, "x" * 4000)["ok"] is True
    received(alice)
    received(bob)
    ack = send(alice, cast.room_id, "y" * 4001, client_id="long-1")
    assert ack["ok"] is False and "4,000" in ack["error"]
    [(_, error)] = received(alice, "room_error")
    assert error["error"] == ack["error"] and error["client_id"] == "long-1"
    assert error["room_id"] == cast.room_id and "body" in error["errors"]
    assert received(bob) == []


def test_an_empty_message_is_refused_with_a_reason(cast, pair):
    alice, _bob = pair
    ack = send(alice, cast.room_id, "   ")
    assert ack["ok"] is False and ack["error"] == "Write a message first."


def test_a_muted_member_is_refused_with_the_reason_and_still_reads(app, session, cast, pair):
    alice, bob = pair
    in_app(
        app,
        session,
        lambda: service.mute_member(session, cast.organiser, cast.room_id, cast.bob.id),
    )
    received(bob)
    ack = send(bob, cast.room_id, "Can I speak?")
    assert ack["ok"] is False and "muted you" in ack["error"]
    [(_, error)] = received(bob, "room_error")
    assert "muted you" in error["error"]
    send(alice, cast.room_id, "Still reading?")
    assert [data["body"] for _, data in received(bob, "room_message")] == ["Still reading?"]


def test_slow_mode_refuses_a_second_message_too_soon(app, session, cast, pair):
    alice, bob = pair
    in_app(app, session, lambda: service.set_slow_mode(session, cast.organiser, cast.room_id, 60))
    assert send(bob, cast.room_id, "First")["ok"] is True
    received(bob)
    ack = send(bob, cast.room_id, "Second")
    assert ack["ok"] is False and "Slow mode" in ack["error"]
    assert 1 <= ack["retry_after"] <= 60
    [(_, error)] = received(bob, "room_error")
    assert error["retry_after"] == ack["retry_after"]
    # Someone else is not slowed by Bob's message.
    assert send(alice, cast.room_id, "Mine")["ok"] is True


def test_sending_over_the_members_rate_gets_an_error_event(app, cast, pair, monkeypatch):
    alice, _bob = pair
    limiter = sockets.SendRate(burst=2, rate=0.0001)
    monkeypatch.setitem(app.extensions, sockets.SEND_RATE_KEY, limiter)
    assert send(alice, cast.room_id, "one")["ok"] and send(alice, cast.room_id, "two")["ok"]
    received(alice)
    ack = send(alice, cast.room_id, "three", client_id="fast-3")
    assert ack["ok"] is False and "too fast" in ack["error"]
    [(_, error)] = received(alice, "room_error")
    assert error["client_id"] == "fast-3" and "too fast" in error["error"]


def test_a_resend_is_answered_even_when_the_member_is_out_of_sends(app, cast, pair, monkeypatch):
    alice, _bob = pair
    limiter = sockets.SendRate(burst=1, rate=0.0001)
    monkeypatch.setitem(app.extensions, sockets.SEND_RATE_KEY, limiter)
    first = send(alice, cast.room_id, "Only one", client_id="lost-ack")
    assert first["ok"] is True
    again = send(alice, cast.room_id, "Only one", client_id="lost-ack")
    assert again["ok"] is True and again["duplicate"] is True
    assert again["message"]["id"] == first["message"]["id"]
    assert send(alice, cast.room_id, "A new one")["ok"] is False


def test_a_member_not_seated_cannot_send(app, cast):
    bob = connect(app, cast.bob)
    ack = send(bob, cast.room_id, "Sneaking in")
    assert ack["ok"] is False and ack["error"] == "Join the room first."


def test_a_removed_member_stops_receiving_at_once_and_cannot_rejoin(app, session, cast, pair):
    alice, bob = pair
    bob_tab_two = connect(app, cast.bob)
    assert join(bob_tab_two, cast.room_id)["ok"] is True
    received(alice)
    in_app(
        app,
        session,
        lambda: service.remove_member(session, cast.organiser, cast.room_id, cast.bob.id),
    )
    # His pages hear why (the room's numbered event and his own topic's notice)...
    names = [name for name, _ in received(bob)]
    assert "room_member_removed" in names
    received(bob_tab_two)
    # ...then nothing more from the room, on either tab.
    send(alice, cast.room_id, "After Bob left")
    assert received(bob) == [] and received(bob_tab_two) == []
    [(_, shown)] = [each for each in received(alice) if each[0] == "room_presence"][-1:]
    assert [person["name"] for person in shown["people"]] == ["Alice Adams"]
    refused = join(bob, cast.room_id)
    assert refused["ok"] is False and refused["error"] == "An organiser removed you from this room."
    [(_, error)] = received(bob, "room_error")
    assert error["error"] == refused["error"]
    assert send(bob, cast.room_id, "Let me back")["ok"] is False
    send(alice, cast.room_id, "Still gone")
    assert received(bob, "room_message") == []


def test_evict_finds_the_connections_in_the_presence_store(app, cast, pair):
    _alice, bob = pair
    with app.test_request_context():
        sids = realtime_presence.connections_of(service.room_topic(cast.room_id), cast.bob.id)
    assert len(sids) == 1


def test_typing_reaches_the_others_not_the_typist_and_is_throttled(app, cast, pair, monkeypatch):
    alice, bob = pair
    clock = [500.0]
    monkeypatch.setattr(sockets, "typing_clock", lambda: clock[0])
    sockets._last_typing.clear()
    assert alice.emit("room_typing", {"room_id": cast.room_id}, callback=True)["sent"] is True
    [(_, typing)] = received(bob, "room_typing")
    assert typing == {"room_id": cast.room_id, "user_id": cast.alice.id, "name": "Alice Adams"}
    assert received(alice) == []
    clock[0] += 1
    assert alice.emit("room_typing", {"room_id": cast.room_id}, callback=True)["sent"] is False
    assert received(bob) == []
    clock[0] += 1.5
    alice.emit("room_typing", {"room_id": cast.room_id}, callback=True)
    assert len(received(bob, "room_typing")) == 1


def test_edit_delete_and_react_reach_everyone_in_order(cast, pair):
    alice, bob = pair
    message = send(alice, cast.room_id, "Frist")["message"]
    edited = alice.emit("room_edit", {"message_id": message["id"], "body": "First"}, callback=True)
    assert edited["ok"] is True and edited["message"]["edited"] is True
    reacted = bob.emit("room_react", {"message_id": message["id"], "kind": "like"}, callback=True)
    assert reacted["ok"] is True and reacted["active"] is True
    assert reacted["message"]["reactions"][0]["count"] == 1
    deleted = alice.emit("room_delete", {"message_id": message["id"]}, callback=True)
    assert deleted["ok"] is True and deleted["message"]["deleted"] is True
    events = [
        (name, data["change"], data["id"])
        for name, data in received(bob)
        if name == "room_message_updated"
    ]
    assert events == [
        ("room_message_updated", "edited", message["id"]),
        ("room_message_updated", "reactions", message["id"]),
        ("room_message_updated", "deleted", message["id"]),
    ]


def test_editing_someone_elses_message_is_refused_with_an_event(cast, pair):
    alice, bob = pair
    message = send(alice, cast.room_id, "Mine")["message"]
    received(bob)
    ack = bob.emit("room_edit", {"message_id": message["id"], "body": "Yours"}, callback=True)
    assert ack["ok"] is False and ack["error"] == "You can only change your own messages."
    [(_, error)] = received(bob, "room_error")
    assert error["message_id"] == message["id"]


def test_catch_up_brings_exactly_the_missed_events_in_order(app, cast, pair):
    alice, bob = pair
    seen = send(alice, cast.room_id, "Seen live")["message"]["seq"]
    received(bob)
    bob.disconnect()
    first = send(alice, cast.room_id, "Missed one")["message"]
    send(alice, cast.room_id, "Missed two")
    alice.emit(
        "room_edit", {"message_id": first["id"], "body": "Missed one, edited"}, callback=True
    )
    alice.emit("room_delete", {"message_id": first["id"]}, callback=True)
    bob.connect()
    ack = join(bob, cast.room_id, last_seq=seen)
    assert ack["ok"] is True and ack["reload"] is False and "messages" not in ack
    replayed = [(each["event"], each["data"]["seq"]) for each in ack["events"]]
    assert replayed == [
        ("room_message", seen + 1),
        ("room_message", seen + 2),
        ("room_message_updated", seen + 3),
        ("room_message_updated", seen + 4),
    ]
    assert ack["events"][0]["data"]["body"] == "Missed one"
    assert ack["events"][2]["data"]["change"] == "edited"
    assert ack["events"][3]["data"]["change"] == "deleted"
    assert ack["seq"] == seen + 4
    # Then live ones, numbered on, and nothing replayed twice.
    assert received(bob, "room_message") == []
    send(alice, cast.room_id, "Back live")
    assert [data["seq"] for _, data in received(bob, "room_message")] == [seen + 5]


def test_catch_up_when_up_to_date_brings_nothing(cast, pair):
    alice, bob = pair
    seq = send(alice, cast.room_id, "Hi")["message"]["seq"]
    ack = join(bob, cast.room_id, last_seq=seq)
    assert (ack["events"], ack["seq"], ack["reload"]) == ([], seq, False)


def test_missing_more_than_can_be_replayed_says_reload(cast, pair, monkeypatch):
    alice, bob = pair
    monkeypatch.setattr(sockets, "REPLAY_LIMIT", 2)
    start = send(alice, cast.room_id, "0")["message"]["seq"]
    for body in ("1", "2", "3"):
        send(alice, cast.room_id, body)
    too_many = join(bob, cast.room_id, last_seq=start)
    assert too_many["reload"] is True and too_many["events"] == []
    assert join(bob, cast.room_id, last_seq=start + 1)["reload"] is False
    assert REPLAY_LIMIT > 2


def test_replying_to_a_message_carries_its_summary(cast, pair):
    alice, bob = pair
    question = send(alice, cast.room_id, "Who uses Moodle?")["message"]
    answer = send(bob, cast.room_id, "We do", reply_to_id=question["id"])["message"]
    assert answer["reply_to"]["id"] == question["id"]
    assert answer["reply_to"]["author_name"] == "Alice Adams"


def test_an_unused_client_id_sent_later_is_a_new_message(cast, pair):
    alice, _bob = pair
    first = send(alice, cast.room_id, "a", client_id=new_client_id())["message"]
    second = send(alice, cast.room_id, "a", client_id=new_client_id())["message"]
    assert first["id"] != second["id"]


def test_slow_mode_lets_a_message_through_once_the_time_has_passed(app, session, cast):
    """The clock is the service's: one minute later the next message goes."""
    in_app(app, session, lambda: service.join_room(session, cast.bob, cast.room_id))
    in_app(app, session, lambda: service.set_slow_mode(session, cast.organiser, cast.room_id, 60))
    earlier = utcnow() - timedelta(seconds=61)
    in_app(
        app,
        session,
        lambda: service.send_message(session, cast.bob, cast.room_id, "old", "old-1", now=earlier),
    )
    bob = connect(app, cast.bob)
    join(bob, cast.room_id)
    assert send(bob, cast.room_id, "now")["ok"] is True


def test_evict_makes_connections_held_by_other_processes_leave_too(app, cast, pair, monkeypatch):
    """A connection of the removed member held by another process is known from the
    shared presence; ``leave_room`` for it goes through the message queue (python-socketio's
    PubSubManager publishes ``leave_room`` for a connection it does not hold)."""
    _alice, _bob = pair
    store = app.extensions["hallway.presence"]["store"]
    topic_name = service.room_topic(cast.room_id)
    store.enter(topic_name, cast.bob.id, "sid-in-another-process")
    left = []
    server = app.extensions["socketio"].server
    real_leave = server.leave_room

    def spy(sid, room, namespace=None):
        left.append((sid, room))
        return real_leave(sid, room, namespace=namespace)

    monkeypatch.setattr(server, "leave_room", spy)
    with app.test_request_context():
        sockets.evict(cast.room_id, cast.bob.id)
    assert ("sid-in-another-process", topic_name) in left
    assert len(left) == 2  # and Bob's own connection here
    assert cast.bob.id not in store.present(topic_name)


def test_the_send_rate_allows_a_burst_then_refills_over_time(app):
    from hallway.realtime.guard import TooManyRequests

    clock = [0.0]
    rate = sockets.SendRate(burst=3, rate=1.0, clock=lambda: clock[0])
    with app.test_request_context():
        for _ in range(3):
            rate.take(7)
        with pytest.raises(TooManyRequests):
            rate.take(7)
        rate.take(8)  # someone else has their own bucket
        clock[0] += 0.5
        with pytest.raises(TooManyRequests):
            rate.take(7)
        clock[0] += 0.6  # a second and a bit: one more
        rate.take(7)
        with pytest.raises(TooManyRequests):
            rate.take(7)
        clock[0] += 100  # never more than the burst
        for _ in range(3):
            rate.take(7)
        with pytest.raises(TooManyRequests):
            rate.take(7)
