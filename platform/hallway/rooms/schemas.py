"""marshmallow schemas: the input of room socket events and API routes.

Input schemas refuse unknown fields. The message body's length is left to the service,
which says how long it is and what the limit is (4,000 characters); here it only has to
be text. Outputs are the service's payloads (``service.message_payload``,
``service.room_payload``, ``service.lobby_payload``): one shape live and in history.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from hallway.core.schemas import Id, Text
from hallway.core.validation import N_
from hallway.discussions.models import ReactionKind
from hallway.moderation.models import FlagReason
from hallway.rooms import service
from hallway.rooms.models import RoomAccess

_SEQ_RANGE = validate.Range(min=0, max=2**53, error=N_("That is not a valid sequence number."))


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class RoomRefSchema(StrictSchema):
    room_id = Id(required=True)


class JoinRoomSchema(RoomRefSchema):
    """Joining (again): ``last_seq`` is the last number the page saw, for catch-up."""

    last_seq = fields.Integer(strict=True, allow_none=True, load_default=None, validate=_SEQ_RANGE)


class SendMessageSchema(RoomRefSchema):
    body = fields.String(required=True, error_messages={"required": N_("Write a message first.")})
    client_id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=service.MAX_CLIENT_ID_LENGTH),
    )
    reply_to_id = Id(allow_none=True, load_default=None)


class MessageRefSchema(StrictSchema):
    message_id = Id(required=True)


class EditMessageSchema(MessageRefSchema):
    body = fields.String(required=True, error_messages={"required": N_("Write a message first.")})


class ReactionSchema(MessageRefSchema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            [kind.value for kind in ReactionKind], error=N_("Choose one of the reactions offered.")
        ),
    )


class HistorySchema(RoomRefSchema):
    before_seq = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=_SEQ_RANGE
    )
    limit = fields.Integer(
        strict=True,
        load_default=service.HISTORY_LIMIT,
        validate=validate.Range(min=1, max=service.MAX_HISTORY_LIMIT),
    )


class MemberActionSchema(RoomRefSchema):
    user_id = Id(required=True)


class SlowModeSchema(RoomRefSchema):
    seconds = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Range(min=0, max=service.MAX_SLOW_MODE_SECONDS),
    )


class FlagMessageSchema(MessageRefSchema):
    reason = fields.String(
        required=True,
        validate=validate.OneOf([reason.value for reason in FlagReason]),
    )
    note = Text(load_default="", validate=validate.Length(max=1000))


class PromoteSchema(MessageRefSchema):
    title = Text(allow_none=True, load_default=None, validate=validate.Length(max=200))


def _access(choices: list[str]) -> fields.String:
    return fields.String(validate=validate.OneOf(choices, error=N_("Choose who may join.")))


class RoomCreateSchema(StrictSchema):
    """An organiser's room (loaded with ``partial=True``: an edit)."""

    name = Text(
        required=True,
        validate=validate.Length(min=1, max=service.NAME_MAX_LENGTH),
        error_messages={"required": N_("Give the room a name.")},
    )
    topic = Text(load_default="", validate=validate.Length(max=service.TOPIC_MAX_LENGTH))
    access = _access([access.value for access in RoomAccess])
    size_limit = fields.Integer(
        strict=True,
        allow_none=True,
        validate=validate.Range(min=service.MIN_TABLE_SIZE, max=service.MAX_ROOM_SIZE),
    )
    slow_mode_seconds = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=service.MAX_SLOW_MODE_SECONDS)
    )


class RoomUpdateSchema(StrictSchema):
    name = Text(validate=validate.Length(min=1, max=service.NAME_MAX_LENGTH))
    topic = Text(validate=validate.Length(max=service.TOPIC_MAX_LENGTH))
    access = _access([access.value for access in RoomAccess])
    size_limit = fields.Integer(
        strict=True,
        allow_none=True,
        validate=validate.Range(min=service.MIN_TABLE_SIZE, max=service.MAX_ROOM_SIZE),
    )


class TableCreateSchema(StrictSchema):
    """A member's own table."""

    name = Text(
        required=True,
        validate=validate.Length(min=1, max=service.NAME_MAX_LENGTH),
        error_messages={"required": N_("Give the table a name.")},
    )
    topic = Text(load_default="", validate=validate.Length(max=service.TOPIC_MAX_LENGTH))
    access = _access([RoomAccess.going.value, RoomAccess.invite.value])
    size_limit = fields.Integer(
        strict=True,
        required=True,
        validate=validate.Range(min=service.MIN_TABLE_SIZE, max=service.MAX_TABLE_SIZE),
        error_messages={"required": N_("Say how many seats the table has.")},
    )
