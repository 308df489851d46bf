"""Security headers on every response; pages that work without a single inline script."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from hallway import create_app
from tests.integration.core.routes import routes


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    pairs = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {pair[0]: pair[1] if len(pair) > 1 else "" for pair in pairs}


def assert_security_headers(response, where: str) -> None:
    policy = directives(response)
    assert policy["script-src"] == "'self'", where  # no 'unsafe-inline', no other host
    assert policy["frame-ancestors"] == "'none'", where
    assert policy["object-src"] == "'none'", where
    assert policy["base-uri"] == "'self'", where
    assert response.headers["X-Frame-Options"] == "DENY", where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", where
    assert "Strict-Transport-Security" not in response.headers, where  # development


class InlineScriptFinder(HTMLParser):
    """Collects every <script> with code in it and every on...= handler attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            kind = (named.get("type") or "text/javascript").lower()
            self._in_inline_script = not named.get("src") and "json" not in kind

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"<script>{data.strip()[:60]}…</script>")


def inline_scripts(html: str) -> list[str]:
    finder = InlineScriptFinder()
    finder.feed(html)
    return finder.problems


def test_the_finder_sees_inline_scripts_and_handlers():
    assert inline_scripts('<script>alert(1)</script><button onclick="go()">x</button>') == [
        "<script>alert(1)…</script>",
        "<button onclick='go()'>",
    ]
    assert inline_scripts('<script src="/static/js/hallway.js" defer></script>') == []


@pytest.mark.parametrize("who", ["visitor", "member", "admin"])
def test_every_page_carries_the_headers_and_needs_no_inline_script(app, world, log_in, who):
    user = {"visitor": None, "member": world.member, "admin": world.admin}[who]
    browser = log_in(user)
    checked = 0
    for route in routes(app):
        if "GET" not in route.methods:
            continue
        path = world.path(route)
        response = browser.client.get(path, follow_redirects=True)
        assert response.status_code < 500, path
        assert_security_headers(response, path)
        if response.mimetype == "text/html":
            assert inline_scripts(response.get_data(as_text=True)) == [], path
            checked += 1
    assert checked >= 15  # the main pages really were looked at


def test_error_pages_json_and_static_files_carry_the_headers_too(client):
    for path in ("/no/such/page", "/api/v1/me", "/static/css/hallway.css", "/healthz"):
        assert_security_headers(client.get(path), path)


def test_live_updates_may_connect_to_the_same_host_over_websockets(client):
    policy = directives(client.get("/", base_url="http://hallway.example:5201"))
    assert policy["connect-src"].split() == [
        "'self'", "ws://hallway.example:5201", "wss://hallway.example:5201"
    ]


def test_a_strange_host_header_is_not_copied_into_the_policy(client):
    policy = directives(client.get("/", headers={"Host": "evil; script-src *"}))
    assert policy["connect-src"] == "'self'"
    assert policy["script-src"] == "'self'"


def test_hsts_only_in_production(app_settings, monkeypatch):
    monkeypatch.setenv("HALLWAY_ENV", "production")
    production = create_app(app_settings)
    response = production.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
