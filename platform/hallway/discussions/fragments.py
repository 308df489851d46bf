"""The part of a comment's article that is the same for every reader, rendered once.

A comment stores it in ``Comment.rendered_html`` when it is written, edited or
deleted: only those change it. Pages and live updates wrap it with what depends on the
reader or on state that changes elsewhere (``discussions.rendering``): the author's
name and link (so a rename, a private profile or a deleted account changes nothing
stored here), the "hidden from members" mark moderators see, reactions, reply and
owner links.

It is the article's times (language-neutral: ISO dates; the words around them are
the reader's language's, added by ``discussions.rendering``), ``</header>``, then the
body: a reader who blocked the author gets the body folded
away by splitting at that tag. A deleted comment stores nothing (everyone sees a
placeholder). Rendering is string formatting of trusted values and of ``body_html``,
which was sanitised when the text was written; no Markdown, no template, no request:
it works in services, jobs and the CLI alike.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape
from typing import Protocol

from hallway.discussions.models import Comment

#: Where the stored header part ends and the body begins.
HEADER_END = "</header>"


class Fragmentable(Protocol):
    """What a fragment is made of (a Comment row, or a page's row of one)."""

    @property
    def id(self) -> int: ...

    @property
    def thread_id(self) -> int: ...

    @property
    def body_html(self) -> str | None: ...

    @property
    def created_at(self) -> datetime: ...

    @property
    def edited_at(self) -> datetime | None: ...

    @property
    def deleted_at(self) -> datetime | None: ...


def discussion_time(moment: datetime) -> str:
    """'29 Nov 2026, 14:05 UTC'."""
    return moment.strftime("%-d %b %Y, %H:%M UTC")


def comment_path(thread_id: int, comment_id: int) -> str:
    """/t/<thread>/comments/<comment>: the comment with its replies, and its place in
    the conversation (the route ``discussions.focused_comment``)."""
    return f"/t/{thread_id}/comments/{comment_id}"


def permalink(thread_id: int, comment_id: int) -> str:
    """Where a comment is always on screen, whatever the thread's length: its own view,
    scrolled to it."""
    return f"{comment_path(thread_id, comment_id)}#comment-{comment_id}"


def comment_fragment(comment: Fragmentable) -> str:
    """The stored part of ``comment``'s article ("" once deleted).

    Language-neutral: the times it was written and edited (ISO, UTC) before
    ``HEADER_END``, then the body. Every word around them (the permalink's label, the
    time as a reader's language writes it, "edited") is added per language by
    ``discussions.rendering`` (see ``stored_times``), since one stored article serves
    readers of every language.
    """
    if comment.deleted_at is not None:
        return ""
    edited = comment.edited_at.isoformat() if comment.edited_at is not None else ""
    return (
        f"{comment.created_at.isoformat()} {edited}{HEADER_END}"
        f'<div class="comment-body">{comment.body_html or ""}</div>'
    )


_OLD_CREATED = re.compile(r'<time datetime="([^"]+)"')
_OLD_EDITED = re.compile(r'title="Edited ([^"]+)"')


def stored_times(meta: str) -> tuple[datetime | None, datetime | None]:
    """When a comment was written and last edited, read from its stored header part
    (what comes before ``HEADER_END``). Reads the English markup articles were stored as
    before they became language-neutral, too: those are rendered again when written."""
    if not meta.startswith("<"):
        created, _, edited = meta.partition(" ")
        return _parse(created), _parse(edited)
    found = _OLD_CREATED.search(meta)
    old_edited = _OLD_EDITED.search(meta)
    edited_at = None
    if old_edited:
        try:
            edited_at = datetime.strptime(
                unescape(old_edited.group(1)), "%d %b %Y, %H:%M UTC"
            ).replace(tzinfo=UTC)
        except ValueError:
            edited_at = None
    return (_parse(found.group(1)) if found else None), edited_at


def _parse(value: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def refresh(comment: Comment) -> None:
    """Render ``comment``'s stored part again after a change that shows (a write)."""
    comment.rendered_html = comment_fragment(comment)
