"""Notification rules: who hears about a new post, subscriptions, read state, emails.

``notify_new_post`` runs inside the posting transaction (it only adds and flushes);
the boundary commits and then calls ``push_after_commit`` to push the notices to
open pages and send the emails members asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from hallway.accounts.models import User
from hallway.core.errors import InvalidInput, NotFound
from hallway.core.markdown import render_plain_excerpt
from hallway.core.pagination import Page, paginate
from hallway.db import db, utcnow
from hallway.discussions import links
from hallway.discussions.models import Category, Comment, Thread
from hallway.moderation import service as moderation
from hallway.notifications import mail
from hallway.notifications.models import (
    CategorySubscription,
    DigestFrequency,
    Notification,
    NotificationKind,
    NotificationPreference,
    SubscriptionLevel,
    ThreadSubscription,
)
from hallway.realtime import broadcast, personal_room

PREFERENCES_PATH = "/notifications/preferences"
UNSUBSCRIBE_PATH = "/notifications/unsubscribe"
EXCERPT_LENGTH = 200
TITLE_LENGTH = 120
DIGEST_PERIOD = timedelta(hours=24)

#: Most specific first: a member who is both replied to and mentioned gets a reply.
KIND_PRECEDENCE = (
    NotificationKind.reply,
    NotificationKind.mention,
    NotificationKind.watched_activity,
)
_RANK = {kind: rank for rank, kind in enumerate(KIND_PRECEDENCE)}

_SUBSCRIPTION_KEYS = {ThreadSubscription: "thread_id", CategorySubscription: "category_id"}

SUBJECT_MODELS: dict[str, type[Thread] | type[Category]] = {
    "thread": Thread,
    "category": Category,
}


# --- Links -----------------------------------------------------------------------------


def post_path(thread: Thread, comment: Comment | None = None) -> str:
    """The permalink of a thread, or of one comment (discussions owns the routes).

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
    session: Session, *, post: Thread | Comment, mentioned_user_ids: set[int]
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
    """
    if isinstance(post, Comment):
        comment: Comment | None = post
        thread = session.get(Thread, post.thread_id)
    else:
        comment, thread = None, post
    if thread is None:
        return []
    actor_id = post.author_id
    if actor_id is not None:
        _watch_unless_chosen(session, actor_id, thread.id)
    if any((post.hidden_at, post.deleted_at, thread.hidden_at, thread.deleted_at)):
        return []

    thread_levels = _levels(session, ThreadSubscription, ThreadSubscription.thread_id, thread.id)
    category_levels = _levels(
        session, CategorySubscription, CategorySubscription.category_id, thread.category_id
    )

    def level_of(user_id: int) -> SubscriptionLevel:
        return (
            thread_levels.get(user_id) or category_levels.get(user_id) or SubscriptionLevel.normal
        )

    wanted: dict[int, NotificationKind] = {}

    def offer(user_id: int | None, kind: NotificationKind) -> None:
        if user_id is None:
            return
        if user_id not in wanted or _RANK[kind] < _RANK[wanted[user_id]]:
            wanted[user_id] = kind

    for user_id in {*thread_levels, *category_levels}:
        if level_of(user_id) is SubscriptionLevel.watching:
            offer(user_id, NotificationKind.watched_activity)
    for user_id in mentioned_user_ids:
        offer(user_id, NotificationKind.mention)
    if comment is not None:
        offer(_replied_to_author(session, comment, thread), NotificationKind.reply)

    if actor_id is not None:
        wanted.pop(actor_id, None)
    for user_id in list(wanted):
        if level_of(user_id) is SubscriptionLevel.muted:
            del wanted[user_id]
    if actor_id is not None:
        for user_id in moderation.blockers_of(session, actor_id, wanted):
            del wanted[user_id]
    existing = set(session.scalars(select(User.id).where(User.id.in_(wanted)))) if wanted else set()

    actor = session.get(User, actor_id) if actor_id is not None else None
    excerpt = render_plain_excerpt(post.body, EXCERPT_LENGTH)
    url = post_path(thread, comment)
    subject_type, subject_id = ("comment", comment.id) if comment else ("thread", thread.id)
    now = utcnow()
    notifications = [
        Notification(
            recipient_id=user_id,
            kind=kind.value,
            actor_id=actor_id,
            subject_type=subject_type,
            subject_id=subject_id,
            url=url,
            summary=_summary(kind, actor, thread, is_comment=comment is not None),
            excerpt=excerpt,
            created_at=now,
        )
        for user_id, kind in sorted(wanted.items())
        if user_id in existing
    ]
    session.add_all(notifications)
    session.flush()
    return notifications


def _levels(session: Session, model: Any, key: Any, value: int) -> dict[int, SubscriptionLevel]:
    """Every member's explicit level for one thread or category (one query)."""
    rows = session.execute(select(model.user_id, model.level).where(key == value))
    return {user_id: level for user_id, level in rows}


def _replied_to_author(session: Session, comment: Comment, thread: Thread) -> int | None:
    if comment.parent_id is None:
        return thread.author_id
    return session.scalar(select(Comment.author_id).where(Comment.id == comment.parent_id))


def _summary(
    kind: NotificationKind, actor: User | None, thread: Thread, *, is_comment: bool
) -> str:
    who = actor.display_name if actor is not None else "A former member"
    title = thread.title if len(thread.title) <= TITLE_LENGTH else thread.title[:TITLE_LENGTH] + "…"
    if kind is NotificationKind.reply:
        return f"{who} replied to you in “{title}”"
    if kind is NotificationKind.mention:
        return f"{who} mentioned you in “{title}”"
    if is_comment:
        return f"{who} replied in “{title}”"
    category = thread.category.name if thread.category is not None else "a category you watch"
    return f"{who} started “{title}” in {category}"


# --- Subscriptions ---------------------------------------------------------------------------


def _watch_unless_chosen(session: Session, user_id: int, thread_id: int) -> None:
    """Authors watch what they start or reply to, unless they chose a level already."""
    if session.get(ThreadSubscription, (user_id, thread_id)) is None:
        _store_level(session, ThreadSubscription, user_id, thread_id, SubscriptionLevel.watching)


def _store_level(
    session: Session, model: Any, user_id: int, subject_id: int, level: SubscriptionLevel
) -> Any:
    row = session.get(model, (user_id, subject_id))
    if row is None:
        key = {_SUBSCRIPTION_KEYS[model]: subject_id}
        row = model(user_id=user_id, level=level, updated_at=utcnow(), **key)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # a concurrent request stored one first: update that
            row = session.get(model, (user_id, subject_id))
    row.level = level
    session.flush()
    return row


def _parse_level(level: Any) -> SubscriptionLevel:
    try:
        return SubscriptionLevel(level)
    except ValueError:
        choices = ", ".join(each.value for each in SubscriptionLevel)
        raise InvalidInput(
            "Please correct the highlighted fields.", {"level": [f"Choose one of: {choices}."]}
        ) from None


def _visible_subject(session: Session, actor: User, subject_type: str, subject_id: int) -> Any:
    model = SUBJECT_MODELS.get(subject_type)
    subject = session.get(model, subject_id) if model is not None else None
    if subject is None:
        raise NotFound(f"That {subject_type if model else 'subject'} does not exist.")
    if isinstance(subject, Thread) and (subject.deleted_at or subject.hidden_at):
        if not moderation.can_moderate(actor):
            raise NotFound("That discussion does not exist or was removed.")
    return subject


def set_subscription_level(
    session: Session, *, actor: User, subject_type: str, subject_id: int, level: Any
) -> SubscriptionLevel:
    """Members choose how much they hear about a thread or a category they can see:
    watching (every post), normal (replies and mentions) or muted (nothing)."""
    level = _parse_level(level)
    _visible_subject(session, actor, subject_type, subject_id)
    model = ThreadSubscription if subject_type == "thread" else CategorySubscription
    return _store_level(session, model, actor.id, subject_id, level).level


def set_thread_level(session: Session, *, actor: User, thread_id: int, level: Any) -> None:
    """See set_subscription_level."""
    set_subscription_level(
        session, actor=actor, subject_type="thread", subject_id=thread_id, level=level
    )


def watch_thread(session: Session, *, actor: User, thread_id: int) -> None:
    """Hear about every new post in the thread."""
    set_thread_level(session, actor=actor, thread_id=thread_id, level=SubscriptionLevel.watching)


def mute_thread(session: Session, *, actor: User, thread_id: int) -> None:
    """Hear nothing about the thread, not even replies and mentions."""
    set_thread_level(session, actor=actor, thread_id=thread_id, level=SubscriptionLevel.muted)


def set_category_level(session: Session, *, actor: User, category_id: int, level: Any) -> None:
    """See set_subscription_level."""
    set_subscription_level(
        session, actor=actor, subject_type="category", subject_id=category_id, level=level
    )


def watch_category(session: Session, *, actor: User, category_id: int) -> None:
    """Hear about every new thread and post in the category."""
    set_category_level(
        session, actor=actor, category_id=category_id, level=SubscriptionLevel.watching
    )


def mute_category(session: Session, *, actor: User, category_id: int) -> None:
    """Hear nothing about the category's threads (a thread's own level still wins)."""
    set_category_level(session, actor=actor, category_id=category_id, level=SubscriptionLevel.muted)


def subscription_level(
    session: Session, user_id: int, subject_type: str, subject_id: int
) -> SubscriptionLevel:
    """The level a member chose for a thread or category; normal when none."""
    model = ThreadSubscription if subject_type == "thread" else CategorySubscription
    row = session.get(model, (user_id, subject_id))
    return row.level if row is not None else SubscriptionLevel.normal


# --- Reading and read state ------------------------------------------------------------------


def unread_count(session: Session, user_id: int) -> int:
    """How many unread notifications the member has (one indexed count)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def _unread_counts(session: Session, user_ids: set[int]) -> dict[int, int]:
    rows = session.execute(
        select(Notification.recipient_id, func.count())
        .where(Notification.recipient_id.in_(user_ids), Notification.read_at.is_(None))
        .group_by(Notification.recipient_id)
    )
    counts = dict.fromkeys(user_ids, 0)
    counts.update({user_id: count for user_id, count in rows})
    return counts


def list_notifications(
    session: Session,
    *,
    actor: User,
    page: int = 1,
    per_page: int = 20,
    unread_only: bool = False,
) -> Page[Notification]:
    """A member's own notifications, newest first."""
    statement = (
        select(Notification)
        .options(joinedload(Notification.actor))
        .where(Notification.recipient_id == actor.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return paginate(session, statement, page=page, per_page=per_page)


def get_notification(session: Session, *, actor: User, notification_id: int) -> Notification:
    """One of the member's own notifications; someone else's is NotFound."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != actor.id:
        raise NotFound("That notification does not exist.")
    return notification


def mark_read(session: Session, *, actor: User, notification_ids: Iterable[int]) -> int:
    """Mark some of the member's own notifications read; others' ids are ignored.

    Returns how many changed.
    """
    ids = set(notification_ids)
    if not ids:
        return 0
    result = session.execute(
        update(Notification)
        .where(
            Notification.recipient_id == actor.id,
            Notification.id.in_(ids),
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


def mark_all_read(session: Session, *, actor: User) -> int:
    """Mark every unread notification of the member read; returns how many changed."""
    result = session.execute(
        update(Notification)
        .where(Notification.recipient_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


def notification_payload(notification: Notification) -> dict[str, Any]:
    """The rendered fields of a notification, for sockets and the JSON API."""
    actor = notification.actor
    return {
        "id": notification.id,
        "kind": notification.kind,
        "summary": notification.summary,
        "excerpt": notification.excerpt,
        "url": notification.url,
        "actor": (
            {"id": actor.id, "handle": actor.handle, "display_name": actor.display_name}
            if actor is not None
            else None
        ),
        "subject_type": notification.subject_type,
        "subject_id": notification.subject_id,
        "created_at": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
    }


def push_unread_count(session: Session, user_id: int) -> None:
    """After the commit: tell the member's open pages their new unread count."""
    _safely_broadcast(
        "notifications_read", {"unread_count": unread_count(session, user_id)}, user_id
    )


def _safely_broadcast(event: str, data: dict[str, Any], user_id: int) -> None:
    try:
        broadcast(event, data, to=personal_room(user_id))
    except Exception:  # the change is committed; a lost notice must not fail the request
        current_app.logger.exception("Could not push %s to member %s", event, user_id)


# --- After the commit: push and email --------------------------------------------------------


def push_after_commit(notifications: list[Notification]) -> None:
    """Push each committed notification to its recipient's open pages, with their new
    unread count, then queue the emails their preferences ask for."""
    if not notifications:
        return
    session = db.session
    counts = _unread_counts(session, {n.recipient_id for n in notifications})
    for notification in notifications:
        payload = notification_payload(notification)
        payload["unread_count"] = counts[notification.recipient_id]
        _safely_broadcast("notification", payload, notification.recipient_id)
    try:
        mail.send_emails(notification_emails(session, notifications))
    except Exception:
        current_app.logger.exception("Could not queue notification emails")


EMAIL_PREFERENCE = {
    NotificationKind.reply.value: "email_on_reply",
    NotificationKind.mention.value: "email_on_mention",
}


def notification_emails(session: Session, notifications: list[Notification]) -> list[mail.Email]:
    """One email per reply or mention whose recipient wants those by email."""
    emailable = [n for n in notifications if n.kind in EMAIL_PREFERENCE]
    if not emailable:
        return []
    recipient_ids = {n.recipient_id for n in emailable}
    preferences = _preferences_of(session, recipient_ids)
    recipients = {
        user.id: user for user in session.scalars(select(User).where(User.id.in_(recipient_ids)))
    }
    emails = []
    for notification in emailable:
        user = recipients.get(notification.recipient_id)
        wants = getattr(preferences[notification.recipient_id], EMAIL_PREFERENCE[notification.kind])
        if user is not None and wants:
            emails.append(notification_email(user, notification))
    return emails


def notification_email(user: User, notification: Notification) -> mail.Email:
    """A plain-text email for one notification, with the way to stop such emails."""
    reason = "replies to you" if notification.kind == NotificationKind.reply else "mentions of you"
    lines = [
        f"{notification.summary}:",
        "",
        *_quoted(notification.excerpt),
        "",
        f"Read it and reply: {mail.external_url(notification.url)}",
    ]
    why = f"You get these emails about {reason} on Hallway."
    return _email(user, notification.summary, lines, why)


def _email(user: User, subject: str, lines: list[str], why: str) -> mail.Email:
    """Greeting, the lines, and a footer saying why it came and how to stop it."""
    unsubscribe = mail.external_url(f"{UNSUBSCRIBE_PATH}/{unsubscribe_token(user.id)}")
    body = [
        f"Hello {user.display_name},",
        "",
        *lines,
        "",
        "-- ",
        why,
        f"Choose which emails you get: {mail.external_url(PREFERENCES_PATH)}",
        f"Stop all Hallway emails: {unsubscribe}",
    ]
    return mail.Email(
        to=user.email, subject=subject, body="\n".join(body), unsubscribe_url=unsubscribe
    )


def unsubscribe_token(user_id: int) -> str:
    """A signed token naming the member, for the link that stops emails without a login."""
    return _unsubscribe_serializer().dumps(user_id)


def user_id_from_unsubscribe_token(token: str) -> int | None:
    """The member a token names, or None when it was not made by us."""
    try:
        user_id = _unsubscribe_serializer().loads(token)
    except BadSignature:
        return None
    return user_id if isinstance(user_id, int) else None


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="hallway-unsubscribe")


def stop_all_emails(session: Session, *, user_id: int) -> User:
    """Turn off every email (replies, mentions, digest) for the member a link named.

    In-app notifications stay on. NotFound if the account no longer exists.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("That unsubscribe link is not valid any more.")
    update_preferences(
        session, actor=user, email_on_reply=False, email_on_mention=False, digest="off"
    )
    return user


def _quoted(text: str) -> list[str]:
    return [f"> {text}"] if text else []


# --- Preferences -----------------------------------------------------------------------------


def _default_preferences(user_id: int) -> NotificationPreference:
    return NotificationPreference(
        user_id=user_id, email_on_reply=True, email_on_mention=True, digest=DigestFrequency.off
    )


def _preferences_of(session: Session, user_ids: set[int]) -> dict[int, NotificationPreference]:
    stored = {
        row.user_id: row
        for row in session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id.in_(user_ids))
        )
    }
    return {user_id: stored.get(user_id) or _default_preferences(user_id) for user_id in user_ids}


def get_preferences(session: Session, user_id: int) -> NotificationPreference:
    """The member's preferences; the defaults (not stored) when they never chose."""
    return session.get(NotificationPreference, user_id) or _default_preferences(user_id)


def update_preferences(
    session: Session,
    *,
    actor: User,
    email_on_reply: bool | None = None,
    email_on_mention: bool | None = None,
    digest: Any = None,
) -> NotificationPreference:
    """Members choose emails for replies and mentions, and a daily digest or none.

    In-app notifications are always on. Fields left as None keep their value.
    """
    if digest is not None:
        try:
            digest = DigestFrequency(digest)
        except ValueError:
            raise InvalidInput(
                "Please correct the highlighted fields.", {"digest": ["Choose off or daily."]}
            ) from None
    preferences = session.get(NotificationPreference, actor.id)
    if preferences is None:
        preferences = _default_preferences(actor.id)
        session.add(preferences)
    if email_on_reply is not None:
        preferences.email_on_reply = bool(email_on_reply)
    if email_on_mention is not None:
        preferences.email_on_mention = bool(email_on_mention)
    if digest is not None:
        preferences.digest = digest
    preferences.updated_at = utcnow()
    session.flush()
    return preferences


# --- The daily digest ------------------------------------------------------------------------


@dataclass
class Digest:
    user: User
    notifications: list[Notification]


def pending_digests(session: Session, *, now: datetime | None = None) -> list[Digest]:
    """Members who chose the daily digest, each with their unread notifications of the
    last 24 hours that no digest has included yet. Members with none are left out."""
    now = now or utcnow()
    rows = session.scalars(
        select(Notification)
        .join(NotificationPreference, NotificationPreference.user_id == Notification.recipient_id)
        .options(joinedload(Notification.recipient))
        .where(
            NotificationPreference.digest == DigestFrequency.daily,
            Notification.read_at.is_(None),
            Notification.digested_at.is_(None),
            Notification.created_at > now - DIGEST_PERIOD,
            Notification.created_at <= now,
        )
        .order_by(Notification.recipient_id, Notification.created_at, Notification.id)
    )
    digests: dict[int, Digest] = {}
    for notification in rows:
        digest = digests.setdefault(notification.recipient_id, Digest(notification.recipient, []))
        digest.notifications.append(notification)
    return list(digests.values())


def mark_digested(digest: Digest, *, at: datetime | None) -> None:
    """Record that a digest included these notifications (None undoes it)."""
    for notification in digest.notifications:
        notification.digested_at = at


def digest_email(digest: Digest) -> mail.Email:
    """One plain-text email listing the notifications, newest last."""
    count = len(digest.notifications)
    lines = [
        f"Here is what happened on Hallway in the last day ({count} unread "
        f"notification{'s' if count != 1 else ''}):"
    ]
    for notification in digest.notifications:
        lines += ["", f"* {notification.summary}"]
        lines += [f"  {line}" for line in _quoted(notification.excerpt)]
        lines.append(f"  {mail.external_url(notification.url)}")
    lines += ["", f"All your notifications: {mail.external_url('/notifications')}"]
    subject = f"Your Hallway digest: {count} unread notification{'s' if count != 1 else ''}"
    why = "You get this daily digest because you asked for it on Hallway."
    return _email(digest.user, subject, lines, why)
