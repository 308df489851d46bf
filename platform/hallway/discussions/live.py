"""Telling everyone who has a thread open what just changed (after the commit).

Each event carries ids and, where the post is visible to all, the HTML fragment the
page itself would render. Hidden posts never travel: the room gets an id-only
``post_refresh`` hint instead, so nothing reaches a viewer who must not see it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from hallway.discussions import queries
from hallway.discussions.models import Comment, Thread
from hallway.discussions.rendering import (
    PageContext,
    node_for_everyone,
    render_comment_article,
    render_comment_branch,
    render_thread_post,
)
from hallway.discussions.service import ReactionToggled
from hallway.discussions.tree import PostState
from hallway.realtime import broadcast

EVERYONE = queries.Viewer()


def thread_room(thread_id: int) -> str:
    return f"thread:{thread_id}"


def _refresh(thread_id: int, comment_id: int | None) -> None:
    broadcast(
        "post_refresh",
        {"thread_id": thread_id, "comment_id": comment_id},
        to=thread_room(thread_id),
    )


def announce_new_comment(comment: Comment) -> None:
    thread = comment.thread
    if thread.hidden_at is not None:  # a moderator answering in a hidden thread
        _refresh(thread.id, comment.id)
        return
    ctx = PageContext.for_broadcast(thread)
    parent_id = comment.parent_id
    broadcast(
        "comment_created",
        {
            "thread_id": thread.id,
            "comment_id": comment.id,
            "parent_id": parent_id,
            "depth": comment.depth,
            "author_id": comment.author_id,
            "author_name": comment.author.display_name if comment.author else None,
            "html": str(render_comment_branch(node_for_everyone(comment), ctx)),
            "continue_url": ctx.urls.comment(parent_id) if parent_id else None,
            "comment_count": thread.comment_count,
        },
        to=thread_room(thread.id),
    )


def announce_comment_changed(session: Session, comment: Comment, event: str) -> None:
    """``event`` is comment_updated or comment_deleted; both replace the comment's article."""
    thread = comment.thread
    if comment.hidden_at is not None or thread.hidden_at is not None:
        _refresh(thread.id, comment.id)
        return
    reactions = queries.comment_reactions(session, comment, EVERYONE)
    ctx = PageContext.for_broadcast(thread)
    broadcast(
        event,
        {
            "thread_id": thread.id,
            "comment_id": comment.id,
            "author_id": comment.author_id,
            "html": str(render_comment_article(node_for_everyone(comment, reactions), ctx)),
            "comment_count": thread.comment_count,
        },
        to=thread_room(thread.id),
    )


def announce_thread_changed(session: Session, thread: Thread) -> None:
    if thread.hidden_at is not None or thread.deleted_at is not None:
        _refresh(thread.id, None)
        return
    reactions = queries.thread_reactions(session, thread, EVERYONE)
    ctx = PageContext.for_broadcast(thread)
    broadcast(
        "thread_updated",
        {
            "thread_id": thread.id,
            "author_id": thread.author_id,
            "html": str(render_thread_post(thread, PostState.visible, reactions, ctx)),
        },
        to=thread_room(thread.id),
    )


def reaction_state(
    session: Session,
    thread: Thread,
    comment: Comment | None,
    toggled: ReactionToggled,
    viewer: queries.Viewer,
) -> dict[str, object]:
    """Counts and names after a toggle, with the viewer's own choices in ``mine``."""
    if comment is not None:
        summary = queries.comment_reactions(session, comment, viewer)
    else:
        summary = queries.thread_reactions(session, thread, viewer)
    return {
        "thread_id": thread.id,
        "comment_id": comment.id if comment is not None else None,
        "kind": toggled.kind.value,
        "active": toggled.active,
        "mine": sorted(kind.value for kind in summary.mine),
        **summary.as_dict(),
    }


def announce_reaction(state: dict[str, object], actor_id: int) -> None:
    """Everyone gets the new counts; ``mine`` is the actor's, so it stays out."""
    payload = {key: value for key, value in state.items() if key != "mine"}
    payload["user_id"] = actor_id
    broadcast("reaction_changed", payload, to=thread_room(int(state["thread_id"])))  # type: ignore[arg-type]
