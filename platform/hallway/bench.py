"""How fast a big thread page renders: `make bench` (python -m hallway.bench).

Builds a throw-away SQLite database through the migrations, seeds one thread with
2,000 nested comments (and reactions, by a few dozen members), then times GET of that
thread page with Flask's test client, next to Flask's own hello-world route in the same
run, so the figure can be read against what Flask costs on this machine. Writes the
results with a description of the machine to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

COMMENTS = 2_000
MEMBERS = 40
COMMAND = "`make bench` (runs `python -m hallway.bench`)"

BODIES = [
    "Start with a **content audit** before anything moves. Which courses are live next term?",
    "We did this last year. The gradebook mapping took longer than the content.\n\n"
    "- export rubrics first\n- check every external tool\n- keep the old LMS read-only",
    "Agree with @{handle}: the sandbox saved us. Faculty could click around before launch.",
    "> the gradebook mapping took longer\n\nSame here. Weighted categories were the worst.",
    "Has anyone scripted the course copy? We used the REST API:\n\n"
    "```python\nfor course in courses:\n    copy(course, target=term)\n```",
    "Honestly the hardest part was people, not tools. Office hours every Friday helped.",
    "Thanks, this is useful. Saving it for our spring planning meeting.",
    "Could you say more about how you trained the help desk? We have two people.",
]


@dataclass(frozen=True)
class Timing:
    name: str
    runs: int
    median_ms: float
    p95_ms: float
    mean_ms: float


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def build_app(workdir: Path) -> Flask:
    """The real app on a fresh database made by the migrations."""
    from hallway import create_app, migrate

    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    migrate.upgrade(url)
    return create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": workdir,
            "SECRET_KEY": "bench",
            "REDIS_URL": None,
            "SOCKETIO_MESSAGE_QUEUE": None,
            "RATELIMIT_ENABLED": False,
            "SMTP_HOST": None,
            "MAIL_IN_BACKGROUND": False,
        }
    )


@dataclass(frozen=True)
class Seeded:
    path: str
    email: str
    max_depth: int


def seed_big_thread(app: Flask, progress: Progress, comments: int) -> Seeded:
    """One thread with ``comments`` replies nested like a lively discussion.

    About a third answer the thread; the rest answer an earlier comment, recent ones
    more often than old ones, so chains grow deep where a conversation catches on.
    Returns the page's path, a member's email to log in with, and the deepest depth.
    """
    from werkzeug.security import generate_password_hash

    from hallway.accounts import service as accounts
    from hallway.accounts.models import Role
    from hallway.db import db
    from hallway.discussions import service
    from hallway.discussions.models import ReactionKind

    rng = random.Random(2026)
    password_hash = generate_password_hash("bench-password-123")
    start = datetime.now(UTC) - timedelta(days=30)
    with app.app_context():
        session = db.session
        people = [
            accounts.sign_up(
                session,
                email=f"member{number}@bench.example",
                handle=f"member{number}",
                display_name=f"Bench Member {number}",
                password="bench-password-123",
                password_hash=password_hash,
            )
            for number in range(MEMBERS)
        ]
        admin = accounts.set_role(session, email=people[0].email, role=Role.admin)
        category = service.create_category(session, actor=admin, name="Tools & practice")
        thread = service.start_thread(
            session,
            actor=people[1],
            category_id=category.id,
            title="Surviving an LMS migration (the long version)",
            body=BODIES[1],
            tags=["lms", "migration"],
            imported_at=start,
        ).post
        made = []
        task = progress.add_task(f"Seeding {comments:,} nested comments", total=comments)
        for number in range(comments):
            parent = None
            if made and rng.random() > 0.33:
                recent = made[-60:]
                parent = recent[int(len(recent) * rng.random() ** 0.5)]
            body = rng.choice(BODIES).format(handle=rng.choice(people).handle)
            made.append(
                service.reply(
                    session,
                    actor=rng.choice(people),
                    thread=thread,
                    body=body,
                    parent_id=parent.id if parent else None,
                    imported_at=start + timedelta(minutes=number),
                ).post
            )
            progress.advance(task)
        for comment in rng.sample(made, k=comments // 3):
            for person in rng.sample(people, k=rng.randint(1, 4)):
                service.toggle_reaction(
                    session,
                    actor=person,
                    thread=thread,
                    comment=comment,
                    kind=rng.choice(list(ReactionKind)),
                )
        session.commit()
        return Seeded(f"/t/{thread.id}/{thread.slug}", people[2].email, max(c.depth for c in made))


def log_in(client: FlaskClient, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"csrf_token": token, "email": email, "password": "bench-password-123"}
    )
    if response.status_code != 302:
        raise SystemExit("Could not log in to the benchmark app.")


def hello_world_app() -> Flask:
    """Flask's own hello world: the floor any Flask page stands on."""
    app = Flask(__name__)

    @app.get("/hello")
    def hello() -> str:
        return "Hello, World!"

    return app


def time_requests(
    name: str, get: Callable[[], object], runs: int, warmup: int, progress: Progress
) -> Timing:
    for _ in range(warmup):
        get()
    task = progress.add_task(f"Timing {name}", total=runs)
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        get()
        durations.append((time.perf_counter() - started) * 1000)
        progress.advance(task)
    return Timing(
        name=name,
        runs=runs,
        median_ms=statistics.median(durations),
        p95_ms=statistics.quantiles(durations, n=20)[18],
        mean_ms=statistics.fmean(durations),
    )


def checked_get(client: FlaskClient, path: str, expect: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(path)
        if response.status_code != 200 or expect not in response.get_data(as_text=True):
            raise SystemExit(f"GET {path} answered {response.status_code}")
        return response

    return get


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def write_report(
    path: Path, timings: list[Timing], page: str, comments: int, max_depth: int
) -> str:
    thread, hello = timings
    shown = page.count('<li class="comment-node"')
    kib = len(page.encode()) / 1024
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    ratio = thread.median_ms / hello.median_ms
    rows = "\n".join(
        f"| {t.name} | {t.runs} | {t.median_ms:.2f} | {t.p95_ms:.2f} | {t.mean_ms:.2f} |"
        for t in timings
    )
    report = f"""# Benchmarks

## A {comments:,}-comment thread page

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with {COMMAND}.

The benchmark builds a throw-away SQLite database through the migrations, seeds one
thread with {comments:,} nested comments by {MEMBERS} members (a third answer the thread,
the rest answer earlier comments, recent ones more often, so some chains run deep;
about a third of the comments carry 1-4 reactions), logs a member in, and times
`GET` of the thread page through Flask's test client (the whole app: login
session, queries, the comment tree, templates). In the same run it times Flask's
own hello-world route (`@app.get("/hello")` on a bare `Flask(__name__)`), the floor
any Flask page stands on.

| request | runs | median (ms) | p95 (ms) | mean (ms) |
|---|---:|---:|---:|---:|
{rows}

**Ratio (median):** the thread page takes **{ratio:,.0f}×** Flask's hello world.
The page is {kib:,.0f} KiB of HTML. Replies nest up to {max_depth} levels deep; the page
draws the first six levels, {shown:,} of the {comments:,} comments with their reaction
buttons, and links the {comments - shown:,} deeper ones through "Continue this conversation"
(focused views). All {comments:,} are loaded, in the one ordered query that builds
the tree; the page costs the same few SQL queries as a 5-comment thread (see
`tests/integration/discussions/test_query_count.py`).

### Machine

- Platform: {platform.platform()}
- CPU: {cpu_model()}
- Cores: {os.cpu_count()}
- Python: {sys.version.split()[0]} ({platform.python_implementation()})
- Load average when the run ended (1 / 5 / 15 min): {load}; the machine is shared,
  so p95 carries other processes' noise.
"""
    path.write_text(report)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=COMMENTS)
    parser.add_argument("--runs", type=int, default=200, help="thread page requests")
    parser.add_argument("--hello-runs", type=int, default=5_000)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args(argv)

    console = Console()
    with (
        tempfile.TemporaryDirectory(prefix="hallway-bench-") as tmp,
        _progress(console) as progress,
    ):
        app = build_app(Path(tmp))
        seeded = seed_big_thread(app, progress, args.comments)
        client = app.test_client()
        log_in(client, seeded.email)
        page = checked_get(client, seeded.path, "comment-tree")
        html = page().get_data(as_text=True)
        hello = checked_get(hello_world_app().test_client(), "/hello", "Hello")
        timings = [
            time_requests(f"thread page, {args.comments:,} comments", page, args.runs, 5, progress),
            time_requests("Flask hello world", hello, args.hello_runs, 200, progress),
        ]
        app.extensions["hallway.db"]["engine"].dispose()

    table = Table(title="Thread page against Flask's hello world")
    for column in ("request", "runs", "median ms", "p95 ms", "mean ms"):
        table.add_column(column, justify="left" if column == "request" else "right")
    for t in timings:
        table.add_row(
            t.name, str(t.runs), f"{t.median_ms:.2f}", f"{t.p95_ms:.2f}", f"{t.mean_ms:.2f}"
        )
    console.print(table)
    console.print(f"Ratio (median): {timings[0].median_ms / timings[1].median_ms:,.0f}×")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_report(args.output, timings, html, args.comments, seeded.max_depth)
    console.print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
