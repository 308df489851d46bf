"""Pages, JSON and text compressed with brotli or gzip (Flask-Compress).

Levels are chosen for pages, which are compressed on every request and have a time
budget. Measured in-process on 60 KB of the members directory's HTML (issue 9): brotli
2 takes 0.15 ms (60 -> 12.0 KB), gzip 1 0.20 ms (-> 13.7 KB); the libraries' defaults,
brotli 4 and gzip 6, take 0.55-0.7 ms for a page only 0.1-1.7 KB smaller. Static
files are compressed once at the highest levels by core/static_assets.py, which sets
Content-Encoding itself, so Flask-Compress leaves them alone.

What is never compressed: responses under COMPRESS_MIN_SIZE bytes (the headers would
cost more than the saving), images (already compressed; SVG is text and is), and
Socket.IO/Engine.IO traffic, which Flask-SocketIO's middleware answers before Flask
(Engine.IO compresses its own long-polling bodies over 1 KB; WebSocket frames are not).
Every response says ``Vary: Accept-Encoding`` so shared caches keep the variants apart.
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

COMPRESSIBLE_MIMETYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/xml",
    "image/svg+xml",
]

SETTINGS = {
    "COMPRESS_MIMETYPES": COMPRESSIBLE_MIMETYPES,
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    # Streamed bodies: Flask-Compress leaves gzip out of its streaming path.
    "COMPRESS_ALGORITHM_STREAMING": ["br"],
    "COMPRESS_BR_LEVEL": 2,
    "COMPRESS_LEVEL": 1,
    "COMPRESS_MIN_SIZE": 500,
}


def register_compression(app: Flask) -> None:
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    Compress(app)
