"""Meeting requests over JSON: create, list, one request, accept, decline, counter,
withdraw. Routes are thin: the schemas check the input, the service the rules; the
request commits once."""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint

from hallway.core.loading import loads
from hallway.db import db
from hallway.meetings import service
from hallway.meetings.limits import explain_breach, limit_requests
from hallway.meetings.models import MeetingRequest
from hallway.meetings.schemas import (
    AcceptSchema,
    CounterSchema,
    MeetingListArgsSchema,
    MeetingListSchema,
    MeetingRequestCreateSchema,
    MeetingRequestSchema,
    MeetingRequestUpdateSchema,
    NoteSchema,
)

bp = Blueprint(
    "meetings_api",
    __name__,
    url_prefix="/meetings",
    description="Meeting requests: create, list, accept, decline, counter, withdraw",
)
bp.register_error_handler(429, explain_breach)


def _viewer() -> Any:
    return current_user._get_current_object()


@bp.get("")
@login_required
@bp.arguments(MeetingListArgsSchema, location="query")
@bp.response(200, MeetingListSchema)
def list_requests(args: dict[str, Any]):
    """The member's received (``box=received``) or sent requests, newest first."""
    items = service.list_requests(
        db.session, actor=_viewer(), box=args["box"], status=args.get("status")
    )
    return {"items": items}


@bp.post("")
@login_required
@limit_requests()
@bp.arguments(MeetingRequestCreateSchema)
@bp.response(201, MeetingRequestSchema)
def create_request(data: dict[str, Any]):
    """Ask a member for a meeting, proposing one to three times."""
    return service.request_meeting(db.session, actor=_viewer(), **data)


@bp.get("/<int:request_id>")
@login_required
@bp.response(200, MeetingRequestSchema)
@loads("request", service.visible_request)
def get_request(request: MeetingRequest):
    return request


@bp.patch("/<int:request_id>")
@login_required
@bp.arguments(MeetingRequestUpdateSchema)
@bp.response(200, MeetingRequestSchema)
@loads("request", service.visible_request)
def edit_request(data: dict[str, Any], request: MeetingRequest):
    """The sender changes a pending request."""
    return service.edit_request(db.session, actor=_viewer(), request=request, changes=data)


@bp.post("/<int:request_id>/accept")
@login_required
@bp.arguments(AcceptSchema)
@bp.response(200, MeetingRequestSchema)
@loads("request", service.visible_request)
def accept_request(data: dict[str, Any], request: MeetingRequest):
    """Accept one of the other side's proposed times (``time_id``)."""
    return service.accept_request(
        db.session, actor=_viewer(), request=request, time_id=data["time_id"]
    )


@bp.post("/<int:request_id>/decline")
@login_required
@bp.arguments(NoteSchema)
@bp.response(200, MeetingRequestSchema)
@loads("request", service.visible_request)
def decline_request(data: dict[str, Any], request: MeetingRequest):
    return service.decline_request(db.session, actor=_viewer(), request=request, note=data["note"])


@bp.post("/<int:request_id>/counter")
@login_required
@bp.arguments(CounterSchema)
@bp.response(200, MeetingRequestSchema)
@loads("request", service.visible_request)
def counter_request(data: dict[str, Any], request: MeetingRequest):
    """The recipient proposes another time."""
    return service.counter_request(
        db.session,
        actor=_viewer(),
        request=request,
        starts_at=data["starts_at"],
        note=data["note"],
    )


@bp.post("/<int:request_id>/withdraw")
@login_required
@bp.response(200, MeetingRequestSchema)
@loads("request", service.visible_request)
def withdraw_request(request: MeetingRequest):
    return service.withdraw_request(db.session, actor=_viewer(), request=request)


@bp.post("/<int:request_id>/cancel")
@login_required
@bp.arguments(NoteSchema)
@bp.response(200, MeetingRequestSchema)
@loads("request", service.visible_request)
def cancel_meeting(data: dict[str, Any], request: MeetingRequest):
    return service.cancel_meeting(db.session, actor=_viewer(), request=request, note=data["note"])
