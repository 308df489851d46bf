"""Matching over JSON: suggestions with their score, factors and reasons; "not for me";
why two members should talk. Thin: the schemas check the input, the matching service
applies the rules, the request commits once.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from hallway.core.errors import InvalidInput
from hallway.core.urls import profile_path
from hallway.db import db
from hallway.events import service as events_service
from hallway.matching.schemas import (
    DismissalSchema,
    DismissInputSchema,
    PairReasonsSchema,
    SuggestionArgsSchema,
    SuggestionListSchema,
    dismissal,
)
from hallway.matching.views import (
    opted_in,
    request_url,
    shown_suggestions,
    why_you_two_should_talk,
)
from hallway.members.schemas import avatar_path

bp = Blueprint(
    "matching_api",
    __name__,
    url_prefix="/matching",
    description='Matching: people to meet and why, and "not for me"',
)


def _viewer() -> Any:
    return current_user._get_current_object()


def _matching() -> Any:
    from hallway.matching import service

    return service


@bp.get("/suggestions")
@login_required
@bp.arguments(SuggestionArgsSchema, location="query")
@bp.response(200, SuggestionListSchema)
def suggestions(args: dict[str, Any]):
    """People to meet, best first, each with its score, the score's factors and the
    reasons in plain words. ``event_id``: only people going to that event. Empty (with
    ``opted_in`` false) until the viewer opts in to matching on their profile."""
    session = db.session
    viewer = _viewer()
    event_id = args.get("event_id")
    if event_id is not None:
        events_service.visible_event(session, viewer, event_id)  # 404 when hidden
    is_opted_in = opted_in(session, viewer)
    shown = []
    if is_opted_in:
        found = _matching().suggestions(session, viewer, event_id=event_id, limit=args["limit"])
        shown = shown_suggestions(session, viewer, found)
    return {
        "event_id": event_id,
        "opted_in": is_opted_in,
        "suggestions": [
            {
                "user_id": item.user.id,
                "handle": item.user.handle,
                "name": item.user.display_name,
                "career_stage": item.profile.career_stage,
                "role": item.profile.role,
                "organisation": item.profile.organisation,
                "avatar_url": avatar_path(item.view),
                "profile_url": profile_path(item.user.handle),
                "request_url": request_url(item.user.id, event_id),
                "score": round(item.score, 4),
                "factors": {key: round(float(value), 4) for key, value in item.factors.items()},
                "reasons": item.reasons,
            }
            for item in shown
        ],
    }


@bp.post("/dismissals")
@login_required
@bp.arguments(DismissInputSchema)
@bp.response(201, DismissalSchema)
def dismiss(data: dict[str, Any]):
    """ "Not for me": this person is no longer suggested (optional ``reason`` code:
    already_know, not_relevant, wrong_stage, other; optional ``note``)."""
    if data["user_id"] == _viewer().id:
        message = gettext("You can't dismiss yourself.")
        raise InvalidInput(
            gettext("Please correct the highlighted fields."), {"user_id": [message]}
        )
    _matching().dismiss(
        db.session,
        actor=_viewer(),
        other_id=data["user_id"],
        reason=data["reason"],
        note=data["note"],
    )
    return dismissal(data["user_id"])


@bp.get("/pairs/<int:user_id>/reasons")
@login_required
@bp.response(200, PairReasonsSchema)
def pair_reasons(user_id: int):
    """Why the viewer and this member should talk, from the viewer's side (empty unless
    both opted in and neither blocked the other)."""
    return {"user_id": user_id, "reasons": why_you_two_should_talk(user_id)}
