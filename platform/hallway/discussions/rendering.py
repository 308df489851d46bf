"""Comments as HTML: their stored article joined with the parts that belong to a reader.

A page shows up to a hundred comments. Each is the reader-independent part stored with
the comment (``Comment.rendered_html``, see ``discussions.fragments``), joined here
with small pieces: the author's name (linked unless their profile is private to this
reader), the reaction buttons with the reader's own pressed, reply and quote links, the
owner's edit and delete links, a blocked author's text folded away, and the links to
what the page leaves out ("Show 3 more replies", "Next top-level comments", "Continue
this conversation"). That is string formatting, not a template per comment; the page
around it, the opening post and the forms are templates (templates/discussions/).

Live updates use the same functions with a PageContext for everyone
(``for_broadcast``): nothing of one reader goes in (owner actions travel hidden with a
data-owner-id that discussions.js reveals for the author), so the room gets one
fragment. Names are escaped; ids, addresses and the stored article are ours.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import get_template_attribute
from markupsafe import Markup, escape
from sqlalchemy.orm import object_session

from hallway.accounts.models import User
from hallway.core.urls import profile_path
from hallway.discussions.fragments import HEADER_END
from hallway.discussions.links import ThreadUrls
from hallway.discussions.models import Comment, ReactionKind, Thread
from hallway.discussions.queries import Viewer
from hallway.discussions.tree import (
    DISPLAY_DEPTH,
    CommentNode,
    CommentOrder,
    PostState,
    ReactionSummary,
    post_state,
)
from hallway.discussions.windows import PageComment, ThreadPage, Window
from hallway.members import service as members

PARTIALS = "discussions/_comment.html"


@dataclass
class PageContext:
    thread: Thread
    urls: ThreadUrls
    viewer: Viewer
    csrf: str = ""
    live: bool = False
    order: CommentOrder = CommentOrder.oldest
    depth_limit: int = DISPLAY_DEPTH
    unlinked_author_ids: frozenset[int] = frozenset()

    @classmethod
    def for_page(
        cls,
        thread: Thread,
        viewer: Viewer,
        csrf: str,
        *,
        order: CommentOrder = CommentOrder.oldest,
        unlinked_author_ids: frozenset[int] = frozenset(),
    ) -> PageContext:
        return cls(
            thread=thread,
            urls=ThreadUrls.of(thread),
            viewer=viewer,
            csrf=csrf,
            order=order,
            unlinked_author_ids=unlinked_author_ids,
        )

    @classmethod
    def for_broadcast(cls, thread: Thread, author_ids: Iterable[int | None] = ()) -> PageContext:
        """For everyone in the thread's room; ``author_ids``: the authors it will show."""
        wanted = {each for each in (*author_ids, thread.author_id) if each is not None}
        session = object_session(thread)
        private = members.private_profile_user_ids(session, wanted) if session and wanted else ()
        return cls(
            thread=thread,
            urls=ThreadUrls.of(thread),
            viewer=Viewer(),
            live=True,
            unlinked_author_ids=frozenset(private),
        )

    def links_to_profile(self, author_id: int) -> bool:
        """Whether this reader gets a link to the profile of ``author_id``."""
        return author_id not in self.unlinked_author_ids or (
            self.viewer.is_moderator or self.viewer.user_id == author_id
        )

    def profile_href(self, author: User) -> str | None:
        """Link an author's name unless their profile is private (to this viewer)."""
        return profile_path(author.handle) if self.links_to_profile(author.id) else None

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

    def query(self, after: int | None = None) -> Markup:
        """The query string of a window's address (where it starts, and the order), as
        it goes in an attribute."""
        args: dict[str, str | int] = {}
        if after is not None:
            args["after"] = after
        if self.order is not CommentOrder.oldest:
            args["sort"] = self.order.value
        return escape(f"?{urlencode(args)}") if args else Markup("")


# --- One comment ------------------------------------------------------------------------


def author_html(comment: PageComment, ctx: PageContext) -> str:
    """Names always show; the link is withheld where the author keeps their profile
    private (from everyone but moderators and themselves)."""
    if comment.author_id is None or comment.author_handle is None:
        return '<span class="author">a former member</span>'
    name = escape(comment.author_name or "")
    if ctx.links_to_profile(comment.author_id):
        return f'<a class="author" href="{profile_path(comment.author_handle)}">{name}</a>'
    return f'<span class="author">{name}</span>'


def _footer(comment: PageComment, ctx: PageContext) -> str:
    cid = comment.id
    urls = ctx.urls
    parts: list[str] = [reaction_bar(comment.reactions, cid, comment.hidden)]
    if ctx.can_reply and not comment.hidden:
        handle = escape(comment.author_handle or "")
        parts.append(
            f' <a class="reply-link" href="{urls.reply}?to={cid}" data-reply-to="{cid}">Reply</a>'
            f' <a class="quote-link" href="{urls.reply}?to={cid}&amp;quote=1" data-quote="{cid}"'
            f' data-quote-author="{handle}">Quote</a>'
        )
    parts.append(
        f' <a class="flag-link" href="{urls.flag("comment", cid)}">Flag<span'
        ' class="visually-hidden"> this comment for moderators</span></a>'
    )
    if ctx.live or ctx.can_change(comment.author_id):
        base = urls.comment(cid)
        opening = (
            f' <span class="owner-actions" data-owner-id="{comment.author_id or ""}" hidden>'
            if ctx.live
            else ' <span class="owner-actions">'
        )
        history = f' <a href="{base}/history">History</a>' if comment.edited else ""
        parts.append(
            f'{opening}<a href="{base}/edit">Edit</a> <a href="{base}/delete">Delete</a>'
            f"{history}</span>"
        )
    return "".join(parts)


def article_html(comment: PageComment, ctx: PageContext) -> str:
    """The comment's <article>: placeholder, or its stored part with this reader's."""
    cid = comment.id
    opening = (
        f'<article class="comment{" is-hidden" if comment.hidden else ""}"'
        f' aria-labelledby="c{cid}-meta">'
    )
    if comment.state is PostState.deleted:
        return f'{opening}<p class="comment-placeholder" id="c{cid}-meta">[deleted]</p></article>'
    if comment.state is PostState.hidden:
        return (
            f'{opening}<p class="comment-placeholder" id="c{cid}-meta">'
            "[hidden by a moderator]</p></article>"
        )
    stored = comment.rendered_html
    if comment.hidden or comment.state is PostState.blocked:
        meta, _, body = stored.partition(HEADER_END)
        if comment.hidden:  # only moderators get this far
            meta += ' · <strong class="badge">hidden from members</strong>'
        if comment.state is PostState.blocked:
            body = (
                '<details class="blocked-post"><summary>You blocked this member. Show</summary>'
                f"{body}</details>"
            )
        stored = f"{meta}{HEADER_END}{body}"
    return (
        f'{opening}<header class="comment-meta" id="c{cid}-meta">{author_html(comment, ctx)} · '
        f'{stored}<footer class="comment-actions">{_footer(comment, ctx)}</footer></article>'
    )


def _replies_label(left: int, shown: int) -> str:
    if shown:
        return f"Show {left} more repl{'y' if left == 1 else 'ies'}"
    return f"Show {left} repl{'y' if left == 1 else 'ies'}"


def _more(href: str, level: int, label: str) -> str:
    """A link to what the page leaves out; discussions.js loads it in place."""
    return (
        f'<li class="load-more"><a href="{href}" data-load-more data-level="{level}">'
        f"{label}</a></li>"
    )


def _opening(comment: PageComment, ctx: PageContext, level: int, target: bool) -> str:
    marks = ' is-target" aria-current="true' if target else ""
    return (
        f'<li class="comment-node{marks}" id="comment-{comment.id}" data-level="{level}"'
        f' tabindex="-1">{article_html(comment, ctx)}'
    )


def branch_html(comment: PageComment, ctx: PageContext, level: int = 0) -> str:
    """The comment's <li> with the replies this page shows under it, and links to the
    rest: its next replies, or below the last level its own page."""
    cid = comment.id
    parts = [_opening(comment, ctx, level, False)]
    if level + 1 < ctx.depth_limit:
        if comment.replies or comment.replies_left:
            parts.append('<ol class="comment-children">')
            parts.extend(branch_html(reply, ctx, level + 1) for reply in comment.replies)
            if left := comment.replies_left:
                after = comment.replies[-1].id if comment.replies else None
                href = ctx.urls.comment(cid) + ctx.query(after)
                parts.append(_more(href, level + 1, _replies_label(left, len(comment.replies))))
            parts.append("</ol>")
    elif comment.reply_count:
        more = comment.descendant_count
        parts.append(
            f'<p class="continue-thread"><a href="{ctx.urls.comment(cid)}#comment-{cid}">'
            f"Continue this conversation ({more} more repl{'y' if more == 1 else 'ies'}) →"
            "</a></p>"
        )
    parts.append("</li>")
    return "".join(parts)


def window_html(window: Window, ctx: PageContext) -> Markup:
    """A window's comments, then the link to the next window if there is one."""
    parts = [branch_html(item, ctx, window.level) for item in window.items]
    if window.next_after is not None:
        query = ctx.query(window.next_after)
        if window.parent_id is None:
            parts.append(_more(ctx.urls.page + query, 0, "Next top-level comments"))
        else:
            href = ctx.urls.comment(window.parent_id) + query
            parts.append(_more(href, window.level, "Show more replies"))
    return Markup("".join(parts))


def tree_html(page: ThreadPage, ctx: PageContext) -> Markup:
    """The page's comment tree: the window, or the focused comment above its window
    (with a way back to its first replies when the window starts later)."""
    focus = page.focus
    if focus is None:
        return window_html(page.window, ctx)
    head = _opening(focus, ctx, 0, True)
    earlier = ""
    if page.window.after is not None:
        href = ctx.urls.comment(focus.id) + ctx.query()
        earlier = f'<li class="load-earlier"><a href="{href}">Show the first replies</a></li>'
    children = window_html(page.window, ctx)
    if not (earlier or children):
        return Markup(f"{head}</li>")
    return Markup(f'{head}<ol class="comment-children">{earlier}{children}</ol></li>')


def context_html(page: ThreadPage, ctx: PageContext) -> Markup:
    """The focused comment's nearest ancestors, oldest first, as context."""
    return Markup(
        "".join(
            f'<li id="context-{each.id}">{article_html(each, ctx)}</li>' for each in page.ancestors
        )
    )


def node_for_everyone(comment: Comment, reactions: ReactionSummary | None = None) -> CommentNode:
    """A comment as anyone may see it (no moderator view, no blocks): for the API's
    answers and live updates' comment fields."""
    state = post_state(comment, viewer_is_moderator=False, blocked_ids=())
    return CommentNode(comment=comment, state=state, reactions=reactions or ReactionSummary())


def shown_to_everyone(comment: Comment, reactions: ReactionSummary | None = None) -> PageComment:
    """A comment as anyone may see it, for live updates' HTML."""
    shown = PageComment.of(comment)
    shown.state = post_state(comment, viewer_is_moderator=False, blocked_ids=())
    shown.reactions = reactions or ReactionSummary()
    return shown


def shown_to(comment: Comment, viewer: Viewer, reactions: ReactionSummary) -> PageComment:
    """A comment as ``viewer`` sees it (the reply page shows the one answered)."""
    shown = PageComment.of(comment)
    shown.state = post_state(
        comment, viewer_is_moderator=viewer.is_moderator, blocked_ids=viewer.blocked_ids
    )
    shown.reactions = reactions
    return shown


def render_thread_post(
    thread: Thread, state: PostState, reactions: ReactionSummary, ctx: PageContext
) -> Markup:
    return get_template_attribute(PARTIALS, "thread_post")(thread, state, reactions, ctx)


_REACTION_BUTTON = (
    '<button form="reaction-form" name="reaction" value="{value}" class="reaction"'
    ' aria-pressed="{pressed}" title="{title}"{disabled}><span aria-hidden="true">{emoji}</span>'
    '<span class="visually-hidden">{label}</span> <span class="reaction-count">{count}</span>'
    "</button>"
)


def _bar(summary: ReactionSummary, suffix: str, disabled: bool) -> str:
    return "".join(
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


#: The buttons of a post nobody reacted to yet (most of them), with "\0" for its id.
_UNTOUCHED = {disabled: _bar(ReactionSummary(), "@\0", disabled) for disabled in (False, True)}


def reaction_bar(summary: ReactionSummary, target: int | None, disabled: bool = False) -> Markup:
    """The reaction buttons of one post (``target``: a comment id, or None for the opening
    post). They all belong to the page's one reaction form (``form=``), so a page of
    comments is not a page of forms and tokens. Names are escaped; the rest is ours.
    """
    if target is not None and not summary.counts:
        buttons = _UNTOUCHED[disabled].replace("\0", str(target))
    else:
        buttons = _bar(summary, f"@{target}" if target is not None else "", disabled)
    where = f"comment-{target}" if target is not None else "post"
    return Markup(f'<span class="reaction-bar" data-reactions-for="{where}">{buttons}</span>')
