"""JSON that comes in: refused in one place when it is JSON nobody should send.

Python's ``json`` accepts things that only fail later, far from the request: nesting
a few thousand levels deep (RecursionError), integers of more than 4,300 digits (a
ValueError from ``int``), ``NaN``/``Infinity`` and ``1e999`` (which ``int()`` cannot
convert), and lone surrogates such as ``"\\ud800"`` (a valid JSON escape, but not a
character: encoding it for the database or an email fails). HTTP bodies are checked
by a ``before_request`` hook, once, before any view, flask-smorest/webargs or schema
reads them: such a body gets a 400 with ``{"error": ...}``. The app's JSON provider
uses the same loader, so ``request.get_json()`` is safe too. Socket.IO payloads go
through :func:`check_value` in the real-time server's wrapper. Query strings and form
fields are text already (invalid UTF-8 arrives as U+FFFD); a NUL in them is refused
with a 400 here too, since PostgreSQL cannot store it.
"""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Flask, Response, abort, jsonify, request
from flask.json.provider import DefaultJSONProvider

#: Deeper than any real request; well below Python's recursion limit.
MAX_DEPTH = 32

NOT_JSON = "The request body is not valid JSON."
TOO_DEEP = f"The JSON is nested more than {MAX_DEPTH} levels deep."
NOT_FINITE = "The JSON has a number that is not finite (NaN, Infinity or 1e999)."
SURROGATE = "The JSON has text with a lone surrogate (such as \\ud800)."
NUL_TEXT = "The JSON has text with a NUL character (\\u0000)."


class BadJSON(ValueError):
    """JSON refused before use; ``message`` is what the client is told."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise BadJSON(NOT_FINITE)
    return number


def _refuse_constant(name: str) -> float:
    raise BadJSON(NOT_FINITE)


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_value(data: Any) -> None:
    """Refuse (BadJSON) nesting deeper than MAX_DEPTH, lone surrogates, NUL characters
    (PostgreSQL cannot store them) and non-finite numbers.

    Iterative, so that checking a deep value cannot itself run out of stack.
    """
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _has_lone_surrogate(value):
                raise BadJSON(SURROGATE)
            if "\x00" in value:
                raise BadJSON(NUL_TEXT)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise BadJSON(NOT_FINITE)
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise BadJSON(TOO_DEEP)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    stack.append((key, depth))
                stack.append((item, depth + 1))


def loads(text: str | bytes | bytearray) -> Any:
    """``json.loads`` that raises BadJSON (a ValueError) for everything described above."""
    try:
        data = json.loads(text, parse_float=_finite_float, parse_constant=_refuse_constant)
    except BadJSON:
        raise
    except RecursionError as error:
        raise BadJSON(TOO_DEEP) from error
    except ValueError as error:  # bad syntax, bad UTF-8, more than 4,300 digits
        raise BadJSON(NOT_JSON) from error
    check_value(data)
    return data


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON with :func:`loads`: ``request.get_json()`` turns a BadJSON into a 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)


class SocketJSON:
    """The json module python-socketio decodes packets with.

    A packet nested too deeply to decode becomes a ValueError (a malformed packet,
    dropped), not a RecursionError; what decodes is checked by the handler wrapper.
    """

    @staticmethod
    def dumps(obj: Any, **kwargs: Any) -> str:
        return json.dumps(obj, **kwargs)

    @staticmethod
    def loads(text: str | bytes, **kwargs: Any) -> Any:
        try:
            return json.loads(text, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error


def _refuse_bad_json_body() -> tuple[Response, int] | None:
    """Parse a JSON body once, up front; views and webargs then read a checked body."""
    if not request.is_json:
        return None
    body = request.get_data(cache=True)
    if not body:
        return None  # no body: the schema says which fields are missing
    try:
        loads(body)
    except BadJSON as error:
        return jsonify({"error": error.message}), 400
    return None


def _refuse_nul_characters() -> None:
    """NUL in the path, a query string or a form field: no text here has one, and
    PostgreSQL refuses to store or compare it (an error deep in the driver)."""
    fields = [request.path, *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields += request.form.values()
    if any("\x00" in value for value in fields):
        abort(400, description="Text must not contain NUL characters.")
    return None


def register_json_input(app: Flask) -> None:
    app.json = StrictJSONProvider(app)
    app.before_request(_refuse_bad_json_body)
    app.before_request(_refuse_nul_characters)
