"""`flask notifications digest`: send the daily digests that are due, now."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from hallway.core import unit_of_work
from hallway.db import db
from hallway.notifications import service

notifications_cli = AppGroup("notifications", help="Notification emails.")


@notifications_cli.command("digest")
def send_digests() -> None:
    """Email each member who chose the daily digest their unread notifications of the
    last 24 hours. The task queue does this every hour by itself; this runs it now.
    Each notification goes into one digest at most and each member gets at most one
    digest a day, so running it twice sends nothing new. The emails go out from the
    task queue, which retries those the mail server refuses."""
    queued = service.send_due_digests(db.session)
    unit_of_work.commit(db.session)
    click.echo(f"Queued {queued} digest{'s' if queued != 1 else ''}.")
