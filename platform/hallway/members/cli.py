"""`flask members import FILE.csv --organiser EMAIL`: bring members in from a
registration export. Every row is checked first; nothing is written if any row fails
(unless --skip-invalid), and --dry-run writes nothing at all. Importing the same file
again changes nothing more.

A registration export may also carry each member's bio, their matching consent
(``matching_opt_in``: yes/no) and the titles of the events they are going to
(``events``): the organiser running the import must organise those events; a title no
event has is an error on its row, or, with --create-events, a new (unlisted, online)
event of that organiser's, to fill in afterwards.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from rich.console import Console
from rich.progress import Progress

from hallway.accounts import service as accounts_service
from hallway.core import unit_of_work
from hallway.core.errors import DomainError
from hallway.db import db
from hallway.members import importing, service

members_cli = AppGroup("members", help="Manage member profiles.")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{path.name} is not UTF-8 text. Save it from your spreadsheet as "
            "'CSV UTF-8' and try again."
        ) from error


@members_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organiser", required=True, help="Email of the organiser or admin importing.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the good rows even if some fail.")
@click.option(
    "--create-events",
    is_flag=True,
    help="Create the events the 'events' column names that do not exist yet, as the "
    "organiser's own (unlisted, online, a month ahead: edit them afterwards).",
)
def import_members(
    file: Path, organiser: str, dry_run: bool, skip_invalid: bool, create_events: bool
) -> None:
    """Create or update members from FILE (CSV, one member per row, matched by email).

    Columns: name, email, career stage; optional: organisation, role, sector, country,
    region, city, time zone (or timezone), interests, networks, looking for, offering,
    qualifications, headline, pronouns, bio, matching_opt_in (yes/no) and events (titles
    of events the member is going to). Columns may come in any order. Lists within a cell
    are separated by ";" (or "," except in events). Interests outside the vocabulary are
    kept, and the vocabulary topics they stand for are added.
    """
    console = Console(stderr=True)
    text = _read(file)
    acting = accounts_service.find_user_by_email(db.session, organiser)
    if acting is None:
        raise click.ClickException(f"No account with the email {organiser}.")
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Checking rows", total=max(text.count("\n"), 1))
        checked = importing.check_csv(text, on_row=lambda: progress.advance(task))
    importing.check_event_titles(db.session, acting, checked, create=create_events)
    if checked.ignored_columns:
        click.echo(f"Ignoring unknown columns: {', '.join(checked.ignored_columns)}")
    for line, message in checked.errors:
        click.echo(f"line {line}: {message}", err=True)
    bad_lines = len({line for line, _ in checked.errors})
    if checked.errors and (not skip_invalid or not checked.rows):
        raise click.ClickException(
            f"{bad_lines} row(s) have errors; nothing was imported. "
            "Correct them, or use --skip-invalid to import the other rows."
        )

    feed = _RowFeed(checked)
    rows = [row for _line, row in checked.rows]
    try:
        with Progress(console=console, transient=True) as progress:
            feed.show_on(progress)
            outcome = service.import_members(db.session, acting, feed)
        feed.line = None
        importing.apply_registration_details(db.session, rows)
        registered = importing.register_for_events(db.session, acting, rows, create=create_events)
    except DomainError as error:
        unit_of_work.rollback(db.session)
        where = f"line {feed.line}: " if feed.line else ""
        details = "".join(f" {name}: {messages}" for name, messages in error.field_errors.items())
        raise click.ClickException(
            f"{where}{error.message}{details} Nothing was imported."
        ) from error

    summary = f"{len(outcome.created)} new, {len(outcome.updated)} updated"
    if skip_invalid and checked.errors:
        summary += f", {bad_lines} skipped"
    if registered.done:
        summary += (
            f"; event places: {registered.count('going')} going, "
            f"{registered.count('waitlisted')} waitlisted, "
            f"{registered.count('already')} already registered"
        )
    if registered.created_events:
        summary += f"; new events: {', '.join(registered.created_events)}"
    if dry_run:
        unit_of_work.rollback(db.session)
        click.echo(f"Dry run: would import {summary}. Nothing was written.")
        return
    unit_of_work.commit(db.session)
    click.echo(f"Imported {summary}.")
    if outcome.created:
        click.echo(
            'New accounts have no password yet: each sets one with "Forgot your '
            'password?" on the log-in page.'
        )


class _RowFeed:
    """The checked rows, advancing the progress bar and remembering the current line."""

    def __init__(self, checked: importing.CheckedFile) -> None:
        self.rows = checked.rows
        self.line: int | None = None
        self.progress: Progress | None = None

    def show_on(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("Importing members", total=len(self.rows))

    def __iter__(self):
        for line, row in self.rows:
            self.line = line
            yield row
            if self.progress is not None:
                self.progress.advance(self.task)
