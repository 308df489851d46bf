"""Publishing: features tell open pages about a change, after it is committed.

- ``publish`` is durable: the event gets its topic's next sequence number in the
  same transaction as the change, is stored for replay, and is emitted after the
  commit with ``seq`` in its payload. Clients that missed it ask for it again with
  ``replay`` (see ``hallway.realtime.sockets``).
- ``notify`` is ephemeral (unread counts, "you were logged out"): emitted after the
  commit, never stored.
- ``emit_now`` is for things that are not database changes at all (presence, typing).

A payload may carry its HTML fragment in every language (``html_by_locale``: language
tag -> HTML), because one room holds readers of several languages. It is stored that
way (a replay serves any reader), but emitted once per language to the topic's language
room (``language_room``), with that language's fragment as ``html``: each reader gets
only their own, a third of the bytes with two languages. A reader joins both rooms with
``join_topic``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_socketio import join_room, leave_room
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hallway.core.i18n import current_locale_tag
from hallway.core.unit_of_work import after_commit
from hallway.realtime.models import TopicEvent, TopicSequence

#: How many events a reconnecting client may ask for at once; beyond it, reload.
REPLAY_LIMIT = 500


def topic(kind: str, ident: int) -> str:
    """``topic("thread", 12)`` is ``"thread:12"``: one Socket.IO room per topic."""
    return f"{kind}:{ident}"


def user_topic(user_id: int) -> str:
    return topic("user", user_id)


#: The key of the browser's device id in its Flask session (set at log-in by accounts).
DEVICE_SESSION_KEY = "device"


def device_topic(device_id: str) -> str:
    """Every open page of one browser's log-in: told when that device alone logs out."""
    return f"device:{device_id}"


#: The payload key of a fragment in every language (see the module's docstring).
BY_LANGUAGE = "html_by_locale"


def language_room(topic_name: str, language_tag: str) -> str:
    """The readers of ``topic_name`` who read it in one language: ``thread:12@fr-CA``."""
    return f"{topic_name}@{language_tag}"


def join_topic(topic_name: str) -> None:
    """Put the current socket in a topic's room and in its room for the reader's language."""
    join_room(topic_name)
    join_room(language_room(topic_name, current_locale_tag()))


def leave_topic(topic_name: str) -> None:
    leave_room(topic_name)
    leave_room(language_room(topic_name, current_locale_tag()))


def _emit(socketio: Any, event: str, data: Mapping[str, Any], topic_name: str) -> None:
    """One emit to the topic, or one per language when the payload has a fragment per
    language (each reader joined the room of theirs with ``join_topic``)."""
    by_language = data.get(BY_LANGUAGE)
    if not by_language:
        socketio.emit(event, dict(data), to=topic_name)
        return
    shared = {key: value for key, value in data.items() if key != BY_LANGUAGE}
    for language_tag, html in by_language.items():
        socketio.emit(event, {**shared, "html": html}, to=language_room(topic_name, language_tag))


def emit_now(topic_name: str, event: str, payload: Mapping[str, Any]) -> None:
    """Emit immediately to everyone in ``topic_name`` (through the message queue if any)."""
    _emit(current_app.extensions["socketio"], event, payload, topic_name)


def notify(session: Session, topic_name: str, event: str, payload: Mapping[str, Any]) -> None:
    """Emit ``event`` to ``topic_name`` once the session's change is committed; not stored."""
    data = dict(payload)
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def emit() -> None:
        _emit(app.extensions["socketio"], event, data, topic_name)

    after_commit(session, emit)


#: Built once: building the statement costs more than running it.
_NEXT_SEQ = (
    update(TopicSequence)
    .where(TopicSequence.topic == bindparam("topic_name"))
    .values(last_seq=TopicSequence.last_seq + 1)
    .returning(TopicSequence.last_seq)
)


def next_seq(session: Session, topic_name: str) -> int:
    """The topic's next sequence number, locked until the commit.

    The UPDATE takes the row lock first, so concurrent publishers on PostgreSQL wait
    for each other instead of both reading the same number.
    """
    bumped = session.execute(_NEXT_SEQ, {"topic_name": topic_name}).scalar_one_or_none()
    if bumped is not None:
        return bumped
    try:
        with session.begin_nested():
            session.add(TopicSequence(topic=topic_name, last_seq=1))
        return 1
    except IntegrityError:  # someone created the row first: take the lock now
        return next_seq(session, topic_name)


def current_seq(session: Session, topic_name: str) -> int:
    """The last number handed out for the topic (0 when nothing was published)."""
    return (
        session.scalar(select(TopicSequence.last_seq).where(TopicSequence.topic == topic_name)) or 0
    )


def find_by_client_id(session: Session, topic_name: str, client_id: str) -> TopicEvent | None:
    return session.scalar(
        select(TopicEvent).where(TopicEvent.topic == topic_name, TopicEvent.client_id == client_id)
    )


def publish(
    session: Session,
    topic_name: str,
    event: str,
    payload: Mapping[str, Any],
    *,
    client_id: str | None = None,
) -> TopicEvent:
    """Store ``event`` under the topic's next number and emit it after the commit.

    With a ``client_id`` already used in this topic, nothing new is stored or
    emitted: the first event is returned (a resend after a timeout or reconnect).
    """
    if client_id is not None and (earlier := find_by_client_id(session, topic_name, client_id)):
        return earlier
    seq = next_seq(session, topic_name)
    data = {**payload, "seq": seq, "topic": topic_name}
    stored = TopicEvent(topic=topic_name, seq=seq, event=event, payload=data, client_id=client_id)
    session.add(stored)
    session.flush()
    notify(session, topic_name, event, data)
    return stored


def events_after(
    session: Session, topic_name: str, after_seq: int, *, limit: int = REPLAY_LIMIT
) -> list[TopicEvent]:
    """What a client that saw up to ``after_seq`` missed, oldest first."""
    return list(
        session.scalars(
            select(TopicEvent)
            .where(TopicEvent.topic == topic_name, TopicEvent.seq > after_seq)
            .order_by(TopicEvent.seq)
            .limit(limit)
        )
    )
