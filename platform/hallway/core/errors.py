"""Domain errors raised by services and turned into responses at the boundary.

A service refuses an action by raising one of these; the view, API route or
socket handler decides how the refusal looks (an error page, a JSON body with
field messages, or an error acknowledgement).
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}

    def to_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"error": self.message}
        if self.field_errors:
            body["errors"] = self.field_errors
        return body


class InvalidInput(DomainError):
    status_code = 422


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def _field_errors_of(error: HTTPException) -> dict | None:
    """Field messages from flask-smorest/webargs validation, without the location level."""
    messages = (getattr(error, "data", None) or {}).get("messages")
    if not messages:
        return None
    if len(messages) == 1:
        return next(iter(messages.values()))
    return messages


def _http_error_texts(error: HTTPException) -> tuple[str, str | None]:
    """The page's title and message for an HTTP error, in the reader's language.

    Werkzeug's own names and descriptions are English: the ones readers meet are
    translated here. A description the code gave (``abort(404, description=...)``) is
    kept; other statuses keep Werkzeug's words.
    """
    texts = {
        400: (
            gettext("Bad request"),
            gettext("The page could not understand what was sent. Please go back and try again."),
        ),
        403: (gettext("Not allowed"), gettext("You are not allowed to open this page.")),
        404: (
            gettext("Page not found"),
            gettext("There is nothing at this address. It may have moved or been removed."),
        ),
        405: (
            gettext("Not available this way"),
            gettext("This address does not answer that kind of request."),
        ),
    }.get(error.code or 500)
    if texts is None:
        return error.name, error.description
    title, message = texts
    if error.description != type(error).description:
        message = error.description or message
    return title, message


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        if wants_json():
            return jsonify(error.to_dict()), error.status_code
        return (
            render_template("error.html", title=error.message, status=error.status_code),
            error.status_code,
        )

    @app.errorhandler(429)
    def handle_too_many_requests(_error: HTTPException):
        message = gettext("Too many attempts. Please wait a few minutes and try again.")
        if wants_json():
            return jsonify({"error": message}), 429
        return render_template("429.html"), 429

    @app.errorhandler(413)
    def handle_too_large(_error: HTTPException):
        limit_mb = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        message = gettext(
            "That upload is too large: at most %(limit)d MB can be sent at once "
            "(profile pictures: 2 MB). Please choose a smaller file.",
            limit=limit_mb,
        )
        if wants_json():
            return jsonify({"error": message}), 413
        return render_template(
            "error.html", title=gettext("File too large"), message=message, status=413
        ), 413

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        if wants_json():
            body: dict[str, object] = {"error": error.description or error.name}
            if field_errors := _field_errors_of(error):
                body["errors"] = field_errors
            return jsonify(body), status
        title, message = _http_error_texts(error)
        return (
            render_template("error.html", title=title, message=message, status=status),
            status,
        )

    @app.errorhandler(Exception)
    def handle_unexpected_error(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return jsonify({"error": gettext("Something went wrong on our side.")}), 500
        return (
            render_template(
                "error.html",
                title=gettext("Something went wrong"),
                message=gettext("Something went wrong on our side. Please try again."),
                status=500,
            ),
            500,
        )
