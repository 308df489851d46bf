"""Extension objects shared across the app, bound to it in create_app.

Socket.IO is the exception: create_app builds one server per app (see
hallway.realtime), so tests can run several apps side by side.
"""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
