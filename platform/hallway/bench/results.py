"""What one run of `make bench` measured (filled by ``run``, written out by ``report``)."""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hallway.bench import wrk
from hallway.bench.seed import Seeded
from hallway.bench.stats import percentile

if TYPE_CHECKING:
    from hallway.bench.rooms import RoomsResults


@dataclass
class PageResult:
    name: str
    path: str
    html_bytes: int
    loads: dict[int, wrk.Load] = field(default_factory=dict)  # by connections


@dataclass
class LiveCapacity:
    server: str
    target: int
    connected: int = 0
    joined: int = 0
    deflate: int = 0
    connect_seconds: float = 0.0
    rss_before_kib: int = 0
    rss_after_kib: int = 0
    messages_sent: int = 0
    still_open: int = 0
    delivered: int = 0
    expected: int = 0
    page: str = ""
    idle: wrk.Load | None = None
    busy: wrk.Load | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def kib_per_connection(self) -> float:
        return (self.rss_after_kib - self.rss_before_kib) / max(self.connected, 1)


@dataclass
class FanOut:
    server: str
    readers: int
    posts: int
    processes: int = 1  # server processes sharing the readers (over Redis when 2)
    #: The readers: "stamped" (the kernel's receive stamps), "node" or "python".
    timed_by: str = "stamped"
    latencies_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    delivered: int = 0
    frame_bytes: int = 0
    errors: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        return percentile(self.latencies_ms, share)


@dataclass
class Results:
    args: argparse.Namespace
    seeded: Seeded
    database: str
    pages: list[PageResult] = field(default_factory=list)
    hello: PageResult | None = None
    memory: dict[str, int] = field(default_factory=dict)
    scaling: dict[int, float] = field(default_factory=dict)  # processes -> requests/s
    cpu_parallelism: float | None = None  # 2 processes of pure Python against 1
    capacity: list[LiveCapacity] = field(default_factory=list)
    fanout: list[FanOut] = field(default_factory=list)
    wakeup_ms: tuple[float, float] | None = None  # hello world p50: back to back, after idle
    rooms: RoomsResults | None = None  # hallway.bench.rooms
    started: float = field(default_factory=time.time)
    load_before: tuple[float, float, float] = field(default_factory=os.getloadavg)
