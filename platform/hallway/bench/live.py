"""Thousands of live members from a few processes: raw Socket.IO clients over WebSocket.

A browser's Socket.IO client, reduced to what a reader of a thread does: open the
WebSocket (`/socket.io/?EIO=4&transport=websocket`) with the session cookie and an
Origin, offering permessage-deflate as browsers do; connect to the default namespace;
join a room with an acknowledged event; answer the server's pings; count (and, when
asked, time) the events that arrive. One asyncio process holds a few thousand of them
(python-socketio's own client is far heavier per connection).

``ClientPool`` spreads the clients over worker processes driven through pipes. Receive
times are ``time.monotonic()``, one clock for every process on the machine, so the
process that posts a message can compute each reader's latency.

``NodeClientPool`` runs the same clients in Node.js (``node_readers.js``), timing each
frame in the socket's callback: the readers share the server's cores, and the fan-out
figures should measure the server, not them. ``make bench`` uses it (``--readers``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

#: Engine.IO v4 packet types (first character of a text frame).
_OPEN, _CLOSE, _PING, _PONG, _MESSAGE = "0", "1", "2", "3", "4"


class RefusedConnection(RuntimeError):
    """The server refused the Socket.IO connection (not logged in, wrong origin...)."""


@dataclass
class LiveClient:
    """One connection; ``events`` counts the events received, ``recorded`` keeps
    (receive time, frame) of those named in ``record`` when recording."""

    ws: Any
    record: frozenset[str] = frozenset()
    events: int = 0
    recorded: list[tuple[float, str]] = field(default_factory=list)
    deflate: bool = False
    _acks: dict[int, asyncio.Future[Any]] = field(default_factory=dict)
    _next_ack: int = 1
    _reader: asyncio.Task[None] | None = None
    _connected: asyncio.Future[None] | None = None

    @classmethod
    async def connect(
        cls,
        base_url: str,
        *,
        cookie: str | None,
        origin: str | None,
        record: Sequence[str] = (),
        timeout: float = 30.0,
    ) -> LiveClient:
        from websockets.asyncio.client import connect

        url = base_url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
        ws = await connect(
            url,
            additional_headers={"Cookie": cookie} if cookie else None,
            origin=origin,  # type: ignore[arg-type]
            compression="deflate",  # offered, as every browser does
            ping_interval=None,  # Engine.IO pings at its own level
            open_timeout=timeout,
            close_timeout=2,
            max_size=2**22,
        )
        client = cls(ws, frozenset(f'42["{name}"' for name in record))
        extensions = ws.response.headers.get("Sec-WebSocket-Extensions") if ws.response else None
        client.deflate = bool(extensions and "permessage-deflate" in extensions)
        opening = await asyncio.wait_for(ws.recv(), timeout)
        if not (isinstance(opening, str) and opening.startswith(_OPEN)):
            await ws.close()
            raise RefusedConnection(f"expected an Engine.IO open packet, got {opening!r:.80}")
        client._connected = asyncio.get_running_loop().create_future()
        client._reader = asyncio.create_task(client._read_forever())
        await ws.send("40")
        try:
            await asyncio.wait_for(client._connected, timeout)
        except BaseException:
            await client.close()
            raise
        return client

    async def call(self, event: str, data: Any, timeout: float = 30.0) -> Any:
        """Emit ``event`` with ``data`` and wait for the server's acknowledgement."""
        ident = self._next_ack
        self._next_ack += 1
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._acks[ident] = future
        await self.ws.send(f"42{ident}" + json.dumps([event, data]))
        return await asyncio.wait_for(future, timeout)

    @property
    def open(self) -> bool:
        return self._reader is not None and not self._reader.done()

    async def _read_forever(self) -> None:
        ws = self.ws
        with contextlib.suppress(Exception):
            async for frame in ws:
                received = time.monotonic()
                if not isinstance(frame, str) or not frame:
                    continue
                kind = frame[0]
                if kind == _PING:
                    await ws.send(_PONG)
                elif kind == _MESSAGE:
                    self._message(frame, received)
                elif kind == _CLOSE:
                    break
        self._fail_waiters(ConnectionError("the server closed the connection"))

    def _message(self, frame: str, received: float) -> None:
        packet = frame[1:2]
        if packet == "2":  # an event
            self.events += 1
            if self.record and frame.startswith(tuple(self.record)):
                self.recorded.append((received, frame))
        elif packet == "3":  # an acknowledgement: 43<id>[...]
            body = frame[2:]
            digits = len(body) - len(body.lstrip("0123456789"))
            future = self._acks.pop(int(body[:digits]), None)
            if future is not None and not future.done():
                values = json.loads(body[digits:])
                future.set_result(values[0] if values else None)
        elif packet == "0":  # connected to the namespace
            if self._connected is not None and not self._connected.done():
                self._connected.set_result(None)
        elif packet == "4":  # refused
            self._fail_waiters(RefusedConnection(frame[2:]))

    def _fail_waiters(self, error: Exception) -> None:
        if self._connected is not None and not self._connected.done():
            self._connected.set_exception(error)
        for future in self._acks.values():
            if not future.done():
                future.set_exception(error)
        self._acks.clear()

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.ws.send("41")
        with contextlib.suppress(Exception):
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader


# --- Worker processes ----------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectSpec:
    base_url: str
    count: int
    cookie: str | None = None
    origin: str | None = None
    join_event: str | None = None
    join_data: Any = None
    record: tuple[str, ...] = ()
    concurrency: int = 100
    timeout: float = 60.0
    #: Several servers (the production recipe's processes): client process i connects to
    #: spread_over[i % n] instead of base_url, as a sticky proxy spreads browsers.
    spread_over: tuple[str, ...] = ()


def process_shares(spec: ConnectSpec, processes: int) -> list[dict[str, Any]]:
    """``spec`` for each client process: its share of the connections and its server."""
    shares = []
    for index in range(processes):
        part = {
            **spec.__dict__,
            "count": spec.count // processes + (index < spec.count % processes),
        }
        if spec.spread_over:
            server = spec.spread_over[index % len(spec.spread_over)]
            part.update(base_url=server, origin=server)
        part["spread_over"] = ()
        shares.append(part)
    return shares


@dataclass
class Connected:
    connected: int = 0
    joined: int = 0
    deflate: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


async def _connect_many(spec: ConnectSpec, clients: list[LiveClient]) -> Connected:
    outcome = Connected()
    gate = asyncio.Semaphore(spec.concurrency)
    started = time.monotonic()

    async def one() -> None:
        async with gate:
            try:
                client = await LiveClient.connect(
                    spec.base_url,
                    cookie=spec.cookie,
                    origin=spec.origin,
                    record=spec.record,
                    timeout=spec.timeout,
                )
            except Exception as error:  # noqa: BLE001 - counted and reported
                outcome.errors.append(f"{type(error).__name__}: {error}"[:200])
                return
            clients.append(client)
            outcome.connected += 1
            outcome.deflate += client.deflate
            if spec.join_event is None:
                return
            try:
                ack = await client.call(spec.join_event, spec.join_data, spec.timeout)
            except Exception as error:  # noqa: BLE001
                outcome.errors.append(f"join: {type(error).__name__}: {error}"[:200])
                return
            if isinstance(ack, dict) and ack.get("ok"):
                outcome.joined += 1
            else:
                outcome.errors.append(f"join refused: {ack!r:.200}")

    await asyncio.gather(*(one() for _ in range(spec.count)))
    outcome.seconds = time.monotonic() - started
    return outcome


async def _serve_commands(conn: Connection) -> None:
    loop = asyncio.get_running_loop()
    clients: list[LiveClient] = []
    while True:
        command, argument = await loop.run_in_executor(None, conn.recv)
        if command == "connect":
            conn.send(await _connect_many(argument, clients))
        elif command == "stats":
            conn.send((sum(client.open for client in clients), [c.events for c in clients]))
        elif command == "receipts":
            conn.send(
                [
                    (received, *event_key(frame))
                    for client in clients
                    for received, frame in client.recorded
                ]
            )
            for client in clients:
                client.recorded.clear()
        elif command == "close":
            await asyncio.gather(*(client.close() for client in clients))
            clients.clear()
            conn.send(None)
        elif command == "exit":
            await asyncio.gather(*(client.close() for client in clients))
            conn.send(None)
            return


def _worker_main(conn: Connection) -> None:
    from hallway.bench.servers import raise_open_file_limit

    raise_open_file_limit()
    asyncio.run(_serve_commands(conn))


#: A recorded event: when it arrived (``time.monotonic()``), its payload's ``id``, its size.
Receipt = tuple[float, int | None, int]


class ClientPool:
    """Live clients spread over ``processes`` worker processes."""

    def __init__(self, processes: int = 1) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipes: list[Connection] = []
        self._processes: list[Any] = []
        for _ in range(max(processes, 1)):
            parent, child = context.Pipe()
            process = context.Process(target=_worker_main, args=(child,), daemon=True)
            process.start()
            child.close()
            self._pipes.append(parent)
            self._processes.append(process)

    def _all(self, command: str, arguments: Sequence[Any] | None = None) -> list[Any]:
        for index, pipe in enumerate(self._pipes):
            pipe.send((command, arguments[index] if arguments is not None else None))
        return [pipe.recv() for pipe in self._pipes]

    def connect(self, spec: ConnectSpec) -> Connected:
        """Open ``spec.count`` more connections (split over the processes); waits for all."""
        specs = [ConnectSpec(**part) for part in process_shares(spec, len(self._pipes))]
        total = Connected()
        for part in self._all("connect", specs):
            total.connected += part.connected
            total.joined += part.joined
            total.deflate += part.deflate
            total.errors.extend(part.errors)
            total.seconds = max(total.seconds, part.seconds)
        return total

    def stats(self) -> tuple[int, list[int]]:
        """How many connections are still open, and the events each one received."""
        open_count, events = 0, []
        for still_open, counts in self._all("stats"):
            open_count += still_open
            events.extend(counts)
        return open_count, events

    def receipts(self) -> list[Receipt]:
        """(receive time, payload id, frame bytes) of every recorded event since the last call."""
        return [entry for part in self._all("receipts") for entry in part]

    def close_clients(self) -> None:
        self._all("close")

    def shutdown(self) -> None:
        with contextlib.suppress(Exception):
            self._all("exit")
        for process in self._processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()

    def __enter__(self) -> ClientPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def event_key(frame: str) -> tuple[int | None, int]:
    """The ``id`` in an event frame's payload (a comment's id) and the frame's size."""
    try:
        _name, data = json.loads(frame[2:])[:2]
        return (data.get("id") if isinstance(data, dict) else None), len(frame.encode())
    except (ValueError, TypeError):
        return None, len(frame.encode())


# --- The same readers in Node.js -------------------------------------------------------------

NODE_READERS = Path(__file__).with_name("node_readers.js")


def node_path() -> str | None:
    """The ``node`` program, when Node.js is installed and can load socket.io-client's
    WebSocket library (``make assets`` installs it into node_modules)."""
    node = shutil.which("node")
    if node is None:
        return None
    check = subprocess.run(
        [node, "-e", "require.resolve('engine.io-client')"],
        cwd=NODE_READERS.parent,
        env=_node_env(),
        capture_output=True,
        check=False,
    )
    return node if check.returncode == 0 else None


def _node_env() -> dict[str, str]:
    from hallway.config import project_root

    env = dict(os.environ)
    modules = str(Path(project_root()) / "node_modules")
    env["NODE_PATH"] = os.pathsep.join(filter(None, [env.get("NODE_PATH"), modules]))
    return env


class NodeClientPool:
    """``ClientPool``'s interface with the clients in Node.js processes
    (``node_readers.js``): the same protocol, each frame handled for a fraction of the
    CPU time, so a thousand readers on the server's own machine do not slow the
    fan-out they measure. Commands and answers are JSON lines over the pipes."""

    def __init__(self, processes: int = 1) -> None:
        node = node_path()
        if node is None:
            raise RuntimeError("Node.js with socket.io-client is needed: run `make assets`")
        self._processes = [
            subprocess.Popen(
                [node, str(NODE_READERS)],
                cwd=NODE_READERS.parent,
                env=_node_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(max(processes, 1))
        ]

    def _all(self, command: str, arguments: Sequence[Any] | None = None) -> list[Any]:
        for index, process in enumerate(self._processes):
            argument = arguments[index] if arguments is not None else None
            assert process.stdin is not None
            process.stdin.write(json.dumps({"command": command, "argument": argument}) + "\n")
            process.stdin.flush()
        answers = []
        for process in self._processes:
            assert process.stdout is not None
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"a Node.js reader process ended (exit {process.poll()})")
            answer = json.loads(line)
            if "error" in answer:
                raise RuntimeError(f"Node.js readers: {answer['error']}")
            answers.append(answer["ok"])
        return answers

    def connect(self, spec: ConnectSpec) -> Connected:
        specs = [
            {**part, "record": list(spec.record), "spread_over": []}
            for part in process_shares(spec, len(self._processes))
        ]
        total = Connected()
        for part in self._all("connect", specs):
            total.connected += part["connected"]
            total.joined += part["joined"]
            total.deflate += part["deflate"]
            total.errors.extend(part["errors"])
            total.seconds = max(total.seconds, part["seconds"])
        return total

    def stats(self) -> tuple[int, list[int]]:
        open_count, events = 0, []
        for still_open, counts in self._all("stats"):
            open_count += still_open
            events.extend(counts)
        return open_count, events

    def receipts(self) -> list[Receipt]:
        return [
            (float(received), ident, int(size))
            for part in self._all("receipts")
            for received, ident, size in part
        ]

    def close_clients(self) -> None:
        self._all("close")

    def shutdown(self) -> None:
        with contextlib.suppress(Exception):
            self._all("exit")
        for process in self._processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> NodeClientPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
