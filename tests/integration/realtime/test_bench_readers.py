"""The benchmark's fan-out readers (hallway.bench.live, hallway.bench.stamped): Python's,
Node.js's and the kernel-stamped clients time the same events the same way, on the
clock the poster uses, against the bare python-socketio server served by the
production recipe."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hallway.bench import live, run, servers, stamped

pytestmark = pytest.mark.production_server

_missing = servers.gunicorn_available()
if _missing is not None:
    pytest.skip(f"the production recipe cannot run here: {_missing}", allow_module_level=True)

READERS = 5
POSTS = 3
FRAME_BYTES = 3_000


@pytest.fixture(scope="module")
def bare_server(tmp_path_factory: pytest.TempPathFactory):
    servers.raise_open_file_limit()
    workdir = Path(tmp_path_factory.mktemp("bare"))
    with servers.running("bare-test", run.BARE_APP, {}, workdir) as server:
        yield server


def _pool(kind: str) -> run.FanOutReaders:
    if kind == "stamped":
        return stamped.StampedReaders()
    if kind == "node":
        if live.node_path() is None:
            pytest.skip("Node.js with socket.io-client is not installed (make assets)")
        return live.NodeClientPool(2)
    return live.ClientPool(2)


def _join_all(pool: run.FanOutReaders, server: servers.Server) -> None:
    connected = pool.connect(
        live.ConnectSpec(
            server.url,
            READERS,
            origin=server.url,
            join_event="join",
            join_data={},
            record=("comment_created",),
        )
    )
    assert (connected.connected, connected.joined, connected.errors) == (READERS, READERS, [])


@pytest.mark.parametrize("kind", ["python", "node", "stamped"])
def test_every_reader_times_every_post_from_its_start(bare_server, kind):
    with _pool(kind) as pool:
        _join_all(pool, bare_server)
        poster = run.bare_poster(bare_server, FRAME_BYTES)
        for _ in range(POSTS):
            poster.post_once()
        deadline = time.monotonic() + 10
        receipts: list[live.Receipt] = []
        while len(receipts) < READERS * POSTS and time.monotonic() < deadline:
            time.sleep(0.05)
            receipts += pool.receipts()
        done = time.monotonic()
        assert sorted(ident for _, ident, _ in receipts) == sorted(list(poster.sent) * READERS)
        for received, ident, size in receipts:
            assert poster.sent[ident] < received < done  # one clock for poster and readers
            assert abs(size - FRAME_BYTES) < 100
        still_open, events = pool.stats()
        assert still_open == READERS
        assert events == [POSTS] * READERS


def test_stamped_readers_time_a_frame_when_it_arrived_not_when_they_read_it(bare_server):
    with stamped.StampedReaders() as readers:
        _join_all(readers, bare_server)
        poster = run.bare_poster(bare_server, FRAME_BYTES)
        ident = poster.post_once()
        time.sleep(1.0)  # the frames wait in the sockets, unread
        read_at = time.monotonic()
        receipts = readers.receipts()
        assert [each for _, each, _ in receipts] == [ident] * READERS
        for received, _, _ in receipts:
            assert poster.sent[ident] < received < read_at - 0.5

