"""What one page of a thread shows: a bounded window of its comment tree.

A *window* is a run of siblings in the reader's order (oldest, newest or top): the
thread's top-level comments, or the replies to one comment. It holds at most
``PageShape.siblings`` of them, starting after a given sibling (``?after=<id>``, a
keyset: new comments never shift it). Each comes with a few of its replies, breadth
first: at most ``replies_each`` replies of any one comment and ``branch`` in all under
it, down to the page's depth, and ``budget`` comments on the page in all (the first
views of a thread of 200 comments and of one of 2,000 render alike). A conversation
that fits the budget whole is shown whole. What is left out is counted (``reply_count`` and
``descendant_count`` are columns), so the page links to it with plain addresses:
"Show 3 more replies" (the next window of that comment's replies), "Next top-level
comments", "Continue this conversation". Every comment is one of those links away.

A thread page is the opening post and the first window of top-level comments. A
comment's own page (its permalink, and where the links above lead) is that comment,
marked as the target, a few of its ancestors for context, and the first window of
its replies; ``?after=`` pages through them.

The window is ONE SQL statement whatever the thread's length: each level of replies is
a common table expression that ranks the children of the level above (a window
function per parent) and keeps the first few, so the database reads the replies of
the comments shown and nothing else. Only the columns the page shows are selected:
no Markdown source, the author's id, handle and name. Reactions and the authors'
profile privacy are one more statement each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session, aliased

from hallway.accounts.models import User
from hallway.discussions import fragments
from hallway.discussions.models import (
    Comment,
    CommentReaction,
    Thread,
)
from hallway.discussions.queries import Viewer, thread_reactions
from hallway.discussions.tree import (
    DISPLAY_DEPTH,
    CommentOrder,
    PostState,
    ReactionSummary,
    post_state,
    state_of,
)
from hallway.members import service as members


@dataclass(frozen=True)
class PageShape:
    """How much of a thread one page shows (see the module's docstring)."""

    siblings: int = 20
    replies_each: int = 2
    branch: int = 3
    #: Comments on one page at most (whole branches come first, breadth first).
    budget: int = 60
    depth: int = DISPLAY_DEPTH
    #: Ancestors shown above a comment on its own page.
    context: int = 5


SHAPE = PageShape()


def _fitted(shape: PageShape, comments: int) -> PageShape:
    """The whole conversation when it fits the page's budget (no "Show 1 more reply"
    under a thread of twelve comments); the usual shape otherwise."""
    if comments > shape.budget:
        return shape
    return replace(shape, replies_each=shape.budget, branch=shape.budget)


@dataclass(eq=False)
class PageComment:
    """A comment as a page shows it: the columns it needs, how it shows for this
    reader, its reactions, and the replies this page shows under it."""

    id: int
    thread_id: int
    parent_id: int | None
    author_id: int | None
    author_handle: str | None
    author_name: str | None
    edited: bool
    hidden: bool
    deleted: bool
    reply_count: int
    descendant_count: int
    rendered_html: str
    #: Only for a row whose article was never stored: what it is rendered from.
    unrendered: Unrendered | None = None
    state: PostState = PostState.visible
    reactions: ReactionSummary = field(default_factory=ReactionSummary)
    replies: list[PageComment] = field(default_factory=list)

    @classmethod
    def of(cls, comment: Comment) -> PageComment:
        """From a loaded row (live updates, the reply page); its stored article is
        rendered now if it never was."""
        if not comment.rendered_html and comment.deleted_at is None:
            fragments.refresh(comment)
        author = comment.author
        return cls(
            id=comment.id,
            thread_id=comment.thread_id,
            parent_id=comment.parent_id,
            author_id=comment.author_id,
            author_handle=author.handle if author else None,
            author_name=author.display_name if author else None,
            edited=comment.edited_at is not None,
            hidden=comment.hidden_at is not None,
            deleted=comment.deleted_at is not None,
            reply_count=comment.reply_count,
            descendant_count=comment.descendant_count,
            rendered_html=comment.rendered_html,
        )

    @property
    def replies_left(self) -> int:
        """Direct replies this page does not show (they are the last ones)."""
        return max(self.reply_count - len(self.replies), 0)


@dataclass(frozen=True)
class Unrendered:
    """A row written before articles were stored: what ``fragments`` renders it from."""

    id: int
    thread_id: int
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted_at: None = None


@dataclass
class Window:
    """Siblings shown together: the top level (``parent_id`` None) or replies."""

    parent_id: int | None
    level: int  # of the items, on the page
    items: list[PageComment]
    after: int | None = None
    #: The last item's id when more siblings follow (the next window starts after it).
    next_after: int | None = None


@dataclass
class ThreadPage:
    """What a thread page, a comment's page or a loaded fragment shows."""

    thread: Thread
    order: CommentOrder
    window: Window
    #: The comment whose page this is (None: the thread's own page).
    focus: PageComment | None = None
    ancestors: list[PageComment] = field(default_factory=list)
    #: The ancestor just above those shown, when the conversation goes further up.
    earlier_id: int | None = None
    thread_state: PostState = PostState.visible
    thread_reactions: ReactionSummary = field(default_factory=ReactionSummary)
    unlinked_author_ids: frozenset[int] = frozenset()

    @property
    def comments(self) -> list[PageComment]:
        """Every comment on the page, each once."""
        shown = [*self.ancestors, *([self.focus] if self.focus else [])]
        stack = list(self.window.items)
        while stack:
            node = stack.pop()
            shown.append(node)
            stack.extend(node.replies)
        return shown


# --- Loading -------------------------------------------------------------------------


def thread_page(
    session: Session,
    thread: Thread,
    viewer: Viewer,
    *,
    order: CommentOrder = CommentOrder.oldest,
    after: int | None = None,
    shape: PageShape | None = None,
) -> ThreadPage:
    """The opening post and a window of top-level comments (from the first, or after
    the top-level comment ``after``)."""
    shape = _fitted(shape or SHAPE, thread.comment_count)
    window = _window(session, thread, None, order, after=after, level=0, shape=shape)
    page = ThreadPage(
        thread=thread,
        order=order,
        window=window,
        thread_state=post_state(
            thread, viewer_is_moderator=viewer.is_moderator, blocked_ids=viewer.blocked_ids
        ),
        thread_reactions=thread_reactions(session, thread, viewer),
    )
    return _finish(session, page, viewer)


def shared_window(
    session: Session,
    thread: Thread,
    *,
    is_moderator: bool,
    order: CommentOrder = CommentOrder.oldest,
    after: int | None = None,
    shape: PageShape | None = None,
) -> ThreadPage:
    """A thread page's window as every reader with these rights sees it (kept between
    requests by ``rendering.shared_thread_page``): no blocks, reactions with none
    pressed (each reader's own are read per request), the authors' privacy (the
    opening post's author's too). Three statements."""
    shape = _fitted(shape or SHAPE, thread.comment_count)
    window = _window(session, thread, None, order, after=after, level=0, shape=shape)
    page = ThreadPage(thread=thread, order=order, window=window)
    return _finish(session, page, Viewer(is_moderator=is_moderator))


def comment_page(
    session: Session,
    thread: Thread,
    viewer: Viewer,
    focus: Comment,
    *,
    order: CommentOrder = CommentOrder.oldest,
    after: int | None = None,
    shape: PageShape | None = None,
) -> ThreadPage:
    """``focus`` at the top, its nearest ancestors above it, a window of its replies."""
    shape = _fitted(shape or SHAPE, focus.descendant_count)
    ancestor_ids = focus.ancestor_ids
    context_ids = ancestor_ids[-shape.context :] if shape.context else []
    earlier = ancestor_ids[: len(ancestor_ids) - len(context_ids)]
    rows = {row.id: row for row in _comments(session, [*context_ids, focus.id])}
    window = _window(session, thread, focus.id, order, after=after, level=1, shape=shape)
    page = ThreadPage(
        thread=thread,
        order=order,
        window=window,
        focus=rows[focus.id],
        ancestors=[rows[each] for each in context_ids if each in rows],
        earlier_id=earlier[-1] if earlier else None,
    )
    return _finish(session, page, viewer)


def replies_fragment(
    session: Session,
    thread: Thread,
    viewer: Viewer,
    parent: Comment | None,
    *,
    order: CommentOrder = CommentOrder.oldest,
    after: int | None = None,
    level: int = 0,
    shape: PageShape | None = None,
) -> ThreadPage:
    """Only a window (the page's script puts it in place): the top-level comments or
    ``parent``'s replies after ``after``, shown ``level`` deep."""
    below = parent.descendant_count if parent is not None else thread.comment_count
    window = _window(
        session, thread, parent.id if parent else None, order, after=after, level=level,
        shape=_fitted(shape or SHAPE, below),
    )  # fmt: skip
    return _finish(session, ThreadPage(thread=thread, order=order, window=window), viewer)


# --- The SQL ---------------------------------------------------------------------------

_User = aliased(User, name="author")

_UNRENDERED = and_(Comment.rendered_html == "", Comment.deleted_at.is_(None))

#: What a page shows of a comment, in PageComment's order. Times are not read (they
#: are in the stored article) except to render a row that has none yet.
_COLUMNS = (
    Comment.id,
    Comment.thread_id,
    Comment.parent_id,
    Comment.author_id,
    _User.handle.label("author_handle"),
    _User.display_name.label("author_name"),
    Comment.edited_at.is_not(None).label("edited"),
    Comment.hidden_at.is_not(None).label("hidden"),
    Comment.deleted_at.is_not(None).label("deleted"),
    Comment.reply_count,
    Comment.descendant_count,
    Comment.rendered_html,
    # The sanitised body and times only where the stored article was never rendered.
    case((_UNRENDERED, Comment.body_html), else_=null()).label("body_html"),
    case((_UNRENDERED, Comment.created_at), else_=null()).label("created_at"),
    case((_UNRENDERED, Comment.edited_at), else_=null()).label("edited_at"),
)


def _sort_keys(order: CommentOrder, columns: Any) -> list[tuple[ColumnElement[Any], bool]]:
    """(column, ascending) pairs: siblings' order, as ``tree.sort_tree`` has it."""
    if order is CommentOrder.top:
        return [
            (columns.reaction_count, False),
            (columns.descendant_count, False),
            (columns.id, True),
        ]
    if order is CommentOrder.newest:
        return [(columns.created_at, False), (columns.id, False)]
    return [(columns.created_at, True), (columns.id, True)]


def _ordering(order: CommentOrder, columns: Any) -> list[ColumnElement[Any]]:
    return [
        column.asc() if ascending else column.desc()
        for column, ascending in _sort_keys(order, columns)
    ]


def _siblings(top_level: bool, columns: Any) -> ColumnElement[bool]:
    """The thread's top-level comments, or the replies to one comment."""
    if top_level:
        return and_(columns.thread_id == bindparam("thread_id"), columns.depth == 0)
    return columns.parent_id == bindparam("parent_id")


def _on_page(columns: Any) -> ColumnElement[bool]:
    """A deleted comment shows (as a placeholder) only while it has replies."""
    return or_(columns.deleted_at.is_(None), columns.reply_count > 0)


def _after(order: CommentOrder, top_level: bool) -> ColumnElement[bool]:
    """Siblings that come after the sibling ``:after`` in ``order`` (a keyset condition
    whose anchor values are read in the same statement; none when ``:after`` is not
    one of these siblings)."""
    anchor = aliased(Comment, name="anchor")
    keys = _sort_keys(order, Comment)
    values = [
        select(column)
        .where(anchor.id == bindparam("after"), _siblings(top_level, anchor))
        .scalar_subquery()
        for column, _ in _sort_keys(order, anchor)
    ]
    return or_(
        *(
            and_(
                *(keys[earlier][0] == values[earlier] for earlier in range(index)),
                column > values[index] if ascending else column < values[index],
            )
            for index, (column, ascending) in enumerate(keys)
        )
    )


@lru_cache(maxsize=512)
def _window_statement(
    order: CommentOrder, *, top_level: bool, after: bool, levels: int, shape: PageShape
) -> Select[Any]:
    """The window's statement, built once per shape of request (it is large: building
    it each time would cost more than running it); the thread, the parent and the
    anchor are bound parameters (``:thread_id``, ``:parent_id``, ``:after``)."""
    first = select(
        Comment.id, Comment.created_at, Comment.reaction_count, Comment.descendant_count
    ).where(_siblings(top_level, Comment), _on_page(Comment))
    if after:
        first = first.where(_after(order, top_level))
    # One more than shown: whether a next window exists.
    first_rows = first.order_by(*_ordering(order, Comment)).limit(shape.siblings + 1).subquery()
    position = func.row_number().over(order_by=_ordering(order, first_rows.c))
    items = select(
        first_rows.c.id,
        position.label("branch"),  # each item's branch is known by its position
        position.label("pos"),
        literal_column("0").label("level"),
    ).cte("items")

    shown = [items]
    above: Any = items
    for level in range(1, levels + 1):
        joined = and_(Comment.parent_id == above.c.id, _on_page(Comment))
        if level == 1:
            joined = and_(joined, above.c.pos <= shape.siblings)
        ranked = (
            select(
                Comment.id,
                above.c.branch,
                above.c.pos.label("parent_pos"),
                func.row_number()
                .over(partition_by=Comment.parent_id, order_by=_ordering(order, Comment))
                .label("rank"),
            )
            .join_from(Comment, above, joined)
            .subquery()
        )
        kept = (
            select(
                ranked.c.id,
                ranked.c.branch,
                func.row_number()
                .over(partition_by=ranked.c.branch, order_by=(ranked.c.parent_pos, ranked.c.rank))
                .label("pos"),
            )
            .where(ranked.c.rank <= shape.replies_each)
            .subquery()
        )
        above = (
            select(kept.c.id, kept.c.branch, kept.c.pos, literal_column(str(level)).label("level"))
            .where(kept.c.pos <= shape.branch)
            # Never more rows than this anyway; said, it keeps the planner's estimates
            # (and PostgreSQL's choice to compile the query) from growing level by level.
            .limit(shape.siblings * shape.branch)
            .cte(f"replies_{level}")
        )
        shown.append(above)

    every = union_all(
        *(select(each.c.id, each.c.branch, each.c.pos, each.c.level) for each in shown)
    ).subquery("shown")
    # Breadth first within each item's branch: the item, then its replies level by level.
    placed = select(
        every,
        func.row_number()
        .over(partition_by=every.c.branch, order_by=(every.c.level, every.c.pos))
        .label("place"),
    ).subquery("placed")
    # Then breadth first over the window, within the page's budget (plus the item that
    # only tells whether a next window exists).
    kept_all = (
        select(placed.c.id, placed.c.branch, placed.c.pos, placed.c.level)
        .where(placed.c.place <= 1 + shape.branch)
        .subquery("kept")
    )
    overall = select(
        kept_all,
        func.row_number()
        .over(order_by=(kept_all.c.level, kept_all.c.branch, kept_all.c.pos))
        .label("overall"),
    ).subquery("ranked")
    return (
        select(*_COLUMNS, overall.c.level)
        .join_from(Comment, overall, overall.c.id == Comment.id)
        .outerjoin(_User, _User.id == Comment.author_id)
        .where(overall.c.overall <= shape.budget + 1)
        .order_by(overall.c.level, overall.c.branch, overall.c.pos)
    )


def _page_comment(row: Any) -> PageComment:
    comment = PageComment(*row[:12])
    if row.body_html is not None:
        comment.unrendered = Unrendered(
            comment.id, comment.thread_id, row.body_html, row.created_at, row.edited_at
        )
    return comment


def _window(
    session: Session,
    thread: Thread,
    parent_id: int | None,
    order: CommentOrder,
    *,
    after: int | None,
    level: int,
    shape: PageShape,
) -> Window:
    levels = max(shape.depth - 1 - level, 0)
    statement = _window_statement(
        order, top_level=parent_id is None, after=after is not None, levels=levels, shape=shape
    )
    params: dict[str, int] = (
        {"thread_id": thread.id} if parent_id is None else {"parent_id": parent_id}
    )
    if after is not None:
        params["after"] = after
    items: list[PageComment] = []
    by_id: dict[int, PageComment] = {}
    for row in session.execute(statement, params):
        comment = _page_comment(row)
        by_id[comment.id] = comment
        if row.level == 0:
            items.append(comment)
        elif (parent := by_id.get(comment.parent_id or 0)) is not None:
            parent.replies.append(comment)
    window = Window(parent_id=parent_id, level=level, items=items[: shape.siblings], after=after)
    if len(items) > shape.siblings:
        window.next_after = window.items[-1].id
    return window


def _comments(session: Session, ids: Sequence[int]) -> list[PageComment]:
    statement = (
        select(*_COLUMNS).outerjoin(_User, _User.id == Comment.author_id).where(Comment.id.in_(ids))
    )
    return [_page_comment(row) for row in session.execute(statement)]


# --- What each reader sees -------------------------------------------------------------


def _reactions(
    session: Session, comment_ids: Iterable[int], viewer: Viewer
) -> dict[int, ReactionSummary]:
    rows = session.execute(
        select(
            CommentReaction.comment_id,
            CommentReaction.kind,
            CommentReaction.user_id,
            User.display_name,
        )
        .join(User, User.id == CommentReaction.user_id)
        .where(CommentReaction.comment_id.in_(list(comment_ids)))
        .order_by(CommentReaction.created_at, CommentReaction.user_id)
    )
    summaries: dict[int, ReactionSummary] = defaultdict(ReactionSummary)
    for comment_id, kind, user_id, name in rows:
        summaries[comment_id].add(kind, name, by_viewer=user_id == viewer.user_id)
    return summaries


def _store_fragments(session: Session, comments: list[PageComment]) -> None:
    """Render, and keep, the articles of rows written before they were stored."""
    missing = []
    for each in comments:
        if each.unrendered is not None:
            each.rendered_html = fragments.comment_fragment(each.unrendered)
            missing.append(each)
    if missing:
        session.execute(
            update(Comment),
            [{"id": each.id, "rendered_html": each.rendered_html} for each in missing],
        )


def _finish(session: Session, page: ThreadPage, viewer: Viewer) -> ThreadPage:
    """States, reactions and profile links for this reader: two statements."""
    comments = page.comments
    _store_fragments(session, comments)
    summaries = _reactions(session, (each.id for each in comments), viewer)
    for each in comments:
        each.state = state_of(
            deleted=each.deleted,
            hidden=each.hidden,
            author_id=each.author_id,
            viewer_is_moderator=viewer.is_moderator,
            blocked_ids=viewer.blocked_ids,
        )
        each.reactions = summaries.get(each.id) or ReactionSummary()
    authors = {each.author_id for each in comments if each.author_id is not None}
    if page.thread.author_id is not None:
        authors.add(page.thread.author_id)
    page.unlinked_author_ids = frozenset(members.private_profile_user_ids(session, authors))
    return page
