"""marshmallow schemas: the matching pages' and JSON API's input and output.

Input refuses unknown fields (RAISE) except query strings (EXCLUDE: links carry tracking
parameters). The organiser's round form is loaded here too, so the page and any future
API accept the same things with the same words.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from hallway.core.converters import MAX_ID
from hallway.core.schemas import Id, Text
from hallway.core.validation import N_

#: The most suggestions one request may ask for.
MAX_LIMIT = 50
NOTE_MAX_LENGTH = 300  # the matching service's MAX_NOTE_LENGTH
ROUND_TITLE_MAX_LENGTH = 200
ROUND_MESSAGE_MAX_LENGTH = 2_000
ROUND_PLACE_MAX_LENGTH = 200
ROUND_DURATIONS = (15, 20, 30, 45, 60)


_TITLE_MESSAGE = N_("Give the round a title (up to 200 characters).")


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class QuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE


class SuggestionArgsSchema(QuerySchema):
    """``?event_id=&limit=``: people going to one event (or everyone), how many."""

    event_id = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID, error=N_("That is not a valid id."))
    )
    limit = fields.Integer(
        load_default=10,
        validate=validate.Range(min=1, max=MAX_LIMIT, error=N_("Ask for 1 to 50 suggestions.")),
    )


class SuggestionSchema(Schema):
    """One person to meet: who, how good a match (the score and its factors) and why."""

    user_id = fields.Integer(dump_only=True)
    handle = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    career_stage = fields.String(dump_only=True, allow_none=True)
    role = fields.String(dump_only=True)
    organisation = fields.String(dump_only=True)
    avatar_url = fields.String(dump_only=True, allow_none=True)
    profile_url = fields.String(dump_only=True)
    request_url = fields.String(dump_only=True)
    score = fields.Float(dump_only=True)
    factors = fields.Dict(keys=fields.String(), values=fields.Float(), dump_only=True)
    reasons = fields.List(fields.String(), dump_only=True)


class SuggestionListSchema(Schema):
    event_id = fields.Integer(dump_only=True, allow_none=True)
    #: False: the viewer has not opted in to matching, so nobody is suggested.
    opted_in = fields.Boolean(dump_only=True)
    suggestions = fields.List(fields.Nested(SuggestionSchema), dump_only=True)


class DismissInputSchema(StrictSchema):
    """ "Not for me": who, and optionally why (a reason code and a note)."""

    user_id = Id(required=True)
    reason = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(
            ("already_know", "not_relevant", "wrong_stage", "other"),
            error=N_("Choose one of the reasons offered."),
        ),
    )
    note = Text(
        load_default="",
        validate=validate.Length(
            max=NOTE_MAX_LENGTH, error=N_("Keep the note under 300 characters.")
        ),
    )


class DismissalSchema(Schema):
    user_id = fields.Integer(dump_only=True)
    dismissed = fields.Boolean(dump_only=True)


class PairReasonsSchema(Schema):
    """Why two members should talk, from the viewer's side."""

    user_id = fields.Integer(dump_only=True)
    reasons = fields.List(fields.String(), dump_only=True)


class RoundFormSchema(StrictSchema):
    """The round's meeting details as the organiser's form sends them; ``starts_at`` is
    local to the event's time zone (the view places it)."""

    title = Text(
        required=True,
        validate=validate.Length(min=1, max=ROUND_TITLE_MAX_LENGTH, error=_TITLE_MESSAGE),
        error_messages={"required": _TITLE_MESSAGE},
    )
    starts_at = fields.NaiveDateTime(
        required=True,
        format="%Y-%m-%dT%H:%M",
        error_messages={
            "required": N_("When do the first meetings start?"),
            "invalid": N_("Enter a date and time."),
        },
    )
    duration_minutes = fields.Integer(
        load_default=30,
        validate=validate.OneOf(ROUND_DURATIONS, error=N_("Choose one of the durations offered.")),
    )
    place = Text(
        load_default="",
        validate=validate.Length(
            max=ROUND_PLACE_MAX_LENGTH, error=N_("Keep the place under 200 characters.")
        ),
    )
    message = Text(
        load_default="",
        validate=validate.Length(
            max=ROUND_MESSAGE_MAX_LENGTH, error=N_("Keep the message under 2,000 characters.")
        ),
    )


def dismissal(user_id: int) -> dict[str, Any]:
    return {"user_id": user_id, "dismissed": True}
