"""Behind a proxy (docs/deploy.md): with HALLWAY_TRUSTED_PROXIES set, the client's address
and scheme come from the proxy's X-Forwarded-* headers; without it they are ignored,
since anyone can send them."""

from flask import request

from hallway import create_app


def _app_seeing_clients(app_settings: dict, **overrides):
    app = create_app({**app_settings, **overrides})

    @app.get("/_test/client")
    def client_seen() -> str:
        return f"{request.remote_addr} {request.scheme}"

    return app


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def test_the_address_the_proxy_forwards_is_the_clients(app_settings):
    app = _app_seeing_clients(app_settings, TRUSTED_PROXIES=1)
    seen = app.test_client().get("/_test/client", headers=FORWARDED)
    assert seen.get_data(as_text=True) == "203.0.113.7 https"


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(app_settings):
    app = _app_seeing_clients(app_settings, TRUSTED_PROXIES=0)
    seen = app.test_client().get("/_test/client", headers=FORWARDED)
    assert seen.get_data(as_text=True) == "127.0.0.1 http"
