"""Socket events with junk in them get an error acknowledgement, never a traceback;
a connection that sends too many events at once is slowed down."""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest

from hallway.realtime.guard import DEFAULT_EVENT_BURST, DEFAULT_EVENTS_PER_SECOND
from tests.factories import make_thread

LIMITED = "Too many requests"


@pytest.fixture
def thread(session, member):
    made = make_thread(session, author=member)
    session.commit()
    return made


@pytest.fixture
def errors(caplog):
    caplog.set_level(logging.WARNING)
    yield caplog
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [], [r.getMessage() for r in bad]


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def join(socket_client, *args):
    return socket_client.emit("join_thread", *args, callback=True)


def test_joining_a_thread_with_an_id_beyond_64_bits_answers_an_error(socket_client, errors):
    ack = join(socket_client, {"thread_id": 2**64})
    assert ack["ok"] is False
    assert "thread_id" in ack["errors"]


@pytest.mark.parametrize(
    "payload",
    [
        [1, 2, 3],
        "thread 1",
        12,
        {"thread_id": "\ud800"},
        {"thread_id": 1, "note": "\ud800"},
        {"thread_id": 1.5},
        {"thread_id": -1},
        {"thread_id": 1, "deep": nested(40)},
    ],
)
def test_payloads_of_the_wrong_shape_get_an_error_ack(socket_client, thread, errors, payload):
    ack = join(socket_client, payload)
    assert ack["ok"] is False and ack["error"]


def test_an_event_sent_with_several_values_gets_an_error_ack(socket_client, thread, errors):
    ack = join(socket_client, {"thread_id": thread.id}, {"thread_id": thread.id})
    assert ack["ok"] is False


def test_a_good_join_still_works(socket_client, thread, errors):
    assert join(socket_client, {"thread_id": thread.id})["ok"] is True


def test_a_burst_of_300_joins_is_not_all_processed(socket_client, thread, errors):
    started = time.monotonic()
    acks = [join(socket_client, {"thread_id": thread.id}) for _ in range(300)]
    elapsed = time.monotonic() - started

    processed = [ack for ack in acks if ack["ok"]]
    refused = [ack for ack in acks if not ack["ok"]]
    assert all(ack["ok"] for ack in acks[:DEFAULT_EVENT_BURST])  # the burst goes through
    # ... and then only as many as the bucket refills while the rest arrive.
    assert len(processed) <= DEFAULT_EVENT_BURST + DEFAULT_EVENTS_PER_SECOND * elapsed + 1
    assert len(refused) >= 150
    assert all(ack["error"].startswith(LIMITED) for ack in refused)


def test_the_rate_limit_is_per_connection(app, socket_client, logged_in, thread, errors):
    for _ in range(60):
        join(socket_client, {"thread_id": thread.id})
    second_tab = app.extensions["socketio"].test_client(app, flask_test_client=logged_in.client)
    try:
        assert second_tab.emit("join_thread", {"thread_id": thread.id}, callback=True)["ok"]
    finally:
        second_tab.disconnect()


def test_an_oversized_long_polling_body_is_refused_at_once(client):
    """Nobody logged in: the Engine.IO handshake opens anyway, then a 2 MB POST."""
    handshake = client.get("/socket.io/?EIO=4&transport=polling")
    sid = json.loads(handshake.get_data(as_text=True)[1:])["sid"]
    answers = []

    def post_it():
        answers.append(
            client.post(
                f"/socket.io/?EIO=4&transport=polling&sid={sid}",
                data="4" + "x" * (2 * 1024 * 1024),
            )
        )

    poster = threading.Thread(target=post_it, daemon=True)
    poster.start()
    poster.join(timeout=5)  # Engine.IO alone would wait for a poll that never comes
    assert answers and answers[0].status_code == 413
