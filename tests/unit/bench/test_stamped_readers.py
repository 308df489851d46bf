"""The kernel-stamped fan-out readers' own rules: a frame's time is the stamp the kernel
put on it, turned into the poster's clock; pings are answered and events recorded."""

from __future__ import annotations

import socket
import struct
import time

import pytest
from websockets.client import ClientProtocol
from websockets.protocol import State
from websockets.uri import parse_uri

from hallway.bench import stamped

EVENT = '42["comment_created",{"id":7,"html":"<p>hi</p>"}]'


def _loopback_pair() -> tuple[socket.socket, socket.socket]:
    """Two ends of a TCP connection on 127.0.0.1, as the readers' are."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        mine = socket.create_connection(listener.getsockname())
        peer, _address = listener.accept()
    return mine, peer


@pytest.fixture
def reader_and_peer():
    mine, peer = _loopback_pair()
    protocol = ClientProtocol(parse_uri("ws://127.0.0.1:1/"), state=State.OPEN)
    reader = stamped.StampedReader(mine, protocol, record=["comment_created"])
    yield reader, peer
    mine.close()
    peer.close()


def _unmasked_text(frame: bytes) -> str:
    """What a client's masked text frame carries (short frames only)."""
    assert frame[0] == 0x81 and frame[1] & 0x80, "a masked text frame"
    length = frame[1] & 0x7F
    mask, payload = frame[2:6], frame[6 : 6 + length]
    return bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload)).decode()


def test_a_ping_is_answered_with_a_pong(reader_and_peer):
    reader, peer = reader_and_peer
    receipts: list = []
    reader._handle("2", 1.0, receipts)
    assert _unmasked_text(peer.recv(64)) == "3"
    assert receipts == [] and reader.events == 0


def test_recorded_events_are_kept_with_their_time_id_and_size(reader_and_peer):
    reader, _peer = reader_and_peer
    receipts: list = []
    reader._handle(EVENT, 12.5, receipts)
    reader._handle('42["reaction_changed",{"id":8}]', 13.0, receipts)
    assert receipts == [(12.5, 7, len(EVENT))]
    assert reader.events == 2  # every event counts; only the recorded ones are kept


def test_the_kernels_stamp_becomes_the_monotonic_clock():
    offset_ns = time.time_ns() - time.monotonic_ns()
    arrived_ns = time.time_ns() - 250_000_000  # a quarter of a second ago
    stamp = struct.pack("qq", *divmod(arrived_ns, 10**9))
    ancillary = [(socket.SOL_SOCKET, stamped.SO_TIMESTAMPNS, stamp)]
    assert stamped._stamp(ancillary, offset_ns) == pytest.approx(time.monotonic() - 0.25, abs=0.01)


def test_without_a_stamp_the_time_of_reading_is_used():
    before = time.monotonic()
    assert before <= stamped._stamp([], 0) <= time.monotonic()


def _wait_until_the_kernel_stamps(mine: socket.socket, peer: socket.socket) -> None:
    """Linux turns receive stamps on for the whole machine a moment after the first
    socket asks (a deferred switch): until then data arrives without a stamp. The
    benchmark's readers ask long before the first post; this test must wait for it."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        peer.sendall(b"x")
        time.sleep(0.01)
        _data, ancillary, _flags, _address = mine.recvmsg(16, 64)
        if ancillary:
            return
    pytest.fail("the kernel never stamped a received segment (SO_TIMESTAMPNS)")


def test_drain_reads_frames_with_the_kernels_stamp(reader_and_peer):
    reader, peer = reader_and_peer
    reader.sock.setsockopt(socket.SOL_SOCKET, stamped.SO_TIMESTAMPNS, 1)
    _wait_until_the_kernel_stamps(reader.sock, peer)
    reader.sock.setblocking(False)
    payload = EVENT.encode()
    peer.sendall(bytes([0x81, len(payload)]) + payload)  # a server's frame: not masked
    sent = time.monotonic()
    time.sleep(0.3)
    receipts: list = []
    offset_ns = time.time_ns() - time.monotonic_ns()
    assert reader.drain(receipts, offset_ns) == 1
    [(received, ident, size)] = receipts
    assert (ident, size) == (7, len(EVENT))
    assert received == pytest.approx(sent, abs=0.1)  # when it arrived, not 0.3 s later
    assert reader.drain(receipts, offset_ns) == 0 and reader.open


def test_a_closed_connection_is_no_longer_open(reader_and_peer):
    reader, peer = reader_and_peer
    reader.sock.setblocking(False)
    peer.close()
    assert reader.drain([], 0) == 0
    assert not reader.open
