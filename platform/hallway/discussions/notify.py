"""Who hears about discussions, and what their notifications say.

Discussions decide the recipients (replies, mentions, watchers; mute, blocks and
visibility) and the wording; ``hallway.notifications`` stores, pushes and mails what
it is given. Notifications quote the post they are about: when the post is edited,
deleted, hidden or restored, ``refresh_excerpts`` makes them follow it.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_request_context
from flask_babel import gettext, lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core.markdown import render_plain_excerpt
from hallway.core.tasks import enqueue, job
from hallway.db import db
from hallway.discussions import links, subscriptions
from hallway.discussions.models import Comment, Thread
from hallway.discussions.subscriptions import SubscriptionLevel
from hallway.moderation import service as moderation
from hallway.notifications import service as notifications
from hallway.notifications.kinds import register_kind
from hallway.notifications.models import Notification

REPLY = "reply"
MENTION = "mention"
WATCHED_ACTIVITY = "watched_activity"

#: Most specific first: a member who is both replied to and mentioned gets a reply.
KIND_PRECEDENCE = (REPLY, MENTION, WATCHED_ACTIVITY)
_RANK = {kind: rank for rank, kind in enumerate(KIND_PRECEDENCE)}

EXCERPT_LENGTH = 200
TITLE_LENGTH = 120


def register_notification_kinds() -> None:
    """The kinds discussions send (called from ``discussions.init_app``)."""
    register_kind(
        REPLY,
        label=lazy_gettext("Replies to you"),
        email_preference="email_on_reply",
        email_reason=lazy_gettext("You get these emails about replies to you on Hallway."),
    )
    register_kind(
        MENTION,
        label=lazy_gettext("Mentions of you"),
        email_preference="email_on_mention",
        email_reason=lazy_gettext("You get these emails about mentions of you on Hallway."),
    )
    register_kind(
        WATCHED_ACTIVITY,
        label=lazy_gettext("New posts in discussions and categories you watch"),
    )


# --- Links -----------------------------------------------------------------------------


def post_path(thread: Thread, comment: Comment | None = None) -> str:
    """The permalink of a thread, or of one comment.

    Works outside requests too (CLI, background jobs): URLs here are site paths.
    """
    if not has_request_context():
        with current_app.test_request_context():
            return post_path(thread, comment)
    if comment is not None:
        return links.comment_permalink(comment, thread)
    return links.thread_path(thread)


# --- Who hears about a new post -------------------------------------------------------------


def notify_new_post(
    session: Session,
    *,
    post: Thread | Comment,
    mentioned_user_ids: set[int],
    as_of: datetime | None = None,
    author_watches: bool = True,
) -> list[Notification]:
    """Notify the people a new thread or comment concerns; one notice each, at most.

    - A comment notifies the author of the comment it answers (or of the thread, for a
      top-level comment) with ``reply``; mentioned members with ``mention``; members
      watching the thread or its category with ``watched_activity``. A new thread
      notifies its category's watchers and the members it mentions.
    - The most specific kind wins: reply, then mention, then watched_activity.
    - Never the author; never a member who muted the thread or category (the thread
      level beats the category level, and mute beats watch), who blocked the author,
      or who can't see the post.
    - The author starts watching a thread they start or reply to, unless they chose
      a level for it before.

    ``as_of`` (history: the demo seed) dates the notices then and pushes and mails
    nothing; otherwise they reach open pages and inboxes once the post is committed.
    ``author_watches=False`` when the author's watch was already taken care of
    (``notify_new_comment_later``).
    """
    if isinstance(post, Comment):
        comment: Comment | None = post
        thread = session.get(Thread, post.thread_id)
    else:
        comment, thread = None, post
    if thread is None:
        return []
    actor_id = post.author_id
    if actor_id is not None and author_watches:
        subscriptions.watch_unless_chosen(session, actor_id, thread.id)
    if any((post.hidden_at, post.deleted_at, thread.hidden_at, thread.deleted_at)):
        return []

    thread_levels, category_levels = subscriptions.levels_for_thread(session, thread)

    def level_of(user_id: int) -> SubscriptionLevel:
        return (
            thread_levels.get(user_id) or category_levels.get(user_id) or SubscriptionLevel.normal
        )

    wanted: dict[int, str] = {}

    def offer(user_id: int | None, kind: str) -> None:
        if user_id is None:
            return
        if user_id not in wanted or _RANK[kind] < _RANK[wanted[user_id]]:
            wanted[user_id] = kind

    for user_id in {*thread_levels, *category_levels}:
        if level_of(user_id) is SubscriptionLevel.watching:
            offer(user_id, WATCHED_ACTIVITY)
    for user_id in mentioned_user_ids:
        offer(user_id, MENTION)
    if comment is not None:
        offer(_replied_to_author(session, comment, thread), REPLY)

    if actor_id is not None:
        wanted.pop(actor_id, None)
    for user_id in list(wanted):
        if level_of(user_id) is SubscriptionLevel.muted:
            del wanted[user_id]
    if actor_id is not None:
        for user_id in moderation.blockers_of(session, actor_id, wanted):
            del wanted[user_id]
    if not wanted:
        return []

    actor = session.get(User, actor_id) if actor_id is not None else None
    is_comment = comment is not None
    return notifications.notify(
        session,
        recipients=wanted,
        actor_id=actor_id,
        subject_type="comment" if is_comment else "thread",
        subject_id=post.id,
        url=post_path(thread, comment),
        # Written in each recipient's language (notifications.service.notify).
        summary=lambda kind: _summary(kind, actor, thread, is_comment=is_comment),
        excerpt=_excerpt(post),
        created_at=as_of,
        deliver=as_of is None,
    )


def notify_new_comment_later(
    session: Session, *, comment: Comment, mentioned_user_ids: set[int]
) -> None:
    """Notify about a new comment from the task queue, once it is committed.

    The same notices as ``notify_new_post`` (which the job calls), but worked out,
    stored, pushed and mailed in a job: the poster's request only records the job, so
    it answers sooner and the comment reaches open pages first. A rolled-back comment
    queues nothing. The author's watch is part of the poster's own change and stays
    in the request (their page shows it at once).
    """
    if comment.author_id is not None:
        subscriptions.watch_unless_chosen(session, comment.author_id, comment.thread_id)
    enqueue(session, deliver_comment_notices, comment.id, sorted(mentioned_user_ids))


@job()
def deliver_comment_notices(comment_id: int, mentioned_user_ids: list[int]) -> None:
    """The job behind ``notify_new_comment_later``. The comment's state when the job
    runs decides: one deleted or hidden meanwhile notifies nobody."""
    session = db.session
    comment = session.get(Comment, comment_id)
    if comment is None:
        return
    notify_new_post(
        session, post=comment, mentioned_user_ids=set(mentioned_user_ids), author_watches=False
    )


def _replied_to_author(session: Session, comment: Comment, thread: Thread) -> int | None:
    if comment.parent_id is None:
        return thread.author_id
    return session.scalar(select(Comment.author_id).where(Comment.id == comment.parent_id))


def _summary(kind: str, actor: User | None, thread: Thread, *, is_comment: bool) -> str:
    """One line, in the language of the locale in force (the recipient's)."""
    who = actor.display_name if actor is not None else gettext("A former member")
    title = thread.title if len(thread.title) <= TITLE_LENGTH else thread.title[:TITLE_LENGTH] + "…"
    if kind == REPLY:
        return gettext("%(who)s replied to you in “%(title)s”", who=who, title=title)
    if kind == MENTION:
        return gettext("%(who)s mentioned you in “%(title)s”", who=who, title=title)
    if is_comment:
        return gettext("%(who)s replied in “%(title)s”", who=who, title=title)
    if thread.category is None:
        return gettext("%(who)s started “%(title)s” in a category you watch", who=who, title=title)
    return gettext(
        "%(who)s started “%(title)s” in %(category)s",
        who=who,
        title=title,
        category=thread.category.name,
    )


def _excerpt(post: Thread | Comment) -> str:
    return render_plain_excerpt(post.body, EXCERPT_LENGTH)


# --- Notifications follow the post they quote ------------------------------------------------


def refresh_excerpts(
    session: Session, post: Thread | Comment, *, with_comments: bool = False
) -> None:
    """Call after a post is edited, deleted, hidden or restored (same transaction).

    Notifications about it quote its current text, or none once members can no longer
    read it (deleted, hidden, or in a thread that is). When a thread is deleted, hidden
    or restored (``with_comments``), its state carries to the notifications about its
    comments too.
    """
    if isinstance(post, Comment):
        thread = session.get(Thread, post.thread_id)
        if thread is not None:
            _follow(session, "comment", post, thread)
        return
    thread = post
    _follow(session, "thread", thread, thread)
    if not with_comments:
        return
    comment_ids = list(session.scalars(select(Comment.id).where(Comment.thread_id == thread.id)))
    if not comment_ids:
        return
    if _removed(thread, thread):
        notifications.update_subject(session, "comment", comment_ids, removed=True)
        return
    notified = notifications.subjects_with_notifications(session, "comment", comment_ids)
    for comment in session.scalars(select(Comment).where(Comment.id.in_(notified))):
        _follow(session, "comment", comment, thread)


def _removed(post: Thread | Comment, thread: Thread) -> bool:
    return any((post.hidden_at, post.deleted_at, thread.hidden_at, thread.deleted_at))


def _follow(session: Session, subject_type: str, post: Thread | Comment, thread: Thread) -> None:
    if _removed(post, thread):
        notifications.update_subject(session, subject_type, post.id, removed=True)
    else:
        notifications.update_subject(
            session, subject_type, post.id, excerpt=_excerpt(post), removed=False
        )
