"""Fan-out readers timed by the kernel: each frame's arrival is the receive timestamp the
kernel put on it (``SO_TIMESTAMPNS``), read once the fan-out is over.

The readers share the servers' two cores. Readers that handle each frame as it arrives
(``hallway.bench.live``, in Python or Node.js) take about a third of the CPU while the
server is still sending, and their own wait for a core counts as the server's latency;
browsers have CPUs of their own. These readers sleep while the server sends: the
kernel stamps each frame as it reaches the reader's socket (on loopback, the moment the
server's ``send`` hands it over), and ``receipts()`` reads the frames with their stamps
after the post, before the next one. So the figure is the server's: from the start of
the POST to each reader's socket, with every core left to the servers.

Each reader is a Socket.IO client over WebSocket as a browser's is: the WebSocket
handshake with the session cookie and an Origin (``websockets``' sans-I/O client,
offering no compression), the namespace's connect, the room's join acknowledged, and
Engine.IO pings answered whenever the frames are read. Linux only (the socket option).
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.typing import Origin
from websockets.uri import parse_uri

from hallway.bench.live import Connected, ConnectSpec, Receipt, RefusedConnection, event_key

#: Linux's SO_TIMESTAMPNS (asm-generic/socket.h; not in Python's socket module): receive
#: timestamps in nanoseconds of CLOCK_REALTIME, delivered as ancillary data of that type.
SO_TIMESTAMPNS = 35
_TIMESPEC = struct.Struct("qq")
_ANCILLARY_SIZE = socket.CMSG_SPACE(_TIMESPEC.size)
_READ_SIZE = 1 << 18
#: receipts() returns once no frame has arrived for this long.
QUIET_SECONDS = 0.03


class StampedReader:
    """One connection, blocking while it joins, then read only by ``drain``."""

    def __init__(self, sock: socket.socket, protocol: ClientProtocol, record: Iterable[str]):
        self.sock = sock
        self.protocol = protocol
        self.record = tuple(f'42["{name}"' for name in record)
        self.events = 0
        self.open = True
        self._texts: list[str] = []

    @classmethod
    def join(cls, spec: ConnectSpec, base_url: str) -> tuple[StampedReader, Any]:
        """Connect to ``base_url`` as ``spec`` says (from that server's own page when
        ``spec`` spreads the readers over several); returns the reader and the join's
        acknowledgement (None without a join event)."""
        address = base_url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
        uri = parse_uri(address)
        sock = socket.create_connection((uri.host, uri.port), timeout=spec.timeout)
        try:
            sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            page = base_url if spec.spread_over else spec.origin
            origin = Origin(page) if page else None
            protocol = ClientProtocol(uri, origin=origin, max_size=2**22)
            reader = cls(sock, protocol, spec.record)
            request = protocol.connect()
            if spec.cookie:
                request.headers["Cookie"] = spec.cookie
            protocol.send_request(request)
            reader._send_pending()
            if not reader._wait_text().startswith("0"):
                raise RefusedConnection("expected an Engine.IO open packet")
            reader._send_text("40")
            connected = reader._wait_text()
            if not connected.startswith("40"):
                raise RefusedConnection(connected[2:200])
            ack = None
            if spec.join_event is not None:
                reader._send_text("421" + json.dumps([spec.join_event, spec.join_data]))
                while not (answer := reader._wait_text()).startswith("431"):
                    pass
                values = json.loads(answer[3:])
                ack = values[0] if values else None
            sock.setblocking(False)
            return reader, ack
        except BaseException:
            sock.close()
            raise

    def drain(self, receipts: list[Receipt], clock_offset_ns: int) -> int:
        """Read what has arrived; recorded events go to ``receipts`` with the kernel's
        stamp turned into ``time.monotonic()`` seconds. Returns the frames read."""
        frames = 0
        while self.open:
            try:
                data, ancillary, _flags, _address = self.sock.recvmsg(_READ_SIZE, _ANCILLARY_SIZE)
            except BlockingIOError:
                break
            except OSError:
                self.open = False
                break
            if not data:
                self.open = False
                break
            received = _stamp(ancillary, clock_offset_ns)
            self.protocol.receive_data(data)
            for text in self._received_texts():
                frames += 1
                self._handle(text, received, receipts)
        self._send_pending()
        return frames

    def _handle(self, text: str, received: float, receipts: list[Receipt]) -> None:
        if text == "2":  # Engine.IO ping
            self._send_text("3")
        elif text.startswith("42"):
            self.events += 1
            if self.record and text.startswith(self.record):
                receipts.append((received, *event_key(text)))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.setblocking(True)
            self.sock.settimeout(2)
            self._send_text("41")
            self.protocol.send_close()
            self._send_pending()
        self.sock.close()
        self.open = False

    # --- while joining (blocking) ---------------------------------------------------------

    def _wait_text(self) -> str:
        while not self._texts:
            data = self.sock.recv(_READ_SIZE)
            if not data:
                raise ConnectionError("the server closed the connection")
            self.protocol.receive_data(data)
            self._texts.extend(self._received_texts())
            self._send_pending()
        return self._texts.pop(0)

    def _received_texts(self) -> list[str]:
        texts = []
        for event in self.protocol.events_received():
            if isinstance(event, Response):
                if self.protocol.handshake_exc is not None:
                    raise RefusedConnection(str(self.protocol.handshake_exc))
            elif isinstance(event, Frame):
                if event.opcode is Opcode.TEXT:
                    texts.append(bytes(event.data).decode())
                elif event.opcode is Opcode.CLOSE:
                    self.open = False
        return texts

    def _send_text(self, text: str) -> None:
        self.protocol.send_text(text.encode())
        self._send_pending()

    def _send_pending(self) -> None:
        for chunk in self.protocol.data_to_send():
            if chunk:
                self.sock.sendall(chunk)


def _stamp(ancillary: list[tuple[int, int, bytes]], clock_offset_ns: int) -> float:
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
            seconds, nanoseconds = _TIMESPEC.unpack(data[: _TIMESPEC.size])
            return (seconds * 1_000_000_000 + nanoseconds - clock_offset_ns) / 1e9
    return time.monotonic()  # no stamp: when it was read (later than it arrived)


class StampedReaders:
    """``live.ClientPool``'s interface for the fan-out, in this process: ``connect``
    opens the connections (a few at a time, in threads), ``receipts`` reads every
    socket until the frames stop coming and returns what the recorded events' stamps say.

    Call ``receipts()`` after each post, before the next: a read that takes two
    frames at once has one stamp, the later frame's."""

    def __init__(self) -> None:
        self._readers: list[StampedReader] = []
        self._receipts: list[Receipt] = []

    def connect(self, spec: ConnectSpec) -> Connected:
        servers = spec.spread_over or (spec.base_url,)
        targets = [servers[index % len(servers)] for index in range(spec.count)]
        outcome = Connected()
        counting = threading.Lock()
        started = time.monotonic()

        def one(base_url: str) -> None:
            try:
                reader, ack = StampedReader.join(spec, base_url)
            except Exception as error:  # noqa: BLE001 - counted and reported
                with counting:
                    outcome.errors.append(f"{type(error).__name__}: {error}"[:200])
                return
            joined = spec.join_event is not None and isinstance(ack, dict) and ack.get("ok")
            with counting:
                self._readers.append(reader)
                outcome.connected += 1
                outcome.joined += bool(joined)
                if spec.join_event is not None and not joined:
                    outcome.errors.append(f"join refused: {ack!r:.200}")

        with ThreadPoolExecutor(max_workers=max(1, min(spec.concurrency, 64))) as threads:
            list(threads.map(one, targets))
        outcome.seconds = time.monotonic() - started
        return outcome

    def _drain_all(self) -> int:
        offset = time.time_ns() - time.monotonic_ns()
        return sum(reader.drain(self._receipts, offset) for reader in self._readers)

    def receipts(self) -> list[Receipt]:
        """(arrival, payload id, frame bytes) of every recorded event since the last call."""
        while self._drain_all():
            time.sleep(QUIET_SECONDS)
        found, self._receipts = self._receipts, []
        return found

    def stats(self) -> tuple[int, list[int]]:
        self._drain_all()
        return sum(reader.open for reader in self._readers), [r.events for r in self._readers]

    def close_clients(self) -> None:
        for reader in self._readers:
            reader.close()
        self._readers.clear()
        self._receipts.clear()

    def shutdown(self) -> None:
        self.close_clients()

    def __enter__(self) -> StampedReaders:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
