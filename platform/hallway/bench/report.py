"""docs/benchmarks.md from one run of `make bench`, and its short console summary."""

from __future__ import annotations

import math
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from hallway.bench import events as bench_events
from hallway.bench import rooms

if TYPE_CHECKING:
    from hallway.bench.results import FanOut, LiveCapacity, PageResult, Results

#: Issue 8's figures, measured before this work (gunicorn gthread, one worker, 100 threads).
BEFORE = """\
## Before (issue 8, for comparison)

Measured on the same kind of 2-core machine with `wrk` against the README's recipe of
the time, `gunicorn --workers 1 --threads 100` (threads, not gevent), each page as a
ratio to Flask's hello world served the same way in the same run (medians of 5 rounds):

| page | HTML | × hello world (c=1) | × hello world (c=16) |
|---|--:|--:|--:|
| /healthz | 16 B | 2.0 | 2.2 |
| home | 6 KB | 15 | 18 |
| /discussions | 13 KB | 24 | 32 |
| thread, 20 comments | 51 KB | 34 | 43 |
| thread, 200 comments | 453 KB | 106 | 168 |
| thread, 2,000 comments | 4.3 MB | 917 | 1,579 |
| /members | 79 KB | 70 | 154 |

- After a few 2,000-comment pages the worker stayed at 415–600 MB.
- Live connections: each WebSocket held a gunicorn thread (plus 4 OS threads) for its
  whole life. The process held **99** live members; at 100 it answered no HTTP at all.
  With `--threads 2,050` it held 2,000 sockets at 8,004 threads and 557 MB (Node's
  socket.io: the same 2,000 in 107 MB on 11 threads). About 228 kB per browser
  connection (permessage-deflate was always accepted).
- Fan-out of a new comment, p50 at 50 / 200 / 1,000 readers: Hallway 18 / 23 / 59 ms;
  a bare python-socketio server 4 / 12 / 54 ms; Node socket.io 3 / 8 / 41 ms.
- One worker used one core; the second core idled.
"""


# Markdown table headers (too wide for a source line).
PAGES_HEADER = (
    "| page | HTML | req/s (c=1) | p50 ms (c=1) | × hello world (c=1) "
    "| req/s (c=16) | p50 ms (c=16) | × hello world (c=16) |\n"
    "|---|--:|--:|--:|--:|--:|--:|--:|"
)
CAPACITY_HEADER = (
    "| server | sockets held | time to connect | worker RSS | per connection | messages "
    "| delivered | page p50 ms idle → connected |\n"
    "|---|--:|--:|--:|--:|--:|--:|--:|"
)
FANOUT_HEADER = (
    "| readers | server processes | Hallway p50 ms | Hallway p99 ms "
    "| bare python-socketio p50 ms | bare p99 ms | delivered (Hallway, bare) |\n"
    "|--:|--:|--:|--:|--:|--:|--:|"
)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n / 1024 / 1024:,.1f} MB"


def _ratio(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _ms(value: float) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MB"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    names = ["gunicorn", "gevent", "flask-socketio", "python-socketio", "python-engineio",
             "simple-websocket"]  # fmt: skip
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    return ", ".join(found)


def times_hello(page: PageResult, hello: PageResult, connections: int) -> float:
    """How many hello-world requests one request of ``page`` costs (throughput ratio)."""
    page_rate = page.loads[connections].requests_per_second
    return hello.loads[connections].requests_per_second / page_rate if page_rate else math.inf


def _pages_section(results: Results) -> str:
    hello = results.hello
    if hello is None or not results.pages:
        return ""
    rows = []
    for page in [hello, *results.pages]:
        one, sixteen = page.loads[1], page.loads[16]
        rows.append(
            f"| {page.name} | {_size(page.html_bytes)} "
            f"| {one.requests_per_second:,.0f} | {_ms(one.latency_p50_ms)} "
            f"| **{_ratio(times_hello(page, hello, 1))}** "
            f"| {sixteen.requests_per_second:,.0f} | {_ms(sixteen.latency_p50_ms)} "
            f"| **{_ratio(times_hello(page, hello, 16))}** |"
        )
    args = results.args
    return f"""## Pages

Logged in as a member (the session cookie passed to `wrk -H "Cookie: ..."`, with the
User-Agent the log-in used, as one browser sends: Flask-Login's session protection
answers another one with a re-signed session cookie on every page), each page
and Flask's hello world (`hallway/bench/apps/hello.py`) served by the same recipe in
the same run. Each figure is the median of {args.rounds} rounds of {args.seconds:g} s
(slow pages get longer rounds, about three requests per connection, at most
{args.max_seconds:g} s); the rounds are interleaved across pages. "× hello world" is
hello world's requests per second divided by the page's: what one page costs in
hello-world requests.

{PAGES_HEADER}
{chr(10).join(rows)}
"""


def _memory_section(results: Results) -> str:
    memory = results.memory
    if not memory:
        return ""
    total = memory["requests"]
    growth = memory[str(total)] / memory["10"]
    return f"""## Memory

A fresh worker's resident memory (`VmRSS` of the gunicorn worker in `/proc/<pid>/status`)
while it serves the pages above in turn ({total:,} requests, one at a time):

| after | worker RSS |
|---|--:|
| start | {_mib(memory["start"])} |
| 10 requests | {_mib(memory["10"])} |
| 100 requests | {_mib(memory["100"])} |
| {total:,} requests | {_mib(memory[str(total)])} |

After {total:,} requests the worker holds **{growth:.2f}×** its memory after 10.
"""


def _scaling_section(results: Results) -> str:
    if not results.scaling:
        return ""
    one, two = results.scaling[1], results.scaling[2]
    ceiling = ""
    if results.cpu_parallelism is not None:
        ceiling = (
            "\nThe ceiling, measured between the rounds: two processes of pure Python finished"
            f" twice the work {results.cpu_parallelism:.2f}× as fast as one did it once (median;"
            " other programs on the machine take their share, see the load average above)."
        )
    return f"""## One process per core

`/discussions` with 16 connections in all: one gunicorn process, then two (the
production recipe on two ports, one wrk with 8 connections against each, started
together; requests per second added up). Medians of {results.args.rounds} rounds.

| processes | requests/s | scaling |
|--:|--:|--:|
| 1 | {one:,.0f} | 1.00× |
| 2 | {two:,.0f} | **{two / one:.2f}×** |

wrk shares the cores with the servers, so two processes cannot reach 2×.{ceiling}
"""


def _capacity_row(item: LiveCapacity) -> str:
    idle = item.idle.latency_p50_ms if item.idle else math.nan
    busy = item.busy.latency_p50_ms if item.busy else math.nan
    delivered = item.delivered / item.expected if item.expected else math.nan
    return (
        f"| {item.server} | **{item.still_open:,}** of {item.target:,} "
        f"| {item.connect_seconds:,.0f} s | {_mib(item.rss_before_kib)} → "
        f"{_mib(item.rss_after_kib)} | {item.kib_per_connection:,.0f} KB "
        f"| {item.messages_sent} | {delivered:.1%} | `{item.page}` {_ms(idle)} → {_ms(busy)} "
        f"(**{_ratio(busy / idle)}×**) |"
    )


def _live_section(results: Results) -> str:
    parts = []
    if results.capacity:
        capacity_rows = "\n".join(_capacity_row(item) for item in results.capacity)
        problems = [
            f"- {item.server}: {error}" for item in results.capacity for error in item.errors
        ]
        deflate = sum(item.deflate for item in results.capacity)
        parts.append(f"""## Live members per process

One gunicorn process (gevent), {results.args.sockets:,} Socket.IO clients over WebSocket
from {results.args.client_processes} client processes on the same machine, each logged
in (one member's session cookie) and joined to one thread's room; then a message a
second goes to all of them (in Hallway a new comment posted through the JSON API; on
the bare python-socketio server `POST /post`, a message of the same size) while `wrk`
times a page at c=1 ({results.args.rounds} rounds). The page's p50 is first measured
with no socket open ("idle"), then with every socket open and the messages flowing.
Memory is the worker's RSS before and after the connections opened. The clients offer
permessage-deflate, as browsers do; connections that accepted it: {deflate}.

{CAPACITY_HEADER}
{capacity_rows}
""")
        if problems:
            parts.append("Connection errors (first few):\n\n" + "\n".join(problems) + "\n")
    if results.fanout:
        main_kind = results.args.fanout_readers
        hallway_items = [item for item in results.fanout if item.server == "Hallway"]
        post_ms = sorted(ms for item in hallway_items for ms in item.post_ms)
        post_p50 = post_ms[len(post_ms) // 2] if post_ms else math.nan
        frame = hallway_items[0].frame_bytes if hallway_items else 0
        shared = [item for item in results.fanout if item.timed_by != main_kind]
        shared_part = ""
        if shared:
            shared_part = f"""
The same recipe with readers that time each frame as it arrives, taking their share of
the two cores while the servers send ({_readers(results)}):

{FANOUT_HEADER}
{_fanout_rows(shared)}
"""
        parts.append(f"""## Fan-out of a new comment

N readers joined to one thread; {results.args.fanout_posts} comments posted one at a time
({results.args.fanout_gap:g} s apart) through the JSON API. Latency is from the start of
the POST to the event's arrival at each reader (`comment_created`, {_size(frame)} on the wire), over
every reader and comment; the bare python-socketio server sends an event of the same
size from `POST /post`. The Hallway POST itself answered in {_ms(post_p50)} ms (p50).
The readers are the same for both servers: {_fanout_readers(results, main_kind)}.
With 2 server processes (the production recipe: one per core, sharing rooms through the
Redis message queue, as `HALLWAY_REDIS_URL` sets up), the readers are split between
them, as a sticky proxy spreads browsers, and the POSTs go to the first.

{FANOUT_HEADER}
{_fanout_rows([item for item in results.fanout if item.timed_by == main_kind])}
{shared_part}""")
    return "\n".join(parts)


def _fanout_rows(fanouts: list[FanOut]) -> str:
    """One row per (server processes, readers): Hallway's figures beside the bare server's."""
    by_readers: dict[tuple[int, int], dict[str, FanOut]] = {}
    for item in fanouts:
        by_readers.setdefault((item.processes, item.readers), {})[item.server] = item
    rows = []
    for (processes, readers), servers_ in sorted(by_readers.items()):
        hallway, bare = servers_.get("Hallway"), servers_.get("bare python-socketio")
        cells = []
        for fan in (hallway, bare):
            if fan is None:
                cells.append("– | –")
                continue
            cells.append(f"{_ms(fan.percentile(0.5))} | {_ms(fan.percentile(0.99))}")
        delivered = ", ".join(
            f"{fan.delivered:,}/{fan.readers * fan.posts:,}"
            for fan in (hallway, bare)
            if fan is not None
        )
        where = "1" if processes == 1 else f"{processes} (Redis)"
        rows.append(f"| {readers:,} | {where} | {cells[0]} | {cells[1]} | {delivered} |")
    return "\n".join(rows)


def _fanout_readers(results: Results, kind: str) -> str:
    if kind != "stamped":
        return _readers(results)
    return (
        "raw Socket.IO clients over WebSocket in the bench's own process "
        "(`hallway/bench/stamped.py`), idle while the servers send: each frame's arrival is "
        "the receive timestamp the kernel put on it (`SO_TIMESTAMPNS`; on loopback, the "
        "moment the server's send reached the reader's socket), read after each post. "
        "Browsers have CPUs of their own; readers that handle each frame as it arrives on "
        "this 2-core machine take a third of its CPU from the servers they time"
    )


def _readers(results: Results) -> str:
    processes = results.args.client_processes
    if getattr(results.args, "readers", "python") == "node":
        return (
            f"raw Socket.IO clients over WebSocket in {processes} Node.js processes "
            "(`hallway/bench/node_readers.js`), each frame timed as it arrives"
        )
    return f"raw Socket.IO clients over WebSocket in {processes} Python (asyncio) processes"


def _goals_section(results: Results) -> str:
    lines = []
    hello = results.hello
    if hello is not None and results.pages:
        worst = max(
            (p for p in results.pages if p.name != "/healthz"),
            key=lambda p: times_hello(p, hello, 1),
        )
        ratio = times_hello(worst, hello, 1)
        lines.append(
            f"| every page within 10× hello world at c=1 | worst: {worst.name}, "
            f"{_ratio(ratio)}× | {'met' if ratio <= 10 else 'not yet'} |"
        )
        threads = [p for p in results.pages if p.name.startswith("thread")]
        if len(threads) >= 2:
            small, big = threads[0], threads[-1]
            time_ratio = small.loads[1].requests_per_second / big.loads[1].requests_per_second
            ok = time_ratio <= 1.5 and big.html_bytes < 150 * 1024
            lines.append(
                f"| longest thread within 1.5× of the shortest, under 150 KB | "
                f"{time_ratio:,.1f}×, {_size(big.html_bytes)} | {'met' if ok else 'not yet'} |"
            )
    if results.memory:
        total = results.memory["requests"]
        growth = results.memory[str(total)] / results.memory["10"]
        lines.append(
            f"| RSS after {total:,} requests within 1.5× of after 10 | {growth:.2f}× "
            f"| {'met' if growth <= 1.5 else 'not yet'} |"
        )
    hallway = next((c for c in results.capacity if c.server == "Hallway"), None)
    if hallway is not None and hallway.idle and hallway.busy:
        page_ratio = hallway.busy.latency_p50_ms / hallway.idle.latency_p50_ms
        ok = hallway.still_open >= 5_000 and page_ratio <= 3
        lines.append(
            f"| 5,000 sockets per process, thread page within 3× of idle | "
            f"{hallway.still_open:,} held, {_ratio(page_ratio)}× | {'met' if ok else 'not yet'} |"
        )
    if results.scaling:
        ceiling = (
            f" (pure-Python ceiling {results.cpu_parallelism:.2f}×)"
            if results.cpu_parallelism is not None
            else ""
        )
        lines.append(
            f"| both cores used (1 → 2 processes) | "
            f"{results.scaling[2] / results.scaling[1]:.2f}×{ceiling} | measured |"
        )
    for processes in (1, 2):
        thousand = next(
            (
                f
                for f in results.fanout
                if f.server == "Hallway"
                and f.readers == 1000
                and f.processes == processes
                and f.timed_by == results.args.fanout_readers
            ),
            None,
        )
        if thousand is None:
            continue
        p99 = thousand.percentile(0.99)
        if processes == 1:  # beside the goal: one process is not the production recipe
            verdict = "one process alone, for comparison"
            recipe = "one process"
        else:
            verdict = "met" if p99 < 50 else "not yet"
            recipe = "two processes over Redis (the recipe)"
        lines.append(
            f"| fan-out p99 under 50 ms to 1,000 readers, {recipe} | {p99:.1f} ms "
            f"| {verdict} |"
        )
    if not lines:
        return ""
    return (
        "## Issue 8's goals in this run\n\n| goal | measured | |\n|---|---|---|\n"
        + "\n".join(lines)
        + "\n"
    )


def render(results: Results, command: str) -> str:
    started = datetime.fromtimestamp(results.started, UTC)
    seeded = results.seeded
    load_after = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    load_before = " / ".join(f"{value:.2f}" for value in results.load_before)
    sections = [
        _goals_section(results),
        _pages_section(results),
        bench_events.report_section(results),
        _memory_section(results),
        _scaling_section(results),
        _live_section(results),
        rooms.report_section(results.rooms, results.args, _readers(results)),
    ]
    body = "\n".join(section for section in sections if section)
    wakeup = ""
    if results.wakeup_ms is not None:
        flat, after_idle = results.wakeup_ms
        wakeup = (
            f"\n- Waking up: hello world answers in {_ms(flat)} ms back to back but "
            f"{_ms(after_idle)} ms after 0.3 s idle (p50). A request timed after a pause, as"
            "\n  each fan-out post is, carries that difference; wrk's rounds do not."
        )
    return f"""# Benchmarks

Measured {started:%Y-%m-%d %H:%M} UTC with `make bench` (`{command}`), against the
README's production recipe, every server started as
`gunicorn --config gunicorn.conf.py --bind 127.0.0.1:PORT --log-level warning APP` (one
process, one gevent worker; WebSockets through simple-websocket, without
permessage-deflate), all on 127.0.0.1. See docs/deploy.md for why.

- Machine: {cpu_model()}, {os.cpu_count()} cores; {platform.platform()}
- Python {sys.version.split()[0]} ({platform.python_implementation()}); {_versions()}
- Load average (1 / 5 / 15 min): {load_before} at the start, {load_after} at the end.
  The load generators (`wrk`, the socket clients) share the machine with the servers.{wakeup}
- Database: {results.database}, made by the migrations, seeded through the services:
  the demo community ({seeded.members} members with profiles, its threads and events),
  threads of {", ".join(f"{size:,}" for size in sorted(seeded.thread_paths))} nested
  comments (a third with reactions), and the member it logs in as has
  {seeded.notifications} notifications.

{body}
{BEFORE}"""


def console_summary(results: Results) -> Table:
    table = Table(title="Hallway under the production recipe")
    table.add_column("measure")
    table.add_column("value", justify="right")
    hello = results.hello
    if hello is not None:
        for page in results.pages:
            table.add_row(
                f"{page.name} × hello world (c=1 / c=16)",
                f"{_ratio(times_hello(page, hello, 1))} / {_ratio(times_hello(page, hello, 16))}",
            )
    if results.memory:
        total = results.memory["requests"]
        table.add_row(
            f"worker RSS after 10 / {total:,} requests",
            f"{_mib(results.memory['10'])} / {_mib(results.memory[str(total)])}",
        )
    if results.scaling:
        table.add_row(
            "/discussions req/s, 1 → 2 processes",
            f"{results.scaling[1]:,.0f} → {results.scaling[2]:,.0f}",
        )
    for item in results.capacity:
        table.add_row(f"{item.server}: sockets held", f"{item.still_open:,}")
    for fan in results.fanout:
        where = f" over {fan.processes} processes" if fan.processes > 1 else ""
        where += f", {fan.timed_by} readers"
        table.add_row(
            f"{fan.server}: fan-out to {fan.readers:,}{where}, p50 / p99 ms",
            f"{_ms(fan.percentile(0.5))} / {_ms(fan.percentile(0.99))}",
        )
    rooms.console_rows(table, results.rooms)
    return table
