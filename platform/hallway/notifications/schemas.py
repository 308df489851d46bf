"""marshmallow schemas for the notifications JSON API."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hallway.accounts.schemas import MemberRefSchema
from hallway.core.pagination import MAX_PER_PAGE
from hallway.core.schemas import PageSchema
from hallway.notifications.models import DigestFrequency, SubscriptionLevel

MAX_IDS_PER_REQUEST = 500


class NotificationSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(dump_only=True)
    summary = fields.String(dump_only=True)
    excerpt = fields.String(dump_only=True)
    url = fields.String(dump_only=True)
    actor = fields.Nested(MemberRefSchema, dump_only=True, allow_none=True)
    subject_type = fields.String(dump_only=True)
    subject_id = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    read_at = fields.DateTime(dump_only=True, allow_none=True)
    read = fields.Boolean(attribute="is_read", dump_only=True)


class NotificationListArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    unread_only = fields.Boolean(load_default=False)


class NotificationPageSchema(PageSchema):
    items = fields.List(fields.Nested(NotificationSchema), dump_only=True)
    unread_count = fields.Integer(dump_only=True)


class UnreadCountSchema(Schema):
    unread_count = fields.Integer(dump_only=True)


class MarkReadSchema(Schema):
    """Either some notifications by id, or all of them."""

    ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1)),
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
    digest = fields.String(
        validate=validate.OneOf(
            [choice.value for choice in DigestFrequency], error="Choose off or daily."
        )
    )


class SubscriptionSchema(Schema):
    subject_type = fields.String(dump_only=True)
    subject_id = fields.Integer(dump_only=True)
    level = fields.String(
        required=True,
        validate=validate.OneOf(
            [choice.value for choice in SubscriptionLevel],
            error="Choose watching, normal or muted.",
        ),
    )
