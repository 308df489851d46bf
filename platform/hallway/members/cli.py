"""`flask members import FILE.csv --organiser EMAIL`: bring members in from a
registration export. Every row is checked first; nothing is written if any row fails
(unless --skip-invalid), and --dry-run writes nothing at all.
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
def import_members(file: Path, organiser: str, dry_run: bool, skip_invalid: bool) -> None:
    """Create or update members from FILE (CSV, one member per row, matched by email).

    Columns: name, email, organisation, role, career stage, interests, networks; optional:
    sector, country, region, city, time zone, looking for, offering, qualifications,
    headline, pronouns. Lists within a cell are separated by ";" or ",".
    """
    console = Console(stderr=True)
    text = _read(file)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Checking rows", total=max(text.count("\n"), 1))
        checked = importing.check_csv(text, on_row=lambda: progress.advance(task))
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

    acting = accounts_service.find_user_by_email(db.session, organiser)
    if acting is None:
        raise click.ClickException(f"No account with the email {organiser}.")
    feed = _RowFeed(checked)
    try:
        with Progress(console=console, transient=True) as progress:
            feed.show_on(progress)
            outcome = service.import_members(db.session, acting, feed)
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
    if dry_run:
        unit_of_work.rollback(db.session)
        click.echo(f"Dry run: would import {summary}. Nothing was written.")
        return
    unit_of_work.commit(db.session)
    click.echo(f"Imported {summary}.")
    if outcome.created:
        click.echo(
            "New accounts cannot log in yet: they have no password, and Hallway has no "
            "password-reset email yet."
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
