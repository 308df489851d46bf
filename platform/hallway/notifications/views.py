"""Notification pages: the notification centre, email preferences, unsubscribing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from hallway.core.errors import InvalidInput, NotFound
from hallway.core.forms import csrf_token, show_field_errors
from hallway.core.fragment_cache import current_versions, fragments
from hallway.core.i18n import (
    RECENT,
    as_utc,
    current_locale_name,
    time_tag,
    viewer_time_zone_name,
)
from hallway.core.loading import loads
from hallway.core.pagination import page_number
from hallway.core.shell import kept_page
from hallway.core.urls import safe_next_path
from hallway.core.validation import load_or_refuse
from hallway.db import db
from hallway.extensions import csrf
from hallway.notifications import service
from hallway.notifications.forms import ActionForm, PreferencesForm, preferences_values
from hallway.notifications.models import Notification
from hallway.notifications.people import Avatar, avatars_for
from hallway.notifications.schemas import PreferencesSchema

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def unread_badge() -> int | None:
    """The header's unread count (None for visitors, who have no notifications link)."""
    if not current_user.is_authenticated:
        return None
    try:
        return _unread_this_request()
    except SQLAlchemyError:  # e.g. an error page after a failed transaction
        return 0


def _unread_this_request() -> int:
    """The viewer's unread count, counted once per request (the page and the nav share it):
    usually read with the viewer (``service.unread_count_at_load``), else counted."""
    if "unread_notifications" not in g:
        count = service.unread_count_at_load(db.session, current_user.id)
        if count is None:
            count = service.unread_count(db.session, current_user.id)
        g.unread_notifications = count
    return g.unread_notifications


def _page_arg() -> int:
    return request.args.get("page", 1, type=page_number)


def _avatar_html(avatar: Avatar) -> str:
    """A small decorative avatar (the summary beside it names the person)."""
    if avatar.picture:
        return (
            f'<img class="ui-avatar ui-avatar-md" src="{escape(avatar.picture)}" alt="" '
            'width="40" height="40" loading="lazy">'
        )
    colour = f' style="background-color: {escape(avatar.colour)}"' if avatar.colour else ""
    return (
        f'<span class="ui-avatar ui-avatar-md"{colour} aria-hidden="true">'
        f"{escape(avatar.initials)}</span>"
    )


#: The content version the actors' names and avatars follow: the members' directory
#: version, bumped by every change to a name, picture or profile visibility (this package
#: may not import members; a test checks the two names agree).
AVATARS_VERSION = "directory"

#: Where the reader's parts go in a cached list: ``SLOT`` + code + ``SLOT``. Never part of
#: a page (members' texts have it replaced before they go in).
SLOT = "\x00"
_TOKEN_SLOT = f"{SLOT}c{SLOT}"


def _text(value: str) -> Markup:
    return escape(value).replace(SLOT, "\ufffd")


def _time_slot(moment: datetime) -> str:
    """A time for the reader to see: fixed once it is older than what reads as relative
    (``i18n.RECENT``: past that, ``time_tag`` shows the date, which never changes), else
    a slot filled per request ("8 min. ago")."""
    if datetime.now(UTC) - as_utc(moment) >= RECENT:
        return time_tag(moment)
    return f"{SLOT}t{moment.isoformat()}{SLOT}"


def _items_html(notifications: Sequence[Any], back_here: str) -> Markup:
    """The page's notifications, by string formatting (a page of them is the page's
    main cost), with slots for the reader's CSRF token and recent times (``_fill``):
    one address prefix, one return address and one translation of each fixed word for
    every row, and the actors' avatars in one query. Summaries, excerpts and addresses
    are escaped. Unread rows say "New" in words, not only by their colour and bold text."""
    prefix = url_for("notifications.index")
    back = _text(back_here)
    removed_text = escape(gettext("This post was removed."))
    new_text = escape(gettext("New"))
    mark_text = escape(gettext("Mark as read"))
    former = escape(gettext("A former member"))
    actors = {n.actor_id: n.actor_name for n in notifications if n.actor_name is not None}
    faces = {
        user_id: _avatar_html(a).replace(SLOT, "\ufffd")
        for user_id, a in avatars_for(db.session, actors).items()
    }
    nobody = f'<span class="ui-avatar ui-avatar-md" aria-hidden="true" title="{former}">?</span>'
    parts: list[str] = []
    for n in notifications:
        unread = n.read_at is None
        summary = _text(n.summary)
        if n.subject_removed:
            excerpt = f'<p class="notification-excerpt is-removed">{removed_text}</p>'
        elif n.excerpt:
            excerpt = f'<p class="notification-excerpt">{_text(n.excerpt)}</p>'
        else:
            excerpt = ""
        mark = (
            f'<form method="post" action="{prefix}/{n.id}/read">'
            f'<input type="hidden" name="csrf_token" value="{_TOKEN_SLOT}">'
            f'<input type="hidden" name="next" value="{back}">'
            f'<button type="submit" class="btn btn-secondary btn-small">{mark_text}'
            f'<span class="visually-hidden">: {summary}</span></button></form>'
            if unread
            else ""
        )
        new = (
            f'<span class="ui-badge ui-badge-primary unread-marker">{new_text}</span>'
            '<span class="visually-hidden">:</span> '
            if unread
            else ""
        )
        face = faces.get(n.actor_id, nobody) if n.actor_id is not None else nobody
        parts.append(
            f'<li class="list-row notification{" is-unread" if unread else ""}" '
            f'id="notification-{n.id}">{face}<div class="list-row-main">'
            f'<p class="list-row-title notification-summary">{new}'
            f'<a href="{_text(n.url)}">{summary}</a></p>{excerpt}'
            f'<div class="notification-meta">{_time_slot(n.created_at)}{mark}</div></div></li>'
        )
    return Markup("".join(parts))


def _list_html() -> str:
    """The list and its page links, with slots (see ``_fill``)."""
    page = service.list_for_page(db.session, actor=current_user, page=_page_arg())
    return render_template(
        "notifications/_list.html",
        page=page,
        items=_items_html(page.items, request.full_path),
    )


def _fill(html: str, token: str) -> Markup:
    """The cached list with this reader's CSRF token and recent times put in."""
    parts = html.split(SLOT)
    times: dict[str, str] = {}
    for index in range(1, len(parts), 2):
        code = parts[index]
        if code == "c":
            parts[index] = token
        else:
            found = times.get(code)
            if found is None:
                found = times[code] = time_tag(datetime.fromisoformat(code[1:]))
            parts[index] = found
    return Markup("".join(parts))


@bp.get("")
@login_required
def index():
    """The member's notifications. The list is kept as HTML per member, page address,
    language and zone while their notifications' version (and the directory's, for
    names and avatars) holds: a visit reads one row of versions instead of the page of
    notices, their count and their actors."""
    user_id = current_user.id
    # Read before the data (see core.fragment_cache).
    versions = current_versions(db.session, [service.version_name(user_id), AVATARS_VERSION])
    key = (
        "notifications",
        user_id,
        request.full_path,
        current_locale_name(),
        viewer_time_zone_name(),
    )
    html = fragments.get(key, versions)
    if html is None:
        html = _list_html()
        fragments.put(key, versions, html)
    token = csrf_token()
    content = render_template(
        "notifications/_index_body.html",
        listing=_fill(html, token),
        unread=_unread_this_request(),
        csrf=token,  # what ActionForm's hidden field would hold, without building one
    )
    return kept_page(
        "notifications/index.html", title=gettext("Notifications"), content=Markup(content)
    )


def _back_to_list():
    form = ActionForm()
    if not form.validate_on_submit():
        raise InvalidInput(gettext("That form has expired. Please try again."))
    return redirect(safe_next_path(form.next.data, url_for("notifications.index")))


@bp.post("/<int:notification_id>/read")
@login_required
@loads("notification", service.own_notification)
def mark_read(notification: Notification):
    response = _back_to_list()
    service.mark_read(db.session, actor=current_user, notification_ids=[notification.id])
    return response


@bp.post("/read-all")
@login_required
def mark_all_read():
    response = _back_to_list()
    marked = service.mark_all_read(db.session, actor=current_user)
    flash(
        ngettext(
            "Marked %(num)d notification as read.", "Marked %(num)d notifications as read.", marked
        )
        if marked
        else gettext("You have no unread notifications."),
        "success",
    )
    return response


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    stored = service.get_preferences(db.session, current_user.id)
    form = PreferencesForm(
        data={
            "email_on_reply": stored.email_on_reply,
            "email_on_mention": stored.email_on_mention,
            "email_on_event": stored.email_on_event,
            "digest": stored.digest.value,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            values = load_or_refuse(PreferencesSchema(), preferences_values(form))
        except InvalidInput as error:
            show_field_errors(form, error)  # the 422 below rolls back
        else:
            service.update_preferences(db.session, actor=current_user, **values)
            flash(gettext("Your notification preferences are saved."), "success")
            return redirect(url_for("notifications.preferences"))
    status = 422 if form.is_submitted() else 200
    return render_template("notifications/preferences.html", form=form), status


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the credential; mail clients POST it in one click
def unsubscribe(token: str):
    """Stop all emails from a link in an email, without logging in (GET asks first)."""
    user_id = service.user_id_from_unsubscribe_token(token)
    if user_id is None:
        raise NotFound(gettext("That unsubscribe link is not valid."))
    if request.method == "GET":
        return render_template("notifications/unsubscribe.html", token=token)
    service.stop_all_emails(db.session, user_id=user_id)
    return render_template("notifications/unsubscribe.html", token=token, done=True)
