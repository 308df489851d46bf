"""The discussions part of a member's "Download my data": what they wrote and reacted.

Their threads and comments with the Markdown they typed (deleted and hidden ones too:
the rows are still held), and their reactions. Registered in ``init_app``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hallway.core.export import iso
from hallway.discussions.models import Comment, CommentReaction, Thread, ThreadReaction


def _reaction(thread_id: int, comment_id: int | None, kind: Any, at: Any) -> dict[str, Any]:
    return {"thread_id": thread_id, "comment_id": comment_id, "kind": kind.value, "created_at": at}


def member_discussions(session: Session, user: Any) -> dict[str, Any]:
    """The member's threads, comments and reactions, oldest first."""
    threads = session.scalars(
        select(Thread)
        .options(selectinload(Thread.category), selectinload(Thread.tags))
        .where(Thread.author_id == user.id)
        .order_by(Thread.created_at, Thread.id)
    )
    comments = session.execute(
        select(Comment, Thread.title)
        .join(Thread, Thread.id == Comment.thread_id)
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at, Comment.id)
    )
    reactions = [
        _reaction(thread_id, None, kind, at)
        for thread_id, kind, at in session.execute(
            select(ThreadReaction.thread_id, ThreadReaction.kind, ThreadReaction.created_at).where(
                ThreadReaction.user_id == user.id
            )
        )
    ] + [
        _reaction(thread_id, comment_id, kind, at)
        for comment_id, thread_id, kind, at in session.execute(
            select(
                CommentReaction.comment_id,
                Comment.thread_id,
                CommentReaction.kind,
                CommentReaction.created_at,
            )
            .join(Comment, Comment.id == CommentReaction.comment_id)
            .where(CommentReaction.user_id == user.id)
        )
    ]
    reactions.sort(key=lambda reaction: reaction["created_at"])
    return {
        "threads": [
            {
                "id": thread.id,
                "category": thread.category.name,
                "title": thread.title,
                "body_markdown": thread.body,
                "tags": [tag.name for tag in thread.tags],
                "created_at": iso(thread.created_at),
                "edited_at": iso(thread.edited_at),
                "deleted_at": iso(thread.deleted_at),
                "hidden_by_moderator": thread.hidden_at is not None,
            }
            for thread in threads
        ],
        "comments": [
            {
                "id": comment.id,
                "thread_id": comment.thread_id,
                "thread_title": title,
                "parent_id": comment.parent_id,
                "body_markdown": comment.body,
                "created_at": iso(comment.created_at),
                "edited_at": iso(comment.edited_at),
                "deleted_at": iso(comment.deleted_at),
                "hidden_by_moderator": comment.hidden_at is not None,
            }
            for comment, title in comments
        ],
        "reactions": [
            {**reaction, "created_at": iso(reaction["created_at"])} for reaction in reactions
        ],
    }
