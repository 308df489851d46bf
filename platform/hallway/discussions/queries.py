"""Reading discussions: lists, a thread's whole comment tree (for the API), edit
history and the loaders routes use. What a thread page shows of a long thread, a
bounded window, is read in ``discussions.windows``.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, select, true
from sqlalchemy.orm import Session, defer, joinedload, lazyload

from hallway.accounts.models import User
from hallway.core.errors import NotAllowed, NotFound
from hallway.core.pagination import Page, paginate
from hallway.discussions import access
from hallway.discussions.models import (
    Category,
    Comment,
    CommentReaction,
    CommentRevision,
    Tag,
    Thread,
    ThreadReaction,
    ThreadRevision,
    ThreadTag,
)
from hallway.discussions.tree import (
    CommentNode,
    CommentOrder,
    PostState,
    ReactionSummary,
    build_tree,
    count_nodes,
    post_state,
    sort_tree,
)
from hallway.moderation import service as moderation


class ThreadOrder(enum.StrEnum):
    latest = "latest"  # latest activity
    newest = "newest"  # newest threads
    top = "top"  # most reactions and replies


@dataclass(frozen=True)
class Viewer:
    """Who is looking: decides placeholders, collapsed posts and moderator extras."""

    user_id: int | None = None
    is_moderator: bool = False
    blocked_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, session: Session, user: Any) -> Viewer:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls()
        return cls(
            user_id=user.id,
            is_moderator=access.can_moderate(user),
            blocked_ids=frozenset(moderation.blocked_user_ids(session, user.id)),
        )


@dataclass
class ThreadView:
    thread: Thread
    thread_state: PostState
    thread_reactions: ReactionSummary
    roots: list[CommentNode]
    order: CommentOrder
    comment_total: int


#: Built once: the thread and its category; its author, tags and text load only when
#: asked for (the opening post's kept HTML rendered anew, an API answer that shows them):
#: a reply, a reaction or a reader joining the room needs none of them.
_THREAD_FOR_PAGE = (
    select(Thread)
    .options(
        joinedload(Thread.category),
        lazyload(Thread.author),
        lazyload(Thread.tags),
        defer(Thread.body),
        defer(Thread.body_html),
    )
    .where(Thread.id == bindparam("thread_id"))
)


def thread_for_page(session: Session, thread_id: int, viewer_user: Any) -> Thread:
    """The thread with its category, if the viewer may see it."""
    thread = session.execute(_THREAD_FOR_PAGE, {"thread_id": thread_id}).scalar_one_or_none()
    return seen_thread(viewer_user, thread)


def seen_thread(viewer_user: Any, thread: Any) -> Any:
    """``thread`` (a Thread, or what a page kept of one) if the viewer may see it."""
    if thread is None or not access.can_see_thread(viewer_user, thread):
        raise NotFound("That discussion does not exist or was removed.")
    return thread


def _reactions_by_comment(
    session: Session, thread: Thread, viewer: Viewer, subtree: Any
) -> dict[int, ReactionSummary]:
    rows = session.execute(
        select(
            CommentReaction.comment_id,
            CommentReaction.kind,
            CommentReaction.user_id,
            User.display_name,
        )
        .join(User, User.id == CommentReaction.user_id)
        .join(Comment, Comment.id == CommentReaction.comment_id)
        .where(Comment.thread_id == thread.id, subtree)
        .order_by(CommentReaction.created_at, CommentReaction.user_id)
    )
    summaries: dict[int, ReactionSummary] = defaultdict(ReactionSummary)
    for comment_id, kind, user_id, name in rows:
        summaries[comment_id].add(kind, name, by_viewer=user_id == viewer.user_id)
    return summaries


def thread_reactions(session: Session, thread: Thread, viewer: Viewer) -> ReactionSummary:
    summary = ReactionSummary()
    rows = session.execute(
        select(ThreadReaction.kind, ThreadReaction.user_id, User.display_name)
        .join(User, User.id == ThreadReaction.user_id)
        .where(ThreadReaction.thread_id == thread.id)
        .order_by(ThreadReaction.created_at, ThreadReaction.user_id)
    )
    for kind, user_id, name in rows:
        summary.add(kind, name, by_viewer=user_id == viewer.user_id)
    return summary


def comment_reactions(session: Session, comment: Comment, viewer: Viewer) -> ReactionSummary:
    """One comment's reactions (for live updates after a toggle or an edit)."""
    summaries = _reactions_by_comment(session, comment.thread, viewer, Comment.id == comment.id)
    return summaries.get(comment.id) or ReactionSummary()


def load_thread_view(
    session: Session,
    thread: Thread,
    viewer: Viewer,
    *,
    order: CommentOrder = CommentOrder.oldest,
) -> ThreadView:
    """The thread's whole comment tree, siblings sorted by ``order`` at every level: the
    API's full listing (pages show bounded windows of it instead)."""
    comments = list(
        session.scalars(
            select(Comment)
            .options(joinedload(Comment.author))
            .where(Comment.thread_id == thread.id)
            .order_by(Comment.path)
        )
    )
    reactions = _reactions_by_comment(session, thread, viewer, true())
    roots = sort_tree(
        build_tree(
            comments,
            reactions=reactions,
            viewer_is_moderator=viewer.is_moderator,
            blocked_ids=viewer.blocked_ids,
        ),
        order,
    )
    return ThreadView(
        thread=thread,
        thread_state=post_state(
            thread, viewer_is_moderator=viewer.is_moderator, blocked_ids=viewer.blocked_ids
        ),
        thread_reactions=thread_reactions(session, thread, viewer),
        roots=roots,
        order=order,
        comment_total=count_nodes(roots),
    )


# --- Lists ---------------------------------------------------------------------------


def _listable(viewer: Viewer) -> Select[Thread]:
    statement = (
        select(Thread)
        .options(joinedload(Thread.author), joinedload(Thread.category))
        .where(Thread.deleted_at.is_(None))
    )
    if not viewer.is_moderator:
        statement = statement.where(Thread.hidden_at.is_(None))
    return statement


def list_threads(
    session: Session,
    viewer: Viewer,
    *,
    category: Category | None = None,
    tag: str | None = None,
    order: ThreadOrder = ThreadOrder.latest,
    page: int = 1,
    per_page: int = 20,
) -> Page[Thread]:
    """Threads the viewer may see, pinned ones first, then by ``order``."""
    statement = _listable(viewer)
    if category is not None:
        statement = statement.where(Thread.category_id == category.id)
    if tag is not None:
        statement = statement.where(
            Thread.id.in_(
                select(ThreadTag.thread_id)
                .join(Tag, Tag.id == ThreadTag.tag_id)
                .where(Tag.name == tag)
            )
        )
    ordering: list[Any] = [Thread.pinned_at.is_(None), Thread.pinned_at.desc()]
    if order is ThreadOrder.newest:
        ordering += [Thread.created_at.desc()]
    elif order is ThreadOrder.top:
        ordering += [(Thread.reaction_count + Thread.comment_count).desc()]
    ordering += [Thread.last_activity_at.desc(), Thread.id.desc()]
    return paginate(session, statement.order_by(*ordering), page=page, per_page=per_page)


def list_categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.position, Category.id)))


def thread_counts_by_category(session: Session, viewer: Viewer) -> dict[int, int]:
    listable = _listable(viewer).with_only_columns(Thread.category_id, func.count())
    return dict(session.execute(listable.group_by(Thread.category_id)).all())


def get_category_by_slug(session: Session, slug: str) -> Category:
    category = session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise NotFound("That category does not exist.")
    return category


# --- Edit history --------------------------------------------------------------------


def _require_history_access(viewer_user: Any, author_id: int | None) -> None:
    if not access.can_change(viewer_user, author_id):
        raise NotAllowed("Only the author and moderators can see the edit history.")


def _revisions(session: Session, model: Any, key: Any, value: int) -> list[Any]:
    return list(
        session.scalars(
            select(model)
            .options(joinedload(model.editor))
            .where(key == value)
            .order_by(model.created_at.desc(), model.id.desc())
        )
    )


def thread_history(session: Session, thread: Thread, viewer_user: Any) -> list[ThreadRevision]:
    """Earlier versions of a thread, newest first: for its author and moderators."""
    _require_history_access(viewer_user, thread.author_id)
    return _revisions(session, ThreadRevision, ThreadRevision.thread_id, thread.id)


def comment_history(session: Session, comment: Comment, viewer_user: Any) -> list[CommentRevision]:
    """Earlier versions of a comment, newest first: for its author and moderators."""
    _require_history_access(viewer_user, comment.author_id)
    return _revisions(session, CommentRevision, CommentRevision.comment_id, comment.id)


# --- Loaders: routes get their thread or comment with hallway.core.loading.loads ------


def visible_thread(session: Session, viewer_user: Any, thread_id: int) -> Thread:
    """``@loads("thread", visible_thread)``: the thread, if the viewer may see it."""
    return thread_for_page(session, thread_id, viewer_user)


def comment_in_thread(
    session: Session, viewer_user: Any, comment_id: int, thread: Thread
) -> Comment:
    """``@loads("comment", comment_in_thread, within="thread")``: a comment of that thread.

    Deleted and hidden comments load too (the tree keeps their place); what the viewer
    may read of them is decided where they are shown.
    """
    comment = session.get(Comment, comment_id)
    if comment is None or comment.thread_id != thread.id:
        raise NotFound("That comment does not exist in this discussion.")
    return comment


def visible_comment(session: Session, viewer_user: Any, comment_id: int) -> Comment:
    """``@loads("comment", visible_comment)``: a comment by id, if its thread is visible.

    For routes without the thread in their path (/api/v1/comments/<id>); the thread is
    then ``comment.thread`` (already loaded).
    """
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("That comment does not exist.")
    visible_thread(session, viewer_user, comment.thread_id)
    return comment


def changeable_thread(session: Session, viewer_user: Any, thread_id: int) -> Thread:
    """``@loads("thread", changeable_thread)``: a visible thread the viewer may edit or
    delete (its author, a moderator): for the pages that offer to."""
    thread = visible_thread(session, viewer_user, thread_id)
    if not access.can_change(viewer_user, thread.author_id):
        raise NotAllowed("Only its author or a moderator can change this discussion.")
    return thread


def changeable_comment(
    session: Session, viewer_user: Any, comment_id: int, thread: Thread
) -> Comment:
    """``@loads("comment", changeable_comment, within="thread")``: a comment of that
    thread the viewer may edit or delete (its author, a moderator)."""
    comment = comment_in_thread(session, viewer_user, comment_id, thread)
    if not access.can_change(viewer_user, comment.author_id):
        raise NotAllowed("Only its author or a moderator can change this comment.")
    return comment


def managed_category(session: Session, viewer_user: Any, category_id: int) -> Category:
    """``@loads("category", managed_category)``: a category, for the admins who manage
    them (anyone else is refused before learning whether it exists)."""
    require_category_manager(viewer_user)
    category = session.get(Category, category_id)
    if category is None:
        raise NotFound("That category does not exist.")
    return category


def require_category_manager(viewer_user: Any) -> None:
    """Admins manage categories; anyone else is refused."""
    if not access.can_moderate(viewer_user):
        raise NotAllowed("Only admins can manage categories.")
