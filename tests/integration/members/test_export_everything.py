"""Download my data holds every feature's rows about the member, not only the profile:
their posts, reactions, notifications, flags and blocks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from hallway.discussions import service as discussions_service
from hallway.discussions.models import ReactionKind
from tests.factories import (
    make_block,
    make_comment,
    make_flag,
    make_notification,
    make_thread,
    make_user,
)


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def sections_named(data: Any, word: str) -> list[Any]:
    """Every value, at any depth, under a key that contains ``word``."""
    found: list[Any] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if word in key:
                found.append(value)
            found.extend(sections_named(value, word))
    elif isinstance(data, list):
        for item in data:
            found.extend(sections_named(item, word))
    return found


def test_download_holds_posts_reactions_notifications_flags_and_blocks(
    app, logged_in, session, member
):
    with app.app_context():
        other = make_user(session, handle="rowan", display_name="Rowan Pike")
        theirs = make_thread(session, author=other, title="Rowan asks about rubrics")
        make_thread(session, author=member, title="Maya's question on open textbooks")
        make_comment(session, thread=theirs, author=member, body="Maya replies with a rubric")
        discussions_service.toggle_reaction(
            session, actor=member, thread=theirs, kind=ReactionKind.insightful
        )
        make_notification(session, recipient=member, actor=other, summary="Rowan replied to Maya")
        make_flag(session, reporter=member, post=theirs, reason="spam")
        make_block(session, blocker=member, blocked=other)
        session.commit()
        theirs_id = theirs.id

    response = logged_in.client.get("/account/data")
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))

    # Posts: what the member wrote, not what others wrote.
    written = [
        text
        for name, section in data.items()
        if name not in ("notifications", "flags", "blocks")
        for text in strings_in(section)
    ]
    assert any("Maya's question on open textbooks" in text for text in written)
    assert any("Maya replies with a rubric" in text for text in written)

    reactions = sections_named(data, "reaction")
    assert reactions, "no reactions section in the download"
    assert any("insightful" in text for text in strings_in(reactions))

    assert [n["summary"] for n in data["notifications"]] == ["Rowan replied to Maya"]
    assert [(f["subject_id"], f["reason"]) for f in data["flags"]] == [(theirs_id, "spam")]
    assert [b["handle"] for b in data["blocks"]] == ["rowan"]
