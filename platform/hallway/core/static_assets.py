"""Static files under content-hashed names, cached for a year, compressed once.

``url_for('static', filename='css/hallway.css')`` gives
``/static/css/hallway.<12 hex digits of its SHA-256>.css`` (a ``url_defaults`` hook, so
templates keep calling ``url_for``). That name is served with
``Cache-Control: public, max-age=31536000, immutable``: new content gets a new name,
so a browser never has to ask again. Other names still work and are revalidated every
time (``no-cache`` with an ETag): the plain name, for links from outside, and a name
with an out-of-date digest, which serves the current file so a page rendered before a
deploy keeps its styles and scripts (it is never marked immutable).

No build step and nothing written to static/: files are read and hashed on first use
and kept in memory (static/ is a few hundred KB). With debug on (FLASK_DEBUG=1) a
changed file is re-read, so its URL changes as you edit; otherwise restart the server
after editing static/, as for templates. CSS, JavaScript and SVG are compressed once per
process, on first request, at brotli 9 and gzip 9, and sent with Content-Encoding set, so
Flask-Compress (core/compression.py) does not compress them again per request. (Brotli 11
would save another 6 % on pico.min.css but takes ~350 ms, which would hold up a gevent
worker; brotli 9 takes ~80 ms, once.)
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any

import brotli
from flask import Flask, Response, current_app, request
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
DIGEST_LENGTH = 12
COMPRESSIBLE = {
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/plain",
}
MIN_COMPRESS_SIZE = 500

# "css/hallway.0123456789ab.css" -> ("css/hallway", "0123456789ab", ".css")
_HASHED_NAME = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[^./]+)$"
)


@dataclass
class Asset:
    name: str
    body: bytes
    mimetype: str
    digest: str
    stamp: tuple[int, int]  # (mtime_ns, size): re-read when it changes (debug)
    encoded: dict[str, bytes] = field(default_factory=dict)

    @property
    def hashed_name(self) -> str:
        stem, dot, suffix = self.name.rpartition(".")
        if not dot or "/" in suffix:
            return f"{self.name}.{self.digest}"
        return f"{stem}.{self.digest}.{suffix}"

    def encoding(self, algorithm: str) -> bytes | None:
        """The body compressed with ``algorithm`` ("br" or "gzip"), or None when not
        worth it (an image, a tiny file)."""
        if self.mimetype not in COMPRESSIBLE or len(self.body) < MIN_COMPRESS_SIZE:
            return None
        if algorithm not in self.encoded:
            if algorithm == "br":
                self.encoded[algorithm] = brotli.compress(self.body, quality=9)
            else:
                self.encoded[algorithm] = gzip.compress(self.body, 9, mtime=0)
        return self.encoded[algorithm]


class StaticAssets:
    def __init__(self, folder: str | Path, *, watch: bool = False) -> None:
        self.folder = str(folder)
        self.watch = watch
        self._assets: dict[str, Asset | None] = {}
        self._lock = threading.Lock()

    def find(self, name: str) -> Asset | None:
        """The file ``name`` under the static folder, or None when there is none."""
        if name in self._assets and not self.watch:
            return self._assets[name]
        asset = self._assets.get(name)
        joined = safe_join(self.folder, name)
        path = Path(joined) if joined else None
        try:
            stat = path.stat() if path else None
        except OSError:
            stat = None
        if path is None or stat is None or not S_ISREG(stat.st_mode):
            asset = None
        elif asset is None or asset.stamp != (stat.st_mtime_ns, stat.st_size):
            asset = _read(name, path, (stat.st_mtime_ns, stat.st_size))
        with self._lock:
            self._assets[name] = asset
        return asset

    def url_name(self, name: str) -> str:
        asset = self.find(name)
        return asset.hashed_name if asset else name

    def response(self, filename: str) -> Response:
        asset = self.find(filename)
        immutable = False
        if asset is None:
            match = _HASHED_NAME.match(filename)
            if match:
                asset = self.find(match["stem"] + match["suffix"])
                immutable = asset is not None and asset.digest == match["digest"]
        if asset is None:
            raise NotFound()
        return _respond(asset, immutable=immutable)


def _read(name: str, path: Path, stamp: tuple[int, int]) -> Asset:
    body = path.read_bytes()
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    digest = hashlib.sha256(body).hexdigest()[:DIGEST_LENGTH]
    return Asset(name=name, body=body, mimetype=mimetype, digest=digest, stamp=stamp)


def _respond(asset: Asset, *, immutable: bool) -> Response:
    encodings = request.accept_encodings
    body, algorithm = asset.body, None
    for candidate in sorted(("br", "gzip"), key=lambda a: -encodings.quality(a)):
        if encodings.quality(candidate) > 0 and (encoded := asset.encoding(candidate)):
            body, algorithm = encoded, candidate
            break
    response = current_app.response_class(body, mimetype=asset.mimetype)
    response.headers["Cache-Control"] = IMMUTABLE if immutable else REVALIDATE
    response.vary.add("Accept-Encoding")
    if algorithm:
        response.headers["Content-Encoding"] = algorithm
    # One ETag per representation: a cache must not answer a gzip request with br.
    response.set_etag(f"{asset.digest}.{algorithm}" if algorithm else asset.digest)
    response.make_conditional(request)
    return response


def register_static_assets(app: Flask) -> None:
    """Serve app.static_folder this way and make url_for('static', ...) hash names."""
    if not app.static_folder:
        return
    assets = StaticAssets(app.static_folder, watch=app.debug)
    app.extensions["hallway_static_assets"] = assets
    app.view_functions["static"] = assets.response

    @app.url_defaults
    def hashed_static_names(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = assets.url_name(values["filename"])
