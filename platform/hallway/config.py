"""Settings read from HALLWAY_* environment variables, with safe defaults.

The embedded default needs nothing but this process: an SQLite file under
``instance/`` and an in-memory rate-limit store. Setting HALLWAY_DATABASE_URL
and HALLWAY_REDIS_URL switches to the scale-out set-up; the code is the same.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
from pathlib import Path


def project_root() -> Path:
    """The folder holding templates/, static/ and instance/.

    The package lives in platform/hallway/, two levels below it; a non-editable
    install can point elsewhere with HALLWAY_ROOT.
    """
    override = os.environ.get("HALLWAY_ROOT")
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parents[2]


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


#: Host values that mean "listen on every interface".
_ALL_INTERFACES = {"0.0.0.0", "::", "[::]"}


def local_origins(host: str, port: int) -> list[str]:
    """The browser origins of a server listening on ``host``:``port``, first the canonical one.

    - 127.0.0.1 / localhost / ::1: the loopback names a browser on this machine uses.
    - 0.0.0.0 / :: (every interface): the same loopback names, plus this machine's host
      name. Browsers on other machines arrive under an address Hallway cannot guess
      (a LAN IP, a proxy's name): set HALLWAY_ALLOWED_ORIGINS and HALLWAY_BASE_URL for them.
    - any other name or address: that name, as given.
    """
    host = host.strip().lower()
    if host in _ALL_INTERFACES:
        names = ["127.0.0.1", "localhost", socket.gethostname().lower()]
    elif host in ("::1", "[::1]"):
        names = ["[::1]", "localhost"]
    elif host in ("127.0.0.1", "localhost"):
        names = [host, "localhost" if host == "127.0.0.1" else "127.0.0.1"]
    else:
        names = [f"[{host}]" if ":" in host and not host.startswith("[") else host]
    origins: list[str] = []
    for name in names:
        origin = f"http://{name}:{port}"
        if origin not in origins:
            origins.append(origin)
    return origins


def default_async_mode() -> str:
    """Socket.IO's concurrency: "gevent" when gevent has patched this process's sockets
    (gunicorn's gevent worker, see gunicorn.conf.py), else "threading".

    Looked up without importing gevent: a process that never imported it is not patched.
    """
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("socket"):
        return "gevent"
    return "threading"


def load_or_create_secret_key(instance_path: Path) -> str:
    """Keep a generated secret in instance/ so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


class Config:
    """Development and embedded defaults."""

    def __init__(self) -> None:
        root = project_root()
        self.INSTANCE_PATH = Path(os.environ.get("HALLWAY_INSTANCE_PATH", root / "instance"))
        self.SECRET_KEY = os.environ.get("HALLWAY_SECRET_KEY") or load_or_create_secret_key(
            self.INSTANCE_PATH
        )
        self.DATABASE_URL = os.environ.get(
            "HALLWAY_DATABASE_URL", f"sqlite:///{self.INSTANCE_PATH / 'hallway.sqlite3'}"
        )
        self.REDIS_URL = os.environ.get("HALLWAY_REDIS_URL") or None
        # The task queue's name in Redis: `make bench` and the tests queue under their
        # own, so no worker of the developer's finds their jobs.
        self.TASKS_QUEUE = os.environ.get("HALLWAY_TASKS_QUEUE") or "hallway"
        # Several server processes share Socket.IO rooms through this queue.
        self.SOCKETIO_MESSAGE_QUEUE = (
            os.environ.get("HALLWAY_SOCKETIO_MESSAGE_QUEUE") or self.REDIS_URL
        )
        # gevent under the production recipe (gunicorn.conf.py patches the process with
        # it), threads under `make run` and the tests.
        self.SOCKETIO_ASYNC_MODE = (
            os.environ.get("HALLWAY_SOCKETIO_ASYNC_MODE") or default_async_mode()
        )
        # Where `python wsgi.py` listens; the origins and the public address follow it.
        self.HOST = os.environ.get("HALLWAY_HOST", "127.0.0.1").strip() or "127.0.0.1"
        self.PORT = int(os.environ.get("HALLWAY_PORT") or "5000")
        # Browsers' origins allowed to open Socket.IO connections (empty counts as unset).
        self.ALLOWED_ORIGINS = _env_list("HALLWAY_ALLOWED_ORIGINS", "") or local_origins(
            self.HOST, self.PORT
        )
        self.RATELIMIT_ENABLED = _env_bool("HALLWAY_RATELIMIT_ENABLED", True)
        # Proxies in front of the server (docs/deploy.md): their X-Forwarded-For and
        # X-Forwarded-Proto say who the client is (per-address rate limits) and whether
        # it came over HTTPS. 0: no proxy, the headers are ignored (anyone can send them).
        self.TRUSTED_PROXIES = int(os.environ.get("HALLWAY_TRUSTED_PROXIES") or "0")
        self.LOGIN_RATE_LIMIT = os.environ.get("HALLWAY_LOGIN_RATE_LIMIT", "5 per 5 minutes")
        self.LOGIN_IP_RATE_LIMIT = os.environ.get(
            "HALLWAY_LOGIN_IP_RATE_LIMIT", "30 per 10 minutes"
        )
        self.PASSWORD_RESET_RATE_LIMIT = os.environ.get(
            "HALLWAY_PASSWORD_RESET_RATE_LIMIT", "5 per 15 minutes"
        )
        # Sign-ups that send an email (a confirmation link or a note), per address.
        self.SIGNUP_RATE_LIMIT = os.environ.get("HALLWAY_SIGNUP_RATE_LIMIT", "10 per 15 minutes")
        self.SESSION_COOKIE_SECURE = _env_bool("HALLWAY_SECURE_COOKIES", False)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock
        # Strict-Transport-Security: production only (it would lock plain-HTTP dev out).
        self.HSTS_ENABLED = False
        self.MAX_CONTENT_LENGTH = 8 * 1024 * 1024
        self.READINESS_TIMEOUT_SECONDS = 1.0
        # Links in emails point here (emails are also sent outside any request).
        self.BASE_URL = (
            os.environ.get("HALLWAY_BASE_URL") or local_origins(self.HOST, self.PORT)[0]
        ).rstrip("/")
        # Email: with no SMTP host, messages go to the log and instance/mail.log.
        self.SMTP_HOST = os.environ.get("HALLWAY_SMTP_HOST") or None
        self.SMTP_PORT = int(os.environ.get("HALLWAY_SMTP_PORT", "587"))
        self.SMTP_USER = os.environ.get("HALLWAY_SMTP_USER") or None
        self.SMTP_PASSWORD = os.environ.get("HALLWAY_SMTP_PASSWORD") or None
        self.SMTP_FROM = os.environ.get("HALLWAY_SMTP_FROM", "Hallway <hallway@localhost>")
        self.SMTP_USE_TLS = _env_bool("HALLWAY_SMTP_USE_TLS", True)
        self.SMTP_TIMEOUT_SECONDS = float(os.environ.get("HALLWAY_SMTP_TIMEOUT_SECONDS", "10"))
        # New members may post this often during their first hours (0 turns it off).
        self.NEW_MEMBER_POST_LIMIT = int(os.environ.get("HALLWAY_NEW_MEMBER_POST_LIMIT", "3"))
        self.NEW_MEMBER_POST_WINDOW_MINUTES = int(
            os.environ.get("HALLWAY_NEW_MEMBER_POST_WINDOW_MINUTES", "10")
        )
        self.NEW_MEMBER_PERIOD_HOURS = int(os.environ.get("HALLWAY_NEW_MEMBER_PERIOD_HOURS", "24"))
        self.TESTING = False
        # "production" turns off what only developers need (the /styleguide page).
        self.ENVIRONMENT = "development"

    def as_dict(self) -> dict[str, object]:
        return {key: value for key, value in vars(self).items() if key.isupper()}


class ProductionConfig(Config):
    """Behind HTTPS: cookies only travel encrypted."""

    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.PREFERRED_URL_SCHEME = "https"
        self.ENVIRONMENT = "production"
        # Browsers remember to use HTTPS only for this site (hallway.core.security).
        self.HSTS_ENABLED = True


class TestConfig(Config):
    """Like development, but CSRF stays on: tests prove it is enforced."""

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True


def config_for_environment() -> Config:
    if os.environ.get("HALLWAY_ENV", "development") == "production":
        return ProductionConfig()
    return Config()
