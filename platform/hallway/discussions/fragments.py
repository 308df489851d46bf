"""The part of a comment's article that is the same for every reader, rendered once.

A comment stores it in ``Comment.rendered_html`` when it is written, edited or
deleted: only those change it. Pages and live updates wrap it with what depends on the
reader or on state that changes elsewhere (``discussions.rendering``): the author's
name and link (so a rename, a private profile or a deleted account changes nothing
stored here), the "hidden from members" mark moderators see, reactions, reply and
owner links.

It is the end of the article's header (permalink, time, the edited mark),
``</header>``, then the body: a reader who blocked the author gets the body folded
away by splitting at that tag. A deleted comment stores nothing (everyone sees a
placeholder). Rendering is string formatting of trusted values and of ``body_html``,
which was sanitised when the text was written; no Markdown, no template, no request:
it works in services, jobs and the CLI alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from markupsafe import escape

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
    """The stored part of ``comment``'s article ("" once deleted)."""
    if comment.deleted_at is not None:
        return ""
    created = comment.created_at
    parts = [
        f'<a class="permalink" href="{permalink(comment.thread_id, comment.id)}"'
        f' title="Link to this comment"><time datetime="{created.isoformat(timespec="seconds")}">'
        f"{discussion_time(created)}</time></a>"
    ]
    if comment.edited_at is not None:
        edited = discussion_time(comment.edited_at)
        parts.append(f' · <span class="edited" title="Edited {escape(edited)}">edited</span>')
    parts.append(f'{HEADER_END}<div class="comment-body">{comment.body_html or ""}</div>')
    return "".join(parts)


def refresh(comment: Comment) -> None:
    """Render ``comment``'s stored part again after a change that shows (a write)."""
    comment.rendered_html = comment_fragment(comment)
