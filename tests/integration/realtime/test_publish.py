"""Publishing: sequence numbers per topic, replay, idempotent resends, after-commit only."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from hallway.core import unit_of_work
from hallway.db import db
from hallway.realtime import current_seq, events_after, publish, topic
from hallway.realtime.models import TopicEvent


def test_sequence_numbers_count_up_per_topic(app, app_context):
    session = db.session
    first = publish(session, topic("thread", 1), "comment_created", {"n": 1})
    second = publish(session, topic("thread", 1), "comment_created", {"n": 2})
    other = publish(session, topic("thread", 2), "comment_created", {"n": 1})
    assert (first.seq, second.seq, other.seq) == (1, 2, 1)
    assert second.payload["seq"] == 2 and second.payload["topic"] == "thread:1"
    assert current_seq(session, "thread:1") == 2
    assert current_seq(session, "thread:99") == 0


def test_replay_gives_what_came_after_in_order(app, app_context):
    session = db.session
    for n in range(5):
        publish(session, "room:7", "message", {"n": n})
    missed = events_after(session, "room:7", 2)
    assert [event.seq for event in missed] == [3, 4, 5]
    assert [event.payload["n"] for event in missed] == [2, 3, 4]
    assert events_after(session, "room:7", 5) == []


def test_a_resend_with_the_same_client_id_stores_nothing_new(app, app_context):
    session = db.session
    first = publish(session, "room:8", "message", {"text": "hi"}, client_id="abc")
    again = publish(session, "room:8", "message", {"text": "hi"}, client_id="abc")
    assert again.id == first.id
    assert current_seq(session, "room:8") == 1
    # The same client id in another topic is another message.
    elsewhere = publish(session, "room:9", "message", {"text": "hi"}, client_id="abc")
    assert elsewhere.id != first.id


def test_events_are_emitted_only_after_the_commit(app, app_context):
    socketio = app.extensions["socketio"]
    sent = []
    original = socketio.emit
    socketio.emit = lambda event, data, to=None, **kw: sent.append((event, data["seq"], to))
    try:
        session = db.session
        publish(session, "thread:5", "comment_created", {})
        assert sent == [], "nothing leaves before the commit"
        unit_of_work.commit(session)
        assert sent == [("comment_created", 1, "thread:5")]
    finally:
        socketio.emit = original


def test_a_rolled_back_change_publishes_nothing(app, app_context):
    socketio = app.extensions["socketio"]
    sent = []
    original = socketio.emit
    socketio.emit = lambda *args, **kw: sent.append(args)
    try:
        session = db.session
        publish(session, "thread:6", "comment_created", {})
        unit_of_work.rollback(session)
        unit_of_work.commit(session)
        assert sent == []
        assert session.scalars(select(TopicEvent).where(TopicEvent.topic == "thread:6")).all() == []
    finally:
        socketio.emit = original


@pytest.mark.usefixtures("live_server")
def test_concurrent_publishers_get_gap_free_numbers(live_server):
    """Eight threads publish 10 events each into one topic, each in its own transaction."""
    app = live_server.app
    errors = []

    def publish_ten() -> None:
        for _ in range(10):
            with app.app_context():
                try:
                    publish(db.session, "room:concurrent", "message", {})
                    unit_of_work.commit(db.session)
                except Exception as error:  # pragma: no cover - reported below
                    errors.append(error)

    threads = [threading.Thread(target=publish_ten) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        seqs = db.session.scalars(
            select(TopicEvent.seq).where(TopicEvent.topic == "room:concurrent")
        ).all()
    assert sorted(seqs) == list(range(1, 81))
