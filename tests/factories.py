"""Factories for test data: make_user(...), ... They add and flush, never commit.

Loaded as a pytest plugin by conftest, so fixtures here are available too.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import insert, update
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from hallway.accounts import service as accounts_service
from hallway.accounts.models import Role, User
from hallway.core.validation import load_or_refuse
from hallway.db import utcnow
from hallway.discussions import fragments
from hallway.discussions import service as discussions_service
from hallway.discussions.models import Category, Comment, Thread
from hallway.discussions.schemas import CommentCreateSchema, ThreadCreateSchema
from hallway.discussions.text import child_path
from hallway.members import service as members_service
from hallway.members.schemas import ProfileUpdateSchema
from hallway.moderation import service as moderation_service
from hallway.moderation.models import Flag
from hallway.notifications import service as notifications_service
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
    notifications_service.notices_changed(session, [recipient.id])  # as the service does
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


def grow_thread(
    session: Session, thread: Thread, count: int, *, authors: list[User], seed: int = 0
) -> list[int]:
    """``count`` comments under ``thread`` the way a busy conversation has them (a third
    start a new branch, the rest answer one of the 60 before them), written in bulk:
    seconds for 2,000, with everything the service stores (depth, path, reply counts,
    the rendered article). Returns their ids in the order they were written, which is
    also their time order."""
    rng = random.Random(seed)
    start = utcnow() - timedelta(days=1)
    parents: list[int | None] = [
        rng.randrange(max(0, index - 60), index) if index and rng.random() > 0.33 else None
        for index in range(count)
    ]
    depths: list[int] = []
    for parent in parents:
        depths.append(0 if parent is None else depths[parent] + 1)
    replies, below = [0] * count, [0] * count
    for index in reversed(range(count)):  # each comment comes after its parent
        if (parent := parents[index]) is not None:
            replies[parent] += 1
            below[parent] += below[index] + 1
    by_depth: dict[int, list[int]] = defaultdict(list)
    for index, depth in enumerate(depths):
        by_depth[depth].append(index)
    ids = [0] * count
    for depth in sorted(by_depth):
        batch = by_depth[depth]
        rows = [
            {
                "thread_id": thread.id,
                "parent_id": ids[parents[index]] if parents[index] is not None else None,
                "author_id": authors[index % len(authors)].id,
                "depth": depth,
                "path": "",
                "body": f"Reply number {index}",
                "body_html": f"<p>Reply number {index}</p>\n",
                "created_at": start + timedelta(seconds=index),
                "reply_count": replies[index],
                "descendant_count": below[index],
            }
            for index in batch
        ]
        made = session.scalars(
            insert(Comment).returning(Comment.id, sort_by_parameter_order=True), rows
        ).all()
        for index, comment_id in zip(batch, made, strict=True):
            ids[index] = comment_id
    paths: list[str] = []
    changes = []
    for index, comment_id in enumerate(ids):
        parent = parents[index]
        paths.append(child_path(paths[parent] if parent is not None else None, comment_id))
        row = SimpleNamespace(
            id=comment_id,
            thread_id=thread.id,
            body_html=f"<p>Reply number {index}</p>\n",
            created_at=start + timedelta(seconds=index),
            edited_at=None,
            deleted_at=None,
        )
        changes.append(
            {"id": comment_id, "path": paths[-1], "rendered_html": fragments.comment_fragment(row)}
        )
    session.execute(update(Comment), changes)
    thread.comment_count += count
    session.flush()
    return ids
