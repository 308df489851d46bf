"""`flask matching suggestions EMAIL` and `--all`: who the matching would suggest, and why,
for organisers and for measuring quality; `flask matching rebuild` times an index build."""

from __future__ import annotations

import json
import time

import click
from flask.cli import AppGroup
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import func, select

from hallway.accounts.models import User
from hallway.core import unit_of_work
from hallway.db import db
from hallway.events.models import Event
from hallway.matching import service
from hallway.members.models import MemberProfile

matching_cli = AppGroup("matching", help="People to meet: suggestions and the matching index.")


def _emails(user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids)))
    return dict(rows.all())


def _as_json(viewer: User, found: list[service.Suggestion], *, details: bool) -> dict:
    emails = _emails([suggestion.user_id for suggestion in found])
    items = []
    for suggestion in found:
        item: dict = {
            "email": emails.get(suggestion.user_id, ""),
            "score": suggestion.score,
            "reasons": [str(reason) for reason in suggestion.reasons],
        }
        if details:
            item["user_id"] = suggestion.user_id
            item["factors"] = suggestion.factors
        items.append(item)
    return {"email": viewer.email, "suggestions": items}


@matching_cli.command("suggestions")
@click.argument("email", required=False)
@click.option("--all", "everyone", is_flag=True, help="Every member who opted in, one per line.")
@click.option("--event", "event_id", type=int, help="Only people going to this event (its id).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "jsonl"]),
    help="text or json for one member (text by default); jsonl for --all (the default).",
)
def suggestions(
    email: str | None, everyone: bool, event_id: int | None, limit: int, output: str | None
) -> None:
    """Show the people the matching suggests to EMAIL (or to everyone with --all)."""
    if everyone == bool(email):
        raise click.UsageError("Give one member's EMAIL or --all (not both).")
    if event_id is not None and db.session.get(Event, event_id) is None:
        raise click.ClickException(f"No event has the id {event_id}.")
    if everyone:
        if output not in (None, "jsonl"):
            raise click.UsageError("--all writes one JSON object per line: --format jsonl.")
        _all_members(event_id, limit)
    else:
        assert email is not None
        _one_member(email, event_id, limit, output or "text")
    unit_of_work.commit(db.session)


def _one_member(email: str, event_id: int | None, limit: int, output: str) -> None:
    viewer = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if viewer is None:
        raise click.ClickException(f"No member has the email {email}.")
    found = service.suggestions(db.session, viewer, event_id=event_id, limit=limit)
    if output == "json" or output == "jsonl":
        click.echo(json.dumps(_as_json(viewer, found, details=True), ensure_ascii=False))
        return
    profile = db.session.get(MemberProfile, viewer.id)
    if profile is None or not profile.matchable:
        click.echo(f"{viewer.email} has not opted in to matching: no suggestions.")
        return
    if not found:
        click.echo(f"No suggestions for {viewer.email} yet.")
        return
    emails = _emails([suggestion.user_id for suggestion in found])
    names = dict(
        db.session.execute(
            select(User.id, User.display_name).where(User.id.in_([s.user_id for s in found]))
        ).all()
    )
    for position, suggestion in enumerate(found, start=1):
        click.echo(
            f"{position}. {names.get(suggestion.user_id, '')} <{emails.get(suggestion.user_id)}>"
            f"  score {suggestion.score:.3f}"
        )
        for reason in suggestion.reasons:
            click.echo(f"   - {reason}")


def _all_members(event_id: int | None, limit: int) -> None:
    viewers = list(
        db.session.scalars(
            select(User)
            .join(MemberProfile, MemberProfile.user_id == User.id)
            .where(*service._matchable())
            .order_by(User.id)
        )
    )
    console = Console(stderr=True)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Suggestions", total=len(viewers))
        for viewer in viewers:
            found = service.suggestions(db.session, viewer, event_id=event_id, limit=limit)
            click.echo(json.dumps(_as_json(viewer, found, details=False), ensure_ascii=False))
            progress.advance(task)


@matching_cli.command("rebuild")
def rebuild() -> None:
    """Build this process's index from the database and say how long it took."""
    service.forget_cached_index()
    started = time.perf_counter()
    index = service.current_index(db.session)
    unit_of_work.commit(db.session)
    click.echo(f"Matching index: {index.size} members in {time.perf_counter() - started:.2f} s.")
