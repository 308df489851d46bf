"""What the discussion templates need besides the rows: the viewer, addresses, CSRF.

Pages and live updates render the same macros (templates/discussions/_comment.html)
with a PageContext; a live one (``for_broadcast``) carries nothing that belongs to one
viewer, because everyone in the thread's room receives the same HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import get_template_attribute
from markupsafe import Markup, escape
from sqlalchemy.orm import object_session

from hallway.accounts.models import User
from hallway.core.urls import profile_path
from hallway.discussions import queries
from hallway.discussions.links import ThreadUrls
from hallway.discussions.models import Comment, ReactionKind, Thread
from hallway.discussions.queries import Viewer
from hallway.discussions.tree import (
    DISPLAY_DEPTH,
    CommentNode,
    PostState,
    ReactionSummary,
    post_state,
)

PARTIALS = "discussions/_comment.html"


def _unlinked_author_ids(thread: Thread) -> frozenset[int]:
    session = object_session(thread)
    return queries.unlinked_author_ids(session, thread) if session else frozenset()


@dataclass
class PageContext:
    thread: Thread
    urls: ThreadUrls
    viewer: Viewer
    csrf: str = ""
    live: bool = False
    depth_limit: int = DISPLAY_DEPTH
    unlinked_author_ids: frozenset[int] = frozenset()

    @classmethod
    def for_page(cls, thread: Thread, viewer: Viewer, csrf: str) -> PageContext:
        return cls(
            thread=thread,
            urls=ThreadUrls.of(thread),
            viewer=viewer,
            csrf=csrf,
            unlinked_author_ids=_unlinked_author_ids(thread),
        )

    @classmethod
    def for_broadcast(cls, thread: Thread) -> PageContext:
        return cls(
            thread=thread,
            urls=ThreadUrls.of(thread),
            viewer=Viewer(),
            live=True,
            unlinked_author_ids=_unlinked_author_ids(thread),
        )

    def profile_href(self, author: User) -> str | None:
        """Link an author's name unless their profile is private (to this viewer)."""
        if author.id in self.unlinked_author_ids and not (
            self.viewer.is_moderator or self.viewer.user_id == author.id
        ):
            return None
        return profile_path(author.handle)

    @property
    def can_reply(self) -> bool:
        if self.live:
            return self.thread.locked_at is None
        return self.viewer.user_id is not None and (
            self.thread.locked_at is None or self.viewer.is_moderator
        )

    def can_change(self, author_id: int | None) -> bool:
        return self.viewer.user_id is not None and (
            self.viewer.is_moderator or (author_id is not None and author_id == self.viewer.user_id)
        )


def render_comment_branch(node: CommentNode, ctx: PageContext, level: int = 0) -> Markup:
    return get_template_attribute(PARTIALS, "comment_branch")(node, ctx, level)


def render_comment_article(node: CommentNode, ctx: PageContext) -> Markup:
    return get_template_attribute(PARTIALS, "comment_article")(node, ctx)


def render_thread_post(
    thread: Thread, state: PostState, reactions: ReactionSummary, ctx: PageContext
) -> Markup:
    return get_template_attribute(PARTIALS, "thread_post")(thread, state, reactions, ctx)


def node_for_everyone(comment: Comment, reactions: ReactionSummary | None = None) -> CommentNode:
    """A comment as anyone may see it (no moderator view, no blocks): for live updates."""
    state = post_state(comment, viewer_is_moderator=False, blocked_ids=())
    return CommentNode(comment=comment, state=state, reactions=reactions or ReactionSummary())


_REACTION_BUTTON = (
    '<button type="submit" form="reaction-form" name="reaction" value="{value}" class="reaction"'
    ' aria-pressed="{pressed}" title="{title}"{disabled}><span aria-hidden="true">{emoji}</span>'
    '<span class="visually-hidden">{label}</span> <span class="reaction-count">{count}</span>'
    "</button>"
)


def reaction_bar(summary: ReactionSummary, target: int | None, disabled: bool = False) -> Markup:
    """The reaction buttons of one post (``target``: a comment id, or None for the opening
    post). Every comment on a page has one, so this is built here rather than by Jinja,
    which spent ~40% of a 2,000-comment page on it. Names are escaped; the rest is ours.
    """
    suffix = f"@{target}" if target is not None else ""
    buttons = "".join(
        _REACTION_BUTTON.format(
            value=f"{kind.value}{suffix}",
            pressed="true" if kind in summary.mine else "false",
            title=escape(summary.tooltip(kind)) if kind in summary.counts else kind.label,
            disabled=" disabled" if disabled else "",
            emoji=kind.emoji,
            label=kind.label,
            count=summary.counts.get(kind) or "",
        )
        for kind in ReactionKind
    )
    where = f"comment-{target}" if target is not None else "post"
    return Markup(f'<span class="reaction-bar" data-reactions-for="{where}">{buttons}</span>')
