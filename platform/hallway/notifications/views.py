"""Notification pages: the notification centre, email preferences, unsubscribing."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from hallway.core.errors import InvalidInput, NotFound
from hallway.core.forms import show_field_errors
from hallway.core.loading import loads
from hallway.core.pagination import page_number
from hallway.core.urls import safe_next_path
from hallway.core.validation import load_or_refuse
from hallway.db import db
from hallway.extensions import csrf
from hallway.notifications import service
from hallway.notifications.forms import ActionForm, PreferencesForm, preferences_values
from hallway.notifications.models import Notification
from hallway.notifications.schemas import PreferencesSchema

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def notification_helpers() -> dict[str, object]:
    """For every page: the nav's unread count (a function: only pages showing it query)."""

    def unread_notification_count() -> int:
        if not current_user.is_authenticated:
            return 0
        try:
            return _unread_this_request()
        except SQLAlchemyError:  # e.g. an error page after a failed transaction
            return 0

    return {"unread_notification_count": unread_notification_count}


def _unread_this_request() -> int:
    """The viewer's unread count, counted once per request (the page and the nav share it)."""
    if "unread_notifications" not in g:
        g.unread_notifications = service.unread_count(db.session, current_user.id)
    return g.unread_notifications


def _page_arg() -> int:
    return request.args.get("page", 1, type=page_number)


@bp.get("")
@login_required
def index():
    page = service.list_notifications(db.session, actor=current_user, page=_page_arg())
    return render_template(
        "notifications/index.html",
        page=page,
        unread=_unread_this_request(),
        form=ActionForm(),
    )


def _back_to_list():
    form = ActionForm()
    if not form.validate_on_submit():
        raise InvalidInput("That form has expired. Please try again.")
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
        f"Marked {marked} notification{'s' if marked != 1 else ''} as read."
        if marked
        else "You have no unread notifications.",
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
            flash("Your notification preferences are saved.", "success")
            return redirect(url_for("notifications.preferences"))
    status = 422 if form.is_submitted() else 200
    return render_template("notifications/preferences.html", form=form), status


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the credential; mail clients POST it in one click
def unsubscribe(token: str):
    """Stop all emails from a link in an email, without logging in (GET asks first)."""
    user_id = service.user_id_from_unsubscribe_token(token)
    if user_id is None:
        raise NotFound("That unsubscribe link is not valid.")
    if request.method == "GET":
        return render_template("notifications/unsubscribe.html", token=token)
    service.stop_all_emails(db.session, user_id=user_id)
    return render_template("notifications/unsubscribe.html", token=token, done=True)
