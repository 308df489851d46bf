"""Discussions over JSON: categories, threads, comment trees, comments and reactions.

The same service rules as the pages apply, and the same live broadcasts follow each
change. What a viewer must not see (hidden or deleted text) is never in the output.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from hallway.core.errors import NotFound
from hallway.db import db
from hallway.discussions import live, queries, service
from hallway.discussions.links import ThreadUrls
from hallway.discussions.models import Comment, Thread
from hallway.discussions.queries import ThreadOrder, Viewer
from hallway.discussions.schemas import (
    CategorySchema,
    CommentCreateSchema,
    CommentSchema,
    CommentTreeArgsSchema,
    CommentTreeSchema,
    CommentUpdateSchema,
    ReactionStateSchema,
    ReactionToggleSchema,
    ThreadCreateSchema,
    ThreadListArgsSchema,
    ThreadPageSchema,
    ThreadSchema,
    ThreadUpdateSchema,
)
from hallway.discussions.tree import CommentNode, CommentOrder, PostState, ReactionSummary
from hallway.notifications import service as notifications

bp = Blueprint(
    "discussions_api",
    __name__,
    url_prefix="/api",
    description="Discussions: categories, threads, nested comments and reactions",
)


# --- what goes out -------------------------------------------------------------------


def _author(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.id, "handle": user.handle, "display_name": user.display_name}


def _reactions(summary: ReactionSummary) -> dict[str, Any]:
    return {**summary.as_dict(), "mine": sorted(kind.value for kind in summary.mine)}


def _thread_data(thread: Thread, reactions: ReactionSummary | None = None) -> dict[str, Any]:
    return {
        "id": thread.id,
        "slug": thread.slug,
        "title": thread.title,
        "url": ThreadUrls.of(thread).page,
        "category": thread.category,
        "tags": [tag.name for tag in thread.tags],
        "author": _author(thread.author),
        "body": thread.body,
        "body_html": thread.body_html,
        "created_at": thread.created_at,
        "last_activity_at": thread.last_activity_at,
        "edited_at": thread.edited_at,
        "pinned": thread.pinned_at is not None,
        "locked": thread.locked_at is not None,
        "hidden": thread.hidden_at is not None,
        "comment_count": thread.comment_count,
        "reaction_count": thread.reaction_count,
        "reactions": _reactions(reactions) if reactions is not None else None,
    }


def _comment_data(node: CommentNode, urls: ThreadUrls) -> dict[str, Any]:
    comment = node.comment
    shown = node.state in (PostState.visible, PostState.blocked)
    return {
        "id": comment.id,
        "thread_id": comment.thread_id,
        "parent_id": comment.parent_id,
        "depth": comment.depth,
        "url": urls.permalink(comment),
        "state": node.state.value,
        "author": _author(comment.author) if shown else None,
        "body": comment.body if shown else None,
        "body_html": comment.body_html if shown else None,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at if shown else None,
        "reactions": _reactions(node.reactions) if shown else None,
        "replies": [_comment_data(child, urls) for child in node.children],
    }


def _viewer() -> Viewer:
    return Viewer.of(db.session, current_user)


def _actor():
    return current_user._get_current_object()


def _comment_and_thread(comment_id: int) -> tuple[Comment, Thread]:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("That comment does not exist.")
    return comment, service.get_thread(db.session, comment.thread_id, current_user)


def _single_comment(comment: Comment, thread: Thread) -> dict[str, Any]:
    viewer = _viewer()
    view = queries.load_thread_view(db.session, thread, viewer, focus=comment)
    node = view.roots[0]
    node.children = []
    return _comment_data(node, ThreadUrls.of(thread))


# --- categories and threads ----------------------------------------------------------


@bp.get("/categories")
@login_required
@bp.response(200, CategorySchema(many=True))
def list_categories():
    """Categories in their display order."""
    return queries.list_categories(db.session)


@bp.get("/threads")
@login_required
@bp.arguments(ThreadListArgsSchema, location="query")
@bp.response(200, ThreadPageSchema)
def list_threads(args: dict[str, Any]):
    """Threads, pinned first, by latest activity, newest or top; filter by category or tag."""
    category = (
        queries.get_category_by_slug(db.session, args["category"]) if args["category"] else None
    )
    page = queries.list_threads(
        db.session,
        _viewer(),
        category=category,
        tag=args["tag"].lower() if args["tag"] else None,
        order=ThreadOrder(args["sort"]),
        page=args["page"],
        per_page=args["per_page"],
    )
    return {
        "items": [_thread_data(thread) for thread in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }


@bp.post("/threads")
@login_required
@bp.arguments(ThreadCreateSchema)
@bp.response(201, ThreadSchema)
def create_thread(data: dict[str, Any]):
    """Start a thread."""
    posted = service.start_thread(db.session, actor=_actor(), **data)
    db.session.commit()
    notifications.push_after_commit(posted.notifications)
    return _thread_data(posted.post, ReactionSummary())


@bp.get("/threads/<int:thread_id>")
@login_required
@bp.response(200, ThreadSchema)
def read_thread(thread_id: int):
    """A thread's opening post, with its reactions."""
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    return _thread_data(thread, queries.thread_reactions(db.session, thread, _viewer()))


@bp.patch("/threads/<int:thread_id>")
@login_required
@bp.arguments(ThreadUpdateSchema)
@bp.response(200, ThreadSchema)
def update_thread(data: dict[str, Any], thread_id: int):
    """Edit title, body or tags (author or moderator); pin or unpin (moderators)."""
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    pinned = data.pop("pinned", None)
    if data:
        service.edit_thread(db.session, actor=_actor(), thread=thread, **data)
    if pinned is not None:
        service.set_pinned(db.session, actor=_actor(), thread=thread, pinned=pinned)
    db.session.commit()
    live.announce_thread_changed(db.session, thread)
    return _thread_data(thread, queries.thread_reactions(db.session, thread, _viewer()))


@bp.delete("/threads/<int:thread_id>")
@login_required
@bp.response(204)
def delete_thread(thread_id: int):
    """Delete a thread (author or moderator)."""
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    service.delete_thread(db.session, actor=_actor(), thread=thread)
    db.session.commit()
    live.announce_thread_changed(db.session, thread)


# --- comments ------------------------------------------------------------------------


@bp.get("/threads/<int:thread_id>/comments")
@login_required
@bp.arguments(CommentTreeArgsSchema, location="query")
@bp.response(200, CommentTreeSchema)
def comment_tree(args: dict[str, Any], thread_id: int):
    """The whole comment tree, replies nested, siblings sorted oldest, newest or top."""
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    view = queries.load_thread_view(db.session, thread, _viewer(), order=CommentOrder(args["sort"]))
    urls = ThreadUrls.of(thread)
    return {
        "thread_id": thread.id,
        "sort": view.order.value,
        "total": view.comment_total,
        "comments": [_comment_data(node, urls) for node in view.roots],
    }


@bp.post("/threads/<int:thread_id>/comments")
@login_required
@bp.arguments(CommentCreateSchema)
@bp.response(201, CommentSchema)
def create_comment(data: dict[str, Any], thread_id: int):
    """Reply to the thread, or to one of its comments with parent_id."""
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    posted = service.reply(db.session, actor=_actor(), thread=thread, **data)
    db.session.commit()
    notifications.push_after_commit(posted.notifications)
    live.announce_new_comment(posted.post)
    return _single_comment(posted.post, thread)


@bp.get("/comments/<int:comment_id>")
@login_required
@bp.response(200, CommentSchema)
def read_comment(comment_id: int):
    """One comment (its replies are in the thread's tree)."""
    comment, thread = _comment_and_thread(comment_id)
    return _single_comment(comment, thread)


@bp.patch("/comments/<int:comment_id>")
@login_required
@bp.arguments(CommentUpdateSchema)
@bp.response(200, CommentSchema)
def update_comment(data: dict[str, Any], comment_id: int):
    """Edit a comment (author or moderator); the old text goes into its history."""
    comment, thread = _comment_and_thread(comment_id)
    service.edit_comment(db.session, actor=_actor(), comment=comment, body=data["body"])
    db.session.commit()
    live.announce_comment_changed(db.session, comment, "comment_updated")
    return _single_comment(comment, thread)


@bp.delete("/comments/<int:comment_id>")
@login_required
@bp.response(204)
def delete_comment(comment_id: int):
    """Delete a comment (author or moderator); its replies stay under a placeholder."""
    comment, _thread = _comment_and_thread(comment_id)
    service.delete_comment(db.session, actor=_actor(), comment=comment)
    db.session.commit()
    live.announce_comment_changed(db.session, comment, "comment_deleted")


# --- reactions -----------------------------------------------------------------------


def _toggle(thread: Thread, comment: Comment | None, kind: str) -> dict[str, object]:
    toggled = service.toggle_reaction(
        db.session, actor=_actor(), thread=thread, comment=comment, kind=kind
    )
    db.session.commit()
    state = live.reaction_state(db.session, thread, comment, toggled, _viewer())
    live.announce_reaction(state, current_user.id)
    return state


@bp.post("/threads/<int:thread_id>/reactions")
@login_required
@bp.arguments(ReactionToggleSchema)
@bp.response(200, ReactionStateSchema)
def react_to_thread(data: dict[str, Any], thread_id: int):
    """Toggle a reaction on the opening post."""
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    return _toggle(thread, None, data["kind"])


@bp.post("/comments/<int:comment_id>/reactions")
@login_required
@bp.arguments(ReactionToggleSchema)
@bp.response(200, ReactionStateSchema)
def react_to_comment(data: dict[str, Any], comment_id: int):
    """Toggle a reaction on a comment."""
    comment, thread = _comment_and_thread(comment_id)
    return _toggle(thread, comment, data["kind"])
