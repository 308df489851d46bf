"""marshmallow schemas: every JSON input and output of meetings.

Times come in as ISO 8601; without an offset they are read as UTC. They go out in UTC.
Input schemas refuse unknown fields (RAISE); list query strings ignore them (EXCLUDE).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from hallway.accounts.schemas import MemberRefSchema
from hallway.core.schemas import Id, Text
from hallway.core.validation import N_
from hallway.meetings.models import MeetingStatus
from hallway.meetings.service import MAX_DURATION, MAX_TIMES, MIN_DURATION, SOURCES

MESSAGE_MAX_LENGTH = 2_000
NOTE_MAX_LENGTH = 1_000


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


def _length(limit: int) -> validate.Length:
    return validate.Length(max=limit, error=N_("This text is too long."))


def _time(**kwargs: Any) -> fields.AwareDateTime:
    return fields.AwareDateTime(
        default_timezone=UTC,
        error_messages={"invalid": N_("Give a date and time (ISO 8601).")},
        **kwargs,
    )


class MeetingRequestCreateSchema(StrictSchema):
    recipient_id = Id(required=True, error_messages={"required": N_("Choose who to meet.")})
    event_id = Id(load_default=None, allow_none=True)
    message = Text(load_default="", validate=_length(MESSAGE_MAX_LENGTH))
    proposed_times = fields.List(
        _time(),
        required=True,
        validate=validate.Length(
            min=1, max=MAX_TIMES, error=N_("Propose one to three different times.")
        ),
        error_messages={"required": N_("Propose one to three different times.")},
    )
    duration_minutes = fields.Integer(
        load_default=30,
        strict=True,
        validate=validate.Range(
            min=MIN_DURATION,
            max=MAX_DURATION,
            error=N_("Choose a length between 10 minutes and 4 hours."),
        ),
    )
    place = Text(load_default="", validate=_length(200))
    video_url = Text(load_default="", validate=_length(500))
    source = fields.String(load_default="api", validate=validate.OneOf(SOURCES))


class MeetingRequestUpdateSchema(StrictSchema):
    message = Text(validate=_length(MESSAGE_MAX_LENGTH))
    proposed_times = fields.List(
        _time(),
        validate=validate.Length(
            min=1, max=MAX_TIMES, error=N_("Propose one to three different times.")
        ),
    )
    duration_minutes = fields.Integer(strict=True)
    place = Text(validate=_length(200))
    video_url = Text(validate=_length(500))


class AcceptSchema(StrictSchema):
    time_id = Id(
        required=True, error_messages={"required": N_("Choose one of the proposed times.")}
    )


class NoteSchema(StrictSchema):
    note = Text(load_default="", validate=_length(NOTE_MAX_LENGTH))


class CounterSchema(StrictSchema):
    starts_at = _time(required=True)
    note = Text(load_default="", validate=_length(NOTE_MAX_LENGTH))


class FeedbackInputSchema(StrictSchema):
    useful = fields.Boolean(required=True)
    note = Text(load_default="", validate=_length(NOTE_MAX_LENGTH))


class MeetingListArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    box = fields.String(load_default="received", validate=validate.OneOf(["received", "sent"]))
    status = fields.String(
        load_default=None, validate=validate.OneOf([status.value for status in MeetingStatus])
    )


class ProposedTimeSchema(Schema):
    id = fields.Integer(dump_only=True)
    starts_at = fields.AwareDateTime(dump_only=True, default_timezone=UTC)
    proposed_by_id = fields.Integer(dump_only=True)


class MeetingRequestSchema(Schema):
    id = fields.Integer(dump_only=True)
    sender = fields.Nested(MemberRefSchema, dump_only=True)
    recipient = fields.Nested(MemberRefSchema, dump_only=True)
    event_id = fields.Integer(dump_only=True, allow_none=True)
    message = fields.String(dump_only=True)
    duration_minutes = fields.Integer(dump_only=True)
    place = fields.String(dump_only=True)
    video_url = fields.String(dump_only=True)
    status = fields.Function(lambda request: request.status.value, dump_only=True)
    source = fields.String(dump_only=True)
    proposed_times = fields.List(fields.Nested(ProposedTimeSchema), dump_only=True)
    answering_id = fields.Integer(dump_only=True, allow_none=True)
    starts_at = fields.AwareDateTime(dump_only=True, default_timezone=UTC, allow_none=True)
    ends_at = fields.AwareDateTime(dump_only=True, default_timezone=UTC, allow_none=True)
    response_note = fields.String(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True, default_timezone=UTC)
    url = fields.Function(lambda request: f"/meetings/{request.id}", dump_only=True)


class MeetingListSchema(Schema):
    items = fields.List(fields.Nested(MeetingRequestSchema), dump_only=True)
