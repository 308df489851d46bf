"""Comment trees for display: states, reactions, sorting; no SQL.

A page shows ``DISPLAY_DEPTH`` levels of replies. Below the last level the
conversation goes on in the view of the last visible comment ("Continue this
conversation"), which shows that comment at the top level again. Which part of a long
thread a page shows is decided in ``discussions.windows``; the whole tree
(``build_tree``) is only for the API's full listing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from hallway.discussions.models import Comment, ReactionKind

DISPLAY_DEPTH = 6
MAX_NAMES_IN_TOOLTIP = 10


class CommentOrder(enum.StrEnum):
    oldest = "oldest"
    newest = "newest"
    top = "top"


class PostState(enum.StrEnum):
    """How a post shows for one viewer."""

    visible = "visible"
    deleted = "deleted"  # "[deleted]" placeholder for everyone
    hidden = "hidden"  # "[hidden by a moderator]" for everyone but moderators
    blocked = "blocked"  # collapsed: the viewer blocked its author


@dataclass
class ReactionSummary:
    """Counts per kind, who reacted, and which kinds the viewer chose."""

    counts: dict[ReactionKind, int] = field(default_factory=dict)
    names: dict[ReactionKind, list[str]] = field(default_factory=dict)
    mine: set[ReactionKind] = field(default_factory=set)

    def add(self, kind: ReactionKind, name: str, *, by_viewer: bool) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.names.setdefault(kind, []).append(name)
        if by_viewer:
            self.mine.add(kind)

    def count(self, kind: ReactionKind) -> int:
        return self.counts.get(kind, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def tooltip(self, kind: ReactionKind) -> str:
        """'Like: Ana Diaz, Ben Ode and 3 others' (or just 'Like' with nobody yet)."""
        names = self.names.get(kind, [])
        if not names:
            return kind.label
        shown = names[:MAX_NAMES_IN_TOOLTIP]
        rest = len(names) - len(shown)
        listed = ", ".join(shown)
        if rest:
            listed += f" and {rest} other{'s' if rest > 1 else ''}"
        return f"{kind.label}: {listed}"

    def as_dict(self) -> dict[str, object]:
        return {
            "counts": {kind.value: self.count(kind) for kind in ReactionKind},
            "names": {kind.value: list(self.names.get(kind, [])) for kind in ReactionKind},
            "tooltips": {kind.value: self.tooltip(kind) for kind in ReactionKind},
        }


@dataclass
class CommentNode:
    comment: Comment
    state: PostState
    reactions: ReactionSummary
    children: list[CommentNode] = field(default_factory=list)
    descendant_count: int = 0


class Post(Protocol):
    """What decides how a post shows (a Thread or a Comment)."""

    @property
    def author_id(self) -> int | None: ...

    @property
    def deleted_at(self) -> datetime | None: ...

    @property
    def hidden_at(self) -> datetime | None: ...


def post_state(post: Post, *, viewer_is_moderator: bool, blocked_ids: Iterable[int]) -> PostState:
    return state_of(
        deleted=post.deleted_at is not None,
        hidden=post.hidden_at is not None,
        author_id=post.author_id,
        viewer_is_moderator=viewer_is_moderator,
        blocked_ids=blocked_ids,
    )


def state_of(
    *,
    deleted: bool,
    hidden: bool,
    author_id: int | None,
    viewer_is_moderator: bool,
    blocked_ids: Iterable[int],
) -> PostState:
    """Deleted shows a placeholder to everyone; hidden, to everyone but moderators; a
    blocked author's post is folded away."""
    if deleted:
        return PostState.deleted
    if hidden and not viewer_is_moderator:
        return PostState.hidden
    if author_id is not None and author_id in blocked_ids:
        return PostState.blocked
    return PostState.visible


def build_tree(
    comments: Sequence[Comment],
    *,
    reactions: dict[int, ReactionSummary],
    viewer_is_moderator: bool = False,
    blocked_ids: Iterable[int] = (),
) -> list[CommentNode]:
    """Nodes from comments in path order. A comment whose parent is not among them is a
    root (the top level on the thread page, the focused comment in a focused view)."""
    blocked = frozenset(blocked_ids)
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in comments:
        node = CommentNode(
            comment=comment,
            state=post_state(comment, viewer_is_moderator=viewer_is_moderator, blocked_ids=blocked),
            reactions=reactions.get(comment.id) or ReactionSummary(),
        )
        nodes[comment.id] = node
        parent = nodes.get(comment.parent_id) if comment.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    # Path order puts every descendant after its ancestors: count from the end.
    for comment in reversed(comments):
        node = nodes[comment.id]
        parent = nodes.get(comment.parent_id) if comment.parent_id is not None else None
        if parent is not None:
            parent.descendant_count += node.descendant_count + 1
    return roots


def _sort_key(order: CommentOrder):
    if order is CommentOrder.top:
        return lambda node: (-node.comment.reaction_count, -node.descendant_count, node.comment.id)
    if order is CommentOrder.newest:
        return lambda node: (-node.comment.created_at.timestamp(), -node.comment.id)
    return lambda node: (node.comment.created_at, node.comment.id)


def sort_tree(nodes: list[CommentNode], order: CommentOrder) -> list[CommentNode]:
    """Order siblings at every level; each reply stays under the comment it answers."""
    key = _sort_key(order)
    nodes.sort(key=key)
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.children:
            node.children.sort(key=key)
            stack.extend(node.children)
    return nodes


def count_nodes(nodes: Iterable[CommentNode]) -> int:
    return sum(1 + node.descendant_count for node in nodes)
