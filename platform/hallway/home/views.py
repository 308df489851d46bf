"""The front door: the landing page, and health checks for operators."""

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import redis
from flask import Blueprint, current_app, jsonify, render_template
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import text

from hallway.core.shell import kept_page
from hallway.db import db
from hallway.home import page, service

bp = Blueprint("home", __name__)
_readiness_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readyz")


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return kept_page(
            "home/index.html", title=gettext("Home"), content=page.member_body(db.session)
        )
    overview = service.community_overview(db.session, for_member=False)
    return render_template(
        "home/index.html",
        title=gettext("Welcome"),
        overview=overview,
        upcoming_events=page.upcoming_events(overview.upcoming_events),
    )


@bp.get("/healthz")
def healthz():
    """The process is up and serving; says nothing about its dependencies."""
    return jsonify(status="ok")


def _check_database(app) -> None:
    with app.app_context():
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))


def _check_redis(url: str, timeout: float) -> None:
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()


@bp.get("/readyz")
def readyz():
    """Ready when the database (and Redis, if configured) answer within the time limit.

    Failures are reported by name only; connection strings and errors stay in the log.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    timeout = app.config["READINESS_TIMEOUT_SECONDS"]
    checks = {"database": _readiness_pool.submit(_check_database, app)}
    if app.config["REDIS_URL"]:
        checks["redis"] = _readiness_pool.submit(_check_redis, app.config["REDIS_URL"], timeout)
    results = {}
    for name, future in checks.items():
        try:
            future.result(timeout=timeout)
            results[name] = "ok"
        except FutureTimeout:
            app.logger.warning("Readiness check %s timed out", name)
            results[name] = "timeout"
        except Exception:
            app.logger.exception("Readiness check %s failed", name)
            results[name] = "unavailable"
    ready = all(result == "ok" for result in results.values())
    return jsonify(status="ready" if ready else "unavailable", checks=results), (
        200 if ready else 503
    )
