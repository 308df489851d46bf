"""Security headers on every response the app makes (pages, API, static files, errors).

The Content-Security-Policy allows scripts from this site only: no inline
``<script>`` and no ``on...=`` attributes anywhere in templates/ (values a script
needs travel in ``data-`` attributes). Styles may be inline ('unsafe-inline' in
style-src): a few templates set a computed colour in a ``style`` attribute (avatar
initials), and an injected style cannot run code. HSTS is sent only when
``HSTS_ENABLED`` is set (HALLWAY_ENV=production, served over HTTPS): on plain-HTTP
development servers it would make browsers refuse the site for a year.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask import Flask, Response, current_app, request

# A Host header we can repeat in the policy: a name or address and a port, nothing else.
_PLAIN_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")

HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(host: str | None) -> str:
    """The policy for a page served at ``host``: its WebSocket endpoints count as its own.

    CSP 3 browsers already match ws:/wss: of the page's host with 'self'; naming them
    keeps live updates working in browsers that predate that rule.
    """
    sockets = f" ws://{host} wss://{host}" if host and _PLAIN_HOST.match(host) else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self'{sockets}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


@lru_cache(maxsize=64)
def security_headers(host: str | None, hsts: bool) -> tuple[tuple[str, str, str], ...]:
    """(name, lower-case name, value) of every header for pages served at ``host``.

    Built once per host (a site answers to a handful): the same on every response.
    """
    headers = [
        ("Content-Security-Policy", content_security_policy(host)),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if hsts:
        headers.append(("Strict-Transport-Security", HSTS))
    return tuple((name, name.lower(), value) for name, value in headers)


def add_security_headers(response: Response) -> Response:
    """Each header unless the response set its own (one pass over its headers, not a
    look-up per header: a missing key costs werkzeug an exception)."""
    headers = response.headers
    present = set(headers.keys(lower=True))
    hsts = bool(current_app.config.get("HSTS_ENABLED"))
    for name, lower, value in security_headers(request.host, hsts):
        if lower not in present:
            headers.add(name, value)
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
