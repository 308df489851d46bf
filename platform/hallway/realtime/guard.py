"""What the Socket.IO server refuses before a feature's handler sees it.

- **Frame size**, before the frame is read: a long-polling body over the limit is
  answered 413 from its Content-Length (``limit_polling_bodies``) and, with the threading
  and the gevent servers, simple-websocket's ``max_message_size`` closes a WebSocket
  whose message grows past the limit while it arrives (code 1009), instead of
  buffering all of it. WebSockets are never compressed (no permessage-deflate).
- **Malformed packets** (not Engine.IO, not Socket.IO, JSON nested too deeply): the
  libraries log each with a traceback at ERROR; we log one WARNING line and drop it.
- **Payloads**: one argument, an object (or nothing), nested at most
  ``json_input.MAX_DEPTH`` levels, no lone surrogates, no non-finite numbers.
- **Rate**: a token bucket per connection; an event over the limit is answered
  ``{"ok": false, "error": "Too many requests..."}`` and not processed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from hallway.core.errors import DomainError, InvalidInput
from hallway.core.json_input import BadJSON, SocketJSON, check_value

#: Largest Socket.IO message accepted (a WebSocket message or a polling request body).
DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024
#: Each connection may send this many events at once, then this many per second.
DEFAULT_EVENT_BURST = 20
DEFAULT_EVENTS_PER_SECOND = 10.0

logger = logging.getLogger(__name__)

#: Messages python-engineio and python-socketio log with a traceback when a client
#: sends something they cannot decode or dispatch. Our own handlers never let an
#: exception reach them (see ``server._as_unit_of_work``): these are the client's fault.
_MALFORMED_PACKET_MESSAGES = {
    "message handler error",
    "post request handler error",
    "Unknown receive error",
}


class TooManyRequests(DomainError):
    status_code = 429


class MalformedPacketFilter(logging.Filter):
    """Turn the libraries' traceback for a client's garbage into one WARNING line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.getMessage() in _MALFORMED_PACKET_MESSAGES:
            error = record.exc_info[1]
            record.msg = "Dropped a malformed Socket.IO packet (%s: %s)"
            record.args = (type(error).__name__, str(error)[:200])
            record.levelno = logging.WARNING
            record.levelname = logging.getLevelName(logging.WARNING)
            record.exc_info = None
            record.exc_text = None
        return True


def library_loggers() -> dict[str, logging.Logger]:
    """The loggers handed to Flask-SocketIO for python-socketio and python-engineio."""
    loggers = {
        "logger": logging.getLogger("hallway.realtime.socketio"),
        "engineio_logger": logging.getLogger("hallway.realtime.engineio"),
    }
    for library_logger in loggers.values():
        if not any(isinstance(f, MalformedPacketFilter) for f in library_logger.filters):
            library_logger.addFilter(MalformedPacketFilter())
        if library_logger.level == logging.NOTSET:
            # Both libraries log every packet at INFO: keep that out of the app's log.
            library_logger.setLevel(logging.WARNING)
    return loggers


def server_options(app: Flask) -> dict[str, Any]:
    """Keyword arguments for ``SocketIO.init_app``."""
    return {
        "max_http_buffer_size": max_message_bytes(app),
        "json": SocketJSON,
        **library_loggers(),
    }


def max_message_bytes(app: Flask) -> int:
    return int(app.config.get("SOCKET_MAX_MESSAGE_BYTES") or DEFAULT_MAX_MESSAGE_BYTES)


def limit_websocket_messages(eio_server: Any, max_bytes: int) -> None:
    """Make the server's WebSocket close a message that grows past ``max_bytes``, and
    refuse permessage-deflate.

    Engine.IO builds its WebSocket wrapper (simple-websocket, under threads and under
    gevent alike) without simple-websocket's ``max_message_size`` and only checks the
    size of a message after reading all of it; this hands the limit to the wrapper it
    builds. simple-websocket accepts permessage-deflate whenever a browser offers it
    (they all do), which keeps a compressor and a decompressor per connection, about
    200 kB each: with thousands of live members that is most of a process's memory,
    for messages of a few hundred bytes. The offer is dropped before the handshake, so
    the connection is plain. Other servers (eventlet, gevent-websocket) set their own
    limit from ``max_http_buffer_size``.
    """
    from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI

    build = eio_server._async.get("websocket")
    if not (isinstance(build, type) and issubclass(build, SimpleWebSocketWSGI)):
        return

    class LimitedWebSocket(build):  # type: ignore[misc, valid-type]
        server_args: dict[str, Any]

        def __init__(self, handler: Any, server: Any, **kwargs: Any) -> None:
            super().__init__(handler, server, **kwargs)
            # gevent's wrapper takes no keyword arguments: set the limit on what it keeps.
            self.server_args = {**self.server_args, "max_message_size": max_bytes}

        def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)  # no permessage-deflate
            return super().__call__(environ, start_response)

        def wait(self) -> Any:
            message = super().wait()
            if message is not None and not _is_engineio_packet(message):
                # Engine.IO would raise on it outside any handler: a traceback per frame.
                logger.warning("Closed a WebSocket that sent a malformed Engine.IO packet")
                return None  # as if the client had closed the connection
            return message

    # A copy: the driver's table is shared by every server in the process.
    eio_server._async = {**eio_server._async, "websocket": LimitedWebSocket}


def limit_polling_bodies(app: Flask, max_bytes: int, path: str = "socket.io") -> None:
    """Answer 413 to a long-polling POST over ``max_bytes``, before Engine.IO sees it.

    Engine.IO refuses such a body itself, but by closing the session and then waiting
    for a GET to collect the close packet: a client that never sends that GET holds a
    server thread forever. Nothing of the body is read here either.
    """
    inner = app.wsgi_app
    prefix = "/" + path.strip("/")

    def refuse_large_bodies(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "").startswith(
            prefix
        ):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = max_bytes + 1
            if length > max_bytes:
                start_response(
                    "413 Request Entity Too Large",
                    [("Content-Type", "text/plain"), ("Connection", "close")],
                )
                return [b"Message too large"]
        return inner(environ, start_response)

    app.wsgi_app = refuse_large_bodies  # type: ignore[method-assign]


def _is_engineio_packet(message: Any) -> bool:
    from engineio.packet import Packet

    try:
        Packet(encoded_packet=message)
    except Exception:  # noqa: BLE001 - whatever garbage makes Engine.IO raise
        return False
    return True


def check_payload(args: tuple[Any, ...]) -> Any:
    """The one payload a handler takes: an object or nothing, else InvalidInput."""
    if len(args) > 1:
        raise InvalidInput("Send one object with the event, not several values.")
    payload = args[0] if args else None
    if payload is not None and not isinstance(payload, dict):
        raise InvalidInput("Expected an object.", {"_schema": ["Expected an object."]})
    try:
        check_value(payload)
    except BadJSON as error:
        raise InvalidInput(error.message) from error
    return payload


class EventRateLimiter:
    """A token bucket per connection: ``burst`` events at once, ``rate`` per second after."""

    def __init__(
        self,
        burst: int = DEFAULT_EVENT_BURST,
        rate: float = DEFAULT_EVENTS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, sid: str) -> None:
        """Spend one token of ``sid``'s bucket, or raise TooManyRequests."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(sid, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[sid] = (tokens, now)
                raise TooManyRequests("Too many requests: please slow down and try again.")
            self._buckets[sid] = (tokens - 1, now)

    def forget(self, sid: str) -> None:
        with self._lock:
            self._buckets.pop(sid, None)


def rate_limiter_for(app: Flask) -> EventRateLimiter:
    return EventRateLimiter(
        burst=int(app.config.get("SOCKET_EVENT_BURST") or DEFAULT_EVENT_BURST),
        rate=float(app.config.get("SOCKET_EVENTS_PER_SECOND") or DEFAULT_EVENTS_PER_SECOND),
    )
