"""HTTP load with wrk (Debian's package `wrk`): requests per second and latency.

Each measurement is the median of a few short rounds. wrk counts a request that takes
longer than its timeout as an error and leaves it out of the latency figures, so the
timeout is generous; any error, timeout or non-2xx/3xx answer makes the round fail
loudly instead of flattering the figures.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

INSTALL_HINT = "wrk is not installed: `apt-get install wrk` (Debian's package), then run again."

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


class LoadFailed(RuntimeError):
    """wrk reported errors, timeouts or non-2xx/3xx answers."""


def wrk_path() -> str | None:
    return shutil.which("wrk")


@dataclass(frozen=True)
class Round:
    requests: int
    requests_per_second: float
    latency_p50_ms: float
    latency_p99_ms: float
    latency_avg_ms: float


@dataclass(frozen=True)
class Load:
    """The median of ``rounds`` rounds at ``connections`` concurrent connections."""

    url: str
    connections: int
    rounds: list[Round]

    @property
    def requests_per_second(self) -> float:
        return statistics.median(r.requests_per_second for r in self.rounds)

    @property
    def latency_p50_ms(self) -> float:
        return statistics.median(r.latency_p50_ms for r in self.rounds)

    @property
    def latency_p99_ms(self) -> float:
        return statistics.median(r.latency_p99_ms for r in self.rounds)

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.rounds)


def _ms(value: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if found is None:
        raise ValueError(f"not a wrk duration: {value!r}")
    return float(found.group(1)) * _UNITS[found.group(2)]


def parse(output: str) -> Round:
    """Read one wrk --latency report; raise LoadFailed on errors or bad statuses."""
    problems = []
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        problems.append(f"{found.group(1)} non-2xx/3xx answers")
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        counts = dict(
            zip(("connect", "read", "write", "timeout"), map(int, found.groups()), strict=True)
        )
        problems.extend(f"{n} {kind} errors" for kind, n in counts.items() if n)
    if problems:
        raise LoadFailed(", ".join(problems))
    requests = re.search(r"(\d+) requests in", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    average = re.search(r"Latency\s+([\d.]+\w+)", output)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    if not (requests and rate and average and p50 and p99):
        raise LoadFailed(f"could not read wrk's report:\n{output}")
    if int(requests.group(1)) == 0:
        raise LoadFailed("no request finished within the round; make the rounds longer")
    return Round(
        requests=int(requests.group(1)),
        requests_per_second=float(rate.group(1)),
        latency_p50_ms=_ms(p50.group(1)),
        latency_p99_ms=_ms(p99.group(1)),
        latency_avg_ms=_ms(average.group(1)),
    )


#: Every request of the bench (wrk's and the Python clients') names the same browser:
#: Flask-Login's session protection ties a log-in to its User-Agent, and a page asked
#: for by another one is answered, as for a stolen cookie, with a re-signed session.
USER_AGENT = "hallway-bench"


def command(
    url: str, connections: int, seconds: float, headers: Mapping[str, str], timeout_s: int = 60
) -> list[str]:
    wrk = wrk_path()
    if wrk is None:
        raise LoadFailed(INSTALL_HINT)
    args = [
        wrk, "--threads", "1", "--connections", str(connections),
        "--duration", f"{max(seconds, 1):.0f}s", "--timeout", f"{timeout_s}s", "--latency",
    ]  # fmt: skip
    for name, value in {"User-Agent": USER_AGENT, **headers}.items():
        args += ["--header", f"{name}: {value}"]
    return [*args, url]


def run_round(url: str, connections: int, seconds: float, headers: Mapping[str, str]) -> Round:
    finished = subprocess.run(
        command(url, connections, seconds, headers),
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    if finished.returncode != 0:
        raise LoadFailed(f"wrk exited with {finished.returncode}: {finished.stderr.strip()}")
    try:
        return parse(finished.stdout)
    except LoadFailed as error:
        raise LoadFailed(f"{url} at c={connections}: {error}") from None


def measure(
    url: str, connections: int, seconds: float, rounds: int, headers: Mapping[str, str]
) -> Load:
    return Load(
        url, connections, [run_round(url, connections, seconds, headers) for _ in range(rounds)]
    )


def run_parallel_round(
    urls: list[str], connections_each: int, seconds: float, headers: Mapping[str, str]
) -> list[Round]:
    """One round against several servers at once (one wrk each, started together)."""
    processes = [
        subprocess.Popen(
            command(url, connections_each, seconds, headers),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for url in urls
    ]
    rounds = []
    for url, process in zip(urls, processes, strict=True):
        out, err = process.communicate(timeout=seconds + 120)
        if process.returncode != 0:
            raise LoadFailed(f"wrk exited with {process.returncode}: {err.strip()}")
        try:
            rounds.append(parse(out))
        except LoadFailed as error:
            raise LoadFailed(f"{url} at c={connections_each}: {error}") from None
    return rounds
