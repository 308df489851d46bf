"""`flask notifications digest`: the daily email digest."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from rich.progress import Progress

from hallway.db import db, utcnow
from hallway.notifications import mail, service

notifications_cli = AppGroup("notifications", help="Notification emails.")


@notifications_cli.command("digest")
def send_digests() -> None:
    """Email each member who chose the daily digest their unread notifications of the
    last 24 hours. Each notification goes into one digest at most, so running it
    twice sends nothing new; a digest that fails to send is retried on the next run."""
    app = current_app._get_current_object()
    now = utcnow()
    digests = service.pending_digests(db.session, now=now)
    sent = failed = 0
    with Progress(transient=True) as progress:
        task = progress.add_task("Sending digests", total=len(digests))
        for digest in digests:
            email = service.digest_email(digest)
            # Marked and committed first: the email goes out after the commit.
            service.mark_digested(digest, at=now)
            db.session.commit()
            if mail.deliver(app, [email]):
                service.mark_digested(digest, at=None)
                db.session.commit()
                failed += 1
            else:
                sent += 1
            progress.advance(task)
    click.echo(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
    if failed:
        click.echo(f"{failed} could not be sent; they will be retried on the next run.")
