"""`make bench`: what the pages and the live connections cost under the production recipe.

Steps, all against servers on 127.0.0.1 started with gunicorn.conf.py (the README's
recipe: one gunicorn process, one gevent worker):

1. a throw-away database through the migrations, seeded through the services;
2. pages with wrk (logged in), at 1 and at 16 connections, beside Flask's hello world
   served the same way in the same run, rounds interleaved so noise falls on all alike;
3. the worker's memory after 10 and after 1,000 mixed page requests;
4. throughput of one process against two (one per core), 16 connections in all;
5. live members: how many Socket.IO connections one process holds while a message a
   second goes to all of them, and the thread page's latency meanwhile; the fan-out
   latency of a new comment to 50, 200 and 1,000 readers (timed by the kernel's receive
   stamps, ``hallway.bench.stamped``; in the recipe also by readers sharing the cores);
   both beside a bare python-socketio server under the same recipe.

The results go to docs/benchmarks.md (see ``hallway.bench.report``).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hallway.bench import events as bench_events
from hallway.bench import live, matching, report, rooms, servers, stamped, wrk
from hallway.bench.results import FanOut, LiveCapacity, PageResult, Results
from hallway.bench.seed import Seeded, seed, throwaway_database

HELLO_APP = "hallway.bench.apps.hello:app"
BARE_APP = "hallway.bench.apps.bare_socketio:app"
HALLWAY_APP = "wsgi:app"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m hallway.bench", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--rounds", type=int, default=5, help="wrk rounds per figure (median)")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one wrk round")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=6.0,
        help="longest round for slow pages (a round lasts ~3 requests per connection)",
    )
    parser.add_argument("--mixed-requests", type=int, default=1_000)
    parser.add_argument("--sockets", type=int, default=5_000, help="live connections held")
    parser.add_argument("--fanout", default="50,200,1000", help="readers per fan-out run")
    parser.add_argument("--fanout-posts", type=int, default=20)
    parser.add_argument(
        "--fanout-gap", type=float, default=0.1, help="seconds between two fan-out posts"
    )
    parser.add_argument(
        "--recipe-fanout",
        type=int,
        default=1_000,
        help="readers of the fan-out over two server processes sharing rooms through Redis "
        "(the production recipe; HALLWAY_REDIS_URL or a local Redis); 0 skips it",
    )
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument(
        "--readers",
        choices=("node", "python"),
        default="node",
        help="the live clients: Node.js (cheap per frame; needs `make assets`) or Python",
    )
    parser.add_argument(
        "--fanout-readers",
        choices=("stamped", "node", "python"),
        default="stamped",
        help="the fan-out's readers: idle while the server sends, timed by the kernel's "
        "receive stamps (stamped), or --readers' kind timing each frame as it arrives",
    )
    parser.add_argument(
        "--no-shared-fanout",
        dest="shared_fanout",
        action="store_false",
        help="skip the recipe's fan-out with --readers' kind beside the stamped one",
    )
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-live", action="store_true")
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    rooms.add_arguments(parser)
    return parser.parse_args(argv)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def hallway_env(
    database_url: str, workdir: Path, secret_key: str, tasks_queue: str
) -> dict[str, str]:
    """Settings of every Hallway server in the run (the port is added per server)."""
    return {
        "HALLWAY_TASKS_QUEUE": tasks_queue,
        "HALLWAY_DATABASE_URL": database_url,
        "HALLWAY_INSTANCE_PATH": str(workdir),
        "HALLWAY_SECRET_KEY": secret_key,
        "HALLWAY_ENV": "development",  # production only adds Secure cookies (HTTPS) and HSTS
        "HALLWAY_ALLOWED_ORIGINS": "",  # derived from the port
        "HALLWAY_BASE_URL": "",
        "HALLWAY_SMTP_HOST": "",
        "HALLWAY_REDIS_URL": os.environ.get("HALLWAY_REDIS_URL", ""),
    }


def page_list(seeded: Seeded) -> list[tuple[str, str]]:
    threads = seeded.thread_paths
    return [
        ("/healthz", "/healthz"),
        ("home", "/"),
        ("/discussions", "/discussions"),
        *((f"thread, {size:,} comments", path) for size, path in sorted(threads.items())),
        ("/members", "/members"),
        ("profile", seeded.profile_path),
        ("/notifications", "/notifications"),
        *bench_events.pages(seeded),
    ]


def fetch_page(url: str, cookie: str | None) -> bytes:
    """One GET that must answer 200 without a redirect (a redirect would mean a lost log-in)."""
    answer = requests.get(
        url,
        headers={"User-Agent": wrk.USER_AGENT, **({"Cookie": cookie} if cookie else {})},
        allow_redirects=False,
        timeout=120,
    )
    if answer.status_code != 200:
        raise servers.ServerFailed(f"GET {url} answered {answer.status_code}")
    return answer.content


def round_seconds(args: argparse.Namespace, connections: int, single_ms: float) -> float:
    """Long enough for about three requests per connection, within --max-seconds."""
    wanted = 3 * connections * single_ms / 1000
    return max(args.seconds, min(args.max_seconds, wanted))


def wakeup_penalty_ms(url: str, times: int = 9, pause: float = 0.3) -> tuple[float, float]:
    """Median latency of a trivial request sent back to back, and after ``pause`` s idle.

    Some virtual machines take many milliseconds to wake an idle process; whatever is
    timed right after a pause (a fan-out post) pays it, whatever runs flat out does not.
    """
    browser = requests.Session()
    figures = []
    for wait in (0.0, pause):
        durations = []
        for _ in range(times):
            time.sleep(wait)
            started = time.perf_counter()
            browser.get(url, timeout=30)
            durations.append((time.perf_counter() - started) * 1000)
        figures.append(statistics.median(durations))
    return figures[0], figures[1]


def single_request_ms(url: str, cookie: str | None, times: int = 3) -> float:
    durations = []
    for _ in range(times):
        started = time.perf_counter()
        fetch_page(url, cookie)
        durations.append((time.perf_counter() - started) * 1000)
    return statistics.median(durations)


# --- Pages -----------------------------------------------------------------------------------


def measure_pages(
    results: Results, hallway: servers.Server, hello: servers.Server, login: servers.Login,
    progress: Progress,
) -> None:  # fmt: skip
    args = results.args
    hello_page = PageResult("Flask hello world", "/", len(fetch_page(hello.url + "/", None)))
    targets: list[tuple[PageResult, servers.Server, dict[str, str]]] = [(hello_page, hello, {})]
    for name, path in page_list(results.seeded):
        html = fetch_page(hallway.url + path, login.cookie)
        targets.append((PageResult(name, path, len(html)), hallway, {"Cookie": login.cookie}))
    single = {
        id(page): single_request_ms(server.url + page.path, headers.get("Cookie"))
        for page, server, headers in targets
    }
    results.wakeup_ms = wakeup_penalty_ms(hello.url + "/")
    collected: dict[tuple[int, int], list[wrk.Round]] = {}
    task = progress.add_task("Pages with wrk (c=1, c=16)", total=args.rounds * len(targets) * 2)
    # Interleaved: each round visits every page once, so a noisy moment hits all alike.
    for _ in range(args.rounds):
        for page, server, headers in targets:
            for connections in (1, 16):
                seconds = round_seconds(args, connections, single[id(page)])
                outcome = wrk.run_round(server.url + page.path, connections, seconds, headers)
                servers.wait_until_idle(server.worker_pid())
                collected.setdefault((id(page), connections), []).append(outcome)
                progress.advance(task)
    for page, server, _headers in targets:
        for connections in (1, 16):
            page.loads[connections] = wrk.Load(
                server.url + page.path, connections, collected[(id(page), connections)]
            )
    results.hello = hello_page
    results.pages = [page for page, _server, _headers in targets[1:]]


def measure_memory(
    results: Results, env: dict[str, str], workdir: Path, login: servers.Login,
    progress: Progress,
) -> None:  # fmt: skip
    """A fresh worker: RSS after start, after 10 and after --mixed-requests mixed pages."""
    paths = [path for _name, path in page_list(results.seeded)]
    total = results.args.mixed_requests
    task = progress.add_task(f"Memory: {total:,} mixed page requests", total=total)
    with servers.running("hallway-memory", HALLWAY_APP, env, workdir) as server:
        browser = requests.Session()
        browser.headers.update({"Cookie": login.cookie, "User-Agent": wrk.USER_AGENT})
        results.memory["start"] = server.worker_rss_kib()
        for number in range(1, total + 1):
            answer = browser.get(server.url + paths[number % len(paths)], allow_redirects=False)
            if answer.status_code != 200:
                raise servers.ServerFailed(f"GET {answer.url} answered {answer.status_code}")
            if number in (10, 100, total):
                results.memory[str(number)] = server.worker_rss_kib()
            progress.advance(task)
        results.memory["requests"] = total


def _spin(loops: int) -> int:
    total = 0
    for number in range(loops):
        total += number * number
    return total


def cpu_parallelism(pool: Any, loops: int = 3_000_000) -> float:
    """How much faster two processes of pure Python finish twice the work than one does
    it once, right now: the most two server processes could gain on this machine while
    everything else (wrk, other programs) runs too."""
    started = time.perf_counter()
    pool.map(_spin, [loops])
    one = time.perf_counter() - started
    started = time.perf_counter()
    pool.map(_spin, [loops, loops], chunksize=1)
    two = time.perf_counter() - started
    return 2 * one / two


def measure_scaling(
    results: Results, env: dict[str, str], workdir: Path, login: servers.Login,
    progress: Progress,
) -> None:  # fmt: skip
    """/discussions at 16 connections: one process, then two (8 connections each)."""
    args = results.args
    headers = {"Cookie": login.cookie}
    task = progress.add_task("Scaling: 1 and 2 processes", total=args.rounds * 2)
    with ExitStack() as stack:
        first = stack.enter_context(servers.running("hallway-a", HALLWAY_APP, env, workdir))
        second = stack.enter_context(servers.running("hallway-b", HALLWAY_APP, env, workdir))
        single = single_request_ms(first.url + "/discussions", login.cookie)
        fetch_page(second.url + "/discussions", login.cookie)
        seconds = round_seconds(args, 16, single)
        one: list[float] = []
        two: list[float] = []
        ceilings: list[float] = []
        spinners = stack.enter_context(multiprocessing.get_context("spawn").Pool(2))
        spinners.map(_spin, [1, 1])  # started before anything is timed
        for _ in range(args.rounds):
            ceilings.append(cpu_parallelism(spinners))
            url = first.url + "/discussions"
            one.append(wrk.run_round(url, 16, seconds, headers).requests_per_second)
            servers.wait_until_idle(first.worker_pid())
            progress.advance(task)
            both = wrk.run_parallel_round(
                [first.url + "/discussions", second.url + "/discussions"], 8, seconds, headers
            )
            two.append(sum(each.requests_per_second for each in both))
            for server in (first, second):
                servers.wait_until_idle(server.worker_pid())
            progress.advance(task)
    results.scaling = {1: statistics.median(one), 2: statistics.median(two)}
    results.cpu_parallelism = statistics.median(ceilings)


# --- Live connections ------------------------------------------------------------------------


class Poster:
    """Sends the live messages: a new comment in Hallway, ``POST /post`` on the bare server."""

    def __init__(self, post: Callable[[], int]) -> None:
        self._post = post
        self.sent: dict[int, float] = {}  # message id -> monotonic time the POST started
        self.post_ms: list[float] = []

    def post_once(self) -> int:
        started = time.monotonic()
        ident = self._post()
        self.post_ms.append((time.monotonic() - started) * 1000)
        self.sent[ident] = started
        return ident

    @contextmanager
    def every(self, interval: float) -> Iterator[None]:
        """Post every ``interval`` seconds in a thread while the block runs."""
        stopping = threading.Event()
        failure: list[BaseException] = []

        def loop() -> None:
            while not stopping.is_set():
                started = time.monotonic()
                try:
                    self.post_once()
                except BaseException as error:  # reported below
                    failure.append(error)
                    return
                stopping.wait(max(0.0, interval - (time.monotonic() - started)))

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stopping.set()
            thread.join(timeout=30)
        if failure:
            raise failure[0]


def hallway_poster(server: servers.Server, login: servers.Login, thread_id: int) -> Poster:
    browser = requests.Session()
    browser.headers.update(login.headers)
    counter = iter(range(1, 10**9))

    def post() -> int:
        answer = browser.post(
            f"{server.url}/api/v1/threads/{thread_id}/comments",
            json={"body": f"Live message {next(counter)}: what are you working on today?"},
            timeout=60,
        )
        if answer.status_code != 201:
            raise servers.ServerFailed(f"posting a comment answered {answer.status_code}")
        return int(answer.json()["id"])

    return Poster(post)


def bare_poster(server: servers.Server, frame_bytes: int) -> Poster:
    browser = requests.Session()

    def post() -> int:
        answer = browser.post(f"{server.url}/post?bytes={frame_bytes}", timeout=60)
        if answer.status_code != 201:
            raise servers.ServerFailed(f"POST /post answered {answer.status_code}")
        return int(answer.json()["id"])

    return Poster(post)


@dataclass(frozen=True)
class LiveTarget:
    name: str
    app: str
    env: dict[str, str]
    page: str  # measured while the connections are open
    cookie: str | None
    join_event: str
    join_data: dict[str, object]
    redis_setting: str  # the environment variable that makes its processes share rooms


def client_pool(args: argparse.Namespace, kind: str | None = None) -> FanOutReaders:
    """The live clients, the same for every server in the run (``--readers``, or ``kind``)."""
    kind = kind or args.readers
    if kind == "stamped":
        return stamped.StampedReaders()
    if kind == "node":
        return live.NodeClientPool(args.client_processes)
    return live.ClientPool(args.client_processes)


FanOutReaders = live.ClientPool | live.NodeClientPool | stamped.StampedReaders


def measure_capacity(
    target: LiveTarget, make_poster: Callable[[servers.Server], Poster], workdir: Path,
    args: argparse.Namespace, progress: Progress,
) -> LiveCapacity:  # fmt: skip
    """Hold ``--sockets`` connections in one process, one message a second to all of them,
    and time the page meanwhile (against the same page with no connection open)."""
    outcome = LiveCapacity(target.name, args.sockets, page=target.page)
    task = progress.add_task(f"Live: {args.sockets:,} sockets on {target.name}", total=4)
    headers = {"Cookie": target.cookie} if target.cookie else {}
    with (
        servers.running(f"{target.name}-live", target.app, target.env, workdir) as server,
        client_pool(args) as pool,
    ):
        url = server.url + target.page
        single = single_request_ms(url, target.cookie)
        seconds = round_seconds(args, 1, single)
        outcome.idle = wrk.measure(url, 1, seconds, args.rounds, headers)
        progress.advance(task)
        outcome.rss_before_kib = server.worker_rss_kib()
        connected = pool.connect(
            live.ConnectSpec(
                server.url,
                args.sockets,
                cookie=target.cookie,
                origin=server.url,
                join_event=target.join_event,
                join_data=target.join_data,
            )
        )
        outcome.connected, outcome.joined, outcome.deflate = (
            connected.connected, connected.joined, connected.deflate,
        )  # fmt: skip
        outcome.connect_seconds = connected.seconds
        outcome.errors = connected.errors[:5]
        outcome.rss_after_kib = server.worker_rss_kib()
        progress.advance(task)
        poster = make_poster(server)
        _open, before = pool.stats()
        with poster.every(1.0):
            time.sleep(1.5)  # the first messages are on their way before timing starts
            outcome.busy = wrk.measure(url, 1, seconds, args.rounds, headers)
        progress.advance(task)
        time.sleep(2.0)  # the last message arrives
        outcome.still_open, after = pool.stats()
        outcome.messages_sent = len(poster.sent)
        outcome.delivered = sum(after) - sum(before)
        outcome.expected = outcome.joined * outcome.messages_sent
        pool.close_clients()
        progress.advance(task)
    return outcome


def measure_fanout(
    target: LiveTarget, make_poster: Callable[[servers.Server], Poster], workdir: Path,
    readers: int, args: argparse.Namespace, progress: Progress,
    redis_url: str | None = None, readers_kind: str | None = None,
) -> FanOut:  # fmt: skip
    """``readers`` connections in one room; a message at a time, each timed from the start
    of its POST to its arrival at every reader. With ``redis_url``: two server processes
    sharing the room through Redis, the readers split between them, the POSTs to the
    first (the production recipe, one process per core). The readers are
    ``--fanout-readers``' kind unless ``readers_kind`` says."""
    processes = 2 if redis_url else 1
    readers_kind = readers_kind or args.fanout_readers
    outcome = FanOut(
        target.name, readers, args.fanout_posts, processes=processes, timed_by=readers_kind
    )
    where = f" over {processes} processes" if processes > 1 else ""
    task = progress.add_task(
        f"Fan-out: {readers:,} {readers_kind} readers on {target.name}{where}",
        total=args.fanout_posts,
    )
    env = {**target.env, target.redis_setting: redis_url} if redis_url else target.env
    with ExitStack() as stack:
        running = [
            stack.enter_context(
                servers.running(f"{target.name}-fanout-{number}", target.app, env, workdir)
            )
            for number in range(processes)
        ]
        server = running[0]
        pool = client_pool(args, readers_kind)
        stack.enter_context(pool)
        connected = pool.connect(
            live.ConnectSpec(
                server.url,
                readers,
                cookie=target.cookie,
                origin=server.url,
                join_event=target.join_event,
                join_data=target.join_data,
                record=("comment_created",),
                spread_over=tuple(each.url for each in running) if processes > 1 else (),
            )
        )
        outcome.errors = connected.errors[:5]
        poster = make_poster(server)
        poster.post_once()  # warm-up: first-use costs are not fan-out
        time.sleep(1.0)
        pool.receipts()
        poster.sent.clear()
        poster.post_ms.clear()
        receipts = []
        for _ in range(args.fanout_posts):
            poster.post_once()
            time.sleep(args.fanout_gap)
            receipts.extend(pool.receipts())  # the stamped readers read theirs only now
            progress.advance(task)
        time.sleep(1.0)
        receipts.extend(pool.receipts())
        sizes = []
        for received, ident, size in receipts:
            if ident in poster.sent:
                outcome.latencies_ms.append((received - poster.sent[ident]) * 1000)
                outcome.delivered += 1
                sizes.append(size)
        outcome.frame_bytes = int(statistics.median(sizes)) if sizes else 0
        outcome.post_ms = poster.post_ms
        pool.close_clients()
    return outcome


def measure_live(
    results: Results, env: dict[str, str], workdir: Path, login: servers.Login,
    progress: Progress,
) -> None:  # fmt: skip
    args = results.args
    seeded = results.seeded
    hallway = LiveTarget(
        "Hallway",
        HALLWAY_APP,
        env,
        seeded.thread_paths[min(seeded.thread_paths)],
        login.cookie,
        "join_thread",
        {"thread_id": seeded.live_thread_id},
        "HALLWAY_REDIS_URL",
    )
    bare = LiveTarget("bare python-socketio", BARE_APP, {}, "/", None, "join", {}, "BARE_REDIS_URL")

    def hallway_posts(server: servers.Server) -> Poster:
        return hallway_poster(server, login, seeded.live_thread_id)

    fanouts = [int(each) for each in args.fanout.split(",") if each.strip()]
    frame_bytes = 0
    for readers in fanouts:
        measured = measure_fanout(hallway, hallway_posts, workdir, readers, args, progress)
        frame_bytes = frame_bytes or measured.frame_bytes
        results.fanout.append(measured)

    def bare_posts(server: servers.Server) -> Poster:
        return bare_poster(server, frame_bytes or 2_000)

    for readers in fanouts:
        results.fanout.append(measure_fanout(bare, bare_posts, workdir, readers, args, progress))
    redis_url = recipe_redis_url() if args.recipe_fanout else None
    if redis_url:
        kinds = [args.fanout_readers]
        if args.shared_fanout and args.readers != args.fanout_readers:
            kinds.append(args.readers)  # the same, with readers taking their share of the cores
        for kind in kinds:
            for target, posts in ((hallway, hallway_posts), (bare, bare_posts)):
                results.fanout.append(
                    measure_fanout(
                        target,
                        posts,
                        workdir,
                        args.recipe_fanout,
                        args,
                        progress,
                        redis_url,
                        kind,
                    )  # fmt: skip
                )
    if args.sockets:
        results.capacity.append(measure_capacity(hallway, hallway_posts, workdir, args, progress))
        results.capacity.append(measure_capacity(bare, bare_posts, workdir, args, progress))


def recipe_redis_url() -> str | None:
    """The Redis the two-process fan-out shares rooms through: HALLWAY_REDIS_URL, else a
    local server on the default port if one answers (None: the step is left out)."""
    import redis

    url = os.environ.get("HALLWAY_REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return url


@contextmanager
def own_task_queue() -> Iterator[str]:
    """A task queue's name for the run's servers. Its jobs (notices of the posted
    comments) are dropped from Redis at the end: no worker ran them, and no worker of
    the developer's should find them later."""
    from huey import RedisHuey

    name = f"hallway-bench-{secrets.token_hex(4)}"
    try:
        yield name
    finally:
        if url := recipe_redis_url():
            RedisHuey(name, url=url).flush()


# --- The run ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console()
    if wrk.wrk_path() is None:
        console.print(f"[bold red]{wrk.INSTALL_HINT}[/]")
        return 2
    if problem := servers.gunicorn_available():
        console.print(f"[bold red]Cannot run the production recipe: {problem}.[/]")
        return 2
    live_steps = not (args.skip_live and args.skip_rooms)
    if live_steps and args.readers == "node" and live.node_path() is None:
        console.print("[bold red]The Node.js readers need node and `make assets`[/]")
        return 2
    limit = servers.raise_open_file_limit()
    if not args.skip_live and limit < args.sockets + 1_000:
        console.print(
            f"[bold red]Only {limit:,} open files allowed; {args.sockets:,} sockets need more "
            "(raise the hard limit: ulimit -Hn).[/]"
        )
        return 2
    secret_key = secrets.token_hex(16)
    configured = os.environ.get("HALLWAY_DATABASE_URL")
    with (
        tempfile.TemporaryDirectory(prefix="hallway-bench-") as tmp,
        _progress(console) as progress,
    ):
        workdir = Path(tmp)
        with (
            throwaway_database(workdir, configured) as database_url,
            own_task_queue() as tasks_queue,
        ):
            seeded = seed(database_url, workdir, secret_key, progress)
            database = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
            results = Results(args, seeded, database)
            env = hallway_env(database_url, workdir, secret_key, tasks_queue)
            with (
                servers.running("hello", HELLO_APP, {}, workdir) as hello,
                servers.running("hallway", HALLWAY_APP, env, workdir) as hallway,
            ):
                login = servers.log_in(hallway.url, seeded.email, seeded.password)
                if not args.skip_pages:
                    measure_pages(results, hallway, hello, login, progress)
            if not args.skip_pages:
                measure_memory(results, env, workdir, login, progress)
                measure_scaling(results, env, workdir, login, progress)
            if not args.skip_live:
                measure_live(results, env, workdir, login, progress)
            if not args.skip_rooms:
                results.rooms = rooms.measure_rooms(
                    args,
                    env,
                    workdir,
                    database_url,
                    secret_key,
                    lambda: client_pool(args),
                    progress,
                )
    text = report.render(results, " ".join(["python -m hallway.bench", *(argv or sys.argv[1:])]))
    console.print(report.console_summary(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    kept = matching.existing_section(args.output)  # written by `make bench-matching`
    args.output.write_text(matching.carry_section(text, kept) if kept else text)
    console.print(f"Wrote {args.output}")
    return 0
