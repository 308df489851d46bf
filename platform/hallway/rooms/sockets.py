"""Socket.IO handlers for live rooms: join, send, edit, delete, react, typing, history.

Thin over ``rooms.service`` (the rules): each handler is one unit of work of the
realtime package (``register_handler``), committed when it returns; the service
publishes each change on the room's topic ``room:<id>``, numbered, after the commit.

- **Refusals** (too long, muted, slow mode, rate, removed, archived) come back twice:
  as the error acknowledgement and as a ``room_error`` event to the sender's
  connection, in the sender's language. Nothing is ever dropped silently.
- **Catch-up**: ``room_join`` with ``last_seq`` answers exactly the events numbered after
  it (messages, edits, deletions, reactions, pins), in order, or ``reload`` when more
  were missed than can be replayed.
- **Presence**: joining enters the realtime package's presence (expiring entries kept
  fresh by its heartbeat); the room hears who is there with their career stage
  (``room_presence``) and the event's lobby hears the count (``lobby_room``). A tab
  that closes leaves at once (realtime's disconnect); a client that vanishes drops out
  when its entry expires: ``sweep_presence`` notices and tells the room and the lobby.
- **Removal**: ``evict`` makes a removed member's connections leave the room's
  Socket.IO room server-side on every process (python-socketio's PubSubManager sends
  ``leave_room`` for a connection it does not hold to the other processes), so they
  stop receiving at once; the service refuses their rejoin.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from flask import Flask, current_app, request
from flask_babel import gettext
from flask_login import current_user
from flask_socketio import join_room, leave_room
from marshmallow import fields
from sqlalchemy.orm import Session

from hallway.core.errors import DomainError, NotFound
from hallway.core.schemas import Id
from hallway.core.validation import load_or_refuse
from hallway.db import db
from hallway.realtime import (
    current_seq,
    emit_now,
    events_after,
    leave_presence,
    user_topic,
)
from hallway.realtime import presence as realtime_presence
from hallway.realtime.guard import TooManyRequests
from hallway.realtime.publish import REPLAY_LIMIT
from hallway.rooms import schemas, service
from hallway.rooms.models import Room
from hallway.rooms.service import event_topic, room_topic

logger = logging.getLogger(__name__)

#: How often each process looks for people whose presence expired (a vanished client).
DEFAULT_SWEEP_SECONDS = 5.0
#: Typing notices: at most one per member and room this often.
TYPING_INTERVAL_SECONDS = 2.0
#: The lobby names at most this many people per room; the rest are counted.
LOBBY_NAMES_SHOWN = 8
#: A room's "here now" names at most this many people (alphabetical); the rest are
#: counted ("and N more"): a broadcast to a big room stays small.
PEOPLE_NAMES_SHOWN = 100
#: Presence announcements per room: this many at once within a window, then the
#: window's changes go out together in one announcement when it ends (a burst of
#: joins costs one broadcast a second, not one per join).
ANNOUNCE_BURST = 5
ANNOUNCE_WINDOW_SECONDS = 1.0
#: Sends per member: this many at once, then this many per second (over: a clear error).
DEFAULT_SEND_BURST = 8
DEFAULT_SENDS_PER_SECOND = 1.0


# --- Input (the schemas are rooms.schemas'; these two are the socket's own) ------------


class LeaveRoomSchema(schemas.RoomRefSchema):
    #: True: give up the seat too (leaving on purpose, not closing the page).
    give_up_seat = fields.Boolean(load_default=False)


class LobbySchema(schemas.StrictSchema):
    event_id = Id(required=True)


# --- Refusals: an error ack and a room_error event -----------------------------------------


def _tell_sender(error: DomainError, payload: Any) -> None:
    """The sender's connection hears the refusal as ``room_error`` (already in their
    language: the service and the schemas translate their messages)."""
    data = payload if isinstance(payload, dict) else {}
    event: dict[str, Any] = dict(error.to_dict())
    for key in ("room_id", "client_id", "message_id"):
        value = data.get(key)
        if isinstance(value, int | str) and not isinstance(value, bool):
            event[key] = value
    current_app.extensions["socketio"].emit("room_error", event, to=request.sid)  # type: ignore[attr-defined]


def refusals_told(handler: Callable[[Any], dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
    """A refusal is told to the sender as ``room_error`` and re-raised, so the realtime
    wrapper rolls back and answers it as the error acknowledgement."""

    @wraps(handler)
    def run(payload: Any = None) -> dict[str, Any]:
        try:
            return handler(payload)
        except DomainError as error:
            _tell_sender(error, payload)
            raise

    return run


class SendRate:
    """A token bucket per member (all their connections in this process)."""

    def __init__(self, burst: int, rate: float, clock: Callable[[], float] = time.monotonic):
        self.burst, self.rate, self.clock = burst, rate, clock
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, user_id: int) -> None:
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(user_id, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[user_id] = (tokens, now)
                raise TooManyRequests(
                    gettext("You are sending messages too fast: wait a moment and try again.")
                )
            self._buckets[user_id] = (tokens - 1, now)


SEND_RATE_KEY = "hallway.rooms.send_rate"


def _send_rate() -> SendRate:
    app = current_app
    limiter = app.extensions.get(SEND_RATE_KEY)
    if limiter is None:
        limiter = app.extensions[SEND_RATE_KEY] = SendRate(
            int(app.config.get("ROOM_SEND_BURST") or DEFAULT_SEND_BURST),
            float(app.config.get("ROOM_SENDS_PER_SECOND") or DEFAULT_SENDS_PER_SECOND),
        )
    return limiter


# --- Presence: who is here, the lobby's counts ---------------------------------------------

_watch_lock = threading.Lock()
WATCH_KEY = "hallway.rooms.watch"


def _watch_state(app: Flask) -> dict[str, Any]:
    state = app.extensions.get(WATCH_KEY)
    if state is None:
        state = app.extensions[WATCH_KEY] = {"rooms": {}, "started": False}
    return state


def watch_room(room_id: int, event_id: int, present: Iterable[int]) -> None:
    """Remember the room (and what its presence was) for ``sweep_presence``."""
    state = _watch_state(current_app)
    with _watch_lock:
        state["rooms"][room_id] = (event_id, frozenset(present))


def present_ids(room_id: int) -> set[int]:
    return set(realtime_presence.present(room_topic(room_id)))


def _local_sids(room_name: str, user_id: int) -> set[str]:
    """This process's connections of ``user_id`` in the Socket.IO room."""
    manager = current_app.extensions["socketio"].server.manager
    namespace = manager.rooms.get("/", {})
    in_room = namespace.get(room_name)
    mine = namespace.get(user_topic(user_id))
    if not in_room or not mine:
        return set()
    return {sid for sid in in_room if sid in mine}


def evict(room_id: int, user_id: int) -> None:
    """A member removed from the room stops receiving it now, on every process.

    Runs after the commit of the removal (``service.register_member_removed_hook``),
    after the removal itself was published (so their page hears why). Their
    connections leave the Socket.IO room: python-socketio's ``leave_room`` of a
    connection another process holds goes through the message queue to that process,
    which makes it leave. The connections are those present in the room (the presence
    store is shared by every process with Redis) and, to be sure, this process's own
    connections of the member found in the room. Their presence goes too.
    """
    socketio = current_app.extensions["socketio"]
    room_name = room_topic(room_id)
    sids = realtime_presence.connections_of(room_name, user_id) | _local_sids(room_name, user_id)
    store = current_app.extensions[realtime_presence.EXTENSION_KEY]["store"]
    for sid in sorted(sids):
        socketio.server.leave_room(sid, room_name, namespace="/")
        store.leave(room_name, user_id, sid)
    room = db.session.get(Room, room_id)
    if room is not None:
        announce_people(db.session, room.id, room.event_id)


class _EveryMember:
    """Whom a broadcast's names are for: any logged-in member (not an admin, nobody's
    own profile), so a private profile is counted, not named, for everyone alike."""

    is_authenticated = True
    is_admin = False
    id = 0


EVERY_MEMBER = _EveryMember()


def people_payload(session: Session, viewer: Any, user_ids: Iterable[int]) -> dict[str, Any]:
    """Who is present as ``viewer`` may see them: named people (with career stage, the
    first ``PEOPLE_NAMES_SHOWN`` in alphabetical order) and how many others."""
    here = service.people_here(session, viewer, set(user_ids))
    named = here.named[:PEOPLE_NAMES_SHOWN]
    return {"people": named, "unnamed_count": here.count - len(named), "count": here.count}


class AnnounceGate:
    """How often a room's presence is announced: ``burst`` announcements at once in a
    window of ``window`` seconds; a change after those waits for the window's end, when
    one announcement says them all (``due``). A single join in a quiet room is
    announced at once."""

    def __init__(
        self,
        burst: int = ANNOUNCE_BURST,
        window: float = ANNOUNCE_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.burst, self.window, self.clock = burst, window, clock
        self._windows: dict[int, tuple[float, int]] = {}  # room -> (window start, told)
        self._pending: dict[int, int] = {}  # room -> event, to be told at its window's end
        self._lock = threading.Lock()

    def may_announce(self, room_id: int, event_id: int) -> bool:
        """True: announce now. False: the room is told when its window ends."""
        now = self.clock()
        with self._lock:
            start, told = self._windows.get(room_id, (now - self.window, 0))
            if now - start >= self.window:
                start, told = now, 0
            if told < self.burst and room_id not in self._pending:
                self._windows[room_id] = (start, told + 1)
                return True
            self._windows[room_id] = (start, told)
            self._pending[room_id] = event_id
            return False

    def due(self) -> list[tuple[int, int]]:
        """The rooms waiting whose window ended: ``[(room_id, event_id)]``, each counted
        as the first announcement of a new window."""
        now = self.clock()
        ready = []
        with self._lock:
            for room_id, event_id in list(self._pending.items()):
                start, _told = self._windows.get(room_id, (now - self.window, 0))
                if now - start >= self.window:
                    del self._pending[room_id]
                    self._windows[room_id] = (now, 1)
                    ready.append((room_id, event_id))
            if len(self._windows) > 10_000:  # forget quiet rooms now and then
                for room_id, (start, _told) in list(self._windows.items()):
                    if now - start > 60 and room_id not in self._pending:
                        del self._windows[room_id]
        return ready


ANNOUNCE_GATE_KEY = "hallway.rooms.announce_gate"


def announce_gate(app: Flask) -> AnnounceGate:
    gate = app.extensions.get(ANNOUNCE_GATE_KEY)
    if gate is None:
        gate = app.extensions[ANNOUNCE_GATE_KEY] = AnnounceGate()
    return gate


def announce_soon(session: Session, room_id: int, event_id: int) -> None:
    """Announce the room's presence now, or with the others at the end of a burst
    (``flush_announcements``; the sweep tells it too if nothing else does)."""
    gate = announce_gate(current_app._get_current_object())  # type: ignore[attr-defined]
    if gate.may_announce(room_id, event_id):
        announce_people(session, room_id, event_id)


def flush_announcements(app: Flask) -> int:
    """Announce the rooms whose burst window ended; returns how many."""
    ready = announce_gate(app).due()
    if ready:
        with app.app_context():
            for room_id, event_id in ready:
                announce_people(db.session, room_id, event_id)
            db.session.rollback()
    return len(ready)


def announce_people(session: Session, room_id: int, event_id: int) -> set[int]:
    """Tell the room who is present now (``room_presence``: names, career stages) and the
    event's lobby how many and who (``lobby_room``)."""
    present = present_ids(room_id)
    shown = people_payload(session, EVERY_MEMBER, present)
    emit_now(room_topic(room_id), "room_presence", {"room_id": room_id, **shown})
    emit_now(event_topic(event_id), "lobby_room", lobby_entry(room_id, event_id, shown))
    watch_room(room_id, event_id, present)
    return present


def lobby_entry(room_id: int, event_id: int, shown: dict[str, Any]) -> dict[str, Any]:
    """A room's line in the lobby (the keys of ``service.lobby_payload``)."""
    named = shown["people"][:LOBBY_NAMES_SHOWN]
    return {
        "event_id": event_id,
        "room_id": room_id,
        "present_count": shown["count"],
        "present": named,
        "present_unnamed_count": shown["count"] - len(named),
    }


def sweep_presence(app: Flask) -> int:
    """Tell rooms (and lobbies) whose presence changed without anyone saying so: a client
    that vanished and whose entry expired, or a tab closed. Returns how many changed."""
    state = _watch_state(app)
    with _watch_lock:
        watched = dict(state["rooms"])
    changed = 0
    with app.app_context():
        for room_id, (event_id, before) in watched.items():
            now = frozenset(realtime_presence.present(room_topic(room_id)))
            if now == before:
                continue
            changed += 1
            announce_people(db.session, room_id, event_id)
            if not now:
                with _watch_lock:
                    state["rooms"].pop(room_id, None)
        db.session.rollback()
    return changed


def start_sweeper(app: Flask) -> None:
    """Once per process: look for expired presence every few seconds, and tell the
    rooms whose presence announcements were held back by a burst (each second).

    ``ROOMS_PRESENCE_SWEEP_SECONDS`` sets the interval (5 s by default); 0 turns the
    background sweep off (the in-process test app, whose database connection belongs to
    the test running: its tests call ``sweep_presence`` themselves)."""
    setting = app.config.get("ROOMS_PRESENCE_SWEEP_SECONDS")
    if setting is not None and float(setting) <= 0:
        return
    state = _watch_state(app)
    with _watch_lock:
        if state["started"]:
            return
        state["started"] = True
    socketio = app.extensions["socketio"]
    interval = float(setting or DEFAULT_SWEEP_SECONDS)

    tick = min(interval, ANNOUNCE_WINDOW_SECONDS)

    def sweep_forever() -> None:
        waited = 0.0
        while True:
            socketio.sleep(tick)
            waited += tick
            try:
                flush_announcements(app)
                if waited >= interval:
                    waited = 0.0
                    sweep_presence(app)
            except Exception:  # a database or Redis hiccup: the next round tries again
                logger.warning("Room presence sweep failed", exc_info=True)

    socketio.start_background_task(sweep_forever)


# --- Typing: ephemeral, throttled -----------------------------------------------------------

_typing_lock = threading.Lock()
_last_typing: dict[tuple[int, int], float] = {}
#: The typing throttle's clock (tests replace it).
typing_clock: Callable[[], float] = time.monotonic


def _may_say_typing(room_id: int, user_id: int, now: float) -> bool:
    with _typing_lock:
        last = _last_typing.get((room_id, user_id))
        if last is not None and now - last < TYPING_INTERVAL_SECONDS:
            return False
        _last_typing[(room_id, user_id)] = now
        if len(_last_typing) > 10_000:  # forget old entries now and then
            for key, moment in list(_last_typing.items()):
                if now - moment > 60:
                    del _last_typing[key]
        return True


# --- Handlers -------------------------------------------------------------------------------


def _viewer() -> Any:
    return current_user._get_current_object()


def _replay(session: Session, topic_name: str, last_seq: int, latest: int) -> dict[str, Any]:
    """Exactly what a page that saw up to ``last_seq`` missed, oldest first, or ``reload``
    when more were missed than can be replayed or they are no longer stored."""
    missed = events_after(session, topic_name, last_seq, limit=REPLAY_LIMIT + 1)
    complete = (missed[0].seq == last_seq + 1) if missed else latest <= last_seq
    if len(missed) > REPLAY_LIMIT or not complete:
        return {"events": [], "reload": True, "seq": latest}
    return {
        "events": [{"event": each.event, "data": each.payload} for each in missed],
        "reload": False,
        "seq": max([latest, *(each.seq for each in missed)]),
    }


@refusals_told
def room_join(payload: Any = None) -> dict[str, Any]:
    """Join a room the member may join (the service says why not: removed, not going,
    not invited, full; an archived room is joined read-only).

    The ack carries the recent history (last 50, ``messages`` and ``has_earlier``) or,
    with ``last_seq``, exactly the events numbered after it (``events``: ``[{"event",
    "data"}]``, in order) or ``reload``; ``seq`` is the room's latest number, ``people``
    who is present. The room and the lobby hear the new presence.
    """
    data = load_or_refuse(schemas.JoinRoomSchema(), payload)
    session = db.session
    viewer = _viewer()
    joined = service.join_room(session, viewer, data["room_id"])
    room = joined.room
    topic_name = room_topic(room.id)
    # Join first, then read: an event committed in between arrives both ways and the
    # page keeps the first copy of each number; read first and it could be lost.
    join_room(topic_name)
    # The store only: realtime's ``presence`` broadcast (every id, to everyone) would
    # cost a frame per member per join; ``room_presence`` says it (gated below).
    present = realtime_presence.enter(topic_name, viewer.id, request.sid)  # type: ignore[attr-defined]
    latest = current_seq(session, topic_name)
    ack: dict[str, Any] = {
        "ok": True,
        "room_id": room.id,
        "seq": latest,
        "read_only": joined.read_only,
        "muted": joined.muted,
        "can_moderate": joined.can_moderate,
        "room": service.room_payload(session, room),
        **people_payload(session, viewer, present),
    }
    if data["last_seq"] is None:
        shown = service.history(session, viewer, room.id)
        ack["messages"] = shown.messages
        ack["has_earlier"] = shown.has_earlier
    else:
        ack.update(_replay(session, topic_name, data["last_seq"], latest))
    announce_soon(session, room.id, room.event_id)
    start_sweeper(current_app._get_current_object())  # type: ignore[attr-defined]
    return ack


def room_leave(payload: Any = None) -> dict[str, Any]:
    """Stop following the room (its live events and the presence); with
    ``give_up_seat`` the member also gives up their seat."""
    data = load_or_refuse(LeaveRoomSchema(), payload)
    topic_name = room_topic(data["room_id"])
    leave_room(topic_name)
    leave_presence(topic_name)
    room = db.session.get(Room, data["room_id"])
    if room is not None:
        if data["give_up_seat"]:
            service.leave_room(db.session, _viewer(), room.id)
        announce_soon(db.session, room.id, room.event_id)
    return {"ok": True, "room_id": data["room_id"]}


@refusals_told
def room_send(payload: Any = None) -> dict[str, Any]:
    """Send a message. The ack carries it with its id and number (``message``); a resend
    with the same ``client_id`` answers the first one (``duplicate``: true) and nothing
    new is broadcast. Refusals: too long or empty, archived, removed, muted, slow mode
    (``retry_after``), too many sends."""
    data = load_or_refuse(schemas.SendMessageSchema(), payload)
    viewer = _viewer()
    # A resend (after a lost acknowledgement or a reconnect) is answered, never refused
    # as "too fast": only new messages spend the member's sending allowance.
    if service.find_resend(db.session, viewer, data["room_id"], data["client_id"]) is None:
        _send_rate().take(viewer.id)
    message, is_new = service.send_message(
        db.session,
        viewer,
        data["room_id"],
        data["body"],
        data["client_id"],
        data["reply_to_id"],
    )
    return {
        "ok": True,
        "room_id": message.room_id,
        "duplicate": not is_new,
        "message": service.payload_of(db.session, message),
    }


@refusals_told
def room_edit(payload: Any = None) -> dict[str, Any]:
    data = load_or_refuse(schemas.EditMessageSchema(), payload)
    message = service.edit_message(db.session, _viewer(), data["message_id"], data["body"])
    return {
        "ok": True,
        "room_id": message.room_id,
        "message": service.payload_of(db.session, message),
    }


@refusals_told
def room_delete(payload: Any = None) -> dict[str, Any]:
    data = load_or_refuse(schemas.MessageRefSchema(), payload)
    message = service.delete_message(db.session, _viewer(), data["message_id"])
    return {
        "ok": True,
        "room_id": message.room_id,
        "message": service.payload_of(db.session, message),
    }


@refusals_told
def room_react(payload: Any = None) -> dict[str, Any]:
    data = load_or_refuse(schemas.ReactionSchema(), payload)
    message, active = service.toggle_reaction(
        db.session, _viewer(), data["message_id"], data["kind"]
    )
    return {
        "ok": True,
        "room_id": message.room_id,
        "active": active,
        "message": service.payload_of(db.session, message),
    }


@refusals_told
def room_typing(payload: Any = None) -> dict[str, Any]:
    """Someone is typing: the others in the room hear it at once (``room_typing``: not
    stored, not numbered; at most one notice per member and room every 2 seconds)."""
    data = load_or_refuse(schemas.RoomRefSchema(), payload)
    viewer = _viewer()
    room = service.visible_room(db.session, viewer, data["room_id"])
    if not service.may_read(db.session, viewer, room):
        raise NotFound(gettext("No such room."))
    if room.is_archived or service.is_muted(db.session, room, viewer.id):
        return {"ok": True, "sent": False}
    sent = _may_say_typing(room.id, viewer.id, typing_clock())
    if sent:
        current_app.extensions["socketio"].emit(
            "room_typing",
            {"room_id": room.id, "user_id": viewer.id, "name": viewer.display_name},
            to=room_topic(room.id),
            skip_sid=request.sid,  # type: ignore[attr-defined]
        )
    return {"ok": True, "sent": sent}


@refusals_told
def room_history(payload: Any = None) -> dict[str, Any]:
    """ "Load earlier": the 50 messages before ``before_seq``, oldest first."""
    data = load_or_refuse(schemas.HistorySchema(), payload)
    shown = service.history(
        db.session, _viewer(), data["room_id"], data["before_seq"], data["limit"]
    )
    return {
        "ok": True,
        "room_id": data["room_id"],
        "messages": shown.messages,
        "has_earlier": shown.has_earlier,
    }


@refusals_told
def rooms_lobby_join(payload: Any = None) -> dict[str, Any]:
    """Follow an event's lobby: each room's count and who, live (``lobby_room``), and
    ``rooms_changed`` when rooms open, change or close."""
    data = load_or_refuse(LobbySchema(), payload)
    session = db.session
    entries = service.lobby(session, _viewer(), data["event_id"])
    join_room(event_topic(data["event_id"]))
    for entry in entries:
        present = present_ids(entry.room.id)
        if present:
            watch_room(entry.room.id, entry.room.event_id, present)
    start_sweeper(current_app._get_current_object())  # type: ignore[attr-defined]
    return {
        "ok": True,
        "event_id": data["event_id"],
        "rooms": [service.lobby_payload(session, entry) for entry in entries],
    }


HANDLERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "room_join": room_join,
    "room_leave": room_leave,
    "room_send": room_send,
    "room_edit": room_edit,
    "room_delete": room_delete,
    "room_react": room_react,
    "room_typing": room_typing,
    "room_history": room_history,
    "rooms_lobby_join": rooms_lobby_join,
}


def register() -> None:
    """Plug the handlers in (``rooms.init_app``) and the removal hook in the service."""
    from hallway.realtime import register_handler

    for event, handler in HANDLERS.items():
        register_handler(event, handler)
    service.register_member_removed_hook(evict)
