"""Moderation pages: the queue, moderator actions, the audit log, flagging, blocking.

Every rule (who may act, what can be flagged) is checked in the service; the request
boundary commits, and the feature that owns a hidden or restored post tells its open
pages after the commit. Actions on one feature's rows (locking or moving a thread)
are that feature's own routes.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from hallway.core.errors import Conflict, DomainError, InvalidInput
from hallway.core.forms import show_field_errors
from hallway.core.markdown import render_plain_excerpt
from hallway.core.pagination import page_number
from hallway.core.urls import safe_next_path
from hallway.core.validation import load_or_refuse
from hallway.db import db
from hallway.moderation import service, subjects
from hallway.moderation.forms import ActionForm, BlockForm, FlagForm, block_values, flag_values
from hallway.moderation.schemas import BlockSchema, FlagSchema

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

#: Any registered subject type; an unknown one is a 404 from the registry.
SUBJECT = "<subject_type>/<int:subject_id>"


def flagged_badge() -> int | None:
    """The header's count of open flags (None for members who do not moderate)."""
    if not service.can_moderate(current_user):
        return None
    try:
        return service.open_flag_count(db.session)
    except SQLAlchemyError:  # e.g. an error page after a failed transaction
        return 0


@bp.app_context_processor
def moderation_helpers() -> dict[str, object]:
    """For every page: whether the reader moderates, whether they blocked someone."""

    def posting_allowance() -> service.PostingAllowance | None:
        """The logged-in new member's allowance, once per request (None: not limited)."""
        if not current_user.is_authenticated:
            return None
        if "posting_allowance" not in g:
            g.posting_allowance = service.posting_allowance(db.session, current_user)
        return g.posting_allowance

    def has_blocked(user_id: int) -> bool:
        if not current_user.is_authenticated:
            return False
        return user_id in service.blocked_user_ids(db.session, current_user.id)

    return {
        "can_moderate": lambda: service.can_moderate(current_user),
        "has_blocked": has_blocked,
        "posting_allowance": posting_allowance,
        "subject_label": subjects.label_of,
    }


def _next_or(default: str) -> str:
    return safe_next_path(request.form.get("next"), default)


def _queue():
    return redirect(_next_or(url_for("moderation.queue")))


# --- The queue and moderator actions --------------------------------------------------------


@bp.get("")
@login_required
def queue():
    groups = service.moderation_queue(db.session, actor=current_user)
    return render_template(
        "moderation/queue.html", groups=groups, excerpt=render_plain_excerpt, form=ActionForm()
    )


@bp.post(f"/posts/{SUBJECT}/<any(hide, restore):action>")
@login_required
def visibility(subject_type: str, subject_id: int, action: str):
    """Hide a post from members, or show it again."""
    if action == "hide":
        service.hide_post(
            db.session,
            actor=current_user,
            subject_type=subject_type,
            subject_id=subject_id,
            note=request.form.get("note", ""),
        )
        flash(gettext("The post is hidden from members."), "success")
    else:
        service.restore_post(
            db.session, actor=current_user, subject_type=subject_type, subject_id=subject_id
        )
        flash(gettext("The post is visible again."), "success")
    return _queue()


@bp.post(f"/posts/{SUBJECT}/dismiss")
@login_required
def dismiss(subject_type: str, subject_id: int):
    closed = service.dismiss_flags(
        db.session, actor=current_user, subject_type=subject_type, subject_id=subject_id
    )
    flash(
        ngettext(
            "Dismissed %(num)d flag; the post stays.",
            "Dismissed %(num)d flags; the post stays.",
            closed,
        ),
        "success",
    )
    return _queue()


@bp.get("/audit")
@login_required
def audit():
    action = request.args.get("action") or None
    page = service.audit_entries(
        db.session,
        actor=current_user,
        action=action,
        page=request.args.get("page", 1, type=page_number),
    )
    return render_template(
        "moderation/audit.html",
        page=page,
        action=action,
        actions=service.audit_actions(db.session),
        action_label=service.audit_action_label,
        detail_label=service.audit_detail_label,
    )


# --- Members: flagging and blocking ---------------------------------------------------------


@bp.route(f"/flag/{SUBJECT}", methods=["GET", "POST"])
@login_required
def flag(subject_type: str, subject_id: int):
    subject = service.find_visible_subject(db.session, current_user, subject_type, subject_id)
    form = FlagForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            service.flag_post(
                db.session,
                actor=current_user,
                subject_type=subject_type,
                subject_id=subject_id,
                **load_or_refuse(FlagSchema(), flag_values(form)),
            )
        except (InvalidInput, Conflict) as error:
            show_field_errors(form, error)  # the 422 below rolls back
        else:
            flash(gettext("Thank you. A moderator will look at it."), "success")
            return redirect(safe_next_path(form.next.data, subject.url))
    already = service.has_open_flag(
        db.session, actor=current_user, subject_type=subject_type, subject_id=subject_id
    )
    status = 422 if form.is_submitted() else 200
    return (
        render_template(
            "moderation/flag.html",
            form=form,
            subject=subject,
            already=already,
            excerpt=render_plain_excerpt(subject.text, 300),
        ),
        status,
    )


@bp.route("/blocks", methods=["GET", "POST"])
@login_required
def blocks():
    form = BlockForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            values = load_or_refuse(BlockSchema(), block_values(form))
            blocked = service.block_member(db.session, actor=current_user, **values)
        except DomainError as error:
            show_field_errors(form, error)  # the 422 below rolls back
        else:
            flash(
                gettext(
                    "You blocked %(name)s. Their posts are collapsed for you and they no "
                    "longer notify you.",
                    name=blocked.display_name,
                ),
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
    flash(gettext("You unblocked %(name)s.", name=unblocked.display_name), "success")
    return redirect(_next_or(url_for("moderation.blocks")))
