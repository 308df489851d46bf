"""Template helpers shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, request
from flask import url_for as build_url
from flask.globals import request_ctx
from markupsafe import Markup

from hallway.core.forms import csrf_token
from hallway.core.shell import site_footer, site_header, viewer_id

#: Fixed template URLs kept per process (the templates name a few dozen).
MAX_FIXED_URLS = 1024


def as_character_references(text: str) -> Markup:
    """``text`` written as numeric character references (``&#x1F44D;`` for 👍), which
    browsers show as the characters themselves. For the emoji of the reaction buttons on
    every post and message: one character above U+FFFF makes Python hold the whole page
    at four bytes a character, and every join, copy and encoding of the page pays."""
    return Markup("".join(f"&#x{ord(character):X};" for character in text))


def local_datetime(moment: datetime, time_zone: str) -> str:
    """'Tue 15 Dec 2026, 09:30 PST': a UTC timestamp shown in a given zone."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return local.strftime("%a %-d %b %Y, %H:%M %Z")


def fixed_url_for(*, watch_static: bool) -> Callable[..., str]:
    """``url_for`` for templates, building each fixed URL once per process.

    Every page's shell links the same endpoints without arguments (the navigation, the
    user menu) and the same static files (``url_for('static', filename=...)``, whose
    content-hashed name core/static_assets.py adds): ~25 builds of 3-4 us per page, for
    URLs that only change when the app does. Those are kept, by the request's script
    root (the path the app is mounted at). Anything else (other arguments, a
    blueprint-relative ``.endpoint``, outside a request) is built as usual. With
    ``watch_static`` (debug) static URLs are built every time, so an edited file's new
    hash shows at once. No ``url_defaults`` hook of the app adds per-request values to
    these endpoints (the static one depends on the file alone).
    """
    urls: dict[tuple[str, str, str | None], str] = {}

    def url_for(endpoint: str, **values: Any) -> str:
        key: tuple[str, str, str | None]
        if not values:
            if endpoint[:1] == "." or not request_ctx:
                return build_url(endpoint)
            key = (request.script_root, endpoint, None)
        elif endpoint == "static" and len(values) == 1 and not watch_static:
            filename = values.get("filename")
            if not isinstance(filename, str) or not request_ctx:
                return build_url(endpoint, **values)
            key = (request.script_root, endpoint, filename)
        else:
            return build_url(endpoint, **values)
        url = urls.get(key)
        if url is None:
            url = build_url(endpoint, **values)
            if len(urls) < MAX_FIXED_URLS:
                urls[key] = url
        return url

    return url_for


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["local_datetime"] = local_datetime
    assets = app.extensions.get("hallway_static_assets")
    url_for = fixed_url_for(watch_static=bool(getattr(assets, "watch", app.debug)))

    def vendor(name: str) -> str:
        """Front-end packages from npm, copied into static/vendor by `make assets`."""
        return url_for("static", filename=f"vendor/{name}")

    app.jinja_env.globals.update(
        url_for=url_for,
        vendor=vendor,
        site_header=site_header,
        site_footer=site_footer,
        viewer_id=viewer_id,
    )
    if "csrf_token" in app.jinja_env.globals:  # Flask-WTF's CSRFProtect is set up
        app.jinja_env.globals["csrf_token"] = csrf_token
