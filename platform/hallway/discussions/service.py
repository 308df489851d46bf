"""Discussion rules: the only place that changes threads, comments, tags and reactions.

Functions take a Session and explicit arguments, add and flush, and never commit: the
boundary (view, API route, socket handler, CLI) commits once. What members write comes
in as ``discussions.schemas`` loads it (lengths, tags and their messages are checked
there, for the pages and the API alike); the rules here are the ones that need the
database or the actor: the category exists, the thread takes replies, who may change
what, posting limits. Each change that open
thread pages should see is published on the thread's topic here (``live``), in the
same transaction, so it is numbered for replay and emitted only once committed. They
refuse with InvalidInput (422), NotAllowed (403), NotFound (404) or Conflict (409).

Role admin counts as moderator. Moderators hide and restore posts from the moderation
queue (moderation calls ``hide_post``/``restore_post`` through the subjects registered
in ``discussions.moderation``), and lock and move threads here; each of these is
authorised with ``moderation.require_moderator`` and audited with ``record_audit``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from hallway.accounts.models import User
from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.core.markdown import extract_mentions, render_markdown
from hallway.core.urls import profile_path
from hallway.db import utcnow
from hallway.discussions import fragments, live, notify, versions
from hallway.discussions.access import can_change, can_moderate, can_reply, can_see_thread
from hallway.discussions.models import (
    Category,
    Comment,
    CommentReaction,
    CommentRevision,
    ReactionKind,
    Tag,
    Thread,
    ThreadReaction,
    ThreadRevision,
)
from hallway.discussions.text import child_path, slugify
from hallway.moderation import service as moderation

LOCKED_MESSAGE = "This discussion is locked: it no longer takes new replies."
CORRECT_FIELDS = "Please correct the highlighted fields."


@dataclass
class Posted:
    """A new thread or comment, and the notifications it sent (pushed and mailed by
    notifications once the change is committed)."""

    post: Thread | Comment
    notifications: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class ReactionToggled:
    kind: ReactionKind
    active: bool


# --- Who may do what (the rules are in access.py; re-exported here) ----------------


def _require_member(actor: User | None) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed(gettext("Please log in first."))
    return actor


def _require_change(actor: User | None, author_id: int | None, what: str) -> User:
    actor = _require_member(actor)
    if not can_change(actor, author_id):
        message = (
            gettext("Only its author or a moderator can change this comment.")
            if what == "comment"
            else gettext("Only its author or a moderator can change this discussion.")
        )
        raise NotAllowed(message)
    return actor


# --- Rendering ---------------------------------------------------------------------


def render_post(session: Session, text: str, *, author_id: int | None) -> tuple[str, set[int]]:
    """HTML for a post, with @mentions of existing members linked (one query).

    Returns the HTML and the ids of the members mentioned, the author left out.
    """
    handles = extract_mentions(text)
    known: dict[str, int] = {}
    if handles:
        rows = session.execute(select(User.handle, User.id).where(User.handle.in_(handles)))
        known = {handle: user_id for handle, user_id in rows}

    def mention_url(handle: str) -> str | None:
        return profile_path(handle) if handle in known else None

    html = str(render_markdown(text, mention_url=mention_url))
    return html, {user_id for user_id in known.values() if user_id != author_id}


def _tags_named(session: Session, names: Sequence[str]) -> list[Tag]:
    """Existing tags by (normalised) name, creating the missing ones."""
    if not names:
        return []
    existing = {tag.name: tag for tag in session.scalars(select(Tag).where(Tag.name.in_(names)))}
    for name in names:
        if name not in existing:
            existing[name] = Tag(name=name)
            session.add(existing[name])
    return [existing[name] for name in names]


# --- Threads -------------------------------------------------------------------------


def start_thread(
    session: Session,
    *,
    actor: User,
    category_id: int,
    title: str,
    body: str,
    tags: Sequence[str] = (),
    imported_at: datetime | None = None,
) -> Posted:
    """Members start a thread in an existing category (title, body and tags as
    ThreadCreateSchema loads them).

    ``imported_at`` is for history (the demo seed, imports, test factories): the thread
    takes that time, skips moderation's posting limits and notifies no one.
    """
    actor = _require_member(actor)
    if imported_at is None:
        moderation.check_can_post(session, actor)
    category = session.get(Category, category_id)
    if category is None:
        raise InvalidInput(CORRECT_FIELDS, {"category_id": ["Choose a category."]})
    html, mentioned = render_post(session, body, author_id=actor.id)
    now = imported_at or utcnow()
    thread = Thread(
        category=category,
        author=actor,
        title=title,
        slug=slugify(title),
        body=body,
        body_html=html,
        created_at=now,
        last_activity_at=now,
    )
    thread.tags = _tags_named(session, tags)
    session.add(thread)
    session.flush()
    versions.changed(session)
    if imported_at is not None:
        return Posted(thread)
    return Posted(
        thread, notify.notify_new_post(session, post=thread, mentioned_user_ids=mentioned)
    )


def _audit_thread(
    session: Session, actor: User, action: str, thread: Thread, **details: Any
) -> None:
    """Record a change to a thread in the moderation audit log."""
    moderation.record_audit(
        session,
        actor=actor,
        action=action,
        subject_type="thread",
        subject_id=thread.id,
        details={"thread_id": thread.id, **details},
    )


def edit_thread(
    session: Session,
    *,
    actor: User,
    thread: Thread,
    title: str | None = None,
    body: str | None = None,
    tags: Sequence[str] | None = None,
) -> Thread:
    """Authors edit their own threads, moderators any (deleted ones not). A change of
    title or body keeps the previous version as a revision and marks the thread edited;
    tags, when given, replace the old ones. Fields left out stay as they are (the
    fields as ThreadUpdateSchema loads them)."""
    actor = _require_change(actor, thread.author_id, "discussion")
    if thread.deleted_at is not None:
        raise Conflict("This discussion was deleted; it can't be edited.")
    new_title = thread.title if title is None else title
    new_body = thread.body if body is None else body
    if new_title != thread.title or new_body != thread.body:
        now = utcnow()
        session.add(
            ThreadRevision(
                thread_id=thread.id,
                editor_id=actor.id,
                title=thread.title,
                body=thread.body,
                created_at=now,
            )
        )
        body_changed = new_body != thread.body
        if body_changed:
            thread.body_html, _ = render_post(session, new_body, author_id=thread.author_id)
        thread.title, thread.slug, thread.body = new_title, slugify(new_title), new_body
        if body_changed:
            notify.refresh_excerpts(session, thread)
        thread.edited_at = now
        _audit_thread(session, actor, "edit", thread, by_author=actor.id == thread.author_id)
    if tags is not None:
        thread.tags = _tags_named(session, tags)
    session.flush()
    versions.changed(session, thread.id)
    live.publish_thread_changed(session, thread)
    return thread


def delete_thread(session: Session, *, actor: User, thread: Thread) -> Thread:
    """Authors delete their own threads, moderators any. The rows stay (soft delete) but
    the thread disappears from lists, search and its own page."""
    actor = _require_change(actor, thread.author_id, "discussion")
    if thread.deleted_at is None:
        thread.deleted_at = utcnow()
        _audit_thread(session, actor, "delete", thread, by_author=actor.id == thread.author_id)
        notify.refresh_excerpts(session, thread, with_comments=True)
        session.flush()
        versions.changed(session)
        live.publish_thread_changed(session, thread)
    return thread


def set_pinned(session: Session, *, actor: User, thread: Thread, pinned: bool) -> Thread:
    """Moderators pin threads to the top of every list, and unpin them."""
    actor = moderation.require_moderator(actor)
    if pinned and thread.pinned_at is None:
        thread.pinned_at = utcnow()
    elif not pinned:
        thread.pinned_at = None
    _audit_thread(session, actor, "pin" if pinned else "unpin", thread)
    session.flush()
    versions.changed(session)
    live.publish_thread_changed(session, thread)
    return thread


# --- Moderators: hiding, locking, moving ----------------------------------------------


def hide_post(session: Session, *, actor: User, post: Thread | Comment) -> None:
    """Moderators hide a thread or a comment from members (moderation closes its flags
    and audits it); open pages drop it after the commit."""
    moderation.require_moderator(actor)
    if post.hidden_at is not None:
        raise Conflict(gettext("That post is already hidden."))
    post.hidden_at = utcnow()
    notify.refresh_excerpts(session, post, with_comments=True)
    session.flush()
    _publish_visibility(session, post)


def restore_post(session: Session, *, actor: User, post: Thread | Comment) -> None:
    """Moderators show a hidden thread or comment again; open pages show it back."""
    moderation.require_moderator(actor)
    if post.hidden_at is None:
        raise Conflict(gettext("That post is not hidden."))
    post.hidden_at = None
    notify.refresh_excerpts(session, post, with_comments=True)
    session.flush()
    _publish_visibility(session, post)


def _publish_visibility(session: Session, post: Thread | Comment) -> None:
    # A hidden thread leaves the lists; a hidden comment changes its thread's page.
    versions.changed(session, post.thread_id if isinstance(post, Comment) else None)
    if isinstance(post, Comment):
        live.publish_post_changed(session, post.thread, post)
    else:
        live.publish_post_changed(session, post)


def set_locked(session: Session, *, actor: User, thread: Thread, locked: bool) -> Thread:
    """Moderators lock a thread (no new replies, except theirs) and unlock it."""
    actor = moderation.require_moderator(actor)
    if locked == thread.is_locked:
        raise Conflict(
            gettext("That discussion is already locked.")
            if locked
            else gettext("That discussion is not locked.")
        )
    thread.locked_at = utcnow() if locked else None
    _audit_thread(session, actor, "lock" if locked else "unlock", thread)
    session.flush()
    versions.changed(session, thread.id)
    return thread


def move_thread(session: Session, *, actor: User, thread: Thread, category_id: int) -> Thread:
    """Moderators move a thread to another existing category."""
    actor = moderation.require_moderator(actor)
    category = session.get(Category, category_id)
    if category is None:
        raise InvalidInput(CORRECT_FIELDS, {"category_id": ["Choose a category."]})
    if category.id == thread.category_id:
        raise InvalidInput(
            CORRECT_FIELDS, {"category_id": ["The discussion is already in that category."]}
        )
    previous = thread.category_id
    thread.category = category
    moderation.record_audit(
        session,
        actor=actor,
        action="move",
        subject_type="thread",
        subject_id=thread.id,
        details={
            "thread_id": thread.id,
            "from_category_id": previous,
            "to_category_id": category.id,
        },
    )
    session.flush()
    versions.changed(session)
    return thread


# --- Comments ------------------------------------------------------------------------


def reply(
    session: Session,
    *,
    actor: User,
    thread: Thread,
    body: str,
    parent_id: int | None = None,
    imported_at: datetime | None = None,
) -> Posted:
    """Members reply to a thread they can see, or to any comment in it that is neither
    deleted nor hidden. Locked threads refuse replies, except from moderators.

    The comment stores its depth, materialised path and rendered article; its
    ancestors' reply counts, the thread's reply count and latest activity move on.
    Open thread pages get it first, once committed; who hears about it is worked out
    by a task-queue job after that (``notify.notify_new_comment_later``), so
    ``Posted.notifications`` stays empty for a live comment.
    ``body`` as CommentCreateSchema loads it; ``imported_at`` as in start_thread.
    """
    actor = _require_member(actor)
    if not can_see_thread(actor, thread):
        raise NotFound("That discussion does not exist or was removed.")
    if not can_reply(actor, thread):
        raise NotAllowed(LOCKED_MESSAGE)
    if imported_at is None:
        moderation.check_can_post(session, actor)
    parent = None
    if parent_id is not None:
        parent = session.get(Comment, parent_id)
        if parent is None or parent.thread_id != thread.id:
            raise InvalidInput(
                CORRECT_FIELDS, {"parent_id": ["That comment is not in this discussion."]}
            )
    if parent is not None and (
        parent.deleted_at is not None or (parent.hidden_at is not None and not can_moderate(actor))
    ):
        raise Conflict("That comment was removed; reply to the discussion instead.")
    html, mentioned = render_post(session, body, author_id=actor.id)
    now = imported_at or utcnow()
    comment = Comment(
        thread_id=thread.id,
        parent_id=parent.id if parent else None,
        author=actor,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        body_html=html,
        created_at=now,
    )
    session.add(comment)
    session.flush()  # the id is part of the path
    comment.path = child_path(parent.path if parent else None, comment.id)
    fragments.refresh(comment)
    if parent is not None:
        _count_reply(session, parent, comment)
    _count_comment(session, thread, now)
    session.flush()
    versions.changed(session, thread.id)
    if imported_at is not None:
        return Posted(comment)
    # Published first: its emit is the first effect after the commit. The notices
    # follow in a task-queue job (the poster does not wait for them).
    live.publish_new_comment(session, comment)
    notify.notify_new_comment_later(session, comment=comment, mentioned_user_ids=mentioned)
    return Posted(comment)


#: Built once: building the statement costs more than running it.
_COUNT_COMMENT = (
    update(Thread)
    .where(Thread.id == bindparam("thread_id"))
    .values(comment_count=Thread.comment_count + 1, last_activity_at=bindparam("active_at"))
    .returning(Thread.comment_count)
)


def _count_comment(session: Session, thread: Thread, now: datetime) -> None:
    """One more comment in the thread, added in the database so concurrent replies add
    up; the statement hands back the new count, which the live event shows."""
    active_at = max(thread.last_activity_at, now)
    count = session.execute(
        _COUNT_COMMENT,
        {"thread_id": thread.id, "active_at": active_at},
        execution_options={"synchronize_session": False},
    ).scalar_one()
    set_committed_value(thread, "comment_count", count)
    set_committed_value(thread, "last_activity_at", active_at)


def _count_reply(session: Session, parent: Comment, comment: Comment) -> None:
    """One more reply under each ancestor (in the database, so concurrent replies add
    up); the parent has one more direct reply."""
    ancestor_ids = comment.ancestor_ids
    session.execute(
        update(Comment)
        .where(Comment.id.in_(ancestor_ids))
        .values(
            descendant_count=Comment.descendant_count + 1,
            reply_count=case(
                (Comment.id == parent.id, Comment.reply_count + 1), else_=Comment.reply_count
            ),
        ),
        execution_options={"synchronize_session": False},
    )
    # Loaded ancestors read their new counts when next asked (not every comment in the
    # session is looked at, as synchronising would).
    for ancestor_id in ancestor_ids:
        loaded = session.identity_map.get(identity_key(Comment, ancestor_id))
        if loaded is not None:
            session.expire(loaded, ["reply_count", "descendant_count"])


def edit_comment(session: Session, *, actor: User, comment: Comment, body: str) -> Comment:
    """Authors edit their own comments, moderators any; deleted comments can't be
    edited. Each change keeps the previous text as a revision and marks it edited (the
    body as CommentUpdateSchema loads it)."""
    actor = _require_change(actor, comment.author_id, "comment")
    if comment.deleted_at is not None:
        raise Conflict(gettext("This comment was deleted; it can't be edited."))
    if body == comment.body:
        return comment
    now = utcnow()
    session.add(
        CommentRevision(
            comment_id=comment.id, editor_id=actor.id, body=comment.body, created_at=now
        )
    )
    comment.body = body
    comment.body_html, _ = render_post(session, body, author_id=comment.author_id)
    comment.edited_at = now
    fragments.refresh(comment)
    notify.refresh_excerpts(session, comment)
    moderation.record_audit(
        session,
        actor=actor,
        action="edit",
        subject_type="comment",
        subject_id=comment.id,
        details={"thread_id": comment.thread_id, "by_author": actor.id == comment.author_id},
    )
    session.flush()
    versions.changed(session, comment.thread_id)
    live.publish_comment_changed(session, comment, "comment_updated")
    return comment


def delete_comment(session: Session, *, actor: User, comment: Comment) -> Comment:
    """Authors delete their own comments, moderators any. The row stays (soft delete,
    for the audit trail): its replies keep their place under a "[deleted]" placeholder.
    A comment with no replies leaves nothing: pages skip deleted comments without
    replies, so it no longer counts as a reply of its ancestors (nor does a deleted
    parent it leaves without replies, which goes too)."""
    actor = _require_change(actor, comment.author_id, "comment")
    if comment.deleted_at is None:
        comment.deleted_at = utcnow()
        fragments.refresh(comment)  # the text leaves the stored article too
        if comment.reply_count == 0:
            _uncount_gone(session, comment)
        moderation.record_audit(
            session,
            actor=actor,
            action="delete",
            subject_type="comment",
            subject_id=comment.id,
            details={"thread_id": comment.thread_id, "by_author": actor.id == comment.author_id},
        )
        thread = session.get(Thread, comment.thread_id)
        if thread is not None:
            thread.comment_count = Thread.comment_count - 1
        notify.refresh_excerpts(session, comment)
        session.flush()
        versions.changed(session, comment.thread_id)
        live.publish_comment_changed(session, comment, "comment_deleted")
    return comment


def _uncount_gone(session: Session, comment: Comment) -> None:
    """``comment`` (deleted, no replies) leaves the page: one reply fewer under its
    parent, one descendant fewer under each ancestor; a deleted parent left without
    replies leaves with it (and so on up)."""
    gone = 1  # the comments leaving: it, and the placeholders it leaves empty
    leaving = True
    parent = session.get(Comment, comment.parent_id) if comment.parent_id else None
    while parent is not None:
        if leaving:
            parent.reply_count = parent.reply_count - 1
        parent.descendant_count = parent.descendant_count - gone
        leaving = leaving and parent.deleted_at is not None and parent.reply_count == 0
        gone += int(leaving)
        parent = session.get(Comment, parent.parent_id) if parent.parent_id else None


# --- Reactions -----------------------------------------------------------------------


def toggle_reaction(
    session: Session,
    *,
    actor: User,
    thread: Thread,
    kind: ReactionKind,
    comment: Comment | None = None,
) -> ReactionToggled:
    """Members react to a thread's opening post or to a comment, at most once per kind;
    reacting again takes the reaction back. Deleted and hidden posts take none."""
    actor = _require_member(actor)
    if not can_see_thread(actor, thread):
        raise NotFound("That discussion does not exist or was removed.")
    target: Thread | Comment = comment if comment is not None else thread
    if target.deleted_at is not None or target.hidden_at is not None:
        raise Conflict(gettext("That post was removed; it can't take reactions."))
    if comment is not None:
        model: type[CommentReaction] | type[ThreadReaction] = CommentReaction
        values: dict[str, Any] = {"comment_id": comment.id}
    else:
        model, values = ThreadReaction, {"thread_id": thread.id}
    key = (next(iter(values.values())), actor.id, kind)
    existing = session.get(model, key)
    if existing is not None:
        session.delete(existing)
        delta, active = -1, False
    else:
        try:
            with session.begin_nested():
                session.add(model(**values, user_id=actor.id, kind=kind, created_at=utcnow()))
        except IntegrityError:  # the same click arrived twice at once: already there
            delta, active = 0, True
        else:
            delta, active = 1, True
    if delta:
        target.reaction_count = type(target).reaction_count + delta
    session.flush()
    if delta:
        versions.changed(session, thread.id)
    if delta:
        live.publish_reaction(
            session, thread=thread, comment=comment, kind=kind, active=active, actor_id=actor.id
        )
    return ReactionToggled(kind, active)


# --- Categories (admins) -------------------------------------------------------------


def _ordered_categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.position, Category.id)))


def create_category(session: Session, *, actor: User, name: str, description: str = "") -> Category:
    """Admins add categories, at the end of the list; the slug comes from the name and
    must be unused. Name and description as CategoryInputSchema loads them."""
    moderation.require_moderator(actor)
    slug = slugify(name)[:60]
    if session.scalar(select(Category.id).where(Category.slug == slug)):
        raise Conflict(
            "A category with that address exists.", {"name": ["Choose a different name."]}
        )
    last = session.scalar(select(func.max(Category.position)))
    category = Category(slug=slug, name=name, description=description, position=(last or 0) + 1)
    session.add(category)
    session.flush()
    versions.changed(session)
    return category


def update_category(
    session: Session, *, actor: User, category: Category, name: str, description: str
) -> Category:
    """Admins rename and describe categories; the address (slug) stays, so links last."""
    moderation.require_moderator(actor)
    category.name, category.description = name, description
    session.flush()
    versions.changed(session)
    return category


def move_category(session: Session, *, actor: User, category: Category, offset: int) -> None:
    """Admins reorder categories one place at a time (-1 up, +1 down)."""
    moderation.require_moderator(actor)
    if offset not in (-1, 1):
        raise InvalidInput("Move a category one place up or down.")
    ordered = _ordered_categories(session)
    index = ordered.index(category)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered):
        each.position = position
    session.flush()
    versions.changed(session)
