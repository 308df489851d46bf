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

A thread page's whole body (the opening post, the window of comments, the menus and the
reply box) is shared the same way between readers (``shared_thread_page``, kept by
``core.fragment_cache`` per thread version): it is rendered with *slots* where one
reader's parts go (``PageContext.for_cache``) and ``fill_slots`` puts that reader's in
per request, which is string work, not a query per comment. It also keeps what the page
reads of the thread (``thread_facts``), so a repeat view reads the page's state
(``page_state``: versions, live sequence, subscription level, the reader's reactions in
the thread) in one statement and nothing else.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import current_app, get_template_attribute, render_template, request
from flask_babel import gettext, lazy_gettext, ngettext
from markupsafe import Markup, escape
from sqlalchemy import String, bindparam, select, type_coerce
from sqlalchemy.orm import Session, object_session

from hallway.accounts.models import User
from hallway.core.forms import csrf_token
from hallway.core.fragment_cache import ContentVersion
from hallway.core.fragment_cache import fragments as fragment_store
from hallway.core.i18n import (
    current_locale_name,
    time_tag,
    time_tag_shared,
)
from hallway.core.markdown import promote_headings
from hallway.core.templating import as_character_references
from hallway.core.urls import profile_path
from hallway.db import comma_joined
from hallway.discussions import queries, versions, windows
from hallway.discussions.forms import CommentForm
from hallway.discussions.fragments import HEADER_END, permalink, stored_times
from hallway.discussions.links import ThreadUrls
from hallway.discussions.models import (
    Comment,
    CommentReaction,
    ReactionKind,
    Thread,
    ThreadReaction,
)
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
    thread: Thread | ThreadFacts
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
        thread: Thread | ThreadFacts,
        viewer: Viewer,
        csrf: str,
        *,
        order: CommentOrder = CommentOrder.oldest,
        unlinked_author_ids: frozenset[int] = frozenset(),
    ) -> PageContext:
        return cls(
            thread=thread,
            urls=ThreadUrls(thread.id, thread.slug),
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
        """A slot in a template rendered for the shared cache (``shared_thread_page``)."""
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
class ThreadFacts:
    """What a thread page reads of its thread on each view, kept in its shared body
    (``shared_thread_page``) so that a repeat view does not read the thread: the
    same names as ``Thread``'s."""

    id: int
    slug: str
    title: str
    created_at: datetime
    author_id: int | None
    locked_at: datetime | None
    hidden_at: datetime | None
    deleted_at: datetime | None

    @classmethod
    def of(cls, thread: Thread) -> ThreadFacts:
        return cls(
            thread.id,
            thread.slug,
            thread.title,
            thread.created_at,
            thread.author_id,
            thread.locked_at,
            thread.hidden_at,
            thread.deleted_at,
        )

    def slot(self) -> str:
        """The facts as a slot ("F", the body's first), which shows nothing."""
        times = (self.created_at, self.locked_at, self.hidden_at, self.deleted_at)
        fields = [self.id, self.slug, self.title, self.author_id]
        fields += [each.isoformat() if each is not None else None for each in times]
        # JSON escapes control characters: a title's SLOT cannot end the slot.
        return _slot("F", json.dumps(fields))

    @classmethod
    def parse(cls, text: str) -> ThreadFacts:
        id_, slug, title, author_id, created, *times = json.loads(text)
        locked, hidden, deleted = (
            datetime.fromisoformat(each) if each is not None else None for each in times
        )
        created_at = datetime.fromisoformat(created)
        return cls(id_, slug, title, created_at, author_id, locked, hidden, deleted)


@dataclass(frozen=True)
class _Slots:
    """Shared HTML taken apart once (not per page view): its parts as a reader with no
    parts of their own sees them, and where the parts that differ per reader are."""

    #: UTF-8, as the page is sent: a view joins bytes rather than encode the whole page
    parts: tuple[bytes, ...]
    comment_ids: list[int]
    #: comment id (None: the opening post) -> index of its (empty) reaction slot
    reactions: dict[int | None, int]
    owned: dict[int, list[tuple[int, int, bool]]]  # author -> (index, comment id, live)
    #: the opening post's author -> (index, edited)
    owned_post: dict[int, list[tuple[int, bool]]]
    names: dict[int, list[tuple[int, str, str]]]  # author -> (index, handle, name)
    blocked: dict[int, list[tuple[int, str]]]  # author -> (index, "b" or "e")
    #: kind -> indexes of the slots filled with a per-request value (``_VALUE_KINDS``)
    values: dict[str, list[int]]
    #: the thread's facts (a thread page's body: ``shared_thread_page``)
    facts: ThreadFacts | None = None


#: The slots filled with a per-request value (``page_values``): "T" the opening post's
#: time in the reader's zone, "k" the CSRF token, "B" the ids of the members the reader
#: blocked, "L" the live sequence, "S" the subscription control, "A" the posting allowance.
_VALUE_KINDS = "TkBLSA"

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
    facts = None
    for index in range(1, len(parts), 2):
        kind, values = parts[index][0], parts[index][1:].split(":", 2)
        if kind == "F":
            facts = ThreadFacts.parse(parts[index][1:])
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
        elif kind in _VALUE_KINDS:
            filled.setdefault(kind, []).append(index)
        elif kind == "a":
            author_id, handle, name = int(values[0]), values[1], values[2]
            parts[index] = f'<span class="author">{name}</span>'
            names.setdefault(author_id, []).append((index, handle, name))
        elif kind in "be":
            blocked.setdefault(int(values[0]), []).append((index, kind))
        # "F" (the thread's facts) shows nothing
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    known = _PARSED[html] = _Slots(
        tuple(part.encode() for part in parts),
        comment_ids,
        reactions,
        owned,
        owned_post,
        names,
        blocked,
        filled,
        facts,
    )
    return known


def thread_facts(html: str) -> ThreadFacts:
    """The facts of the thread whose page body (``shared_thread_page``) this is."""
    facts = _parsed(html).facts
    assert facts is not None, "not a thread page's body"
    return facts


def fill_slots(
    html: str,
    ctx: PageContext,
    own_reactions: Iterable[tuple[int | None, ReactionKind]],
    values: Mapping[str, str] | None = None,
) -> list[bytes]:
    """Shared HTML (``PageContext.for_cache``) with this reader's parts, as the UTF-8
    parts to join: their reactions pressed (``own_reactions``: comment id, None for the
    opening post, and kind), edit links on their own posts, their own name linked,
    blocked authors folded away, and ``values`` in the slots of their kind. Only the
    slots that differ from a stranger's view are visited."""
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
        owned = _owner_actions(ctx.urls.comment(comment_id), _Owned(live), False)
        parts[index] = owned.encode()
    for index, edited in slots.owned_post.get(me, ()):
        parts[index] = _owner_actions(ctx.urls.base, _Owned(edited), False).encode()
    for kind, value in (values or {}).items():
        encoded = value.encode()
        for index in slots.values.get(kind, ()):
            parts[index] = encoded
    for index, handle, name in slots.names.get(me, ()):
        parts[index] = f'<a class="author" href="{profile_path(handle)}">{name}</a>'.encode()
    if viewer.blocked_ids:
        opening, closing = _blocked_open().encode(), b"</details>"
        for author_id in viewer.blocked_ids:
            for index, kind in slots.blocked.get(author_id, ()):
                parts[index] = opening if kind == "b" else closing
    return parts


def _press(html: bytes, comment_id: int | None, reactions: list[ReactionKind]) -> bytes:
    """``html`` (UTF-8, starting with a post's reaction bar) with these buttons pressed:
    the first match is the bar's own, before anything a member wrote."""
    suffix = f"@{comment_id}" if comment_id is not None else ""
    for reaction in reactions:
        button = f'value="{reaction.value}{suffix}" class="reaction" aria-pressed="'
        html = html.replace(f'{button}false"'.encode(), f'{button}true"'.encode(), 1)
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


@dataclass(frozen=True)
class PageState:
    """What a thread page reads before the thread: the versions of the HTML it keeps
    (``shared_thread_page``), the live sequence number (the page's script asks for
    every event after it), the reader's subscription level and their reactions in the
    thread (comment id, None for the opening post, and kind: ``fill_slots`` presses
    those the page shows)."""

    versions: tuple[int, ...]
    live_seq: int
    level: SubscriptionLevel
    own_reactions: list[tuple[int | None, ReactionKind]]


def _version(name: str) -> Any:
    return select(ContentVersion.version).where(ContentVersion.name == bindparam(name))


def _joined(column: Any) -> Any:
    """The rows' ``column`` as one text, comma separated (NULL without rows)."""
    return comma_joined(type_coerce(column, String))


#: One statement, built once: three versions, the live sequence, the level and the
#: reader's reactions in the thread (as many as they made there, whatever its length).
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
    select(
        _joined(
            CommentReaction.comment_id.cast(String)
            + ":"
            + type_coerce(CommentReaction.kind, String)
        )
    )
    .join(Comment, Comment.id == CommentReaction.comment_id)
    .where(
        CommentReaction.user_id == bindparam("user_id"),
        Comment.thread_id == bindparam("thread_id"),
    )
    .scalar_subquery(),
    select(_joined(ThreadReaction.kind))
    .where(
        ThreadReaction.user_id == bindparam("user_id"),
        ThreadReaction.thread_id == bindparam("thread_id"),
    )
    .scalar_subquery(),
)


def page_state(session: Session, thread_id: int, user_id: int | None) -> PageState:
    """A thread page's ``PageState``, read in one statement (before the thread and
    its comments: see core.fragment_cache). On the session's connection: it reads no
    ORM entity, so the ORM's statement handling would be all cost."""
    row = (
        session.connection()
        .execute(
            _PAGE_STATE,
            {
                "thread_version": versions.thread_version(thread_id),
                "directory": members.DIRECTORY,
                "threads": versions.THREADS,
                "topic": topic("thread", thread_id),  # live.thread_topic (which imports this)
                "user_id": user_id,
                "thread_id": thread_id,
            },
        )
        .one()
    )
    own: list[tuple[int | None, ReactionKind]] = []
    if row[5]:
        for each in row[5].split(","):
            comment_id, kind = each.split(":")
            own.append((int(comment_id), ReactionKind(kind)))
    if row[6]:
        own.extend((None, ReactionKind(kind)) for kind in row[6].split(","))
    return PageState(
        versions=(row[0] or 0, row[1] or 0, row[2] or 0),
        live_seq=row[3] or 0,
        level=row[4] or SubscriptionLevel.normal,
        own_reactions=own,
    )


#: Where the window of comments goes in the kept page body while its template renders
#: (the window holds slots already; the template's output has its own made slots first).
_TREE_MARK = f"\ue000tree{secrets.token_hex(8)}\ue000"


def shared_thread_page(
    session: Session,
    thread: Thread,
    viewer: Viewer,
    *,
    order: CommentOrder,
    after: int | None,
    current: tuple[int, ...],
) -> str:
    """The thread page's body (``discussions/_thread_body.html``: the opening post, the
    window of comments, the sort menu, the reply box) as every logged-in reader with
    ``viewer``'s rights sees it, with slots for each reader's parts (``fill_slots``:
    reactions pressed, edit links, their own private name linked, blocked authors
    folded away, and the value slots of ``page_values``).

    Kept (``core.fragment_cache``) while ``current`` (``PageState.versions``: the
    thread's comments, every thread's row, the members' names and privacy) holds: a
    repeat view costs no statement and no template for it. A miss costs the window's
    statements, the opening post's reactions and one render.
    """
    html = kept_thread_page(thread.id, viewer, order=order, after=after, current=current)
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
        ctx.csrf = str(ctx.slot("k"))
        tree = str(tree_html(page, ctx))
        state = post_state(thread, viewer_is_moderator=viewer.is_moderator, blocked_ids=())
        reactions = queries.thread_reactions(session, thread, Viewer())
        token = csrf_token()
        reply_field_id, reply_box = reply_fields(token)
        rendered = render_template(
            "discussions/_thread_body.html",
            thread=thread,
            page=page,
            ctx=ctx,
            post=render_thread_post(thread, state, reactions, ctx),
            subscription=ctx.slot("S"),
            tree=Markup(_TREE_MARK),
            no_replies=not tree and after is None,
            orders=list(CommentOrder),
            reply_field_id=reply_field_id,
            reply_fields=Markup(reply_box.replace(token, ctx.csrf)),
        )
        # What members wrote never holds a slot; the template's marks become slots.
        body = rendered.replace(SLOT, "\ufffd").replace(_TEMPLATE_SLOT, SLOT)
        html = ThreadFacts.of(thread).slot() + body.replace(_TREE_MARK, tree, 1)
        key = _page_key(thread.id, viewer, order, after)
        fragment_store.put(key, current, html)
    return html


def _page_key(thread_id: int, viewer: Viewer, order: CommentOrder, after: int | None) -> tuple:
    return (
        "thread-page",
        current_locale_name(),
        thread_id,
        order.value,
        after,
        viewer.is_moderator,
    )


def kept_thread_page(
    thread_id: int,
    viewer: Viewer,
    *,
    order: CommentOrder,
    after: int | None,
    current: tuple[int, ...],
) -> str | None:
    """``shared_thread_page``'s body if it is kept for ``current``, without reading the
    thread (its ``thread_facts`` are as current as the body)."""
    return fragment_store.get(_page_key(thread_id, viewer, order, after), current)


def page_values(
    thread: ThreadFacts,
    ctx: PageContext,
    state: PageState,
    subscription: Markup,
    posting: Any,
) -> dict[str, str]:
    """What ``fill_slots`` puts in the kept page body's value slots for this reader:
    the opening post's time in their zone, their CSRF token, the members they blocked
    (for the live script), the live sequence, their subscription control and what
    they may still post (``moderation.posting_allowance``, or None)."""
    allowance = ""
    if posting is not None:
        exhausted = " is-exhausted" if posting.exhausted else ""
        allowance = (
            f'<p class="posting-allowance{exhausted}" id="posting-allowance">'
            f"{escape(posting.message)}</p>"
        )
    return {
        "T": str(time_tag(thread.created_at)),
        "k": ctx.csrf,
        "B": ",".join(str(each) for each in ctx.viewer.blocked_ids),
        "L": str(state.live_seq),
        "S": str(subscription),
        "A": allowance,
    }


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


#: Each reaction's emoji as the buttons write it (see ``as_character_references``).
_EMOJI_HTML = {kind: as_character_references(kind.emoji) for kind in ReactionKind}

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
            emoji=_EMOJI_HTML[kind],
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
