"""Random sequences of send / resend / disconnect / reconnect / edit / delete by three
members' pages (Flask-SocketIO test clients), after which every page shows exactly the
room's history as the database holds it: no message lost, none twice.

Each page behaves as static/js/rooms.js does: it applies numbered events by ``seq``
(a number already seen is dropped; the next one is applied), keeps what it could not
send while offline (and a send whose acknowledgement was lost) in its outbox, and on
reconnecting rejoins with the last number it saw, applies what it missed in order, then
sends its outbox once, with the same client ids.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from hallway.accounts.models import Role
from hallway.core import unit_of_work
from hallway.realtime import current_seq
from hallway.rooms import service, sockets
from hallway.rooms.models import RoomMessage
from tests.conftest import Browserless
from tests.factories import make_profile, make_user
from tests.unit.events.factories import make_event

NUMBERED = {"room_message", "room_message_updated", "room_updated", "room_member_muted",
            "room_member_removed"}  # fmt: skip
PAGES = 3
BODIES = ["Coffee at the LMS table?", "**Mentoring** corner is open", "Who's going to Kamloops?",
          "Thanks @someone", "> quoted\n\nreply", "Ça va? On se voit à la pause."]  # fmt: skip


@dataclass
class Page:
    """One member's open room page."""

    name: str
    user_id: int
    socket: Any
    connected: bool = True
    last_seq: int = 0
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)  # id -> latest payload
    created: dict[int, int] = field(default_factory=dict)  # id -> times its creation applied
    #: (client_id, body, whether the server may have it already: a lost acknowledgement)
    outbox: list[tuple[str, str, bool]] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)  # client_id -> message id
    gaps: list[tuple[int, int]] = field(default_factory=list)

    def apply(self, name: str, data: dict[str, Any]) -> None:
        seq = data["seq"]
        if seq <= self.last_seq:
            return  # had it already
        if seq != self.last_seq + 1:
            self.gaps.append((self.last_seq, seq))  # a loss: the test fails on it
        self.last_seq = seq
        if name == "room_message":
            self.created[data["id"]] = self.created.get(data["id"], 0) + 1
        if name in ("room_message", "room_message_updated"):
            self.messages[data["id"]] = data

    def drain(self) -> None:
        if not self.connected:
            return
        for packet in self.socket.get_received():
            if packet["name"] in NUMBERED:
                self.apply(packet["name"], packet["args"][0])

    def call(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        ack = self.socket.emit(event, data, callback=True)
        assert isinstance(ack, dict), ack
        return ack

    def view(self) -> list[tuple[int, str, bool, bool]]:
        shown = sorted(self.messages.values(), key=lambda each: each["message_seq"])
        return [(m["id"], m["body"], m["edited"], m["deleted"]) for m in shown]


@pytest.fixture
def lifted_limits(app, monkeypatch):
    """Send limits are policy (tested elsewhere); here a page may send every step. And
    no presence sweeper: a background thread of the session's app would read through
    this test's connection (its rolled-back transaction) at random moments."""
    monkeypatch.setattr(sockets, "start_sweeper", lambda app: None)
    monkeypatch.setitem(
        app.extensions, sockets.SEND_RATE_KEY, sockets.SendRate(1_000_000, 1_000_000.0)
    )
    limiter = app.extensions["hallway.socket_rate"]
    monkeypatch.setattr(limiter, "burst", 1_000_000)
    monkeypatch.setattr(limiter, "rate", 1_000_000.0)


@pytest.fixture
def people(app, session, lifted_limits):
    """An organiser and three members with profiles, each logged in with their own
    browser (cookies); the socket clients are opened per example."""
    with app.app_context():
        organiser = make_user(session, role=Role.organiser, display_name="Olu Organiser")
        members = []
        for name in ("Ana Diaz", "Ben Okoro", "Chloé Tremblay")[:PAGES]:
            user = make_user(session, display_name=name)
            make_profile(session, user)
            members.append(user)
        event = make_event(session, owner=organiser)
        unit_of_work.commit(session)
    browsers = []
    for user in members:
        browser = Browserless(app.test_client())
        assert browser.log_in(user.email).status_code == 302
        browsers.append((user, browser))
    return {"organiser": organiser, "event": event, "browsers": browsers}


def test_every_page_ends_with_the_databases_history(app, session, people):
    socketio = app.extensions["socketio"]
    numbers = itertools.count(1)

    class RoomHistories(RuleBasedStateMachine):
        own_messages = Bundle("own_messages")  # (page index, message id)
        acked_sends = Bundle("acked_sends")  # (page index, client id)

        @initialize()
        def open_room(self) -> None:
            with app.app_context():
                room = service.create_room(
                    session, people["organiser"], people["event"].id,
                    {"name": f"Table {next(numbers)}", "access": "members"},
                )  # fmt: skip
                unit_of_work.commit(session)
            self.room_id = room.id
            self.topic = f"room:{room.id}"
            self.pages: list[Page] = []
            for user, browser in people["browsers"]:
                client = socketio.test_client(app, flask_test_client=browser.client)
                assert client.is_connected()
                page = Page(user.display_name, user.id, client)
                ack = page.call("room_join", {"room_id": self.room_id})
                assert ack["ok"] is True, ack
                for message in ack["messages"]:
                    page.messages[message["id"]] = message
                page.last_seq = ack["seq"]
                self.pages.append(page)
            self.drain()

        # -- helpers ----------------------------------------------------------------------

        def drain(self) -> None:
            for page in self.pages:
                page.drain()

        def seq_now(self) -> int:
            session.expire_all()
            return current_seq(session, self.topic)

        def send_from(
            self, page: Page, client_id: str, body: str, *, stored: bool = False
        ) -> dict[str, Any]:
            ack = page.call(
                "room_send", {"room_id": self.room_id, "client_id": client_id, "body": body}
            )
            assert ack["ok"] is True, ack
            message = ack["message"]
            assert message["client_id"] == client_id
            if client_id in page.sent:
                assert ack["duplicate"] is True and message["id"] == page.sent[client_id]
            assert ack["duplicate"] is stored, (client_id, ack)
            page.sent[client_id] = message["id"]
            return ack

        # -- rules ------------------------------------------------------------------------

        @rule(target=acked_sends, index=st.integers(0, PAGES - 1), body=st.sampled_from(BODIES))
        def send(self, index: int, body: str):
            page = self.pages[index]
            client_id = uuid.uuid4().hex[:16]
            body = f"{body} #{next(numbers)}"
            if not page.connected:
                page.outbox.append((client_id, body, False))  # kept, sent on reconnect
                return (index, client_id)
            before = self.seq_now()
            ack = self.send_from(page, client_id, body)
            assert ack["duplicate"] is False
            assert ack["message"]["seq"] == before + 1, "the room's next number"
            self.drain()
            return (index, client_id)

        @rule(index=st.integers(0, PAGES - 1))
        def send_and_lose_the_ack(self, index: int) -> None:
            """The message reaches the server but the page goes offline before the
            acknowledgement: it keeps the message in its outbox and resends it later."""
            page = self.pages[index]
            if not page.connected:
                return
            client_id, body = uuid.uuid4().hex[:16], f"Lost ack #{next(numbers)}"
            page.socket.emit(
                "room_send", {"room_id": self.room_id, "client_id": client_id, "body": body}
            )
            page.outbox.append((client_id, body, True))
            page.drain()
            page.socket.disconnect()
            page.connected = False
            self.drain()

        @rule(sent=acked_sends)
        def resend(self, sent: tuple[int, str]) -> None:
            index, client_id = sent
            page = self.pages[index]
            if not page.connected or client_id not in page.sent:
                return
            before = self.seq_now()
            body = self.message_body(page.sent[client_id])
            ack = page.call(
                "room_send", {"room_id": self.room_id, "client_id": client_id, "body": body}
            )
            assert ack["ok"] is True, ack
            assert ack["duplicate"] is True
            assert ack["message"]["id"] == page.sent[client_id]
            assert self.seq_now() == before, "a resend numbers nothing"
            for other in self.pages:
                if other.connected:
                    assert [
                        p for p in other.socket.get_received() if p["name"] in NUMBERED
                    ] == [], "a resend broadcasts nothing"

        def message_body(self, message_id: int) -> str:
            session.expire_all()
            message = session.get(RoomMessage, message_id)
            assert message is not None
            return message.body or "resent"

        @rule(index=st.integers(0, PAGES - 1))
        def disconnect(self, index: int) -> None:
            page = self.pages[index]
            if page.connected:
                page.drain()
                page.socket.disconnect()
                page.connected = False

        @rule(index=st.integers(0, PAGES - 1))
        def reconnect(self, index: int) -> None:
            page = self.pages[index]
            if not page.connected:
                self.bring_back(page)
                self.drain()

        def bring_back(self, page: Page) -> None:
            page.socket.connect()
            assert page.socket.is_connected()
            page.connected = True
            ack = page.call("room_join", {"room_id": self.room_id, "last_seq": page.last_seq})
            assert ack["ok"] is True and ack["reload"] is False, ack
            for each in ack["events"]:
                page.apply(each["event"], each["data"])
            assert page.last_seq == ack["seq"]
            page.drain()  # whatever was committed since, live
            outbox, page.outbox = page.outbox, []
            for client_id, body, stored in outbox:
                self.send_from(page, client_id, body, stored=stored)
                self.drain()

        @rule(target=own_messages, sent=acked_sends)
        def remember_own(self, sent: tuple[int, str]):
            index, client_id = sent
            message_id = self.pages[index].sent.get(client_id)
            return (index, message_id) if message_id is not None else (index, 0)

        @rule(mine=own_messages, body=st.sampled_from(BODIES))
        def edit(self, mine: tuple[int, int], body: str) -> None:
            index, message_id = mine
            page = self.pages[index]
            if not message_id or not page.connected or self.is_gone(message_id):
                return
            text = f"{body} (edited #{next(numbers)})"
            ack = page.call("room_edit", {"message_id": message_id, "body": text})
            assert ack["ok"] is True, ack
            assert ack["message"]["body"] == text and ack["message"]["edited"] is True
            self.drain()

        @rule(mine=consumes(own_messages))
        def delete(self, mine: tuple[int, int]) -> None:
            index, message_id = mine
            page = self.pages[index]
            if not message_id or not page.connected or self.is_gone(message_id):
                return
            ack = page.call("room_delete", {"message_id": message_id})
            assert ack["ok"] is True, ack
            assert ack["message"]["deleted"] is True and ack["message"]["body"] == ""
            self.drain()

        def is_gone(self, message_id: int) -> bool:
            session.expire_all()
            message = session.get(RoomMessage, message_id)
            return message is None or message.is_gone

        # -- what must always hold ----------------------------------------------------------

        def database_view(self) -> list[tuple[int, str, bool, bool]]:
            session.expire_all()
            rows = session.scalars(
                select(RoomMessage).where(RoomMessage.room_id == self.room_id)
                .order_by(RoomMessage.seq)
            ).all()  # fmt: skip
            return [
                (m.id, "" if m.is_gone else m.body, m.edited_at is not None,
                 m.deleted_at is not None)
                for m in rows
            ]  # fmt: skip

        @invariant()
        def connected_pages_show_the_database(self) -> None:
            if not hasattr(self, "pages"):
                return
            self.drain()
            expected, latest = self.database_view(), self.seq_now()
            for page in self.pages:
                assert page.gaps == [], f"{page.name} missed numbers {page.gaps}"
                assert all(count == 1 for count in page.created.values()), page.created
                if page.connected:
                    assert page.last_seq == latest
                    assert page.view() == expected, page.name

        @invariant()
        def one_message_per_client_id(self) -> None:
            if not hasattr(self, "pages"):
                return
            session.expire_all()
            rows = session.execute(
                select(RoomMessage.author_id, RoomMessage.client_id)
                .where(RoomMessage.room_id == self.room_id)
            ).all()  # fmt: skip
            assert len(rows) == len(set(rows))
            for page in self.pages:
                mine = {client_id for author, client_id in rows if author == page.user_id}
                assert set(page.sent) <= mine

        def teardown(self) -> None:
            if not hasattr(self, "pages"):
                return
            try:
                for page in self.pages:
                    if not page.connected:
                        self.bring_back(page)
                self.drain()
                expected = self.database_view()
                sent = sum(len(page.sent) for page in self.pages)
                assert len(expected) == sent, "every message sent is stored, once"
                for page in self.pages:
                    assert page.outbox == []
                    assert page.view() == expected, page.name
                    assert page.last_seq == self.seq_now()
            finally:
                for page in self.pages:
                    if page.socket.is_connected():
                        page.socket.disconnect()

    run_state_machine_as_test(
        RoomHistories,
        settings=settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
