"""Background jobs on Huey: mail, digests, and later index updates and promotions.

Storage follows the deployment: an SQLite file in the instance folder when embedded,
Redis in scale-out, in memory and run inline in tests (``TASKS_IMMEDIATE``). Features
declare jobs with ``@job(...)`` or ``@periodic_job(...)`` at import; each app's queue
registers them when it is built, wrapped so each run is one unit of work in an app
context. Services enqueue with ``enqueue(session, job, ...)``: the job is queued only
after the change commits. A job that raises is retried; after its last try it is
logged at ERROR with its arguments, never dropped silently.

Run the consumer with ``flask worker`` (``make run`` starts one as a child process).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.signals import SIGNAL_ERROR
from sqlalchemy.orm import Session

from hallway.core import unit_of_work

logger = logging.getLogger(__name__)

EXTENSION_KEY = "hallway.tasks"


@dataclass(frozen=True)
class JobSpec:
    name: str
    function: Callable[..., Any]
    retries: int = 3
    retry_delay: int = 30
    #: For periodic jobs: a ``huey.crontab`` schedule.
    schedule: Callable[..., bool] | None = None
    options: dict[str, Any] = field(default_factory=dict)


_jobs: dict[str, JobSpec] = {}


def job(*, retries: int = 3, retry_delay: int = 30) -> Callable[[Callable[..., Any]], Callable]:
    """Declare a background job: a plain function taking JSON-friendly arguments."""

    def declare(function: Callable[..., Any]) -> Callable[..., Any]:
        name = f"{function.__module__}.{function.__qualname__}"
        _jobs[name] = JobSpec(name, function, retries, retry_delay)
        return function

    return declare


def periodic_job(schedule: Callable[..., bool], *, retries: int = 2, retry_delay: int = 60):
    """Declare a job the queue runs on a schedule, e.g. ``crontab(minute="0", hour="7")``."""

    def declare(function: Callable[..., Any]) -> Callable[..., Any]:
        name = f"{function.__module__}.{function.__qualname__}"
        _jobs[name] = JobSpec(name, function, retries, retry_delay, schedule=schedule)
        return function

    return declare


def job_name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def build_queue(app: Flask) -> Huey:
    """The app's Huey, with every declared job registered on it."""
    config = app.config
    name = config.get("TASKS_QUEUE") or "hallway"
    if config.get("TASKS_IMMEDIATE"):
        huey: Huey = MemoryHuey(name, immediate=True, utc=True)
    elif config.get("REDIS_URL"):
        huey = RedisHuey(name, url=config["REDIS_URL"], utc=True)
    else:
        path = Path(config["INSTANCE_PATH"]) / "tasks.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(name, filename=str(path), utc=True)

    registered: dict[str, Any] = {}
    for spec in _jobs.values():
        runner = _in_app(app, spec)
        if spec.schedule is not None:
            registered[spec.name] = huey.periodic_task(
                spec.schedule, retries=spec.retries, retry_delay=spec.retry_delay, name=spec.name
            )(runner)
        else:
            registered[spec.name] = huey.task(
                retries=spec.retries, retry_delay=spec.retry_delay, name=spec.name
            )(runner)

    @huey.signal(SIGNAL_ERROR)
    def log_failure(signal: str, task: Any, exc: BaseException | None = None) -> None:
        if task.retries:
            logger.warning("Job %s failed; %d tries left: %r", task.name, task.retries, exc)
        else:
            logger.error(
                "Job %s failed for good (args %r, kwargs %r): %r",
                task.name,
                task.args,
                task.kwargs,
                exc,
            )

    app.extensions[EXTENSION_KEY] = {"huey": huey, "tasks": registered}
    return huey


def _in_app(app: Flask, spec: JobSpec) -> Callable[..., Any]:
    """One run of a job: an app context and a unit of work of its own."""

    def run(*args: Any, **kwargs: Any) -> Any:
        from hallway.db import db

        with app.app_context():
            try:
                result = spec.function(*args, **kwargs)
            except BaseException:
                unit_of_work.rollback(db.session)
                raise
            unit_of_work.commit(db.session)
            return result

    run.__name__ = spec.function.__name__
    return run


def queue(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions[EXTENSION_KEY]["huey"]


def enqueue(session: Session, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Queue ``function`` (declared with ``@job``) once the session's change is committed."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    name = job_name(function)

    def put_on_queue() -> None:
        app.extensions[EXTENSION_KEY]["tasks"][name](*args, **kwargs)

    unit_of_work.after_commit(session, put_on_queue)


__all__ = ["crontab", "enqueue", "job", "periodic_job", "queue", "build_queue"]
