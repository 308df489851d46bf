"""`make bench`, live rooms: one process, one room, beside a bare python-socketio room.

For Hallway (``bench_app()``: ``wsgi:app``'s settings, socket rate limits lifted) and
for a bare python-socketio server (``apps/bare_rooms.py``), each served by the
production recipe (gunicorn.conf.py, one gevent worker), in the same run:

1. fan-out latency: N readers joined to one room (50, 200, 1,000), one sender sends a
   message at a time over its own socket (``room_send``); latency from the start of the
   send to the ``room_message`` frame's arrival at each reader, p50 and p99;
2. messages per second sustained: several senders send back to back (each waits for
   its acknowledgement) for a few seconds into the room with 50 readers; acknowledged
   messages per second, and the share the readers received;
3. sockets held: more readers join the same room up to ``--rooms-sockets``, then a
   message a second goes to all of them for a few seconds; how many stay connected,
   how many deliveries arrive, the worker's memory.

Each server is started once and the room fills up from one step to the next (joining
is the slow part of a Hallway room: it is what a real room's arrivals cost).

The readers are ``hallway.bench.live``'s (Node.js by default); the senders are raw
Socket.IO clients in this process (``live.LiveClient``) on an asyncio loop in a thread.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.progress import Progress
from rich.table import Table

from hallway.bench import live, servers
from hallway.bench.stats import percentile

BARE_ROOMS_APP = "hallway.bench.apps.bare_rooms:app"
HALLWAY_ROOMS_APP = "hallway.bench.rooms:bench_app()"
HALLWAY = "Hallway"
BARE = "bare python-socketio"

#: The rooms' socket protocol (hallway.rooms.sockets): join, send, the broadcast.
JOIN_EVENT = "room_join"
SEND_EVENT = "room_send"
MESSAGE_EVENT = "room_message"

#: What a member types in the bench: about the length of a chat line.
BODY = "Anyone else at the LMS admins table? We're by the window, come say hi."


def bench_app() -> Any:
    """``wsgi:app`` with the per-connection and per-member send limits lifted: the
    throughput step measures what the process sustains, not the rate policy."""
    from hallway import create_app

    return create_app(
        {
            "SOCKET_EVENT_BURST": 1_000_000,
            "SOCKET_EVENTS_PER_SECOND": 1_000_000.0,
            "ROOM_SEND_BURST": 1_000_000,
            "ROOM_SENDS_PER_SECOND": 1_000_000.0,
            "RATELIMIT_ENABLED": False,
        }
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The rooms step's knobs, added to `python -m hallway.bench`'s."""
    group = parser.add_argument_group("live rooms")
    group.add_argument("--skip-rooms", action="store_true")
    group.add_argument("--rooms-fanout", default="50,200,1000", help="readers per fan-out run")
    group.add_argument("--rooms-messages", type=int, default=20, help="messages per fan-out run")
    group.add_argument("--rooms-gap", type=float, default=0.1, help="seconds between two")
    group.add_argument("--rooms-senders", type=int, default=8, help="senders, throughput")
    group.add_argument("--rooms-seconds", type=float, default=5.0, help="throughput window")
    group.add_argument(
        "--rooms-sockets", type=int, default=2_000, help="sockets held with a message a second"
    )


# --- What is measured --------------------------------------------------------------------


@dataclass
class RoomFanOut:
    server: str
    readers: int
    messages: int
    joined: int = 0  # readers in the room (all joined so far on this server)
    latencies_ms: list[float] = field(default_factory=list)
    send_ms: list[float] = field(default_factory=list)
    delivered: int = 0
    frame_bytes: int = 0
    errors: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        return percentile(self.latencies_ms, share)


@dataclass
class RoomThroughput:
    server: str
    senders: int
    readers: int
    seconds: float = 0.0
    acknowledged: int = 0
    refused: int = 0
    delivered: int = 0
    expected: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.acknowledged / self.seconds if self.seconds else float("nan")


@dataclass
class RoomCapacity:
    server: str
    target: int
    connected: int = 0
    joined: int = 0
    connect_seconds: float = 0.0
    rss_before_kib: int = 0
    rss_after_kib: int = 0
    messages: int = 0
    still_open: int = 0
    delivered: int = 0
    expected: int = 0
    send_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def kib_per_connection(self) -> float:
        return (self.rss_after_kib - self.rss_before_kib) / max(self.connected, 1)


@dataclass
class RoomsResults:
    fanout: list[RoomFanOut] = field(default_factory=list)
    throughput: list[RoomThroughput] = field(default_factory=list)
    capacity: list[RoomCapacity] = field(default_factory=list)
    seconds: float = 0.0


# --- The room to measure -----------------------------------------------------------------


@dataclass(frozen=True)
class RoomSeed:
    room_id: int
    reader_email: str
    sender_email: str
    password: str


def seed_room(database_url: str, workdir: Path, secret_key: str) -> RoomSeed:
    """An event of the seeded community with one room open to every logged-in member,
    with no size limit, made through the services; who reads and who sends."""
    from sqlalchemy import select

    from hallway import create_app
    from hallway.accounts.models import Role, User
    from hallway.bench.seed import app_settings
    from hallway.core import unit_of_work
    from hallway.db import db, utcnow
    from hallway.demo import DEMO_PASSWORD
    from hallway.events import service as events_service
    from hallway.rooms import service as rooms_service

    app = create_app(app_settings(database_url, workdir, secret_key))
    try:
        with app.app_context():
            session = db.session
            organiser = session.scalars(
                select(User).where(User.role.in_([Role.organiser, Role.admin])).order_by(User.id)
            ).first()
            members = list(
                session.scalars(select(User).where(User.role == Role.member).order_by(User.id))
            )
            if organiser is None or len(members) < 2:
                raise RuntimeError("the seeded community has no organiser or too few members")
            from datetime import timedelta

            starts_at = utcnow().replace(microsecond=0) + timedelta(days=1)
            event = events_service.create_event(
                session,
                actor=organiser,
                data={
                    "title": "Hallway bench meetup",
                    "summary": "Where the live rooms are measured",
                    "description": "",
                    "starts_at": starts_at,
                    "ends_at": starts_at + timedelta(hours=8),
                    "time_zone": "America/Toronto",
                    "format": "in_person",
                    "venue": "Library",
                    "city": "Toronto",
                },
            )
            room = rooms_service.create_room(
                session,
                organiser,
                event.id,
                {"name": "Hallway track", "topic": "Everyone welcome", "access": "members"},
            )
            unit_of_work.commit(session)
            reader, sender = members[0], members[1]
            return RoomSeed(room.id, reader.email, sender.email, DEMO_PASSWORD)
    finally:
        app.extensions["hallway.db"]["engine"].dispose()


def message_id(ack: Any) -> int:
    """The id of the message a send's acknowledgement names (refusals raise)."""
    if not (isinstance(ack, dict) and ack.get("ok")):
        raise SendRefused(f"{SEND_EVENT} refused: {ack!r:.200}")
    message = ack["message"] if isinstance(ack.get("message"), dict) else ack
    return int(message["id"])


class SendRefused(RuntimeError):
    pass


# --- Senders: raw Socket.IO clients on an asyncio loop in a thread -------------------------


@dataclass
class Flood:
    acknowledged: int = 0  # in the timed window
    total: int = 0  # warm-up included
    refused: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


class Senders:
    """A few ``live.LiveClient`` connections that send, driven from synchronous code."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.clients: list[live.LiveClient] = []

    def _run(self, coroutine: Any, timeout: float = 120.0) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        return future.result(timeout)

    def connect(self, count: int, base_url: str, cookie: str | None, join: dict[str, Any]) -> None:
        async def one() -> live.LiveClient:
            client = await live.LiveClient.connect(base_url, cookie=cookie, origin=base_url)
            ack = await client.call(JOIN_EVENT, join)
            if not (isinstance(ack, dict) and ack.get("ok")):
                raise SendRefused(f"{JOIN_EVENT} refused: {ack!r:.200}")
            return client

        async def many() -> list[live.LiveClient]:
            return list(await asyncio.gather(*(one() for _ in range(count))))

        self.clients.extend(self._run(many()))

    def send(self, payload: dict[str, Any]) -> Any:
        return self._run(self.clients[0].call(SEND_EVENT, payload))

    def latest_seq(self, join: dict[str, Any]) -> int:
        """The room's latest number, as a page rendering the room now would carry it."""
        ack = self._run(self.clients[0].call(JOIN_EVENT, join))
        return int(ack.get("seq") or 0) if isinstance(ack, dict) else 0

    def flood(
        self, seconds: float, payload: Callable[[], dict[str, Any]], warmup: float = 1.0
    ) -> Flood:
        """Every sender sends back to back for ``warmup + seconds``; the sends acknowledged
        in the last ``seconds`` are the rate, all of them what the readers should get."""

        async def flood() -> Flood:
            window_start = time.monotonic() + warmup
            stop = window_start + seconds
            outcome = Flood()

            async def sender(client: live.LiveClient) -> None:
                while time.monotonic() < stop:
                    try:
                        ack = await client.call(SEND_EVENT, payload(), timeout=30)
                    except Exception as error:  # noqa: BLE001 - counted and reported
                        outcome.errors.append(f"{type(error).__name__}: {error}"[:200])
                        return
                    in_window = time.monotonic() >= window_start
                    if isinstance(ack, dict) and ack.get("ok"):
                        outcome.total += 1
                        outcome.acknowledged += in_window
                    else:
                        outcome.refused += 1
                        if len(outcome.errors) < 5:
                            outcome.errors.append(f"refused: {ack!r:.200}")

            await asyncio.gather(*(sender(client) for client in self.clients))
            outcome.seconds = time.monotonic() - window_start
            return outcome

        outcome: Flood = self._run(flood(), timeout=warmup + seconds + 120)
        return outcome

    def close(self) -> None:
        async def close_all() -> None:
            await asyncio.gather(*(client.close() for client in self.clients))

        with contextlib.suppress(Exception):
            self._run(close_all(), timeout=30)
        self.clients.clear()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@contextmanager
def senders(
    count: int, base_url: str, cookie: str | None, join: dict[str, Any]
) -> Iterator[Senders]:
    group = Senders()
    try:
        group.connect(count, base_url, cookie, join)
        yield group
    finally:
        group.close()


# --- One server, measured ------------------------------------------------------------------


@dataclass(frozen=True)
class RoomTarget:
    name: str
    app: str
    env: dict[str, str]
    reader_cookie: str | None
    sender_cookie: str | None
    join: dict[str, Any]
    pad: int = 0  # the bare server pads its frame to Hallway's size

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {**self.join, "client_id": uuid.uuid4().hex, "body": BODY}
        if self.pad:
            data["pad"] = self.pad
        return data


def _reader_spec(target: RoomTarget, url: str, count: int, last_seq: int) -> live.ConnectSpec:
    """Readers that keep (arrival, id, size) of each message frame, and nothing else.

    They join as static/js/rooms.js does from a page just rendered: with the page's
    number (``last_seq``), so the join answers what came since, not the history."""
    return live.ConnectSpec(
        url,
        count,
        cookie=target.reader_cookie,
        origin=url,
        join_event=JOIN_EVENT,
        join_data={**target.join, "last_seq": last_seq},
        record=(MESSAGE_EVENT,),
    )


def _connect_readers(
    pool: Any, target: RoomTarget, url: str, count: int, held: RoomCapacity, sender: Senders
) -> None:
    """``count`` more readers join the room; counted into ``held``."""
    if count <= 0:
        return
    last_seq = sender.latest_seq(target.join)
    connected = pool.connect(_reader_spec(target, url, count, last_seq))
    held.connected += connected.connected
    held.joined += connected.joined
    held.connect_seconds += connected.seconds
    held.errors.extend(connected.errors[: max(0, 5 - len(held.errors))])


def _fanout_round(
    target: RoomTarget, sender: Senders, pool: Any, readers: int, joined: int,
    args: argparse.Namespace, progress: Progress,
) -> RoomFanOut:  # fmt: skip
    """Messages one at a time, each timed from the start of its send to its arrival at
    every reader in the room."""
    outcome = RoomFanOut(target.name, readers, args.rooms_messages, joined=joined)
    task = progress.add_task(
        f"Rooms fan-out: {readers:,} readers on {target.name}", total=args.rooms_messages
    )
    message_id(sender.send(target.payload()))  # the room's frames settle; first-use costs
    time.sleep(1.0)
    pool.receipts()
    sent: dict[int, float] = {}
    for _ in range(args.rooms_messages):
        started = time.monotonic()
        ident = message_id(sender.send(target.payload()))
        outcome.send_ms.append((time.monotonic() - started) * 1000)
        sent[ident] = started
        time.sleep(args.rooms_gap)
        progress.advance(task)
    time.sleep(1.0)
    sizes = []
    for received, ident, size in pool.receipts():
        if ident in sent:
            outcome.latencies_ms.append((received - sent[ident]) * 1000)
            outcome.delivered += 1
            sizes.append(size)
    outcome.frame_bytes = int(statistics.median(sizes)) if sizes else 0
    return outcome


def _throughput_round(
    target: RoomTarget, url: str, pool: Any, readers: int, args: argparse.Namespace,
    progress: Progress,
) -> RoomThroughput:  # fmt: skip
    """Several senders back to back; acknowledged messages per second, and whether every
    reader got every one of them."""
    outcome = RoomThroughput(target.name, args.rooms_senders, readers)
    task = progress.add_task(f"Rooms: messages/s on {target.name}", total=1)
    with senders(args.rooms_senders, url, target.sender_cookie, target.join) as group:
        pool.receipts()
        flood = group.flood(args.rooms_seconds, target.payload)
    outcome.errors.extend(flood.errors[:5])
    outcome.acknowledged, outcome.refused = flood.acknowledged, flood.refused
    outcome.seconds = flood.seconds
    outcome.expected = flood.total * readers
    deadline = time.monotonic() + 30
    while outcome.delivered < outcome.expected and time.monotonic() < deadline:
        time.sleep(0.5)
        outcome.delivered += len(pool.receipts())
    progress.advance(task)
    return outcome


def _capacity_round(
    target: RoomTarget, sender: Senders, pool: Any, held: RoomCapacity, messages: int,
    progress: Progress,
) -> None:  # fmt: skip
    """A message a second to everyone in the room, ``messages`` times."""
    task = progress.add_task(f"Rooms: a message a second to {held.joined:,}", total=messages)
    pool.receipts()
    for _ in range(messages):
        started = time.monotonic()
        message_id(sender.send(target.payload()))
        held.send_ms.append((time.monotonic() - started) * 1000)
        held.messages += 1
        progress.advance(task)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    time.sleep(2.0)  # the last message arrives
    held.still_open, _events = pool.stats()
    held.delivered = len(pool.receipts())
    held.expected = held.joined * held.messages


def measure_target(
    target: RoomTarget, args: argparse.Namespace, workdir: Path,
    pool_factory: Callable[[], Any], progress: Progress, results: RoomsResults,
) -> None:  # fmt: skip
    """Every measure on one server, the room filling up as it goes: fan-out to the
    smallest room (and messages/s there), to each larger one, then as many readers as
    ``--rooms-sockets`` with a message a second."""
    fanouts = sorted(int(each) for each in args.rooms_fanout.split(",") if each.strip())
    held = RoomCapacity(target.name, max([args.rooms_sockets, *fanouts]))
    with (
        servers.running(f"rooms-{target.name}", target.app, target.env, workdir) as server,
        pool_factory() as pool,
        senders(1, server.url, target.sender_cookie, target.join) as sender,
    ):
        held.rss_before_kib = server.worker_rss_kib()
        for number, readers in enumerate(fanouts):
            _connect_readers(pool, target, server.url, readers - held.connected, held, sender)
            fan = _fanout_round(target, sender, pool, readers, held.joined, args, progress)
            fan.errors = list(held.errors)
            results.fanout.append(fan)
            if number == 0 and args.rooms_senders:
                results.throughput.append(
                    _throughput_round(target, server.url, pool, held.joined, args, progress)
                )
        if args.rooms_sockets:
            more = args.rooms_sockets - held.connected
            _connect_readers(pool, target, server.url, more, held, sender)
            held.rss_after_kib = server.worker_rss_kib()
            _capacity_round(target, sender, pool, held, 5, progress)
            results.capacity.append(held)
        pool.close_clients()


# --- The step ------------------------------------------------------------------------------


def measure_rooms(
    args: argparse.Namespace, env: dict[str, str], workdir: Path, database_url: str,
    secret_key: str, pool_factory: Callable[[], Any], progress: Progress,
) -> RoomsResults:  # fmt: skip
    """Seed the room, then every measure on Hallway and on the bare server."""
    started = time.monotonic()
    results = RoomsResults()
    room = seed_room(database_url, workdir, secret_key)
    with servers.running("rooms-login", HALLWAY_ROOMS_APP, env, workdir) as server:
        reader = servers.log_in(server.url, room.reader_email, room.password)
        sender = servers.log_in(server.url, room.sender_email, room.password)
    join = {"room_id": room.room_id}
    hallway = RoomTarget(HALLWAY, HALLWAY_ROOMS_APP, env, reader.cookie, sender.cookie, join)
    measure_target(hallway, args, workdir, pool_factory, progress, results)
    frame = next((f.frame_bytes for f in results.fanout if f.frame_bytes), 0)
    # The bare server's frame is {"id", "seq", "body"}: pad it to Hallway's size.
    bare_frame = len(f'42["{MESSAGE_EVENT}",{{"id":1,"seq":1,"body":"{BODY}"}}]') + 4
    bare = RoomTarget(BARE, BARE_ROOMS_APP, {}, None, None, {}, pad=max(frame - bare_frame, 0))
    measure_target(bare, args, workdir, pool_factory, progress, results)
    results.seconds = time.monotonic() - started
    return results


# --- docs/benchmarks.md ----------------------------------------------------------------------


FANOUT_HEADER = (
    "| readers | Hallway p50 ms | Hallway p99 ms | bare p50 ms | bare p99 ms "
    "| delivered (Hallway, bare) |\n|--:|--:|--:|--:|--:|--:|"
)
CAPACITY_HEADER = (
    "| server | still open | joined | time to connect | worker RSS | per connection "
    "| messages | delivered | send ack p50 ms |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|"
)


def _ms(value: float) -> str:
    if value != value:  # nan
        return "–"
    return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"


def report_section(rooms: RoomsResults | None, args: argparse.Namespace, readers: str) -> str:
    """The "Live rooms" part of docs/benchmarks.md (``readers`` says who the readers are)."""
    if rooms is None:
        return ""
    parts = [
        f"""## Live rooms

One room of an event, open to every logged-in member; each server is one gunicorn
process (gevent) under the production recipe: Hallway (`wsgi:app`'s settings with the
socket rate limits lifted, `hallway.bench.rooms:bench_app()`) and, as the reference, a
bare python-socketio room (`hallway/bench/apps/bare_rooms.py`: no database, no
log-in, no rules, a frame padded to Hallway's size). Readers join with `{JOIN_EVENT}`
and count `{MESSAGE_EVENT}` frames ({readers}); senders are raw Socket.IO
clients in the bench process that send with `{SEND_EVENT}` and wait for the
acknowledgement. This step took {rooms.seconds:,.0f} s.
"""
    ]
    if rooms.fanout:
        parts.append(_fanout_section(rooms.fanout, args))
    if rooms.throughput:
        parts.append(_throughput_section(rooms.throughput, args))
    if rooms.capacity:
        parts.append(_capacity_section(rooms.capacity, args))
    return "\n".join(parts)


def _fanout_section(fanouts: list[RoomFanOut], args: argparse.Namespace) -> str:
    by_readers: dict[int, dict[str, RoomFanOut]] = {}
    for fan in fanouts:
        by_readers.setdefault(fan.readers, {})[fan.server] = fan
    rows = []
    for readers, found in sorted(by_readers.items()):
        cells = []
        for name in (HALLWAY, BARE):
            one = found.get(name)
            cells.append(
                "– | –" if one is None
                else f"{_ms(one.percentile(0.5))} | {_ms(one.percentile(0.99))}"
            )  # fmt: skip
        delivered = ", ".join(
            f"{one.delivered:,}/{one.joined * one.messages:,}"
            for one in (found.get(HALLWAY), found.get(BARE))
            if one is not None
        )
        rows.append(f"| {readers:,} | {cells[0]} | {cells[1]} | {delivered} |")
    hallway = [fan for fan in fanouts if fan.server == HALLWAY]
    send_ms = sorted(ms for fan in hallway for ms in fan.send_ms)
    send_p50 = send_ms[len(send_ms) // 2] if send_ms else float("nan")
    frame_bytes = next((fan.frame_bytes for fan in hallway if fan.frame_bytes), 0)
    return f"""### Fan-out of a message

N readers in the room (the same server throughout, the room filling up from one
size to the next); {args.rooms_messages} messages sent one at a time
({args.rooms_gap:g} s apart) by one member over their socket. Latency is from the start
of the send to the `{MESSAGE_EVENT}` frame's arrival at each reader ({frame_bytes:,} bytes
on the wire), over every reader and message. Hallway acknowledged a send (committed,
numbered, broadcast) in {_ms(send_p50)} ms (p50).

{FANOUT_HEADER}
{chr(10).join(rows)}
"""


def _throughput_section(rates: list[RoomThroughput], args: argparse.Namespace) -> str:
    rows = []
    for rate in rates:
        share = rate.delivered / rate.expected if rate.expected else float("nan")
        rows.append(
            f"| {rate.server} | **{rate.per_second:,.0f}** "
            f"| {rate.per_second * rate.readers:,.0f} | {share:.1%} | {rate.refused:,} "
            f"| {'; '.join(rate.errors[:2]) or '–'} |"
        )
    first = rates[0]
    return f"""### Messages per second, sustained

{first.senders} senders send back to back, each waiting for its acknowledgement, into
the room while {first.readers} readers are in it; counted over {args.rooms_seconds:g} s
after a 1 s warm-up. "Frames out/s" is messages/s × readers; "delivered" is the share
of (acknowledged messages, warm-up included) × (readers joined) that arrived.

| server | messages/s | frames out/s | delivered | refused | errors |
|---|--:|--:|--:|--:|---|
{chr(10).join(rows)}
"""


def _capacity_section(held: list[RoomCapacity], args: argparse.Namespace) -> str:
    rows = []
    for item in held:
        share = item.delivered / item.expected if item.expected else float("nan")
        ack = _ms(statistics.median(item.send_ms)) if item.send_ms else "–"
        rows.append(
            f"| {item.server} | **{item.still_open:,}** of {item.target:,} "
            f"| {item.joined:,} | {item.connect_seconds:,.0f} s "
            f"| {item.rss_before_kib / 1024:,.0f} → {item.rss_after_kib / 1024:,.0f} MB "
            f"| {item.kib_per_connection:,.0f} KB | {item.messages} | {share:.1%} | {ack} |"
        )
    problems = [f"- {item.server}: {error}" for item in held for error in item.errors]
    text = f"""### Sockets held in one room

After the fan-out runs, more readers join the same room up to {args.rooms_sockets:,}
(all with one member's session cookie), then one message a second goes to all of them.
"Time to connect" adds up every batch of connections and joins; "still open" counts
the connections alive at the end; "delivered" is the share of (joined × messages)
frames that arrived.

{CAPACITY_HEADER}
{chr(10).join(rows)}
"""
    if problems:
        text += "\nConnection errors (first few):\n\n" + "\n".join(problems) + "\n"
    return text


def console_rows(table: Table, rooms: RoomsResults | None) -> None:
    """The rooms' headline figures in `make bench`'s console summary."""
    if rooms is None:
        return
    for fan in rooms.fanout:
        table.add_row(
            f"room, {fan.server}: fan-out to {fan.readers:,}, p50 / p99 ms",
            f"{_ms(fan.percentile(0.5))} / {_ms(fan.percentile(0.99))}",
        )
    for rate in rooms.throughput:
        table.add_row(f"room, {rate.server}: messages/s sustained", f"{rate.per_second:,.0f}")
    for held in rooms.capacity:
        table.add_row(
            f"room, {held.server}: sockets held, a message a second",
            f"{held.still_open:,} of {held.target:,}",
        )
