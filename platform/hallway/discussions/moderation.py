"""Threads and comments as moderation subjects, and discussions' share of moderation.

Moderation knows nothing of threads: ``register`` (called from ``init_app``) tells it
how to find, describe, hide and restore a "thread" and a "comment", and where
members' posts are counted for the new-member posting limit. Hiding and restoring
are the discussions service's own ``hide_post``/``restore_post``; locking and moving
a thread are discussion actions too (``service.set_locked``, ``service.move_thread``),
offered in the moderators' queue by ``discussions/_moderation_actions.html``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.db import db
from hallway.discussions import links, service
from hallway.discussions.models import Category, Comment, Thread
from hallway.moderation.service import register_posting_source
from hallway.moderation.subjects import Subject, SubjectType, register_subject

ACTIONS_TEMPLATE = "discussions/_moderation_actions.html"


def _describe(subject_type: str, post: Thread | Comment, thread: Thread) -> Subject:
    if isinstance(post, Comment):
        heading = f"Comment in “{thread.title}”"

        def link() -> str:
            return links.comment_permalink(post, thread)
    else:
        heading = f"Discussion “{thread.title}”"

        def link() -> str:
            return links.thread_path(thread)

    badges = []
    if thread.locked_at is not None:
        badges.append("Discussion locked")
    if post.deleted_at is not None:
        badges.append("Deleted by its author")
    gone = (post.deleted_at, post.hidden_at, thread.deleted_at, thread.hidden_at)
    return Subject(
        type=subject_type,
        id=post.id,
        author_id=post.author_id,
        author_name=post.author.display_name if post.author else None,
        heading=heading,
        text=post.body,
        created_at=post.created_at,
        hidden=post.hidden_at is not None,
        visible=not any(gone),
        where=thread.category.name,
        badges=tuple(badges),
        audit_details={"thread_id": thread.id},
        actions_template=ACTIONS_TEMPLATE,
        row=post,
        link=link,
    )


def find_thread(session: Session, thread_id: int) -> Subject | None:
    thread = session.get(Thread, thread_id)
    return _describe("thread", thread, thread) if thread is not None else None


def find_comment(session: Session, comment_id: int) -> Subject | None:
    comment = session.get(Comment, comment_id)
    return _describe("comment", comment, comment.thread) if comment is not None else None


def hide(session: Session, actor: User, subject: Subject) -> None:
    service.hide_post(session, actor=actor, post=subject.row)


def restore(session: Session, actor: User, subject: Subject) -> None:
    service.restore_post(session, actor=actor, post=subject.row)


def thread_of(subject: Subject) -> Thread:
    """The thread a subject is or belongs to (for the queue's lock and move forms)."""
    post = subject.row
    return post if isinstance(post, Thread) else post.thread


def post_times(session: Session, user_id: int, since: datetime) -> Iterable[datetime]:
    """When the member started threads or replied after ``since`` (deleted posts too)."""
    posted = union_all(
        select(Thread.created_at).where(Thread.author_id == user_id, Thread.created_at > since),
        select(Comment.created_at).where(Comment.author_id == user_id, Comment.created_at > since),
    ).subquery()
    return session.scalars(select(posted.c.created_at))


def register(app: Flask) -> None:
    register_subject(
        SubjectType(name="thread", label="discussion", find=find_thread, hide=hide, restore=restore)
    )
    register_subject(
        SubjectType(name="comment", label="comment", find=find_comment, hide=hide, restore=restore)
    )
    register_posting_source("discussions", post_times)

    def categories() -> list[Any]:
        return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))

    app.add_template_global(thread_of, "moderated_thread")
    app.add_template_global(categories, "discussion_categories")
