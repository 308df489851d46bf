"""How fast a member may send meeting requests (pages and API alike).

Flask-Limiter counts per member (per address when logged out) with the configured
storage (Redis in scale-out); over the limit, the member reads why and for how long
instead of the generic "too many attempts" page. The service also caps requests per
day (``service.DAILY_REQUEST_LIMIT``).
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, render_template
from flask_babel import gettext
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user

from hallway.core.errors import wants_json
from hallway.extensions import limiter

DEFAULT_RATE = "5 per minute"


def rate() -> str:
    return current_app.config.get("MEETING_REQUEST_RATE_LIMIT", DEFAULT_RATE)


def sender_key() -> str:
    if current_user.is_authenticated:
        return f"meeting-requests:user:{current_user.id}"
    return f"meeting-requests:address:{get_remote_address()}"


def too_many_message() -> str:
    return gettext(
        "You are sending meeting requests too quickly. Please wait a minute before sending "
        "another one."
    )


def on_breach(_limit: RequestLimit | None) -> Response:
    message = too_many_message()
    if wants_json():
        response = jsonify({"error": message})
    else:
        response = current_app.make_response(
            render_template(
                "error.html",
                title=gettext("Too many meeting requests"),
                message=message,
                status=429,
            )
        )
    response.status_code = 429
    return response


def explain_breach(error: Exception) -> Response:
    """A blueprint's 429 handler: the answer ``on_breach`` made, with its clear message."""
    response = getattr(error, "response", None)
    if isinstance(response, Response):
        return response
    return on_breach(None)


def limit_requests() -> Any:
    """Decorator for the routes that send a meeting request (POST only)."""
    return limiter.limit(
        rate,
        key_func=sender_key,
        methods=["POST"],
        scope="meeting-requests",
        on_breach=on_breach,
    )
