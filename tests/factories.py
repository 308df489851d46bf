"""Factories for test data: make_user(...), ... They add and flush, never commit.

Loaded as a pytest plugin by conftest, so fixtures here are available too.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from hallway.accounts import service as accounts_service
from hallway.accounts.models import Role, User
from hallway.core.validation import load_or_refuse
from hallway.db import utcnow
from hallway.discussions import service as discussions_service
from hallway.discussions.models import Category, Comment, Thread
from hallway.discussions.schemas import CommentCreateSchema, ThreadCreateSchema
from hallway.members import service as members_service
from hallway.members.schemas import ProfileUpdateSchema
from hallway.moderation import service as moderation_service
from hallway.moderation.models import Flag
from hallway.notifications.models import Notification

DEFAULT_PASSWORD = "correct horse battery"
_DEFAULT_HASH = generate_password_hash(DEFAULT_PASSWORD)
_sequence = itertools.count(1)


def make_user(
    session: Session,
    *,
    display_name: str | None = None,
    handle: str | None = None,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    role: Role = Role.member,
) -> User:
    number = next(_sequence)
    handle = handle or f"member{number}"
    return accounts_service.sign_up(
        session,
        email=email or f"{handle}@example.org",
        handle=handle,
        display_name=display_name or f"Member {number}",
        password=password,
        password_hash=_DEFAULT_HASH if password == DEFAULT_PASSWORD else None,
        role=role,
    )


def make_category(
    session: Session, *, name: str | None = None, slug: str | None = None, position: int = 0
) -> Category:
    number = next(_sequence)
    category = Category(
        name=name or f"Category {number}",
        slug=slug or f"category-{number}",
        description="",
        position=position,
    )
    session.add(category)
    session.flush()
    return category


def make_thread(
    session: Session,
    *,
    author: User | None = None,
    category: Category | None = None,
    title: str | None = None,
    body: str = "What do you all think?",
    tags: list[str] | None = None,
    at: datetime | None = None,
) -> Thread:
    """A thread as a member would post it (the API's schema loads it, the service makes
    it: rendered body, slug, tags), without notifications."""
    number = next(_sequence)
    values = load_or_refuse(
        ThreadCreateSchema(),
        {
            "category_id": (category or make_category(session)).id,
            "title": title or f"Discussion number {number}",
            "body": body,
            "tags": tags or [],
        },
    )
    posted = discussions_service.start_thread(
        session, actor=author or make_user(session), imported_at=at or utcnow(), **values
    )
    return posted.post


def make_comment(
    session: Session,
    *,
    thread: Thread,
    author: User | None = None,
    parent: Comment | None = None,
    body: str | None = None,
    at: datetime | None = None,
) -> Comment:
    """A reply as a member would post it (the API's schema loads it, the service makes it:
    path, depth, rendered body), without notifications."""
    values = load_or_refuse(
        CommentCreateSchema(),
        {
            "body": body or f"Reply number {next(_sequence)}",
            "parent_id": parent.id if parent else None,
        },
    )
    posted = discussions_service.reply(
        session,
        actor=author or make_user(session),
        thread=thread,
        imported_at=at or utcnow(),
        **values,
    )
    return posted.post


def make_notification(
    session: Session,
    *,
    recipient: User,
    actor: User | None = None,
    kind: str = "reply",
    summary: str | None = None,
    url: str = "/t/1",
    at: datetime | None = None,
    read: bool = False,
) -> Notification:
    """A notification row as notify_new_post would write it, about no real post."""
    created_at = at or utcnow()
    notification = Notification(
        recipient_id=recipient.id,
        actor_id=actor.id if actor else None,
        kind=kind,
        subject_type="thread",
        subject_id=1,
        url=url,
        summary=summary or f"Notification number {next(_sequence)}",
        excerpt="",
        created_at=created_at,
        read_at=created_at if read else None,
    )
    session.add(notification)
    session.flush()
    return notification


def make_flag(
    session: Session, *, reporter: User, post: Thread | Comment, reason: str = "spam"
) -> Flag:
    """An open flag on a thread or comment, made by the moderation service."""
    return moderation_service.flag_post(
        session,
        actor=reporter,
        subject_type="thread" if isinstance(post, Thread) else "comment",
        subject_id=post.id,
        reason=reason,
    )


def make_block(session: Session, *, blocker: User, blocked: User) -> None:
    moderation_service.block_member(session, actor=blocker, handle=blocked.handle)


def make_profile(
    session: Session,
    user: User | None = None,
    *,
    career_stage: str | None = "career",
    visibility: str = "members",
    in_directory: bool = True,
    matchable: bool = False,
    novices_may_request: bool = True,
    show_contact_links: bool = False,
    links: tuple[str, ...] = (),
    **fields: object,
):
    """A member with a saved profile, made like a real edit: through ProfileUpdateSchema
    (which checks and normalises) and the members service.

    ``fields`` are any other ProfileUpdateSchema keys (headline, country, interests...).
    """
    user = user or make_user(session)
    payload = {
        "career_stage": career_stage,
        "privacy": {
            "visibility": visibility,
            "in_directory": in_directory,
            "matchable": matchable,
            "novices_may_request": novices_may_request,
            "show_contact_links": show_contact_links,
        },
        "links": [{"label": "", "url": url} for url in links],
        **fields,
    }
    changes = load_or_refuse(ProfileUpdateSchema(), payload)
    members_service.update_profile(session, user, changes)
    return members_service.skip_welcome(session, user)  # past the first-run flow


def make_picture(fmt: str = "PNG", size: tuple[int, int] = (64, 64)) -> bytes:
    """The bytes of a small, valid picture, made in memory (no binary files in the repo)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (31, 111, 120)).save(buffer, fmt)
    return buffer.getvalue()
