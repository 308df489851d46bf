"""Flask's signed-cookie sessions, each cookie checked once."""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature


class CheckedCookieSessions(SecureCookieSessionInterface):
    """Flask's own sessions (a signed, timestamped cookie), keeping what the last few
    thousand cookies were checked to hold.

    A browser sends the same session cookie with every page until the session changes,
    and checking it (building a serializer, the signature, the timestamp, the tagged
    JSON) cost ~5% of a page. Only the exact text that passed the check is kept; its
    age is checked on every use, as Flask does, and each request gets its own copy of
    the contents."""

    kept_cookies = 4096

    def __init__(self) -> None:
        #: cookie text -> (its contents, when it was signed, in whole seconds)
        self._checked: OrderedDict[str, tuple[dict[str, Any], int]] = OrderedDict()
        self._lock = threading.Lock()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie or not app.secret_key:
            return super().open_session(app, request)
        with self._lock:
            checked = self._checked.get(cookie)
            if checked is not None:
                self._checked.move_to_end(cookie)
        if checked is None:
            return self._check(app, cookie)
        contents, signed_at = checked
        age = int(time.time()) - signed_at
        if not 0 <= age <= app.permanent_session_lifetime.total_seconds():
            return self.session_class()  # expired, as Flask's own check would say
        return self.session_class(copy.deepcopy(contents))

    def _check(self, app: Flask, cookie: str) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            contents, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        with self._lock:
            self._checked[cookie] = (contents, int(signed_at.timestamp()))
            if len(self._checked) > self.kept_cookies:
                self._checked.popitem(last=False)
        return self.session_class(copy.deepcopy(contents))
