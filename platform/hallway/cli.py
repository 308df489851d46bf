"""Flask commands: `flask --app wsgi <group> <command>`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from hallway import migrate
from hallway.accounts import service as accounts_service
from hallway.accounts.models import Role
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
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"{user.email} is now {user.role.value}.")


@seed_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the community has members.")
@click.option("--members", default=200, show_default=True, help="How many demo members.")
def seed_demo(if_empty: bool, members: int) -> None:
    """Create a demo community and print its log-ins."""
    from hallway.demo import seed

    if if_empty and not seed.community_is_empty(db.session):
        click.echo("The community already has members; not seeding.")
        return
    logins = seed.seed_demo_community(db.session, member_count=members)
    db.session.commit()
    click.echo(f"\nDemo log-ins (password for all: {seed.DEMO_PASSWORD})")
    for login in logins:
        click.echo(f"  {login.email:<40} {login.description}")


def register(app: Flask) -> None:
    for group in (db_cli, users_cli, seed_cli, members_cli, notifications_cli):
        app.cli.add_command(group)
