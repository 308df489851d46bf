"""Telling everyone who has a thread open what changed: durable, numbered publications.

The discussions service calls these in the transaction of the change. Each event is
published on the thread's topic with ``hallway.realtime.publish``: it gets the topic's
next sequence number, is stored for replay and is emitted only after the commit (a
rolled-back change publishes nothing). A page that was offline re-joins with the last
number it saw and gets what it missed, in order (``sockets.join_thread``).

Each event carries ids and, where the post is visible to all, the HTML fragment the
page itself would render, built here once for everyone: no CSRF token, no viewer's
own state (a reaction's ``mine`` stays with the actor's own response). Hidden posts
never travel: the room gets an id-only ``post_refresh`` (or ``post_hidden``) instead,
so nothing reaches a viewer who must not see it. Each payload is dumped by its schema
in ``discussions.schemas`` (a comment with the API's own comment fields); ``seq`` and
``topic`` are added by the realtime package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from flask import current_app, has_request_context
from flask_babel import force_locale
from marshmallow import Schema
from sqlalchemy.orm import Session

from hallway.core.i18n import LANGUAGES, current_locale_name
from hallway.discussions import queries
from hallway.discussions.models import Comment, ReactionKind, Thread
from hallway.discussions.rendering import (
    PageContext,
    article_html,
    branch_html,
    node_for_everyone,
    render_thread_post,
    shown_to_everyone,
)
from hallway.discussions.schemas import (
    CommentChangedSchema,
    CommentPlacedSchema,
    PostRefreshSchema,
    PostVisibilitySchema,
    ReactionChangedSchema,
    ReactionState,
    ShownComment,
    ThreadChangedSchema,
)
from hallway.discussions.tree import PostState, ReactionSummary
from hallway.realtime import publish, topic

EVERYONE = queries.Viewer()

# The events' schemas, built once: building a marshmallow schema costs more than
# dumping one event with it, and every new comment reaches its readers after this.
_COMMENT_PLACED = CommentPlacedSchema()
_COMMENT_CHANGED = CommentChangedSchema()
_POST_REFRESH = PostRefreshSchema()
_POST_VISIBILITY = PostVisibilitySchema()
_REACTION_CHANGED = ReactionChangedSchema()
_THREAD_CHANGED = ThreadChangedSchema()


def thread_topic(thread_id: int) -> str:
    """The thread's topic, which is also its Socket.IO room: ``thread:<id>``."""
    return topic("thread", thread_id)


@contextmanager
def _rendering() -> Iterator[None]:
    """Templates build addresses with url_for: give them a request where there is none
    (the CLI, a job, a service called from a test)."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context():
        yield


def _publish(
    session: Session,
    thread_id: int,
    event: str,
    schema: Schema,
    data: Any,
    html_by_locale: dict[str, str] | None = None,
) -> None:
    payload = schema.dump(data)
    if html_by_locale is not None:
        payload["html_by_locale"] = html_by_locale
    publish(session, thread_topic(thread_id), event, payload)


def _every_language(render: Callable[[], object], current_html: str) -> dict[str, str]:
    """The fragment in each language the room's readers may read, by language tag
    ("en", "fr-CA"): one room, readers of both languages, and the fragment's words
    (Reply, Edit, the time) are the reader's. ``current_html`` is ``render()``'s in the
    language of the change (kept as ``html`` for other clients), not rendered again.
    The realtime package sends each reader only their own (``realtime.publish``)."""
    current = current_locale_name()
    found = {}
    for locale in LANGUAGES:
        if locale == current:
            found[locale.replace("_", "-")] = current_html
            continue
        with force_locale(locale):
            found[locale.replace("_", "-")] = str(render())
    return found


def _refresh(session: Session, thread_id: int, comment_id: int | None) -> None:
    data = {"thread_id": thread_id, "comment_id": comment_id}
    _publish(session, thread_id, "post_refresh", _POST_REFRESH, data)


# --- Comments ------------------------------------------------------------------------------


def new_comment_data(comment: Comment, ctx: PageContext) -> dict[str, Any]:
    """A new comment placed by ``ctx``'s viewer (everyone, for the event): the comment as
    the API describes it, its branch of the page and where to read on when it is deeper
    than the page shows."""
    node = node_for_everyone(comment)
    parent_id = comment.parent_id
    shown = ShownComment(
        node,
        url=ctx.urls.permalink(comment),
        html=branch_html(shown_to_everyone(comment), ctx),
        continue_url=ctx.urls.comment(parent_id) if parent_id else None,
        comment_count=comment.thread.comment_count,
    )
    return _COMMENT_PLACED.dump(shown)


def publish_new_comment(session: Session, comment: Comment) -> None:
    """``comment_created``, with the comment's branch as anyone sees it."""
    thread = comment.thread
    if thread.hidden_at is not None:  # a moderator answering in a hidden thread
        _refresh(session, thread.id, comment.id)
        return
    with _rendering():
        ctx = PageContext.for_broadcast(thread, [comment.author_id])
        data = new_comment_data(comment, ctx)
        shown = shown_to_everyone(comment)
        data["html_by_locale"] = _every_language(lambda: branch_html(shown, ctx), data["html"])
    publish(session, thread_topic(thread.id), "comment_created", data)


def publish_comment_changed(session: Session, comment: Comment, event: str) -> None:
    """``event`` is comment_updated or comment_deleted; both replace the comment's article."""
    thread = comment.thread
    if comment.hidden_at is not None or thread.hidden_at is not None:
        _refresh(session, thread.id, comment.id)
        return
    reactions = queries.comment_reactions(session, comment, EVERYONE)
    node = node_for_everyone(comment, reactions)
    # A deleted comment without replies leaves the page: no article ("").
    gone = comment.deleted_at is not None and comment.reply_count == 0
    with _rendering():
        ctx = PageContext.for_broadcast(thread, [comment.author_id])
        everyone = shown_to_everyone(comment, reactions)
        html = "" if gone else str(article_html(everyone, ctx))
        shown = ShownComment(
            node, url=ctx.urls.permalink(comment), html=html, comment_count=thread.comment_count
        )
        localized = None if gone else _every_language(lambda: article_html(everyone, ctx), html)
    _publish(session, thread.id, event, _COMMENT_CHANGED, shown, localized)


# --- The opening post ----------------------------------------------------------------------


def _thread_html(session: Session, thread: Thread) -> tuple[str, dict[str, str]]:
    """The opening post's article, and the same in every language."""
    reactions = queries.thread_reactions(session, thread, EVERYONE)
    with _rendering():
        ctx = PageContext.for_broadcast(thread)

        def render() -> str:
            return str(render_thread_post(thread, PostState.visible, reactions, ctx))

        html = render()
        return html, _every_language(render, html)


def publish_thread_changed(session: Session, thread: Thread) -> None:
    """``thread_updated`` (edited, pinned...); a deleted or hidden thread only says so."""
    if thread.hidden_at is not None or thread.deleted_at is not None:
        _refresh(session, thread.id, None)
        return
    html, localized = _thread_html(session, thread)
    data = {"thread_id": thread.id, "author": thread.author, "html": html}
    _publish(session, thread.id, "thread_updated", _THREAD_CHANGED, data, localized)


# --- Moderation: hidden and restored posts -------------------------------------------------


def publish_post_changed(session: Session, thread: Thread, comment: Comment | None = None) -> None:
    """After a moderator hid or restored ``comment`` (or, without one, the thread).

    A hidden post sends ids only (``post_hidden``); a restored one (``post_restored``)
    carries its article again when everyone may see it, so open pages show it back.
    """
    post: Thread | Comment = comment if comment is not None else thread
    data: dict[str, Any] = {
        "thread_id": thread.id,
        "subject_type": "comment" if comment is not None else "thread",
        "subject_id": post.id,
    }
    if post.hidden_at is not None:
        _publish(session, thread.id, "post_hidden", _POST_VISIBILITY, data)
        return
    shown_to_all = thread.hidden_at is None and thread.deleted_at is None
    localized = None
    if comment is not None and shown_to_all and comment.deleted_at is None:
        reactions = queries.comment_reactions(session, comment, EVERYONE)
        with _rendering():
            ctx = PageContext.for_broadcast(thread, [comment.author_id])
            everyone = shown_to_everyone(comment, reactions)
            data["html"] = article_html(everyone, ctx)
            localized = _every_language(lambda: article_html(everyone, ctx), data["html"])
        data["author"] = comment.author
    elif comment is None and shown_to_all:
        data["html"], localized = _thread_html(session, thread)
        data["author"] = thread.author
    _publish(session, thread.id, "post_restored", _POST_VISIBILITY, data, localized)


# --- Reactions -----------------------------------------------------------------------------


def _reaction_summary(
    session: Session, thread: Thread, comment: Comment | None, viewer: queries.Viewer
) -> ReactionSummary:
    if comment is not None:
        return queries.comment_reactions(session, comment, viewer)
    return queries.thread_reactions(session, thread, viewer)


def publish_reaction(
    session: Session,
    *,
    thread: Thread,
    comment: Comment | None,
    kind: ReactionKind,
    active: bool,
    actor_id: int,
) -> None:
    """``reaction_changed``: everyone gets the new counts; the actor's own choices
    (``mine``) are theirs, so they stay out."""
    if thread.hidden_at is not None:
        _refresh(session, thread.id, None)
        return
    state = ReactionState(
        thread_id=thread.id,
        comment_id=comment.id if comment is not None else None,
        kind=kind,
        active=active,
        reactions=_reaction_summary(session, thread, comment, EVERYONE),
        user_id=actor_id,
    )
    _publish(session, thread.id, "reaction_changed", _REACTION_CHANGED, state)


class Toggled(Protocol):
    """What ``service.toggle_reaction`` answers (live does not import the service)."""

    @property
    def kind(self) -> ReactionKind: ...

    @property
    def active(self) -> bool: ...


def reaction_state(
    session: Session,
    thread: Thread,
    comment: Comment | None,
    toggled: Toggled,
    viewer: queries.Viewer,
) -> ReactionState:
    """Counts and names after a toggle, with the viewer's own choices in ``mine``: the
    answer to the member who reacted (the page's script and the API dump it with
    ReactionStateSchema)."""
    return ReactionState(
        thread_id=thread.id,
        comment_id=comment.id if comment is not None else None,
        kind=toggled.kind,
        active=toggled.active,
        reactions=_reaction_summary(session, thread, comment, viewer),
    )
