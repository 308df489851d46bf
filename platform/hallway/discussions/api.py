"""Discussions over JSON: categories, threads, comment trees, comments and reactions.

The same service rules as the pages apply, and the same live updates follow each
change (the service publishes them; the request commits). What a viewer must not see
(hidden or deleted text) is never in the output.
"""

from __future__ import annotations

from typing import Any, cast

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from hallway.core.loading import loads
from hallway.core.pagination import Page
from hallway.db import db
from hallway.discussions import live, queries, service, subscriptions
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
    ReactionState,
    ReactionStateSchema,
    ReactionToggleSchema,
    ShownComment,
    ShownThread,
    SubscriptionSchema,
    ThreadCreateSchema,
    ThreadListArgsSchema,
    ThreadPageSchema,
    ThreadSchema,
    ThreadUpdateSchema,
)
from hallway.discussions.tree import CommentNode, CommentOrder, ReactionSummary, post_state

bp = Blueprint(
    "discussions_api",
    __name__,
    description="Discussions: categories, threads, nested comments and reactions",
)


# --- what goes out (through the schemas: ShownThread, ShownComment) -------------------


def _in_reading_order(roots: list[CommentNode]) -> list[CommentNode]:
    """Every node, each followed by its replies (depth first), without recursion:
    a reply chain can be hundreds of levels deep."""
    ordered: list[CommentNode] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(node.children))
    return ordered


def _viewer() -> Viewer:
    return Viewer.of(db.session, current_user)


def _actor():
    return current_user._get_current_object()


def _shown_thread(thread: Thread) -> ShownThread:
    return ShownThread(thread, queries.thread_reactions(db.session, thread, _viewer()))


def _shown_comment(comment: Comment, *, just_written: bool = False) -> ShownComment:
    """One comment as the viewer may see it (its replies are in the thread's tree); one
    ``just_written`` has no reactions yet."""
    viewer = _viewer()
    state = post_state(
        comment, viewer_is_moderator=viewer.is_moderator, blocked_ids=viewer.blocked_ids
    )
    if just_written:
        reactions = ReactionSummary()
    else:
        reactions = queries.comment_reactions(db.session, comment, viewer)
    node = CommentNode(comment=comment, state=state, reactions=reactions)
    return ShownComment(node, url=ThreadUrls.of(comment.thread).permalink(comment))


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
    shown = [ShownThread(thread) for thread in page.items]
    return Page(shown, page=page.page, per_page=page.per_page, total=page.total)


@bp.post("/threads")
@login_required
@bp.arguments(ThreadCreateSchema)
@bp.response(201, ThreadSchema)
def create_thread(data: dict[str, Any]):
    """Start a thread."""
    thread = cast(Thread, service.start_thread(db.session, actor=_actor(), **data).post)
    return ShownThread(thread, ReactionSummary())


@bp.get("/threads/<int:thread_id>")
@login_required
@bp.response(200, ThreadSchema)
@loads("thread", queries.visible_thread)
def read_thread(thread: Thread):
    """A thread's opening post, with its reactions."""
    return _shown_thread(thread)


@bp.patch("/threads/<int:thread_id>")
@login_required
@bp.arguments(ThreadUpdateSchema)
@bp.response(200, ThreadSchema)
@loads("thread", queries.visible_thread)
def update_thread(data: dict[str, Any], thread: Thread):
    """Edit title, body or tags (author or moderator); pin or unpin (moderators)."""
    pinned = data.pop("pinned", None)
    if data:
        service.edit_thread(db.session, actor=_actor(), thread=thread, **data)
    if pinned is not None:
        service.set_pinned(db.session, actor=_actor(), thread=thread, pinned=pinned)
    return _shown_thread(thread)


@bp.delete("/threads/<int:thread_id>")
@login_required
@bp.response(204)
@loads("thread", queries.visible_thread)
def delete_thread(thread: Thread):
    """Delete a thread (author or moderator)."""
    service.delete_thread(db.session, actor=_actor(), thread=thread)


# --- comments ------------------------------------------------------------------------


@bp.get("/threads/<int:thread_id>/comments")
@login_required
@bp.arguments(CommentTreeArgsSchema, location="query")
@bp.response(200, CommentTreeSchema)
@loads("thread", queries.visible_thread)
def comment_tree(args: dict[str, Any], thread: Thread):
    """The whole comment tree, flat: each comment followed by its replies (depth first,
    siblings sorted oldest, newest or top); ``parent_id`` and ``depth`` give the shape."""
    view = queries.load_thread_view(db.session, thread, _viewer(), order=CommentOrder(args["sort"]))
    urls = ThreadUrls.of(thread)
    return {
        "thread_id": thread.id,
        "sort": view.order.value,
        "total": view.comment_total,
        "comments": [
            ShownComment(node, url=urls.permalink(node.comment))
            for node in _in_reading_order(view.roots)
        ],
    }


@bp.post("/threads/<int:thread_id>/comments")
@login_required
@bp.arguments(CommentCreateSchema)
@bp.response(201, CommentSchema)
@loads("thread", queries.visible_thread)
def create_comment(data: dict[str, Any], thread: Thread):
    """Reply to the thread, or to one of its comments with parent_id."""
    comment = cast(Comment, service.reply(db.session, actor=_actor(), thread=thread, **data).post)
    return _shown_comment(comment, just_written=True)


@bp.get("/comments/<int:comment_id>")
@login_required
@bp.response(200, CommentSchema)
@loads("comment", queries.visible_comment)
def read_comment(comment: Comment):
    """One comment (its replies are in the thread's tree)."""
    return _shown_comment(comment)


@bp.patch("/comments/<int:comment_id>")
@login_required
@bp.arguments(CommentUpdateSchema)
@bp.response(200, CommentSchema)
@loads("comment", queries.visible_comment)
def update_comment(data: dict[str, Any], comment: Comment):
    """Edit a comment (author or moderator); the old text goes into its history."""
    service.edit_comment(db.session, actor=_actor(), comment=comment, body=data["body"])
    return _shown_comment(comment)


@bp.delete("/comments/<int:comment_id>")
@login_required
@bp.response(204)
@loads("comment", queries.visible_comment)
def delete_comment(comment: Comment):
    """Delete a comment (author or moderator); its replies stay under a placeholder."""
    service.delete_comment(db.session, actor=_actor(), comment=comment)


# --- reactions -----------------------------------------------------------------------


def _toggle(thread: Thread, comment: Comment | None, kind: Any) -> ReactionState:
    toggled = service.toggle_reaction(
        db.session, actor=_actor(), thread=thread, comment=comment, kind=kind
    )
    return live.reaction_state(db.session, thread, comment, toggled, _viewer())


@bp.post("/threads/<int:thread_id>/reactions")
@login_required
@bp.arguments(ReactionToggleSchema)
@bp.response(200, ReactionStateSchema)
@loads("thread", queries.visible_thread)
def react_to_thread(data: dict[str, Any], thread: Thread):
    """Toggle a reaction on the opening post."""
    return _toggle(thread, None, data["kind"])


@bp.post("/comments/<int:comment_id>/reactions")
@login_required
@bp.arguments(ReactionToggleSchema)
@bp.response(200, ReactionStateSchema)
@loads("comment", queries.visible_comment)
def react_to_comment(data: dict[str, Any], comment: Comment):
    """Toggle a reaction on a comment."""
    return _toggle(comment.thread, comment, data["kind"])


# --- watch / mute ----------------------------------------------------------------------
# Under /notifications/ in the URL: members find it with their other notification settings.
SUBSCRIBABLE = "<any(thread, category):subject_type>/<int:subject_id>"


@bp.put(f"/notifications/subscriptions/{SUBSCRIBABLE}")
@login_required
@bp.arguments(SubscriptionSchema)
@bp.response(200, SubscriptionSchema)
def set_subscription(data: dict[str, Any], subject_type: str, subject_id: int):
    """Watch, follow normally or mute a thread or a category."""
    level = subscriptions.set_subscription_level(
        db.session,
        actor=_actor(),
        subject_type=subject_type,
        subject_id=subject_id,
        level=data["level"],
    )
    return {"subject_type": subject_type, "subject_id": subject_id, "level": level.value}
