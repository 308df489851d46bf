"""marshmallow schemas: the one description of notifications, in and out.

The JSON API dumps through them, and so do the live pushes to a member's open pages
(``notification`` and ``notifications_read`` on their topic) and their data download.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hallway.accounts.schemas import MemberRefSchema
from hallway.core.pagination import MAX_PER_PAGE
from hallway.core.schemas import Id, PageNumber, PageSchema
from hallway.notifications.models import DigestFrequency, Notification

MAX_IDS_PER_REQUEST = 500


class NotificationSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    summary = fields.String(dump_only=True)
    #: Empty when the post it quoted was deleted or hidden (then ``removed`` is true).
    excerpt = fields.String(dump_only=True)
    removed = fields.Boolean(attribute="subject_removed", dump_only=True)
    url = fields.String(dump_only=True)
    actor = fields.Nested(MemberRefSchema, dump_only=True, allow_none=True)
    subject_type = fields.String(dump_only=True)
    subject_id = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    read_at = fields.DateTime(dump_only=True, allow_none=True)
    read = fields.Boolean(attribute="is_read", dump_only=True)


@dataclass
class Pushed:
    """A new notification as its recipient's open pages hear of it, with their new
    unread count; the rest is the notification's own."""

    notification: Notification
    unread_count: int

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.notification, name)


class NotificationPushSchema(NotificationSchema):
    """The ``notification`` event: the notification as the API lists it, and the
    recipient's unread count after it."""

    unread_count = fields.Integer(dump_only=True)


class NotificationExportSchema(Schema):
    """A notification in its recipient's data download (who acted: their handle)."""

    kind = fields.String(dump_only=True)
    summary = fields.String(dump_only=True)
    excerpt = fields.String(dump_only=True)
    removed = fields.Boolean(attribute="subject_removed", dump_only=True)
    url = fields.String(dump_only=True)
    actor = fields.Pluck(MemberRefSchema, "handle", dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    read_at = fields.DateTime(dump_only=True, allow_none=True)


class NotificationListArgsSchema(Schema):
    page = PageNumber()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    unread_only = fields.Boolean(load_default=False)


class NotificationPageSchema(PageSchema):
    items = fields.List(fields.Nested(NotificationSchema), dump_only=True)
    unread_count = fields.Integer(dump_only=True)


class UnreadCountSchema(Schema):
    """The API's answer, and the ``notifications_read`` event to the member's pages."""

    unread_count = fields.Integer(dump_only=True)


class MarkReadSchema(Schema):
    """Either some notifications by id, or all of them."""

    ids = fields.List(
        Id(),
        validate=validate.Length(min=1, max=MAX_IDS_PER_REQUEST),
    )
    all = fields.Boolean()

    @validates_schema
    def one_of_ids_or_all(self, data, **kwargs):
        if bool(data.get("ids")) == bool(data.get("all")):
            raise ValidationError("Give either ids or all: true.", "_schema")


class MarkReadResultSchema(Schema):
    marked = fields.Integer(dump_only=True)
    unread_count = fields.Integer(dump_only=True)


class PreferencesSchema(Schema):
    email_on_reply = fields.Boolean()
    email_on_mention = fields.Boolean()
    email_on_event = fields.Boolean()
    digest = fields.String(
        validate=validate.OneOf(
            [choice.value for choice in DigestFrequency],
            error=lazy_gettext("Choose off or daily."),
        )
    )
