"""Session cookies are checked once and then kept (hallway.core.sessions): what a page
sees is still exactly what Flask's own check would give it."""

from __future__ import annotations

import time

from flask import request

from hallway.core.sessions import CheckedCookieSessions


def _signed_in(client) -> bool:
    return client.get("/notifications").status_code == 200


def test_a_kept_session_cookie_still_expires(app, logged_in, monkeypatch):
    assert _signed_in(logged_in.client)  # checked, and kept
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(time, "time", lambda: later)
    answer = logged_in.client.get("/notifications")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_a_changed_session_cookie_is_no_session(logged_in):
    assert _signed_in(logged_in.client)
    cookie = logged_in.client.get_cookie("session").value
    payload, _, signature = cookie.rpartition(".")
    forged = f"{payload}.{signature[::-1]}"
    logged_in.client.set_cookie("session", forged)
    assert not _signed_in(logged_in.client)
    logged_in.client.set_cookie("session", cookie)
    assert _signed_in(logged_in.client)


def test_each_request_gets_its_own_copy_of_a_kept_session(app, logged_in):
    """Changes one request makes to its session, nested ones included, are not what
    the next request with the same cookie finds."""
    cookie = logged_in.client.get_cookie("session").value  # holds the log-in's welcome
    interface = app.session_interface
    assert isinstance(interface, CheckedCookieSessions)
    headers = {"Cookie": f"session={cookie}"}
    with app.test_request_context("/", headers=headers):
        first = interface.open_session(app, request)
        welcome = list(first["_flashes"])
        first["_flashes"].append(("message", "only for this request"))
        first["_user_id"] = "someone else"
    with app.test_request_context("/", headers=headers):
        second = interface.open_session(app, request)
    assert second["_flashes"] == welcome
    assert second["_user_id"] != "someone else"
