"""Rooms over JSON: an event's rooms, a room's history, sending a message.

Thin over ``rooms.service``: the schemas check the input, the service applies the rules
and gives the payloads (the same shapes the socket broadcasts); the request commits once.
A send carries a ``client_id``: the same id again answers the first message (200, not
201) and broadcasts nothing.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from hallway.core.schemas import Id
from hallway.db import db
from hallway.rooms import schemas, service

bp = Blueprint(
    "rooms_api",
    __name__,
    url_prefix="",
    description="Live rooms: an event's rooms, a room's history, sending a message",
)


def _viewer() -> Any:
    return current_user._get_current_object()


class RoomListSchema(Schema):
    """Each room as ``service.lobby_payload`` describes it (seats, who is here...)."""

    rooms = fields.List(fields.Dict())


class HistoryArgsSchema(schemas.StrictSchema):
    before_seq = fields.Integer(strict=False, load_default=None, allow_none=True)
    limit = fields.Integer(strict=False, load_default=service.HISTORY_LIMIT)


class HistoryOutSchema(Schema):
    messages = fields.List(fields.Dict())
    has_earlier = fields.Boolean()


class SendInputSchema(schemas.StrictSchema):
    body = fields.String(required=True)
    client_id = fields.String(required=True)
    reply_to_id = Id(allow_none=True, load_default=None)


class SentSchema(Schema):
    message = fields.Dict()
    duplicate = fields.Boolean()


@bp.get("/events/<int:event_id>/rooms")
@login_required
@bp.response(200, RoomListSchema)
def list_rooms(event_id: int):
    """The event's rooms: open ones first, with seats taken, who is here and whether
    you may join."""
    entries = service.lobby(db.session, _viewer(), event_id)
    return {"rooms": [service.lobby_payload(db.session, entry) for entry in entries]}


@bp.get("/rooms/<int:room_id>/messages")
@login_required
@bp.arguments(HistoryArgsSchema, location="query")
@bp.response(200, HistoryOutSchema)
def history(args: dict[str, Any], room_id: int):
    """The latest messages (or those before ``before_seq``), oldest first; join the room
    first (an archived room reads without joining)."""
    data = schemas.HistorySchema().load({"room_id": room_id, **args})
    shown = service.history(
        db.session, _viewer(), room_id, before_seq=data["before_seq"], limit=data["limit"]
    )
    return {"messages": shown.messages, "has_earlier": shown.has_earlier}


@bp.post("/rooms/<int:room_id>/join")
@login_required
@bp.response(200, Schema.from_dict({"room": fields.Dict(), "read_only": fields.Boolean()}))
def join(room_id: int):
    """Take a seat in the room (needed to read and send)."""
    joined = service.join_room(db.session, _viewer(), room_id)
    return {"room": service.room_payload(db.session, joined.room), "read_only": joined.read_only}


@bp.post("/rooms/<int:room_id>/messages")
@login_required
@bp.arguments(SendInputSchema)
@bp.response(201, SentSchema)
@bp.alt_response(200, schema=SentSchema, description="A resend: the first message")
def send(data: dict[str, Any], room_id: int):
    """Send a message (1 to 4,000 characters; ``reply_to_id`` to answer one)."""
    message, created = service.send_message(
        db.session, _viewer(), room_id, data["body"], data["client_id"], data["reply_to_id"]
    )
    body = {"message": service.payload_of(db.session, message), "duplicate": not created}
    return body, 201 if created else 200
