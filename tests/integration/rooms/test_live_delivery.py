"""Live rooms over the wire: real python-socketio clients against a live server.

Each member logs in over HTTP like a browser (the session cookie), opens a Socket.IO
connection over WebSocket and joins the room. What the issue's delivery guarantees
promise, checked where they can break: the network, several connections, a second
process's commit.

- A member offline while 20 messages are sent gets exactly those 20, in order, when
  they come back with the last number they saw; nothing twice; live ones follow.
- Edits and deletions missed while away come back the same way, in order.
- A resend with the same client id (after a timeout, after a reconnect, from a second
  tab at the same moment) returns the first message and broadcasts nothing new.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import func, select

from tests.conftest import LiveServer, csrf_token_from
from tests.factories import DEFAULT_PASSWORD, make_profile, make_user

#: The numbered events of a room (rooms-interface.md) and the ephemeral ones we watch.
NUMBERED = ("room_message", "room_message_updated", "room_updated", "room_member_muted",
            "room_member_removed")  # fmt: skip
EPHEMERAL = ("room_presence", "room_typing", "room_error", "room_removed")


def lift_send_limits(app, monkeypatch) -> None:
    """The per-connection and per-member send limits are policy, tested elsewhere: here
    one member sends 20 messages in a row."""
    from hallway.rooms import sockets

    monkeypatch.setitem(app.config, "ROOM_SEND_BURST", 10_000)
    monkeypatch.setitem(app.config, "ROOM_SENDS_PER_SECOND", 10_000.0)
    app.extensions.pop(sockets.SEND_RATE_KEY, None)
    limiter = app.extensions["hallway.socket_rate"]
    monkeypatch.setattr(limiter, "burst", 10_000)
    monkeypatch.setattr(limiter, "rate", 10_000.0)


def make_room(app, *names: str, access: str = "members") -> dict[str, Any]:
    """An event by an organiser, a room in it, and members with profiles (so the people
    list names them); committed for real, as the live server reads it."""
    from hallway.accounts.models import Role
    from hallway.core import unit_of_work
    from hallway.db import db
    from hallway.rooms import service
    from tests.unit.events.factories import make_event

    with app.app_context():
        session = db.session
        organiser = make_user(session, role=Role.organiser, display_name="Olu Organiser")
        event = make_event(session, owner=organiser)
        room = service.create_room(
            session, organiser, event.id, {"name": "Hallway track", "access": access}
        )
        people = {}
        for name in names:
            user = make_user(session, display_name=name)
            make_profile(session, user, visibility="members")
            people[name] = {"id": user.id, "email": user.email}
        unit_of_work.commit(session)
        return {"room_id": room.id, "event_id": event.id, "people": people,
                "organiser": organiser.email}  # fmt: skip


def log_in_cookie(base_url: str, email: str) -> str:
    """Log in through the form, as a browser does; the session cookie."""
    http = requests.Session()
    token = csrf_token_from(http.get(base_url + "/login", timeout=10).text)
    answer = http.post(
        base_url + "/login",
        data={"csrf_token": token, "email": email, "password": DEFAULT_PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    return http.cookies["session"]


class LiveMember:
    """One member's page: a python-socketio client that keeps every room event it
    receives, in arrival order, and applies the numbered ones the way static/js/rooms.js
    does (by ``seq``: a number seen already is dropped; a join with ``last_seq`` replays
    what was missed)."""

    def __init__(self, base_url: str, email: str, room_id: int) -> None:
        self.base_url = base_url
        self.cookie = log_in_cookie(base_url, email)
        self.room_id = room_id
        self.client: socketio.Client | None = None
        self.arrived: list[tuple[str, dict[str, Any]]] = []  # every event, as it came
        self.condition = threading.Condition()
        self.last_seq = 0
        self.applied: list[tuple[str, int]] = []  # (event, seq) applied, in order
        self.messages: dict[int, dict[str, Any]] = {}  # id -> latest payload

    # -- the connection -------------------------------------------------------------

    def connect(self) -> None:
        client = socketio.Client(reconnection=False)
        for name in (*NUMBERED, *EPHEMERAL):
            client.on(name, self._keeper(name))
        client.connect(
            self.base_url,
            transports=["websocket"],
            headers={"Cookie": f"session={self.cookie}"},
            wait_timeout=10,
        )
        self.client = client

    def disconnect(self) -> None:
        if self.client is not None and self.client.connected:
            self.client.disconnect()

    def _keeper(self, name: str) -> Callable[[Any], None]:
        def keep(data: Any) -> None:
            with self.condition:
                self.arrived.append((name, data))
                if name in NUMBERED:
                    self._apply(name, data)
                self.condition.notify_all()

        return keep

    def _apply(self, name: str, data: dict[str, Any]) -> None:
        seq = data["seq"]
        if seq <= self.last_seq:
            return  # seen already (arrived both live and in a replay)
        self.last_seq = seq
        self.applied.append((name, seq))
        if name in ("room_message", "room_message_updated"):
            self.messages[data["id"]] = data

    # -- what a page does ------------------------------------------------------------

    def call(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        assert self.client is not None
        ack = self.client.call(event, data, timeout=15)
        assert isinstance(ack, dict), ack
        return ack

    def join(self, *, catch_up: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"room_id": self.room_id}
        if catch_up:
            data["last_seq"] = self.last_seq
        ack = self.call("room_join", data)
        assert ack["ok"] is True, ack
        with self.condition:
            if catch_up:
                assert ack["reload"] is False, ack
                for each in ack["events"]:
                    self._apply(each["event"], each["data"])
            self.last_seq = max(self.last_seq, ack["seq"])
        return ack

    def send(self, body: str, client_id: str | None = None) -> dict[str, Any]:
        ack = self.call(
            "room_send",
            {"room_id": self.room_id, "body": body, "client_id": client_id or new_client_id()},
        )
        assert ack["ok"] is True, ack
        return ack

    # -- waiting and reading ---------------------------------------------------------

    def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        with self.condition:
            assert self.condition.wait_for(condition, timeout), "it never arrived"

    def live(self, name: str) -> list[dict[str, Any]]:
        """The ``name`` events that arrived live (not in a join's replay), in order."""
        with self.condition:
            return [data for event, data in self.arrived if event == name]


def new_client_id() -> str:
    return uuid.uuid4().hex[:20]


@pytest.fixture
def room(live_server: LiveServer, monkeypatch) -> dict[str, Any]:
    lift_send_limits(live_server.app, monkeypatch)
    return make_room(live_server.app, "Ana Diaz", "Ben Okoro")


@pytest.fixture
def members(live_server: LiveServer, room) -> Iterator[Callable[[str], LiveMember]]:
    """Open a member's page (connected, joined); all closed at the end."""
    opened: list[LiveMember] = []

    def open_page(name: str, *, join: bool = True) -> LiveMember:
        member = LiveMember(live_server.url, room["people"][name]["email"], room["room_id"])
        member.connect()
        if join:
            member.join()
        opened.append(member)
        return member

    yield open_page
    for member in opened:
        member.disconnect()


def stored(app, room_id: int) -> dict[str, Any]:
    """What the database holds: the room's messages by number, the topic's last number."""
    from hallway.db import db
    from hallway.realtime import current_seq
    from hallway.rooms.models import RoomMessage

    with app.app_context():
        rows = db.session.execute(
            select(RoomMessage.id, RoomMessage.seq, RoomMessage.client_id, RoomMessage.body)
            .where(RoomMessage.room_id == room_id)
            .order_by(RoomMessage.seq)
        ).all()
        seq = current_seq(db.session, f"room:{room_id}")
        db.session.rollback()
    return {"messages": [tuple(row) for row in rows], "seq": seq}


def settle(seconds: float = 0.4) -> None:
    """Room for a stray duplicate to arrive before we say none did."""
    time.sleep(seconds)


# --- Catch-up after a reconnect ----------------------------------------------------------


def test_offline_while_20_messages_are_sent_gets_exactly_those_20_in_order(
    live_server, room, members
):
    ana, ben = members("Ana Diaz"), members("Ben Okoro")
    first = ben.send("Before the tunnel")["message"]
    ana.wait_until(lambda: ana.last_seq == first["seq"])
    seen = ana.last_seq

    ana.disconnect()  # into a tunnel
    sent = [ben.send(f"Message {number} while Ana is away") for number in range(1, 21)]
    sent_ids = [ack["message"]["id"] for ack in sent]
    sent_seqs = [ack["message"]["seq"] for ack in sent]
    assert sent_seqs == list(range(seen + 1, seen + 21)), "numbers are gap-free and in order"
    arrived_live = len(ana.arrived)

    ana.connect()
    ack = ana.join(catch_up=True)
    replayed = [(each["event"], each["data"]["seq"]) for each in ack["events"]]
    assert replayed == [("room_message", seq) for seq in sent_seqs]
    assert [each["data"]["id"] for each in ack["events"]] == sent_ids
    assert [each["data"]["body"] for each in ack["events"]] == [
        f"Message {number} while Ana is away" for number in range(1, 21)
    ]
    assert ack["seq"] == sent_seqs[-1]

    # Once: nothing of it comes again live; the next message does, numbered on.
    after = ben.send("Out of the tunnel")["message"]
    ana.wait_until(lambda: ana.last_seq == after["seq"])
    settle()
    came_live = [data["seq"] for _name, data in ana.arrived[arrived_live:]
                 if _name == "room_message"]  # fmt: skip
    assert came_live == [after["seq"]]
    assert ana.applied == [
        ("room_message", first["seq"]),
        *(("room_message", seq) for seq in sent_seqs),
        ("room_message", after["seq"]),
    ]
    # What Ana's page shows is what the database holds.
    in_database = stored(live_server.app, room["room_id"])
    assert [row[0] for row in in_database["messages"]] == [first["id"], *sent_ids, after["id"]]
    assert sorted(ana.messages) == sorted(row[0] for row in in_database["messages"])


def test_edits_and_deletions_missed_while_away_come_back_in_order(live_server, room, members):
    ana, ben = members("Ana Diaz"), members("Ben Okoro")
    kept = ben.send("Which captioning service do you trust?")["message"]
    dropped = ben.send("Oops, wrong room")["message"]
    ana.wait_until(lambda: ana.last_seq == dropped["seq"])

    ana.disconnect()
    better = "Which captioning service do you trust for lectures?"
    edit = ben.call("room_edit", {"message_id": kept["id"], "body": better})
    assert edit["ok"] is True, edit
    gone = ben.call("room_delete", {"message_id": dropped["id"]})
    assert gone["ok"] is True, gone
    later = ben.send("Verbit, for us")["message"]

    ana.connect()
    ack = ana.join(catch_up=True)
    replayed = [(each["event"], each["data"]["id"], each["data"].get("change"))
                for each in ack["events"]]  # fmt: skip
    assert replayed == [
        ("room_message_updated", kept["id"], "edited"),
        ("room_message_updated", dropped["id"], "deleted"),
        ("room_message", later["id"], None),
    ]
    seqs = [each["data"]["seq"] for each in ack["events"]]
    assert seqs == list(range(dropped["seq"] + 1, dropped["seq"] + 4))
    assert ana.messages[kept["id"]]["body"] == better
    assert ana.messages[kept["id"]]["edited"] is True
    assert ana.messages[dropped["id"]]["deleted"] is True
    assert ana.messages[dropped["id"]]["body"] == ""
    assert "wrong room" not in repr(ack["events"])


def test_a_new_message_says_its_own_number_live_and_in_history(live_server, room, members):
    """The broadcast and the history give a message the same numbers (``seq`` and
    ``message_seq``), so a page orders live and replayed messages alike."""
    ana, ben = members("Ana Diaz"), members("Ben Okoro")
    sent = ben.send("Numbered")["message"]
    ana.wait_until(lambda: ana.last_seq == sent["seq"])
    live = ana.live("room_message")[-1]
    assert live["id"] == sent["id"]
    assert live["seq"] == sent["seq"] == sent["message_seq"]
    assert live["message_seq"] == sent["seq"]
    history = ana.call("room_history", {"room_id": room["room_id"]})
    assert history["ok"] is True, history
    shown = next(each for each in history["messages"] if each["id"] == sent["id"])
    assert (shown["seq"], shown["message_seq"]) == (sent["seq"], sent["seq"])


# --- Resends -------------------------------------------------------------------------------


def test_a_resend_with_the_same_client_id_gives_one_message_and_one_broadcast(
    live_server, room, members
):
    ana, ben = members("Ana Diaz"), members("Ben Okoro")
    client_id = new_client_id()
    first = ben.send("Is anyone at the LMS admins table?", client_id)
    assert first["duplicate"] is False
    ana.wait_until(lambda: len(ana.live("room_message")) == 1)

    again = ben.send("Is anyone at the LMS admins table?", client_id)  # the ack was lost
    assert again["duplicate"] is True
    assert again["message"]["id"] == first["message"]["id"]
    assert again["message"]["seq"] == first["message"]["seq"]

    ben.disconnect()  # and once more after a reconnect, as the page does with its outbox
    ben.connect()
    ben.join(catch_up=True)
    after_reconnect = ben.send("Is anyone at the LMS admins table?", client_id)
    assert after_reconnect["duplicate"] is True
    assert after_reconnect["message"]["id"] == first["message"]["id"]
    settle()

    assert [data["id"] for data in ana.live("room_message")] == [first["message"]["id"]]
    in_database = stored(live_server.app, room["room_id"])
    assert [row[2] for row in in_database["messages"]] == [client_id]
    assert in_database["seq"] == first["message"]["seq"], "nothing else was numbered"


def test_the_same_client_id_from_two_tabs_at_once_is_one_message(live_server, room, members):
    """Two connections of one member send the same message at the same moment (a retry
    racing the first try): one message, one broadcast, both acks name it."""
    ana = members("Ana Diaz")
    tabs = [members("Ben Okoro"), members("Ben Okoro")]
    rounds = 5
    for number in range(rounds):
        acks, failures = race_same_send(tabs, f"Race {number}", new_client_id())
        assert failures == []
        assert len({ack["message"]["id"] for ack in acks}) == 1
        assert sorted(ack["duplicate"] for ack in acks) == [False, True]
    ana.wait_until(lambda: len(ana.live("room_message")) == rounds)
    settle()
    assert len(ana.live("room_message")) == rounds
    in_database = stored(live_server.app, room["room_id"])
    assert len(in_database["messages"]) == rounds
    assert len({row[2] for row in in_database["messages"]}) == rounds


def race_same_send(
    tabs: list[LiveMember], body: str, client_id: str
) -> tuple[list[dict[str, Any]], list[BaseException]]:
    """Every tab sends the same message with the same client id at the same moment."""
    start = threading.Barrier(len(tabs))
    acks: list[dict[str, Any]] = []
    failures: list[BaseException] = []

    def send(tab: LiveMember) -> None:
        start.wait()
        try:
            acks.append(tab.send(body, client_id))
        except BaseException as error:  # reported by the caller
            failures.append(error)

    threads = [threading.Thread(target=send, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return acks, failures


def test_the_same_client_id_from_two_members_is_two_messages(live_server, room, members):
    """Client ids are the sender's own: another member's equal id is another message."""
    ana, ben = members("Ana Diaz"), members("Ben Okoro")
    client_id = new_client_id()
    mine = ana.send("Hello from Ana", client_id)
    theirs = ben.send("Hello from Ben", client_id)
    assert theirs["duplicate"] is False
    assert theirs["message"]["id"] != mine["message"]["id"]
    assert theirs["message"]["seq"] == mine["message"]["seq"] + 1


def test_concurrent_senders_get_gap_free_increasing_numbers(live_server, room, members):
    """Four connections send at once: every message numbered, no gap, no number twice,
    and every reader receives each once."""
    ana = members("Ana Diaz")
    senders = [members("Ben Okoro") for _ in range(2)] + [members("Ana Diaz")]
    per_sender = 8
    numbers: list[int] = []
    lock = threading.Lock()
    failures: list[BaseException] = []
    start = threading.Barrier(len(senders))

    def send_all(tab: LiveMember, index: int) -> None:
        start.wait()
        try:
            for number in range(per_sender):
                seq = tab.send(f"Sender {index}, message {number}")["message"]["seq"]
                with lock:
                    numbers.append(seq)
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=send_all, args=(tab, index))
               for index, tab in enumerate(senders)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    total = per_sender * len(senders)
    base = min(numbers) - 1
    assert sorted(numbers) == list(range(base + 1, base + total + 1))
    ana.wait_until(lambda: len(ana.live("room_message")) == total)
    settle()
    live_seqs = [data["seq"] for data in ana.live("room_message")]
    assert sorted(live_seqs) == sorted(numbers)
    assert len(set(live_seqs)) == total


def test_count_of_stored_events_matches_the_numbers(live_server, room, members):
    """Every number handed out is stored for replay: a page that saw nothing replays all."""
    from hallway.db import db
    from hallway.realtime.models import TopicEvent

    ben = members("Ben Okoro")
    for number in range(5):
        ben.send(f"Stored {number}")
    with live_server.app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(TopicEvent)
            .where(TopicEvent.topic == f"room:{room['room_id']}")
        )  # fmt: skip
        db.session.rollback()
    newcomer = members("Ana Diaz", join=False)
    ack = newcomer.call("room_join", {"room_id": room["room_id"], "last_seq": 0})
    assert ack["ok"] is True and ack["reload"] is False
    assert [each["data"]["seq"] for each in ack["events"]] == list(range(1, count + 1))
    assert ack["seq"] == count
