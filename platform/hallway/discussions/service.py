"""Discussion rules: the only place that changes threads, comments, tags and reactions.

Functions take a Session and explicit arguments, add and flush, and never commit: the
boundary (view, API route, socket handler, CLI) commits once and then broadcasts. They
refuse with InvalidInput (422), NotAllowed (403), NotFound (404) or Conflict (409).

Role admin counts as moderator. Moderation (another package) sets ``hidden_at``,
``locked_at`` and ``category_id`` on our rows; the rules here honour them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.core.markdown import extract_mentions, render_markdown
from hallway.core.urls import profile_path
from hallway.db import utcnow
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
from hallway.discussions.text import (
    child_path,
    parse_tags,
    slugify,
    tag_problems,
)
from hallway.moderation import service as moderation
from hallway.notifications import service as notifications

TITLE_MIN_LENGTH = 5
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 10_000
CATEGORY_NAME_MAX_LENGTH = 80
CATEGORY_DESCRIPTION_MAX_LENGTH = 300

LOCKED_MESSAGE = "This discussion is locked: it no longer takes new replies."
CORRECT_FIELDS = "Please correct the highlighted fields."


@dataclass
class Posted:
    """A new thread or comment, and the notifications to push once it is committed
    (``notifications.push_after_commit``)."""

    post: Thread | Comment
    notifications: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class ReactionToggled:
    kind: ReactionKind
    active: bool


# --- Who may do what -----------------------------------------------------------------


def can_moderate(user: Any) -> bool:
    """Moderation decides who moderates (admins, for now)."""
    return moderation.can_moderate(user)


def can_see_thread(user: Any, thread: Thread) -> bool:
    """Deleted and hidden threads are gone for members; moderators still see them."""
    if thread.deleted_at is None and thread.hidden_at is None:
        return True
    return can_moderate(user)


def can_change(user: Any, author_id: int | None) -> bool:
    """Authors change their own posts; moderators change any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return can_moderate(user) or (author_id is not None and author_id == user.id)


def can_reply(user: Any, thread: Thread) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (thread.locked_at is None or can_moderate(user))
    )


def _require_member(actor: User | None) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Please log in first.")
    return actor


def _require_change(actor: User | None, author_id: int | None, what: str) -> User:
    actor = _require_member(actor)
    if not can_change(actor, author_id):
        raise NotAllowed(f"Only its author or a moderator can change this {what}.")
    return actor


# --- Reading single rows (the boundaries use these before changing anything) ----------


def get_thread(session: Session, thread_id: int, viewer: Any) -> Thread:
    """The thread, if it exists and the viewer may see it; NotFound otherwise."""
    thread = session.get(Thread, thread_id)
    if thread is None or not can_see_thread(viewer, thread):
        raise NotFound("That discussion does not exist or was removed.")
    return thread


def get_comment(session: Session, thread: Thread, comment_id: int) -> Comment:
    """A comment of this thread (deleted and hidden ones too: the tree keeps them)."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.thread_id != thread.id:
        raise NotFound("That comment does not exist in this discussion.")
    return comment


def get_category(session: Session, category_id: int) -> Category:
    category = session.get(Category, category_id)
    if category is None:
        raise NotFound("That category does not exist.")
    return category


# --- Text checks and rendering -----------------------------------------------------


def _clean_text(value: str | None, *, field_name: str, max_length: int, errors: dict) -> str:
    text = (value or "").strip()
    if not text:
        errors[field_name] = ["Write something first."]
    elif len(text) > max_length:
        errors[field_name] = [f"Keep it under {max_length:,} characters."]
    return text


def _clean_title(value: str | None, errors: dict) -> str:
    title = " ".join((value or "").split())
    if len(title) < TITLE_MIN_LENGTH:
        errors["title"] = [f"Use at least {TITLE_MIN_LENGTH} characters for the title."]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [f"Keep the title under {TITLE_MAX_LENGTH} characters."]
    return title


def _clean_tags(raw: str | Iterable[str] | None, errors: dict) -> list[str]:
    tags = parse_tags(raw)
    if problems := tag_problems(tags):
        errors["tags"] = problems
    return tags


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


def _tags_named(session: Session, names: list[str]) -> list[Tag]:
    """Existing tags by name, creating the missing ones."""
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
    category_id: int | None,
    title: str,
    body: str,
    tags: str | Iterable[str] | None = None,
    imported_at: datetime | None = None,
) -> Posted:
    """Members start a thread in an existing category: a title of 5-200 characters, a
    body, and at most 5 tags (normalised to lowercase-hyphenated words).

    ``imported_at`` is for history (the demo seed, imports, test factories): the thread
    takes that time, skips moderation's posting limits and notifies no one.
    """
    actor = _require_member(actor)
    if imported_at is None:
        moderation.check_can_post(session, actor)
    errors: dict[str, list[str]] = {}
    title = _clean_title(title, errors)
    body = _clean_text(body, field_name="body", max_length=BODY_MAX_LENGTH, errors=errors)
    tag_names = _clean_tags(tags, errors)
    category = session.get(Category, category_id) if category_id is not None else None
    if category is None:
        errors["category_id"] = ["Choose a category."]
    if errors:
        raise InvalidInput(CORRECT_FIELDS, errors)
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
    thread.tags = _tags_named(session, tag_names)
    session.add(thread)
    session.flush()
    if imported_at is not None:
        return Posted(thread)
    return Posted(
        thread, notifications.notify_new_post(session, post=thread, mentioned_user_ids=mentioned)
    )


def edit_thread(
    session: Session,
    *,
    actor: User,
    thread: Thread,
    title: str | None = None,
    body: str | None = None,
    tags: str | Iterable[str] | None = None,
) -> Thread:
    """Authors edit their own threads, moderators any (deleted ones not). A change of
    title or body keeps the previous version as a revision and marks the thread edited;
    tags, when given, replace the old ones. Fields left out stay as they are."""
    actor = _require_change(actor, thread.author_id, "discussion")
    if thread.deleted_at is not None:
        raise Conflict("This discussion was deleted; it can't be edited.")
    errors: dict[str, list[str]] = {}
    new_title = thread.title if title is None else _clean_title(title, errors)
    new_body = (
        thread.body
        if body is None
        else _clean_text(body, field_name="body", max_length=BODY_MAX_LENGTH, errors=errors)
    )
    tag_names = None if tags is None else _clean_tags(tags, errors)
    if errors:
        raise InvalidInput(CORRECT_FIELDS, errors)
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
        if new_body != thread.body:
            thread.body_html, _ = render_post(session, new_body, author_id=thread.author_id)
        thread.title, thread.slug, thread.body = new_title, slugify(new_title), new_body
        thread.edited_at = now
        moderation.record_audit(
            session,
            actor=actor,
            action="edit",
            subject_type="thread",
            subject_id=thread.id,
            details={"thread_id": thread.id, "by_author": actor.id == thread.author_id},
        )
    if tag_names is not None:
        thread.tags = _tags_named(session, tag_names)
    session.flush()
    return thread


def delete_thread(session: Session, *, actor: User, thread: Thread) -> Thread:
    """Authors delete their own threads, moderators any. The rows stay (soft delete) but
    the thread disappears from lists, search and its own page."""
    actor = _require_change(actor, thread.author_id, "discussion")
    if thread.deleted_at is None:
        thread.deleted_at = utcnow()
        moderation.record_audit(
            session,
            actor=actor,
            action="delete",
            subject_type="thread",
            subject_id=thread.id,
            details={"thread_id": thread.id, "by_author": actor.id == thread.author_id},
        )
        session.flush()
    return thread


def set_pinned(session: Session, *, actor: User, thread: Thread, pinned: bool) -> Thread:
    """Moderators pin threads to the top of every list, and unpin them."""
    actor = moderation.require_moderator(actor)
    if pinned and thread.pinned_at is None:
        thread.pinned_at = utcnow()
    elif not pinned:
        thread.pinned_at = None
    moderation.record_audit(
        session,
        actor=actor,
        action="pin" if pinned else "unpin",
        subject_type="thread",
        subject_id=thread.id,
        details={"thread_id": thread.id},
    )
    session.flush()
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

    The comment stores its depth and materialised path; the thread's reply count and
    latest activity move on. ``imported_at`` as in start_thread.
    """
    actor = _require_member(actor)
    if not can_see_thread(actor, thread):
        raise NotFound("That discussion does not exist or was removed.")
    if not can_reply(actor, thread):
        raise NotAllowed(LOCKED_MESSAGE)
    if imported_at is None:
        moderation.check_can_post(session, actor)
    errors: dict[str, list[str]] = {}
    body = _clean_text(body, field_name="body", max_length=COMMENT_MAX_LENGTH, errors=errors)
    parent = None
    if parent_id is not None:
        parent = session.get(Comment, parent_id)
        if parent is None or parent.thread_id != thread.id:
            errors["parent_id"] = ["That comment is not in this discussion."]
    if errors:
        raise InvalidInput(CORRECT_FIELDS, errors)
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
    thread.comment_count = Thread.comment_count + 1
    thread.last_activity_at = max(thread.last_activity_at, now)
    session.flush()
    if imported_at is not None:
        return Posted(comment)
    return Posted(
        comment, notifications.notify_new_post(session, post=comment, mentioned_user_ids=mentioned)
    )


def edit_comment(session: Session, *, actor: User, comment: Comment, body: str) -> Comment:
    """Authors edit their own comments, moderators any; deleted comments can't be
    edited. Each change keeps the previous text as a revision and marks it edited."""
    actor = _require_change(actor, comment.author_id, "comment")
    if comment.deleted_at is not None:
        raise Conflict("This comment was deleted; it can't be edited.")
    errors: dict[str, list[str]] = {}
    body = _clean_text(body, field_name="body", max_length=COMMENT_MAX_LENGTH, errors=errors)
    if errors:
        raise InvalidInput(CORRECT_FIELDS, errors)
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
    moderation.record_audit(
        session,
        actor=actor,
        action="edit",
        subject_type="comment",
        subject_id=comment.id,
        details={"thread_id": comment.thread_id, "by_author": actor.id == comment.author_id},
    )
    session.flush()
    return comment


def delete_comment(session: Session, *, actor: User, comment: Comment) -> Comment:
    """Authors delete their own comments, moderators any. The row stays (soft delete):
    its replies keep their place under a "[deleted]" placeholder."""
    actor = _require_change(actor, comment.author_id, "comment")
    if comment.deleted_at is None:
        comment.deleted_at = utcnow()
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
        session.flush()
    return comment


# --- Reactions -----------------------------------------------------------------------


def toggle_reaction(
    session: Session,
    *,
    actor: User,
    thread: Thread,
    kind: ReactionKind | str,
    comment: Comment | None = None,
) -> ReactionToggled:
    """Members react to a thread's opening post or to a comment, at most once per kind;
    reacting again takes the reaction back. Deleted and hidden posts take none."""
    actor = _require_member(actor)
    try:
        kind = ReactionKind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in ReactionKind)
        raise InvalidInput(CORRECT_FIELDS, {"kind": [f"Choose one of: {choices}."]}) from None
    if not can_see_thread(actor, thread):
        raise NotFound("That discussion does not exist or was removed.")
    target: Thread | Comment = comment if comment is not None else thread
    if target.deleted_at is not None or target.hidden_at is not None:
        raise Conflict("That post was removed; it can't take reactions.")
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
    return ReactionToggled(kind, active)


# --- Categories (admins) -------------------------------------------------------------


def _clean_category(name: str | None, description: str | None) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    description = " ".join((description or "").split())
    if not name:
        errors["name"] = ["Give the category a name."]
    elif len(name) > CATEGORY_NAME_MAX_LENGTH:
        errors["name"] = [f"Keep the name under {CATEGORY_NAME_MAX_LENGTH} characters."]
    if len(description) > CATEGORY_DESCRIPTION_MAX_LENGTH:
        errors["description"] = [
            f"Keep the description under {CATEGORY_DESCRIPTION_MAX_LENGTH} characters."
        ]
    if errors:
        raise InvalidInput(CORRECT_FIELDS, errors)
    return name, description


def _ordered_categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.position, Category.id)))


def create_category(session: Session, *, actor: User, name: str, description: str = "") -> Category:
    """Admins add categories, at the end of the list; the slug comes from the name and
    must be unused."""
    moderation.require_moderator(actor)
    name, description = _clean_category(name, description)
    slug = slugify(name)[:60]
    if session.scalar(select(Category.id).where(Category.slug == slug)):
        raise Conflict(
            "A category with that address exists.", {"name": ["Choose a different name."]}
        )
    last = session.scalar(select(func.max(Category.position)))
    category = Category(slug=slug, name=name, description=description, position=(last or 0) + 1)
    session.add(category)
    session.flush()
    return category


def update_category(
    session: Session, *, actor: User, category: Category, name: str, description: str
) -> Category:
    """Admins rename and describe categories; the address (slug) stays, so links last."""
    moderation.require_moderator(actor)
    category.name, category.description = _clean_category(name, description)
    session.flush()
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
