"""What every HTTP request and response goes through, whatever the feature."""

from flask import Flask

from hallway.core.converters import register_converters
from hallway.core.json_input import register_json_input
from hallway.core.security import register_security_headers
from hallway.core.sessions import CheckedCookieSessions


def register_http_core(app: Flask) -> None:
    """Called by create_app before any blueprint (routes pick their converters when added);
    sessions are Flask's signed cookies, each checked once (``CheckedCookieSessions``)."""
    register_converters(app)
    register_json_input(app)
    register_security_headers(app)
    app.session_interface = CheckedCookieSessions()
