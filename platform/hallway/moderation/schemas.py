"""marshmallow schemas: the one description of what members send moderation, and of
their flags and blocks in their data download.

The pages' forms only render and carry CSRF; their values are loaded here (``*_values``
in ``moderation.forms``), so the rules and messages live once. The service keeps the
rules that need the database: the post exists and is visible, it is not your own, one
open flag per post, the member you block exists and is not you.
"""

from __future__ import annotations

from flask_babel import lazy_gettext
from marshmallow import Schema, fields, validate

from hallway.core.schemas import Text
from hallway.core.validation import N_
from hallway.moderation.models import FlagReason

NOTE_MAX_LENGTH = 500
CHOOSE_A_REASON = N_("Choose a reason.")
GIVE_A_HANDLE = N_("Give the member's username.")


class FlagSchema(Schema):
    """A member flags a post: why (spam, harassment, off-topic, other), and a note."""

    reason = fields.Enum(
        FlagReason,
        by_value=True,
        required=True,
        error_messages={
            "unknown": CHOOSE_A_REASON,
            "required": CHOOSE_A_REASON,
            "null": CHOOSE_A_REASON,
        },
    )
    note = Text(
        load_default="",
        validate=validate.Length(
            max=NOTE_MAX_LENGTH,
            error=lazy_gettext("Keep the note under %(max)d characters.", max=NOTE_MAX_LENGTH),
        ),
    )


class BlockSchema(Schema):
    """A member blocks another by username (with or without the @)."""

    handle = Text(
        required=True,
        validate=[
            validate.Length(min=1, error=lazy_gettext("Give the member's username.")),
            validate.Length(max=100, error=lazy_gettext("No member has a username that long.")),
        ],
        error_messages={"required": GIVE_A_HANDLE, "null": GIVE_A_HANDLE},
    )


class FlagExportSchema(Schema):
    """A flag the member raised, in their data download (who else flagged stays private)."""

    subject_type = fields.String(dump_only=True)
    subject_id = fields.Integer(dump_only=True)
    reason = fields.String(dump_only=True)
    note = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    closed_at = fields.DateTime(dump_only=True, allow_none=True)


class BlockExportSchema(Schema):
    """A member the member blocked, in their data download."""

    handle = fields.String(attribute="blocked.handle", dump_only=True)
    display_name = fields.String(attribute="blocked.display_name", dump_only=True)
    blocked_at = fields.DateTime(attribute="created_at", dump_only=True)
