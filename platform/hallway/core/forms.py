"""Form helpers shared by every feature's pages."""

from __future__ import annotations

import functools
import time
from typing import Any

import flask_wtf
from flask import current_app, g, request, session
from flask_babel import gettext
from flask_wtf.csrf import generate_csrf
from flask_wtf.form import _Auto  # FlaskForm's "read the request" default for formdata
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import ImmutableMultiDict

from hallway.core.converters import MAX_ID
from hallway.core.errors import DomainError


class FlaskForm(flask_wtf.FlaskForm):
    """Flask-WTF's form, whose fields only ever receive text.

    Flask-WTF also fills a form from a JSON body, handing each value over as it is: a
    number, a list, an object or null where every field and validator expects text (a
    TypeError deep in WTForms, a 500), and a body that is not an object fails to wrap
    at all. Pages post forms; a JSON body posted to a page is read as the form fields
    it names, each scalar as its text, anything else ignored.
    """

    class Meta(flask_wtf.FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is _Auto and request.is_json and not (request.form or request.files):
                if not form.is_submitted():
                    return None
                return _json_as_form_fields(request.get_json(silent=True))
            return super().wrap_formdata(form, formdata)


def _json_as_form_fields(data: Any) -> ImmutableMultiDict[str, str]:
    def text(value: Any) -> str | None:
        if isinstance(value, bool):
            return "y" if value else None
        if isinstance(value, str | int | float):
            return str(value)
        return None

    pairs: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            for item in value if isinstance(value, list) else [value]:
                if (as_text := text(item)) is not None:
                    pairs.append((key, as_text))
    return ImmutableMultiDict(pairs)


def show_field_errors(form: FlaskForm, error: DomainError) -> None:
    """Put a service's refusal next to the fields it concerns, or above the form."""
    placed = False
    for field_name, messages in error.field_errors.items():
        field = getattr(form, field_name, None)
        if field is not None:
            field.errors = [*field.errors, *messages]
            placed = True
    if not placed:
        form.form_errors.append(error.message)


def coerce_id(value: object) -> int:
    """``SelectField(coerce=coerce_id)``: an id within the 64-bit range, else "not a choice".

    WTForms turns the ValueError into the field's "could not coerce" error; a bare
    ``int`` would let 2**64 through to the database driver.
    """
    number = int(str(value).strip())  # ValueError for "", "x" and 5,000 digits alike
    if not 1 <= number <= MAX_ID:
        raise ValueError(gettext("That is not a valid choice."))
    return number


def id_or_none(value: object) -> int | None:
    """An id typed into (or left in) a form field, or None when it is not a valid one."""
    try:
        return coerce_id(value)
    except ValueError:
        return None


#: Where Flask-WTF keeps the request's token in ``g`` (its ``WTF_CSRF_FIELD_NAME``).
CSRF_FIELD = "csrf_token"


#: How long one session's signed CSRF token is handed out before a new one is signed.
CSRF_RESIGN_SECONDS = 60


def csrf_token() -> str:
    """The request's CSRF token, kept in ``g`` where Flask-WTF's ``generate_csrf`` keeps
    it (a page puts it in several places).

    Tokens never expire (``WTF_CSRF_TIME_LIMIT`` is None: they last as long as the
    session's secret), so a session's signed token is reused for a minute instead of
    signed again on every page: signing costs as much as one of the page's statements."""
    token = g.get(CSRF_FIELD)
    if token is None:
        secret = session.get(CSRF_FIELD)
        if not isinstance(secret, str):
            return generate_csrf()  # the session's first form: Flask-WTF makes its secret
        signing_key = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        minute = int(time.time()) // CSRF_RESIGN_SECONDS
        token = _signed_csrf_token(signing_key, secret, minute)
        setattr(g, CSRF_FIELD, token)
    return token


@functools.lru_cache(maxsize=10_000)
def _signed_csrf_token(signing_key: str, secret: str, minute: int) -> str:
    """What ``generate_csrf`` would sign; ``minute`` only keys the cache."""
    return URLSafeTimedSerializer(signing_key, salt="wtf-csrf-token").dumps(secret)
