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

A thread page's window is shared the same way between readers (``shared_thread_window``,
kept by ``core.fragment_cache`` per thread version): it is rendered with *slots* where
one reader's parts go (``PageContext.for_cache``) and ``fill_slots`` puts that reader's
in per request, which is string work, not a query per comment.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import current_app, get_template_attribute, render_template, request
from flask_babel import gettext, lazy_gettext, ngettext
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, object_session

from hallway.accounts.models import User
from hallway.core.fragment_cache import ContentVersion, current_versions
from hallway.core.fragment_cache import fragments as fragment_store
from hallway.core.i18n import current_locale_name, time_tag, time_tag_shared
from hallway.core.markdown import promote_headings
from hallway.core.urls import profile_path
from hallway.discussions import queries, versions, windows
from hallway.discussions.forms import CommentForm
from hallway.discussions.fragments import HEADER_END, permalink, stored_times
from hallway.discussions.links import ThreadUrls
from hallway.discussions.models import Comment, ReactionKind, Thread
from hallway.discussions.queries import Viewer
from hallway.discussions.subscriptions import SubscriptionLevel, ThreadSubscription
from hallway.discussions.tree import (
    DISPLAY_DEPTH,
    MAX_NAMES_IN_TOOLTIP,
    CommentNode,
    CommentOrder,
    PostState,
    ReactionSummary,
    post_state,
)
from hallway.discussions.windows import PageComment, ThreadPage, Window
from hallway.members import service as members
from hallway.realtime import topic
from hallway.realtime.models import TopicSequence

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
    #: Rendering for the shared cache: the reader's parts become slots (see ``fill_slots``).
    slots: bool = False

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

    @classmethod
    def for_cache(
        cls,
        thread: Thread,
        *,
        is_moderator: bool,
        order: CommentOrder,
        unlinked_author_ids: frozenset[int],
    ) -> PageContext:
        """For HTML every logged-in reader with the same rights shares: what is one
        reader's own (reactions pressed, edit links, blocked authors, their own private
        name) is left as a slot that ``fill_slots`` fills per request."""
        return cls(
            thread=thread,
            urls=ThreadUrls.of(thread),
            viewer=Viewer(user_id=_NOBODY, is_moderator=is_moderator),
            order=order,
            unlinked_author_ids=unlinked_author_ids,
            slots=True,
        )

    def slot(self, kind: str, *values: object) -> Markup:
        """A slot in a template rendered for the shared cache (``shared_thread_post``)."""
        joined = ":".join(str(each) for each in values)
        return Markup(f"{_TEMPLATE_SLOT}{kind}{joined}{_TEMPLATE_SLOT}")

    def links_to_profile(self, author_id: int) -> bool:
        """Whether this reader gets a link to the profile of ``author_id``."""
        return author_id not in self.unlinked_author_ids or (
            self.viewer.is_moderator or self.viewer.user_id == author_id
        )

    def profile_href(self, author: User) -> str | None:
        """Link an author's name unless their profile is private (to this viewer)."""
        return profile_path(author.handle) if self.links_to_profile(author.id) else None

    @staticmethod
    def opening_post_body(html: str | None) -> Markup:
        """The opening post's body sits right under the page's h1: its headings start
        at h2 (a comment's, under the replies' h2, start at h3)."""
        return promote_headings(html or "")

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


# --- Slots: the reader's parts of shared HTML -------------------------------------------

#: Delimits a slot in shared HTML. Never part of a page: the stored articles and names
#: that go into shared HTML have it replaced (browsers show it as U+FFFD anyway).
SLOT = "\x00"
_NOBODY = -1  # the cache context's "reader": logged in, author of nothing
#: Delimits a slot while a template renders shared HTML: a per-process random mark no
#: member can write, made SLOT once the members' text has had its SLOTs replaced.
_TEMPLATE_SLOT = f"\ue000{secrets.token_hex(8)}\ue000"


#: The words of comments, escaped, per language (looked up once, not per comment).
_WORDS: dict[str, dict[str, str]] = {}


def _words() -> dict[str, str]:
    """The UI words comments are made of, in the page's language, escaped."""
    locale = current_locale_name()
    words = _WORDS.get(locale)
    if words is None:
        texts = {
            "reply": gettext("Reply"),
            "quote": gettext("Quote"),
            "flag": gettext("Flag"),
            "flag_comment": gettext("Flag this comment for moderators"),
            "edit": gettext("Edit"),
            "delete": gettext("Delete"),
            "history": gettext("History"),
            "former": gettext("a former member"),
            "blocked": gettext("You blocked this member. Show"),
            "hidden_mark": gettext("hidden from members"),
            "deleted": gettext("[deleted]"),
            "hidden": gettext("[hidden by a moderator]"),
            "permalink": gettext("Link to this comment"),
            "edited": gettext("edited"),
        }
        words = _WORDS[locale] = {key: str(escape(text)) for key, text in texts.items()}
    return words


def _blocked_open() -> str:
    return f'<details class="blocked-post"><summary>{_words()["blocked"]}</summary>'


def _slot(kind: str, *values: object) -> str:
    return f"{SLOT}{kind}{':'.join(str(each) for each in values)}{SLOT}"


@dataclass(frozen=True)
class _Slots:
    """Shared HTML taken apart once (not per page view): its parts as a reader with no
    parts of their own sees them, and where the parts that differ per reader are."""

    parts: tuple[str, ...]
    comment_ids: list[int]
    #: comment id (None: the opening post) -> index of its (empty) reaction slot
    reactions: dict[int | None, int]
    owned: dict[int, list[tuple[int, int, bool]]]  # author -> (index, comment id, live)
    #: the opening post's author -> (index, edited)
    owned_post: dict[int, list[tuple[int, bool]]]
    names: dict[int, list[tuple[int, str, str]]]  # author -> (index, handle, name)
    blocked: dict[int, list[tuple[int, str]]]  # author -> (index, "b" or "e")
    #: kind -> indexes of the slots filled with a per-request value ("T": the opening
    #: post's time in the reader's zone, "k": the CSRF token)
    values: dict[str, list[int]]


_PARSED: dict[str, _Slots] = {}
_PARSED_MAX = 32  # windows taken apart; each holds about its HTML again


def _parsed(html: str) -> _Slots:
    known = _PARSED.get(html)
    if known is not None:
        return known
    parts = html.split(SLOT)
    comment_ids: list[int] = []
    reactions: dict[int | None, int] = {}
    owned: dict[int, list[tuple[int, int, bool]]] = {}
    owned_post: dict[int, list[tuple[int, bool]]] = {}
    names: dict[int, list[tuple[int, str, str]]] = {}
    blocked: dict[int, list[tuple[int, str]]] = {}
    filled: dict[str, list[int]] = {}
    for index in range(1, len(parts), 2):
        kind, values = parts[index][0], parts[index][1:].split(":", 2)
        parts[index] = ""
        if kind == "c":  # the comment's reaction bar starts the part after the slot
            comment_ids.append(int(values[0]))
            reactions[int(values[0])] = index
        elif kind == "P":  # the opening post's reaction bar starts the part after it
            reactions[None] = index
        elif kind == "o":
            owned.setdefault(int(values[1]), []).append((index, int(values[0]), values[2] == "1"))
        elif kind == "O":
            owned_post.setdefault(int(values[0]), []).append((index, values[1] == "1"))
        elif kind in "Tk":
            filled.setdefault(kind, []).append(index)
        elif kind == "a":
            author_id, handle, name = int(values[0]), values[1], values[2]
            parts[index] = f'<span class="author">{name}</span>'
            names.setdefault(author_id, []).append((index, handle, name))
        elif kind in "be":
            blocked.setdefault(int(values[0]), []).append((index, kind))
        # "t" (read by thread_author_unlinked) shows nothing
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    known = _PARSED[html] = _Slots(
        tuple(parts), comment_ids, reactions, owned, owned_post, names, blocked, filled
    )
    return known


def slot_comment_ids(html: str) -> list[int]:
    """The comments shared HTML shows (whose reactions the reader may have pressed)."""
    return list(_parsed(html).comment_ids)


def fill_slots(
    html: str,
    ctx: PageContext,
    own_reactions: Iterable[tuple[int | None, ReactionKind]],
    values: Mapping[str, str] | None = None,
) -> Markup:
    """Shared HTML (``PageContext.for_cache``) with this reader's parts: their reactions
    pressed (``own_reactions``: comment id, None for the opening post, and kind), edit
    links on their own posts, their own name linked, blocked authors folded away, and
    ``values`` in the slots of their kind. Only the slots that differ from a stranger's
    view are visited."""
    viewer = ctx.viewer
    slots = _parsed(html)
    parts = list(slots.parts)
    pressed: dict[int | None, list[ReactionKind]] = {}
    for comment_id, reaction in own_reactions:
        pressed.setdefault(comment_id, []).append(reaction)
    for comment_id, reactions in pressed.items():
        if (index := slots.reactions.get(comment_id)) is not None:
            parts[index + 1] = _press(parts[index + 1], comment_id, reactions)
    me = viewer.user_id if viewer.user_id is not None else _NOBODY
    for index, comment_id, live in slots.owned.get(me, ()):
        parts[index] = _owner_actions(ctx.urls.comment(comment_id), _Owned(live), False)
    for index, edited in slots.owned_post.get(me, ()):
        parts[index] = _owner_actions(ctx.urls.base, _Owned(edited), False)
    for kind, value in (values or {}).items():
        for index in slots.values.get(kind, ()):
            parts[index] = value
    for index, handle, name in slots.names.get(me, ()):
        parts[index] = f'<a class="author" href="{profile_path(handle)}">{name}</a>'
    if viewer.blocked_ids:
        opening = _blocked_open()
        for author_id in viewer.blocked_ids:
            for index, kind in slots.blocked.get(author_id, ()):
                parts[index] = opening if kind == "b" else "</details>"
    return Markup("".join(parts))


def _press(html: str, comment_id: int | None, reactions: list[ReactionKind]) -> str:
    """``html`` (starting with a post's reaction bar) with these buttons pressed: the
    first match is the bar's own, before anything a member wrote."""
    suffix = f"@{comment_id}" if comment_id is not None else ""
    for reaction in reactions:
        button = f'value="{reaction.value}{suffix}" class="reaction" aria-pressed="'
        html = html.replace(f'{button}false"', f'{button}true"', 1)
    return html


@dataclass(frozen=True)
class _Owned:
    """What ``_owner_actions`` reads of a comment filled from a slot."""

    edited: bool
    author_id: None = None


# --- One comment ------------------------------------------------------------------------


def author_html(comment: PageComment, ctx: PageContext) -> str:
    """Names always show; the link is withheld where the author keeps their profile
    private (from everyone but moderators and themselves)."""
    if comment.author_id is None or comment.author_handle is None:
        return f'<span class="author">{_words()["former"]}</span>'
    name = escape(comment.author_name or "")
    if ctx.links_to_profile(comment.author_id):
        return f'<a class="author" href="{profile_path(comment.author_handle)}">{name}</a>'
    if ctx.slots:  # linked for the author themselves
        return _slot("a", comment.author_id, comment.author_handle, name.replace(SLOT, ""))
    return f'<span class="author">{name}</span>'


def _footer(comment: PageComment, ctx: PageContext) -> str:
    cid = comment.id
    urls = ctx.urls
    words = _words()
    parts: list[str] = [reaction_bar(comment.reactions, cid, comment.hidden)]
    if ctx.slots:  # the reader's own reactions are pressed per request
        parts.insert(0, _slot("c", cid))
    if ctx.can_reply and not comment.hidden:
        handle = escape(comment.author_handle or "")
        parts.append(
            f' <a class="reply-link" href="{urls.reply}?to={cid}" data-reply-to="{cid}">'
            f"{words['reply']}</a>"
            f' <a class="quote-link" href="{urls.reply}?to={cid}&amp;quote=1" data-quote="{cid}"'
            f' data-quote-author="{handle}">{words["quote"]}</a>'
        )
    parts.append(
        f' <a class="flag-link" href="{urls.flag("comment", cid)}"'
        f' aria-label="{words["flag_comment"]}">'
        f"{words['flag']}</a>"
    )
    if ctx.slots and not ctx.can_change(comment.author_id):  # the author's own
        parts.append(_slot("o", cid, comment.author_id or 0, int(comment.edited)))
    elif ctx.live or ctx.can_change(comment.author_id):
        parts.append(_owner_actions(urls.comment(cid), comment, ctx.live))
    return "".join(parts)


def _owner_actions(base: str, comment: PageComment | _Owned, live: bool) -> str:
    words = _words()
    opening = (
        f' <span class="owner-actions" data-owner-id="{comment.author_id or ""}" hidden>'
        if live
        else ' <span class="owner-actions">'
    )
    history = f' <a href="{base}/history">{words["history"]}</a>' if comment.edited else ""
    return (
        f'{opening}<a href="{base}/edit">{words["edit"]}</a>'
        f' <a class="danger-link" href="{base}/delete">{words["delete"]}</a>'
        f"{history}</span>"
    )


def article_html(comment: PageComment, ctx: PageContext) -> str:
    """The comment's <article>: placeholder, or its stored part with this reader's."""
    cid = comment.id
    opening = (
        f'<article class="comment{" is-hidden" if comment.hidden else ""}"'
        f' aria-labelledby="c{cid}-meta">'
    )
    if comment.state is PostState.deleted:
        label = _words()["deleted"]
        return f'{opening}<p class="comment-placeholder" id="c{cid}-meta">{label}</p></article>'
    if comment.state is PostState.hidden:
        label = _words()["hidden"]
        return f'{opening}<p class="comment-placeholder" id="c{cid}-meta">{label}</p></article>'
    stored = comment.rendered_html
    if ctx.slots:
        stored = stored.replace(SLOT, "\ufffd")
    stored_meta, _, body = stored.partition(HEADER_END)
    meta = _meta(comment, stored_meta)
    if comment.hidden:  # only moderators get this far
        meta += f' · <strong class="badge">{_words()["hidden_mark"]}</strong>'
    if ctx.slots:  # folded away per request for the readers who blocked the author
        if comment.author_id is not None:
            body = f"{_slot('b', comment.author_id)}{body}{_slot('e', comment.author_id)}"
    elif comment.state is PostState.blocked:
        body = f"{_blocked_open()}{body}</details>"
    return (
        f'{opening}<header class="comment-meta" id="c{cid}-meta">{_avatar(comment)}'
        f"{author_html(comment, ctx)} · {meta}{HEADER_END}{body}"
        f'<footer class="comment-actions">{_footer(comment, ctx)}</footer></article>'
    )


def _meta(comment: PageComment, stored_meta: str) -> str:
    """The permalink with the time, and the edited mark, in the page's language (the
    stored part holds only the times): ``time_tag_shared``, since this HTML is kept in
    the per-language cache or sent to a whole room; time.js makes it the reader's."""
    created, edited = stored_times(stored_meta)
    link = permalink(comment.thread_id, comment.id)
    title = _words()["permalink"]
    parts = [f'<a class="permalink" href="{link}" title="{title}">{time_tag_shared(created)}</a>']
    if comment.edited:
        word = _words()["edited"]
        parts.append(f' · <span class="edited">{word}</span>')
        if edited is not None:
            parts.append(f'<span class="visually-hidden"> {time_tag_shared(edited)}</span>')
    return "".join(parts)


def _initials(name: str) -> str:
    words = name.split()
    if len(words) > 1:
        return (words[0][0] + words[-1][0]).upper()
    return words[0][:1].upper() if words else "?"


def _avatar(comment: PageComment) -> str:
    """The author's initials (the design system's small avatar, decorative: the name
    is written next to it)."""
    initials = escape(_initials(comment.author_name or "")).replace(SLOT, "")
    return f'<span class="ui-avatar ui-avatar-sm" aria-hidden="true">{initials}</span>'


def _replies_label(left: int, shown: int) -> str:
    if shown:
        return escape(ngettext("Show %(num)d more reply", "Show %(num)d more replies", left))
    return escape(ngettext("Show %(num)d reply", "Show %(num)d replies", left))


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
        label = ngettext(
            "Continue this conversation (%(num)d more reply)",
            "Continue this conversation (%(num)d more replies)",
            more,
        )
        parts.append(
            f'<p class="continue-thread"><a href="{ctx.urls.comment(cid)}#comment-{cid}">'
            f"{escape(label)} →</a></p>"
        )
    parts.append("</li>")
    return "".join(parts)


def window_html(window: Window, ctx: PageContext) -> Markup:
    """A window's comments, then the link to the next window if there is one."""
    parts = [branch_html(item, ctx, window.level) for item in window.items]
    if window.next_after is not None:
        query = ctx.query(window.next_after)
        if window.parent_id is None:
            parts.append(
                _more(ctx.urls.page + query, 0, escape(gettext("Next top-level comments")))
            )
        else:
            href = ctx.urls.comment(window.parent_id) + query
            parts.append(_more(href, window.level, escape(gettext("Show more replies"))))
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
        label = escape(gettext("Show the first replies"))
        earlier = f'<li class="load-earlier"><a href="{href}">{label}</a></li>'
    children = window_html(page.window, ctx)
    if not (earlier or children):
        return Markup(f"{head}</li>")
    return Markup(f'{head}<ol class="comment-children">{earlier}{children}</ol></li>')


def shared_thread_window(
    session: Session,
    thread: Thread,
    viewer: Viewer,
    *,
    order: CommentOrder,
    after: int | None,
    current: tuple[int, ...] | None = None,
) -> str:
    """The thread page's window of comments as every logged-in reader with ``viewer``'s
    rights sees it, with slots for each reader's own parts (``fill_slots``).

    Kept between requests (``core.fragment_cache``) while the thread's comments
    (``versions.thread_version``) and the members' names and privacy (the directory's
    version) stay as they were: a page then costs the version read, not the window's
    statement and its rendering. ``current``: ``PageState.versions``, read before the
    thread.
    """
    if current is None:
        names = [versions.thread_version(thread.id), members.DIRECTORY]
        current = current_versions(session, names)  # before the data (see core.fragment_cache)
    current = current[:2]  # the thread lists' version does not change the window
    key = (
        "thread-window",
        current_locale_name(),
        thread.id,
        order.value,
        after,
        viewer.is_moderator,
    )
    html = fragment_store.get(key, current)
    if html is None:
        page = windows.shared_window(
            session, thread, is_moderator=viewer.is_moderator, order=order, after=after
        )
        ctx = PageContext.for_cache(
            thread,
            is_moderator=viewer.is_moderator,
            order=order,
            unlinked_author_ids=page.unlinked_author_ids,
        )
        private = int(thread.author_id in page.unlinked_author_ids)
        html = _slot("t", private) + str(tree_html(page, ctx))
        fragment_store.put(key, current, html)
    return html


@dataclass(frozen=True)
class PageState:
    """What a thread page reads before the thread: the versions of the HTML it keeps
    (``shared_thread_post``, ``shared_thread_window``), the live sequence number (the
    page's script asks for every event after it) and the reader's subscription level."""

    versions: tuple[int, ...]
    live_seq: int
    level: SubscriptionLevel


def _version(name: str) -> Any:
    return select(ContentVersion.version).where(ContentVersion.name == bindparam(name))


#: One statement, built once: three versions, the live sequence and the level.
_PAGE_STATE = select(
    _version("thread_version").scalar_subquery(),
    _version("directory").scalar_subquery(),
    _version("threads").scalar_subquery(),
    select(TopicSequence.last_seq)
    .where(TopicSequence.topic == bindparam("topic"))
    .scalar_subquery(),
    select(ThreadSubscription.level)
    .where(
        ThreadSubscription.user_id == bindparam("user_id"),
        ThreadSubscription.thread_id == bindparam("thread_id"),
    )
    .scalar_subquery(),
)


def page_state(session: Session, thread_id: int, user_id: int | None) -> PageState:
    """A thread page's ``PageState``, read in one statement (before the thread and
    its comments: see core.fragment_cache)."""
    row = session.execute(
        _PAGE_STATE,
        {
            "thread_version": versions.thread_version(thread_id),
            "directory": members.DIRECTORY,
            "threads": versions.THREADS,
            "topic": topic("thread", thread_id),  # live.thread_topic (which imports this)
            "user_id": user_id,
            "thread_id": thread_id,
        },
    ).one()
    return PageState(
        versions=(row[0] or 0, row[1] or 0, row[2] or 0),
        live_seq=row[3] or 0,
        level=row[4] or SubscriptionLevel.normal,
    )


def shared_thread_post(
    session: Session, thread: Thread, viewer: Viewer, current: tuple[int, ...]
) -> str:
    """The opening post as every logged-in reader with ``viewer``'s rights sees it, with
    slots for each reader's parts (``fill_slots``: their reactions pressed, their edit
    links, the author folded away if they blocked them, the time in their zone, their
    CSRF token). Kept while ``current`` (``PageState.versions``) holds."""
    key = ("thread-post", current_locale_name(), thread.id, viewer.is_moderator)
    html = fragment_store.get(key, current)
    if html is None:
        authors = [thread.author_id] if thread.author_id is not None else []
        ctx = PageContext.for_cache(
            thread,
            is_moderator=viewer.is_moderator,
            order=CommentOrder.oldest,
            unlinked_author_ids=frozenset(members.private_profile_user_ids(session, authors)),
        )
        state = post_state(thread, viewer_is_moderator=viewer.is_moderator, blocked_ids=())
        reactions = queries.thread_reactions(session, thread, Viewer())
        rendered = str(render_thread_post(thread, state, reactions, ctx))
        # What members wrote never holds a slot; the template's marks become slots.
        html = rendered.replace(SLOT, "\ufffd").replace(_TEMPLATE_SLOT, SLOT)
        fragment_store.put(key, current, html)
    return html


def post_values(thread: Thread, csrf: str) -> dict[str, str]:
    """What ``fill_slots`` puts in the opening post's value slots for this reader."""
    return {"T": str(time_tag(thread.created_at)), "k": csrf}


_SUBSCRIPTION = "discussions/_subscription_control.html"


def subscription_control(subject_type: str, subject_id: int, level: str, csrf: str) -> Markup:
    """The watch / normal / mute control (``_subscription_control.html``) at ``level``:
    rendered once per language, subject, level and page address, the token put in."""
    here = request.full_path if request.query_string else request.path
    key = ("subscription-control", current_locale_name(), subject_type, subject_id, level, here)
    html = fragment_store.get(key, ())
    if html is None:
        rendered = render_template(
            _SUBSCRIPTION, subject_type=subject_type, subject_id=subject_id, level=level
        )
        html = rendered.replace(csrf, _CSRF_HOLE)
        fragment_store.put(key, (), html)
    return Markup(html.replace(_CSRF_HOLE, csrf))


def thread_author_unlinked(html: str, thread: Thread) -> frozenset[int]:
    """The opening post's author when the shared window says their profile is private
    (its first slot: their privacy is read with the comment authors')."""
    if thread.author_id is None or html.startswith(_slot("t", 0)):
        return frozenset()
    return frozenset({thread.author_id})


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


#: The reactions' names, in the page's language.
REACTION_LABELS = {
    ReactionKind.like: lazy_gettext("Like"),
    ReactionKind.helpful: lazy_gettext("Helpful"),
    ReactionKind.insightful: lazy_gettext("Insightful"),
    ReactionKind.celebrate: lazy_gettext("Celebrate"),
}


_LABELS: dict[str, dict[ReactionKind, str]] = {}


def _labels() -> dict[ReactionKind, str]:
    """``REACTION_LABELS`` in the page's language (looked up once per language)."""
    locale = current_locale_name()
    labels = _LABELS.get(locale)
    if labels is None:
        labels = _LABELS[locale] = {kind: str(text) for kind, text in REACTION_LABELS.items()}
    return labels


def reaction_tooltip(summary: ReactionSummary, kind: ReactionKind) -> str:
    """'Like: Ana Diaz, Ben Ode and 3 others' (or just 'Like' with nobody yet)."""
    label = _labels()[kind]
    names = summary.names.get(kind, [])
    if not names:
        return label
    shown = names[:MAX_NAMES_IN_TOOLTIP]
    rest = len(names) - len(shown)
    listed = ", ".join(shown)
    if rest:
        listed = ngettext(
            "%(names)s and %(num)d other", "%(names)s and %(num)d others", rest, names=listed
        )
    return gettext("%(reaction)s: %(names)s", reaction=label, names=listed)


def _bar(summary: ReactionSummary, suffix: str, disabled: bool) -> str:
    labels = _labels()
    return "".join(
        _REACTION_BUTTON.format(
            value=f"{kind.value}{suffix}",
            pressed="true" if kind in summary.mine else "false",
            title=escape(reaction_tooltip(summary, kind)),
            disabled=" disabled" if disabled else "",
            emoji=kind.emoji,
            label=escape(labels[kind]),
            count=summary.counts.get(kind) or "",
        )
        for kind in ReactionKind
    )


#: The buttons of a post nobody reacted to yet (most of them), with "\0" for its id,
#: per language and disabled state.
_UNTOUCHED: dict[tuple[str, bool], str] = {}


def _untouched(disabled: bool) -> str:
    key = (current_locale_name(), disabled)
    if key not in _UNTOUCHED:
        _UNTOUCHED[key] = _bar(ReactionSummary(), "@\0", disabled)
    return _UNTOUCHED[key]


def reaction_bar(summary: ReactionSummary, target: int | None, disabled: bool = False) -> Markup:
    """The reaction buttons of one post (``target``: a comment id, or None for the opening
    post). They all belong to the page's one reaction form (``form=``), so a page of
    comments is not a page of forms and tokens. Names are escaped; the rest is ours.
    """
    if target is not None and not summary.counts:
        buttons = _untouched(disabled).replace("\0", str(target))
    else:
        buttons = _bar(summary, f"@{target}" if target is not None else "", disabled)
    where = f"comment-{target}" if target is not None else "post"
    return Markup(f'<span class="reaction-bar" data-reactions-for="{where}">{buttons}</span>')


_CSRF_HOLE = "\x00csrf\x00"


def reply_fields(csrf: str) -> tuple[str, Markup]:
    """The thread page's reply box (a fresh ``CommentForm``: no data, no errors) and
    its textarea's id. Every reader gets the same HTML but for the CSRF token, so
    WTForms renders it once per language (per app: its settings may differ) and later
    pages only put the token in."""
    store: dict[str, tuple[str, str]] = current_app.extensions.setdefault(
        "hallway.reply_fields", {}
    )
    locale = current_locale_name()
    known = store.get(locale)
    if known is None:
        form = CommentForm()
        html = render_template("discussions/_reply_fields.html", form=form)
        known = store[locale] = (form.body.id, html.replace(csrf, _CSRF_HOLE))
    field_id, html = known
    return field_id, Markup(html.replace(_CSRF_HOLE, csrf))
