"""Notification rules: delivering notices features send, read state, emails, digests.

Features decide who hears about what and call ``notify`` inside their transaction
(it adds and flushes). Once the change is committed, each notice is pushed to its
recipient's open pages with their new unread count, and the emails members asked
for go on the task queue; a rolled-back change pushes and mails nothing. Kinds are
registered by features (``hallway.notifications.kinds``); this package never
imports a feature.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext, ngettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import bindparam, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased, joinedload

from hallway.accounts.models import User
from hallway.accounts.service import load_with_user
from hallway.core import mail
from hallway.core.errors import NotFound
from hallway.core.fragment_cache import ContentVersion
from hallway.core.i18n import user_locale
from hallway.core.pagination import Page, clamp, page_of, paginate
from hallway.db import utcnow
from hallway.notifications.kinds import get_kind
from hallway.notifications.models import DigestFrequency, Notification, NotificationPreference
from hallway.notifications.schemas import (
    NotificationExportSchema,
    NotificationPushSchema,
    Pushed,
    UnreadCountSchema,
)
from hallway.realtime import notify as notify_topic
from hallway.realtime import user_topic

PREFERENCES_PATH = "/notifications/preferences"
UNSUBSCRIBE_PATH = "/notifications/unsubscribe"
DIGEST_PERIOD = timedelta(hours=24)
SUMMARY_LENGTH = 300

# --- Content versions ------------------------------------------------------------------------


def version_name(user_id: int) -> str:
    """The content version of one member's notifications (``core.fragment_cache``): the
    centre's cached list is valid while it holds. Every change to the member's notices
    (a new one, read state, a subject's new excerpt, address or removal) bumps it."""
    return f"notifications:{user_id}"


def notices_changed(session: Session, user_ids: Iterable[int]) -> None:
    """Bump the versions of these members' notifications: one statement per 500 members
    (a reply in a watched category notifies many at once). Like ``fragment_cache.bump``,
    an upsert; names in a fixed order, so two writers take the rows' locks alike."""
    names = sorted({version_name(user_id) for user_id in user_ids})
    if not names:
        return
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(names), _BUMPS_PER_STATEMENT):
        rows = [
            {"name": name, "version": 1} for name in names[start : start + _BUMPS_PER_STATEMENT]
        ]
        session.execute(
            insert(ContentVersion)
            .values(rows)
            .on_conflict_do_update(
                index_elements=[ContentVersion.name],
                set_={"version": ContentVersion.version + 1},
            )
            .execution_options(synchronize_session=False)
        )


#: Two bound values a member: well under SQLite's and PostgreSQL's limits on them.
_BUMPS_PER_STATEMENT = 500


# --- Sending ---------------------------------------------------------------------------------


def notify(
    session: Session,
    *,
    recipients: Mapping[int, str],
    actor_id: int | None,
    subject_type: str,
    subject_id: int,
    url: str,
    summary: str | Mapping[str, str] | Callable[[str], str],
    excerpt: str = "",
    created_at: datetime | None = None,
    deliver: bool = True,
) -> list[Notification]:
    """Notify each recipient (``{user_id: kind}``) once about one subject.

    ``summary`` is one line saying what happened, one line per kind, or a function of
    the kind that writes the line: it is called in each recipient's language (their
    preference), so the centre and the email read in it. Kinds must be
    registered (UnknownKind otherwise); recipients whose account is gone are skipped.
    Once the change is committed, each recipient's open pages hear about it with
    their new unread count, and the emails their preferences ask for are queued.
    ``deliver=False`` (history, e.g. the demo seed) only stores the notices.
    """
    for kind in set(recipients.values()):
        get_kind(kind)  # refuses a kind no feature registered
    if not recipients:
        return []
    languages = {
        user_id: language
        for user_id, language in session.execute(
            select(User.id, User.language).where(User.id.in_(list(recipients)))
        )
    }
    now = created_at or utcnow()
    written: dict[tuple[str, str], str] = {}

    def line_for(kind: str, user_id: int) -> str:
        if isinstance(summary, str):
            return summary
        if not callable(summary):
            return summary[kind]
        locale = user_locale(_Language(languages[user_id]))
        if (kind, locale) not in written:
            with force_locale(locale):
                written[kind, locale] = summary(kind)
        return written[kind, locale]

    notifications = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            actor_id=actor_id,
            subject_type=subject_type,
            subject_id=subject_id,
            url=url,
            summary=_clip(line_for(kind, user_id)),
            excerpt=excerpt,
            created_at=now,
        )
        for user_id, kind in sorted(recipients.items())
        if user_id in languages
    ]
    if not notifications:
        return []
    session.add_all(notifications)
    session.flush()
    _forget_unread_at_load(session)
    notices_changed(session, (n.recipient_id for n in notifications))
    if deliver:
        _push(session, notifications)
        mail.queue_emails(session, notification_emails(session, notifications))
    return notifications


@dataclass(frozen=True)
class _Language:
    """What ``i18n.user_locale`` reads, without loading the whole member."""

    language: str | None


def _changed(result: Any) -> int:
    """How many rows an UPDATE changed (a CursorResult's rowcount)."""
    return result.rowcount or 0


def _clip(summary: str) -> str:
    return summary if len(summary) <= SUMMARY_LENGTH else summary[: SUMMARY_LENGTH - 1] + "…"


def _push(session: Session, notifications: list[Notification]) -> None:
    """After the commit: each notice to its recipient's open pages, with their count."""
    counts = _unread_counts(session, {n.recipient_id for n in notifications})
    schema = NotificationPushSchema()
    for notification in notifications:
        payload = schema.dump(Pushed(notification, counts[notification.recipient_id]))
        notify_topic(session, user_topic(notification.recipient_id), "notification", payload)


def update_subject(
    session: Session,
    subject_type: str,
    subject_id: int | Collection[int],
    *,
    excerpt: str | None = None,
    url: str | None = None,
    removed: bool | None = None,
) -> int:
    """Make every notification about a subject follow it: its new excerpt after an edit,
    its new address, or ``removed=True`` when it was deleted or hidden (the text is
    dropped and the centre says it was removed; ``removed=False`` with the excerpt
    brings it back). Fields left as None keep their value. ``subject_id`` may be several
    ids (all of them get the same values). Returns how many changed."""
    values: dict[str, Any] = {}
    if removed is not None:
        values["subject_removed"] = removed
    if removed:
        values["excerpt"] = ""
    elif excerpt is not None:
        values["excerpt"] = excerpt
    if url is not None:
        values["url"] = url
    if not values:
        return 0
    ids = [subject_id] if isinstance(subject_id, int) else list(subject_id)
    if not ids:
        return 0
    notices_changed(
        session,
        session.scalars(
            select(Notification.recipient_id)
            .where(Notification.subject_type == subject_type, Notification.subject_id.in_(ids))
            .distinct()
        ).all(),
    )
    result = session.execute(
        update(Notification)
        .where(Notification.subject_type == subject_type, Notification.subject_id.in_(ids))
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    return _changed(result)


def subjects_with_notifications(
    session: Session, subject_type: str, subject_ids: Collection[int]
) -> set[int]:
    """Which of these subjects some notification is about (one indexed query)."""
    if not subject_ids:
        return set()
    return set(
        session.scalars(
            select(Notification.subject_id)
            .where(
                Notification.subject_type == subject_type,
                Notification.subject_id.in_(list(subject_ids)),
            )
            .distinct()
        )
    )


# --- Reading and read state ------------------------------------------------------------------


#: Every logged-in page's nav shows this count: the statement is built once, not per page.
_UNREAD_COUNT = (
    select(func.count())
    .select_from(Notification)
    .where(Notification.recipient_id == bindparam("user_id"), Notification.read_at.is_(None))
)


def unread_count(session: Session, user_id: int) -> int:
    """How many unread notifications the member has (one indexed count)."""
    return session.scalar(_UNREAD_COUNT, {"user_id": user_id}) or 0


# Every logged-in page shows the reader's unread count in its navigation: it is read in
# the statement that loads the reader (accounts.service.load_with_user), as of the start
# of the request. Writers of read state and new notices forget it (``_forget_unread_at_load``),
# so a page shown after them in the same request counts again.
_UNREAD_AT_LOAD = "hallway.notifications.unread_at_load"


def register_unread_count_with_user() -> None:
    counted = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.recipient_id == User.id, Notification.read_at.is_(None))
        .correlate(User)
        .scalar_subquery()
    )

    def receive(session: Session, user: User, values: tuple[Any, ...]) -> None:
        session.info.setdefault(_UNREAD_AT_LOAD, {})[user.id] = int(values[0] or 0)

    load_with_user("notifications.unread_count", [counted], receive)


def unread_count_at_load(session: Session, user_id: int) -> int | None:
    """The unread count read with the member this request, or None (not read, or changed
    since by this session)."""
    return session.info.get(_UNREAD_AT_LOAD, {}).get(user_id)


def _forget_unread_at_load(session: Session) -> None:
    session.info.pop(_UNREAD_AT_LOAD, None)


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


#: The notification centre's page of rows and their count, built once (building either
#: costs about as much as running it).
_PAGE_ROWS = (
    select(
        Notification.id,
        Notification.actor_id,
        User.display_name.label("actor_name"),
        Notification.url,
        Notification.summary,
        Notification.excerpt,
        Notification.subject_removed,
        Notification.created_at,
        Notification.read_at,
    )
    .outerjoin(User, User.id == Notification.actor_id)
    .where(Notification.recipient_id == bindparam("user_id"))
    .order_by(Notification.created_at.desc(), Notification.id.desc())
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
_PAGE_COUNT = (
    select(func.count())
    .select_from(Notification)
    .where(Notification.recipient_id == bindparam("user_id"))
)


def list_for_page(session: Session, *, actor: User, page: int = 1, per_page: int = 20) -> Page[Any]:
    """``list_notifications`` for the notifications page: rows of only the columns it
    shows (and the actor's name for their avatar), not whole notifications and users."""
    page, per_page = clamp(page, per_page)
    total = session.scalar(_PAGE_COUNT, {"user_id": actor.id}) or 0
    rows = session.execute(
        _PAGE_ROWS, {"user_id": actor.id, "limit": per_page, "offset": (page - 1) * per_page}
    )
    return page_of(list(rows), page=page, per_page=per_page, total=total)


def get_notification(session: Session, *, actor: User, notification_id: int) -> Notification:
    """One of the member's own notifications; someone else's is NotFound."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.recipient_id != actor.id:
        raise NotFound(gettext("That notification does not exist."))
    return notification


def own_notification(session: Session, viewer: Any, notification_id: int) -> Notification:
    """Loader for routes: the viewer's own notification; anyone else's is NotFound."""
    return get_notification(session, actor=viewer, notification_id=notification_id)


def mark_read(session: Session, *, actor: User, notification_ids: Iterable[int]) -> int:
    """Mark some of the member's own notifications read; others' ids are ignored.

    Returns how many changed; the member's other open pages hear the new count.
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
    return _after_reading(session, actor.id, _changed(result))


def mark_all_read(session: Session, *, actor: User) -> int:
    """Mark every unread notification of the member read; returns how many changed."""
    result = session.execute(
        update(Notification)
        .where(Notification.recipient_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return _after_reading(session, actor.id, _changed(result))


def _after_reading(session: Session, user_id: int, marked: int) -> int:
    if marked:
        _forget_unread_at_load(session)
        notices_changed(session, [user_id])
        payload = UnreadCountSchema().dump({"unread_count": unread_count(session, user_id)})
        notify_topic(session, user_topic(user_id), "notifications_read", payload)
    return marked


# --- Emails ----------------------------------------------------------------------------------


def notification_emails(session: Session, notifications: list[Notification]) -> list[mail.Email]:
    """One email per notification whose kind is emailed and whose recipient wants it."""
    emailable = [n for n in notifications if get_kind(n.kind).emailed]
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
        switch = get_kind(notification.kind).email_preference or ""
        if user is not None and getattr(preferences[notification.recipient_id], switch):
            emails.append(notification_email(user, notification))
    return emails


def notification_email(user: User, notification: Notification) -> mail.Email:
    """A plain-text email for one notification, with the way to stop such emails, in
    the member's language."""
    with force_locale(user_locale(user)):
        lines = [
            gettext("%(summary)s:", summary=notification.summary),
            "",
            *_quoted(notification),
            "",
            gettext("Read it and reply: %(url)s", url=mail.external_url(notification.url)),
        ]
        why = str(get_kind(notification.kind).email_reason)
        return _email(user, notification.summary, lines, why)


def _email(user: User, subject: str, lines: list[str], why: str) -> mail.Email:
    """Greeting, the lines, and a footer saying why it came and how to stop it (called
    inside ``force_locale`` of the member's language)."""
    unsubscribe = mail.external_url(f"{UNSUBSCRIBE_PATH}/{unsubscribe_token(user.id)}")
    body = [
        gettext("Hello %(name)s,", name=user.display_name),
        "",
        *lines,
        "",
        "-- ",
        why,
        gettext("Choose which emails you get: %(url)s", url=mail.external_url(PREFERENCES_PATH)),
        gettext("Stop all Hallway emails: %(url)s", url=unsubscribe),
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
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="hallway-unsubscribe")


def stop_all_emails(session: Session, *, user_id: int) -> User:
    """Turn off every email (replies, mentions, events, digest) for the member a link named.

    In-app notifications stay on. NotFound if the account no longer exists.
    """
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(gettext("That unsubscribe link is not valid any more."))
    update_preferences(
        session,
        actor=user,
        email_on_reply=False,
        email_on_mention=False,
        email_on_event=False,
        digest="off",
    )
    return user


def _quoted(notification: Notification) -> list[str]:
    if notification.subject_removed:
        return [gettext("(This post was removed.)")]
    return [f"> {notification.excerpt}"] if notification.excerpt else []


# --- Preferences -----------------------------------------------------------------------------


def _default_preferences(user_id: int) -> NotificationPreference:
    return NotificationPreference(
        user_id=user_id,
        email_on_reply=True,
        email_on_mention=True,
        email_on_event=True,
        digest=DigestFrequency.off,
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
    email_on_event: bool | None = None,
    digest: DigestFrequency | str | None = None,
) -> NotificationPreference:
    """Members choose emails for replies, mentions and the events they go to, and a
    daily digest or none (the
    choices as PreferencesSchema loads them).

    In-app notifications are always on. Fields left as None keep their value.
    """
    preferences = session.get(NotificationPreference, actor.id)
    if preferences is None:
        preferences = _default_preferences(actor.id)
        session.add(preferences)
    if email_on_reply is not None:
        preferences.email_on_reply = bool(email_on_reply)
    if email_on_mention is not None:
        preferences.email_on_mention = bool(email_on_mention)
    if email_on_event is not None:
        preferences.email_on_event = bool(email_on_event)
    if digest is not None:
        preferences.digest = DigestFrequency(digest)
    preferences.updated_at = utcnow()
    session.flush()
    return preferences


# --- The daily digest ------------------------------------------------------------------------


@dataclass
class Digest:
    user: User
    notifications: list[Notification]


def pending_digests(session: Session, *, now: datetime | None = None) -> list[Digest]:
    """Members who chose the daily digest and got none in the last 24 hours, each with
    their unread notifications of the last 24 hours that no digest has included yet.
    Members with none are left out."""
    now = now or utcnow()
    since = now - DIGEST_PERIOD
    earlier = aliased(Notification)
    digested_recently = exists().where(
        earlier.recipient_id == Notification.recipient_id, earlier.digested_at > since
    )
    rows = session.scalars(
        select(Notification)
        .join(NotificationPreference, NotificationPreference.user_id == Notification.recipient_id)
        .options(joinedload(Notification.recipient))
        .where(
            NotificationPreference.digest == DigestFrequency.daily,
            Notification.read_at.is_(None),
            Notification.digested_at.is_(None),
            Notification.created_at > since,
            Notification.created_at <= now,
            ~digested_recently,
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
    """One plain-text email listing the notifications, newest last, in the member's
    language."""
    count = len(digest.notifications)
    with force_locale(user_locale(digest.user)):
        lines = [
            ngettext(
                "Here is what happened on Hallway in the last day (%(num)d unread notification):",
                "Here is what happened on Hallway in the last day (%(num)d unread notifications):",
                count,
            )
        ]
        for notification in digest.notifications:
            lines += ["", f"* {notification.summary}"]
            lines += [f"  {line}" for line in _quoted(notification)]
            lines.append(f"  {mail.external_url(notification.url)}")
        lines += [
            "",
            gettext("All your notifications: %(url)s", url=mail.external_url("/notifications")),
        ]
        subject = ngettext(
            "Your Hallway digest: %(num)d unread notification",
            "Your Hallway digest: %(num)d unread notifications",
            count,
        )
        why = gettext("You get this daily digest because you asked for it on Hallway.")
        return _email(digest.user, subject, lines, why)


def send_due_digests(
    session: Session, *, now: datetime | None = None, dated: datetime | None = None
) -> int:
    """Queue a digest for every member who is due one (see ``pending_digests``).

    Each notification goes into one digest at most and each member gets at most one
    digest per 24 hours, so running it again (every hour, by hand) sends nothing
    twice. The emails go on the task queue after the commit, which retries them.
    ``dated`` (default ``now``) is the time recorded as the digest's: the hourly job
    gives the hour it was due, so the next one is due at the same hour the next day
    however late the worker ran. Returns how many digests were queued.
    """
    now = now or utcnow()
    digests = pending_digests(session, now=now)
    for digest in digests:
        mark_digested(digest, at=dated or now)
    session.flush()
    mail.queue_emails(session, [digest_email(digest) for digest in digests])
    return len(digests)


# --- The member's data download --------------------------------------------------------------


def export_notifications(session: Session, user: User) -> list[dict[str, Any]]:
    """The member's own notifications, oldest first, and whether each was read."""
    rows = session.scalars(
        select(Notification)
        .options(joinedload(Notification.actor))
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at, Notification.id)
    )
    return NotificationExportSchema(many=True).dump(rows)
