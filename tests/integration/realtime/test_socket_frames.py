"""Against a real server: garbage frames are dropped without a traceback, and a frame
far over the size limit is cut off while it arrives, not read to the end."""

from __future__ import annotations

import json
import logging

import pytest
import socketio
import websocket

from tests.conftest import Browserless
from tests.factories import make_thread, make_user

FRAME_MB = 24


def socket_url(live_server) -> str:
    return live_server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"


def open_engineio(live_server, cookie: str | None = None) -> websocket.WebSocket:
    """A raw WebSocket past the Engine.IO handshake (the server's "open" packet read)."""
    ws = websocket.create_connection(
        socket_url(live_server),
        origin=live_server.url,
        cookie=f"session={cookie}" if cookie else None,
        timeout=5,
    )
    opened = ws.recv()
    assert opened.startswith("0{"), opened
    return ws


@pytest.fixture
def tracebacks(caplog):
    """Records logged at ERROR or with a traceback while the test runs."""
    caplog.set_level(logging.WARNING)

    def found() -> list[str]:
        return [
            record.getMessage()
            for record in caplog.records
            if record.levelno >= logging.ERROR or record.exc_info
        ]

    return found


@pytest.fixture
def live_member(live_server):
    with live_server.app.app_context():
        from hallway.db import db

        user = make_user(db.session, display_name="Frame Sender")
        thread = make_thread(db.session, author=user)
        db.session.commit()
        browser = Browserless(live_server.app.test_client())
        assert browser.log_in(user.email).status_code == 302
        return browser.client.get_cookie("session").value, thread.id


GARBAGE = [
    "42[",  # an event with broken JSON
    '42["join_thread", {"thread_id": ',
    "42" + "[" * 5000 + "]" * 5000,  # nested deeper than a parser's stack
    "42{}",  # an event that is not a list
    "42[]",  # an event without a name
    '42[17, {"thread_id": 1}]',  # a name that is not text
    "4x",  # not a Socket.IO packet type
    "49",
    "43999",  # an ack nobody asked for
    "x",  # not an Engine.IO packet at all
]


def test_garbage_frames_are_dropped_without_a_traceback(live_server, live_member, tracebacks):
    cookie, thread_id = live_member
    for frame in GARBAGE:
        ws = open_engineio(live_server, cookie)
        ws.send("40")  # Socket.IO connect, as a member
        assert ws.recv().startswith("40")
        ws.send(frame)
        ws.close()
    assert tracebacks() == []

    # The server still serves members normally.
    client = socketio.Client(reconnection=False)
    client.connect(
        live_server.url, transports=["websocket"], headers={"Cookie": f"session={cookie}"},
        wait_timeout=5,
    )
    try:
        assert client.call("join_thread", {"thread_id": thread_id}, timeout=5)["ok"] is True
    finally:
        client.disconnect()


def test_a_member_joining_with_a_huge_id_gets_an_error_ack(live_server, live_member):
    cookie, _thread_id = live_member
    ws = open_engineio(live_server, cookie)
    try:
        ws.send("40")
        assert ws.recv().startswith("40")
        ws.send("421" + json.dumps(["join_thread", {"thread_id": 2**64}]))
        reply = ws.recv()
        while not reply.startswith("431"):  # skip pings and other events
            reply = ws.recv()
        ack = json.loads(reply[3:])[0]
        assert ack["ok"] is False and "thread_id" in ack["errors"]
    finally:
        ws.close()


def test_a_logged_out_client_cannot_make_the_server_read_a_24_mb_frame(live_server):
    ws = open_engineio(live_server)  # nobody logged in: Engine.IO opens regardless
    chunk = b"4" + b"x" * (64 * 1024 - 1)
    sent = 0
    cut_off = False
    try:
        # One 24 MB text message, sent as fragments so we can see where it stops.
        ws.send_frame(websocket.ABNF.create_frame(chunk, websocket.ABNF.OPCODE_TEXT, fin=0))
        sent += len(chunk)
        while sent < FRAME_MB * 1024 * 1024:
            ws.send_frame(websocket.ABNF.create_frame(chunk, websocket.ABNF.OPCODE_CONT, fin=0))
            sent += len(chunk)
    except (OSError, websocket.WebSocketException):
        cut_off = True
    if not cut_off:  # everything fitted in the socket buffers: the close must be there
        frame = ws.recv_frame()
        while frame.opcode != websocket.ABNF.OPCODE_CLOSE:
            frame = ws.recv_frame()
        cut_off = int.from_bytes(frame.data[:2], "big") == 1009  # message too big
    ws.close()
    assert cut_off
    assert sent < FRAME_MB * 1024 * 1024 / 2  # refused early, not after reading it all
