"""Flask commands: `flask --app wsgi <group> <command>`."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from hallway import migrate
from hallway.accounts import service as accounts_service
from hallway.accounts.models import Role
from hallway.core import unit_of_work
from hallway.core.errors import DomainError
from hallway.db import db
from hallway.members.cli import members_cli
from hallway.notifications.cli import notifications_cli

db_cli = AppGroup("db", help="Create and upgrade the database schema (Alembic).")
users_cli = AppGroup("users", help="Manage accounts.")
seed_cli = AppGroup("seed", help="Fill the database with demo content.")


@db_cli.command("upgrade")
@click.argument("revision", default="heads")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: every head)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (e.g. base)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)


@users_cli.command("promote")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.organiser.value,
    show_default=True,
)
def users_promote(email: str, role: str) -> None:
    """Give the account with EMAIL a role (member, organiser, admin)."""
    try:
        user = accounts_service.set_role(db.session, email=email, role=Role(role))
    except DomainError as error:
        unit_of_work.rollback(db.session)
        raise click.ClickException(error.message) from error
    unit_of_work.commit(db.session)
    click.echo(f"{user.email} is now {user.role.value}.")


@seed_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the community has members.")
@click.option("--members", default=200, show_default=True, help="How many demo members.")
def seed_demo(if_empty: bool, members: int) -> None:
    """Create a demo community and print its log-ins."""
    from hallway import demo

    if if_empty and not demo.community_is_empty(db.session):
        click.echo("The community already has members; not seeding.")
        # `make run` starts here every time: show the demo log-ins again, if any.
        _print_logins(demo.existing_demo_logins(db.session), demo.DEMO_PASSWORD)
        return
    try:
        logins = demo.seed_demo_community(db.session, member_count=members)
    except demo.DemoDataError as error:  # a data file to fix: say which, and where
        unit_of_work.rollback(db.session)
        raise click.ClickException(str(error)) from error
    unit_of_work.commit(db.session)
    _print_logins(logins, demo.DEMO_PASSWORD)


def _print_logins(logins: list, password: str) -> None:
    if not logins:
        return
    click.echo(f"\nDemo log-ins (password for all: {password})")
    for login in logins:
        click.echo(f"  {login.email:<40} {login.description}")


@click.command("worker")
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64),
    help="How many jobs may run at once (threads).",
)
@click.option(
    "--no-periodic", is_flag=True,
    help="Do not schedule periodic jobs (digests): when several workers share one queue, "
    "exactly one of them schedules.",
)
@click.option(
    "--log-level", default="info", show_default=True,
    type=click.Choice(["debug", "info", "warning", "error"]),
)
@click.option("--child-of", type=int, hidden=True, help="The development server's process id.")
@with_appcontext
def worker(workers: int, no_periodic: bool, log_level: str, child_of: int | None) -> None:
    """Run the task queue's consumer: mail, digests and other background jobs.

    `python wsgi.py` (and so `make run`) starts one for you; in production run it as its
    own process next to the web servers, on the same database and Redis. Ctrl+C (SIGINT)
    lets running jobs finish; SIGTERM stops at once.
    """
    from hallway.core import tasks

    huey = tasks.queue(current_app)
    if huey.immediate:
        raise click.ClickException("TASKS_IMMEDIATE is on: jobs run inline, there is no queue.")
    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s [worker] %(levelname)s %(name)s: %(message)s"
    )
    if child_of is not None:
        _stop_when_parent_exits(child_of)
    consumer = huey.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=not no_periodic,
        # The development server's child: SIGTERM lets running jobs finish, and before
        # the consumer is up it ends the process quietly (a SIGINT would print a traceback).
        graceful_signal="TERM" if child_of is not None else "INT",
    )
    consumer.run()


def _stop_when_parent_exits(parent: int) -> None:
    """The development server's worker stops too if the server dies without a word."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def register(app: Flask) -> None:
    for group in (db_cli, users_cli, seed_cli, members_cli, notifications_cli):
        app.cli.add_command(group)
    app.cli.add_command(worker)
