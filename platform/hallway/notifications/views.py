"""Notification pages: the notification centre, preferences, watch/mute controls."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from hallway.core.errors import InvalidInput, NotFound
from hallway.core.urls import safe_next_path
from hallway.db import db
from hallway.extensions import csrf
from hallway.notifications import service
from hallway.notifications.forms import ActionForm, PreferencesForm, SubscriptionForm
from hallway.notifications.models import SubscriptionLevel

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def notification_helpers() -> dict[str, object]:
    """For every page: the nav's unread count and the watch/mute control's current level.

    Both are functions, so the count query only runs on pages that show it.
    """

    def unread_notification_count() -> int:
        if not current_user.is_authenticated:
            return 0
        try:
            return service.unread_count(db.session, current_user.id)
        except SQLAlchemyError:  # e.g. an error page after a failed transaction
            return 0

    def subscription_level_for(subject_type: str, subject_id: int) -> str:
        if not current_user.is_authenticated:
            return SubscriptionLevel.normal.value
        level = service.subscription_level(db.session, current_user.id, subject_type, subject_id)
        return level.value

    return {
        "unread_notification_count": unread_notification_count,
        "subscription_level_for": subscription_level_for,
        "subscription_levels": list(SubscriptionLevel),
    }


def _page_arg() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get("")
@login_required
def index():
    page = service.list_notifications(db.session, actor=current_user, page=_page_arg())
    return render_template(
        "notifications/index.html",
        page=page,
        unread=service.unread_count(db.session, current_user.id),
        form=ActionForm(),
    )


def _back_to_list():
    form = ActionForm()
    if not form.validate_on_submit():
        raise InvalidInput("That form has expired. Please try again.")
    return redirect(safe_next_path(form.next.data, url_for("notifications.index")))


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    response = _back_to_list()
    service.get_notification(db.session, actor=current_user, notification_id=notification_id)
    service.mark_read(db.session, actor=current_user, notification_ids=[notification_id])
    db.session.commit()
    service.push_unread_count(db.session, current_user.id)
    return response


@bp.post("/read-all")
@login_required
def mark_all_read():
    response = _back_to_list()
    marked = service.mark_all_read(db.session, actor=current_user)
    db.session.commit()
    service.push_unread_count(db.session, current_user.id)
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
        service.update_preferences(
            db.session,
            actor=current_user,
            email_on_reply=form.email_on_reply.data,
            email_on_mention=form.email_on_mention.data,
            digest=form.digest.data,
        )
        db.session.commit()
        flash("Your notification preferences are saved.", "success")
        return redirect(url_for("notifications.preferences"))
    status = 422 if form.is_submitted() else 200
    return render_template("notifications/preferences.html", form=form), status


@bp.post("/subscriptions/<any(thread, category):subject_type>/<int:subject_id>")
@login_required
def set_subscription(subject_type: str, subject_id: int):
    form = SubscriptionForm()
    if not form.validate_on_submit():
        messages = [message for errors in form.errors.values() for message in errors]
        raise InvalidInput(" ".join(messages) or "Choose watching, normal or muted.")
    level = service.set_subscription_level(
        db.session,
        actor=current_user,
        subject_type=subject_type,
        subject_id=subject_id,
        level=form.level.data,
    )
    db.session.commit()
    flash(_level_message(subject_type, level), "success")
    return redirect(safe_next_path(form.next.data, url_for("notifications.index")))


def _level_message(subject_type: str, level: SubscriptionLevel) -> str:
    what = "discussion" if subject_type == "thread" else "category"
    if level is SubscriptionLevel.watching:
        return f"You are watching this {what}: you will hear about every new post."
    if level is SubscriptionLevel.muted:
        return f"You muted this {what}: you will not hear about it."
    return f"You will hear about this {what} only when someone replies to or mentions you."


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
    db.session.commit()
    return render_template("notifications/unsubscribe.html", token=token, done=True)
