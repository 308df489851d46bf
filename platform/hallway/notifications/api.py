"""Notifications JSON API: list, unread count, mark read, email preferences."""

from __future__ import annotations

from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from hallway.db import db
from hallway.notifications import service
from hallway.notifications.schemas import (
    MarkReadResultSchema,
    MarkReadSchema,
    NotificationListArgsSchema,
    NotificationPageSchema,
    PreferencesSchema,
    UnreadCountSchema,
)

bp = Blueprint(
    "notifications_api",
    __name__,
    url_prefix="/notifications",
    description="Your notifications and email preferences",
)


@bp.get("")
@login_required
# webargs drops unknown query arguments unless told otherwise.
@bp.arguments(NotificationListArgsSchema, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, NotificationPageSchema)
def list_notifications(page: int, per_page: int, unread_only: bool):
    """Your notifications, newest first."""
    result = service.list_notifications(
        db.session, actor=current_user, page=page, per_page=per_page, unread_only=unread_only
    )
    return {
        "items": result.items,
        "page": result.page,
        "per_page": result.per_page,
        "total": result.total,
        "pages": result.pages,
        "unread_count": service.unread_count(db.session, current_user.id),
    }


@bp.get("/unread-count")
@login_required
@bp.response(200, UnreadCountSchema)
def unread_count():
    """How many of your notifications are unread."""
    return {"unread_count": service.unread_count(db.session, current_user.id)}


@bp.post("/read")
@login_required
@bp.arguments(MarkReadSchema)
@bp.response(200, MarkReadResultSchema)
def mark_read(data: dict):
    """Mark some notifications (``ids``) or all of them (``all: true``) read."""
    if data.get("all"):
        marked = service.mark_all_read(db.session, actor=current_user)
    else:
        marked = service.mark_read(db.session, actor=current_user, notification_ids=data["ids"])
    return {"marked": marked, "unread_count": service.unread_count(db.session, current_user.id)}


@bp.get("/preferences")
@login_required
@bp.response(200, PreferencesSchema)
def get_preferences():
    """Your email preferences (in-app notifications are always on)."""
    return service.get_preferences(db.session, current_user.id)


@bp.patch("/preferences")
@login_required
@bp.arguments(PreferencesSchema)
@bp.response(200, PreferencesSchema)
def update_preferences(data: dict):
    """Change some of your email preferences; fields left out keep their value."""
    preferences = service.update_preferences(db.session, actor=current_user, **data)
    return preferences
