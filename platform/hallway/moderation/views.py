"""Moderation pages: the queue, moderator actions, the audit log, flagging, blocking.

Every rule (who may act, what can be flagged) is checked in the service; the views
commit once and then tell open thread pages about hidden or restored posts.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from hallway.core.errors import Conflict, DomainError, InvalidInput
from hallway.core.forms import show_field_errors
from hallway.core.markdown import render_plain_excerpt
from hallway.core.urls import safe_next_path
from hallway.db import db
from hallway.moderation import service
from hallway.moderation.forms import ActionForm, BlockForm, FlagForm, MoveForm
from hallway.notifications.service import post_path
from hallway.realtime import broadcast

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

POST_TYPES = "<any(thread, comment):subject_type>/<int:subject_id>"


@bp.app_context_processor
def moderation_helpers() -> dict[str, object]:
    """For every page: the moderators' queue size and whether you blocked someone."""

    def moderation_queue_count() -> int:
        if not service.can_moderate(current_user):
            return 0
        try:
            return service.open_flag_count(db.session)
        except SQLAlchemyError:  # e.g. an error page after a failed transaction
            return 0

    def has_blocked(user_id: int) -> bool:
        if not current_user.is_authenticated:
            return False
        return user_id in service.blocked_user_ids(db.session, current_user.id)

    return {
        "can_moderate": lambda: service.can_moderate(current_user),
        "moderation_queue_count": moderation_queue_count,
        "has_blocked": has_blocked,
    }


def _post_url(ref: service.PostRef) -> str:
    return post_path(ref.thread, ref.post if ref.subject_type == "comment" else None)


def _next_or(default: str) -> str:
    return safe_next_path(request.form.get("next"), default)


def _queue():
    return redirect(_next_or(url_for("moderation.queue")))


def _tell_thread(notice: service.ModerationNotice) -> None:
    """After the commit: open pages of the thread drop or bring back the post (ids only)."""
    try:
        broadcast(notice.event, notice.data, to=notice.room)
    except Exception:
        current_app.logger.exception("Could not broadcast %s", notice.event)


# --- The queue and moderator actions --------------------------------------------------------


@bp.get("")
@login_required
def queue():
    groups = service.moderation_queue(db.session, actor=current_user)
    return render_template(
        "moderation/queue.html",
        groups=groups,
        categories=service.categories(db.session),
        post_url=_post_url,
        excerpt=render_plain_excerpt,
        form=ActionForm(),
    )


@bp.post(f"/posts/{POST_TYPES}/<any(hide, restore):action>")
@login_required
def visibility(subject_type: str, subject_id: int, action: str):
    """Hide a post from members, or show it again."""
    post = {"subject_type": subject_type, "subject_id": subject_id}
    if action == "hide":
        note = request.form.get("note", "")
        notice = service.hide_post(db.session, actor=current_user, note=note, **post)
    else:
        notice = service.restore_post(db.session, actor=current_user, **post)
    db.session.commit()
    _tell_thread(notice)
    flash(
        "The post is hidden from members." if action == "hide" else "The post is visible again.",
        "success",
    )
    return _queue()


@bp.post(f"/posts/{POST_TYPES}/dismiss")
@login_required
def dismiss(subject_type: str, subject_id: int):
    closed = service.dismiss_flags(
        db.session, actor=current_user, subject_type=subject_type, subject_id=subject_id
    )
    db.session.commit()
    flash(f"Dismissed {closed} flag{'s' if closed != 1 else ''}; the post stays.", "success")
    return _queue()


@bp.post("/threads/<int:thread_id>/<any(lock, unlock):action>")
@login_required
def lock(thread_id: int, action: str):
    service.set_thread_locked(
        db.session, actor=current_user, thread_id=thread_id, locked=action == "lock"
    )
    db.session.commit()
    flash(
        "The discussion is locked: no new replies."
        if action == "lock"
        else "The discussion takes replies again.",
        "success",
    )
    return _queue()


@bp.post("/threads/<int:thread_id>/move")
@login_required
def move(thread_id: int):
    form = MoveForm()
    form.validate_on_submit()
    thread = service.move_thread(
        db.session, actor=current_user, thread_id=thread_id, category_id=form.category_id.data
    )
    db.session.commit()
    flash(f"Moved the discussion to {thread.category.name}.", "success")
    return _queue()


@bp.get("/audit")
@login_required
def audit():
    action = request.args.get("action") or None
    page = service.audit_entries(
        db.session,
        actor=current_user,
        action=action,
        page=request.args.get("page", 1, type=int) or 1,
    )
    return render_template(
        "moderation/audit.html",
        page=page,
        action=action,
        actions=service.audit_actions(db.session),
    )


# --- Members: flagging and blocking ---------------------------------------------------------


@bp.route(f"/flag/{POST_TYPES}", methods=["GET", "POST"])
@login_required
def flag(subject_type: str, subject_id: int):
    ref = service.find_visible_post(db.session, current_user, subject_type, subject_id)
    form = FlagForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            service.flag_post(
                db.session,
                actor=current_user,
                subject_type=subject_type,
                subject_id=subject_id,
                reason=form.reason.data,
                note=form.note.data or "",
            )
        except (InvalidInput, Conflict) as error:
            db.session.rollback()
            show_field_errors(form, error)
        else:
            db.session.commit()
            flash("Thank you. A moderator will look at it.", "success")
            return redirect(safe_next_path(form.next.data, _post_url(ref)))
    already = service.has_open_flag(
        db.session, actor=current_user, subject_type=subject_type, subject_id=subject_id
    )
    status = 422 if form.is_submitted() else 200
    return (
        render_template(
            "moderation/flag.html",
            form=form,
            ref=ref,
            post_url=_post_url(ref),
            already=already,
            excerpt=render_plain_excerpt(ref.post.body, 300),
        ),
        status,
    )


@bp.route("/blocks", methods=["GET", "POST"])
@login_required
def blocks():
    form = BlockForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            blocked = service.block_member(db.session, actor=current_user, handle=form.handle.data)
        except DomainError as error:
            db.session.rollback()
            show_field_errors(form, error)
        else:
            db.session.commit()
            flash(
                f"You blocked {blocked.display_name}. Their posts are collapsed for you and "
                "they no longer notify you.",
                "success",
            )
            return redirect(safe_next_path(form.next.data, url_for("moderation.blocks")))
    status = 422 if form.is_submitted() else 200
    return (
        render_template(
            "moderation/blocks.html",
            form=form,
            blocks=service.blocks_of(db.session, actor=current_user),
            action_form=ActionForm(),
        ),
        status,
    )


@bp.post("/blocks/<int:user_id>/unblock")
@login_required
def unblock(user_id: int):
    unblocked = service.unblock_member(db.session, actor=current_user, user_id=user_id)
    db.session.commit()
    flash(f"You unblocked {unblocked.display_name}.", "success")
    return redirect(_next_or(url_for("moderation.blocks")))
