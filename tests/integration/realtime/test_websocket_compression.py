"""Every browser offers permessage-deflate; the server declines it, so a live connection
costs no zlib compressor and decompressor (hundreds of kB each, for thousands of members).

The production recipe (gevent) is checked in test_production_server.py; this is the
threaded server of `make run` and the tests.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from websockets.asyncio.client import connect


async def _negotiated_extensions(base_url: str) -> tuple[str | None, str]:
    url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with connect(
        url, origin=base_url, compression="deflate", ping_interval=None, close_timeout=1
    ) as ws:
        opening = await ws.recv()
        assert ws.response is not None
        return ws.response.headers.get("Sec-WebSocket-Extensions"), str(opening)


def test_websocket_offered_compression_is_declined(live_server):
    # A thread of its own: an earlier test may have left an event loop in this one.
    with ThreadPoolExecutor(1) as thread:
        run = thread.submit(asyncio.run, _negotiated_extensions(live_server.url))
        extensions, opening = run.result(timeout=30)
    assert opening.startswith("0{")  # Engine.IO opened the session: the socket works
    assert extensions is None
