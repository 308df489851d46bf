"""Extension objects shared across the app, bound to it in create_app.

Socket.IO is the exception: create_app builds one server per app (see
hallway.realtime), so tests can run several apps side by side.
"""

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


@limiter.request_filter
def _reads_are_not_limited() -> bool:
    """Every limit in Hallway is on a write (``methods=["POST"]``): reading a page skips
    Flask-Limiter's per-request work (a tenth of a millisecond on every page)."""
    return request.method in ("GET", "HEAD", "OPTIONS")
