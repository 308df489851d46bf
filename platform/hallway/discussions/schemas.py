"""marshmallow schemas: JSON input and output, page query strings, socket payloads.

Input schemas refuse unknown fields (RAISE); ids and server-set fields are dump_only.
Page query strings are the exception: they ignore unknown parameters (EXCLUDE), since
links from elsewhere often carry tracking parameters.
"""

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

from hallway.accounts.schemas import MemberRefSchema
from hallway.core.schemas import PageSchema
from hallway.discussions import service
from hallway.discussions.models import ReactionKind
from hallway.discussions.queries import ThreadOrder
from hallway.discussions.search import MAX_QUERY_LENGTH
from hallway.discussions.text import MAX_TAGS
from hallway.discussions.tree import CommentOrder

_thread_orders = validate.OneOf([order.value for order in ThreadOrder])
_comment_orders = validate.OneOf([order.value for order in CommentOrder])
_reaction_kinds = validate.OneOf([kind.value for kind in ReactionKind])


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class QuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE


# --- page query strings --------------------------------------------------------------


class ThreadListQuerySchema(QuerySchema):
    sort = fields.String(load_default=ThreadOrder.latest.value, validate=_thread_orders)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class ThreadPageQuerySchema(QuerySchema):
    sort = fields.String(load_default=CommentOrder.oldest.value, validate=_comment_orders)


class SearchQuerySchema(QuerySchema):
    q = fields.String(load_default="", validate=validate.Length(max=MAX_QUERY_LENGTH))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


class ReplyQuerySchema(QuerySchema):
    to = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    quote = fields.Boolean(load_default=False)


# --- JSON API ------------------------------------------------------------------------


class CategorySchema(Schema):
    id = fields.Integer(dump_only=True)
    slug = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    position = fields.Integer(dump_only=True)


class ReactionsSchema(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), dump_only=True)
    names = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), dump_only=True)
    mine = fields.List(fields.String(), dump_only=True)


class ThreadSchema(Schema):
    id = fields.Integer(dump_only=True)
    slug = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    url = fields.String(dump_only=True)
    category = fields.Nested(CategorySchema, dump_only=True)
    tags = fields.List(fields.String(), dump_only=True)
    author = fields.Nested(MemberRefSchema, dump_only=True, allow_none=True)
    body = fields.String(dump_only=True, allow_none=True)
    body_html = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    last_activity_at = fields.DateTime(dump_only=True)
    edited_at = fields.DateTime(dump_only=True, allow_none=True)
    pinned = fields.Boolean(dump_only=True)
    locked = fields.Boolean(dump_only=True)
    hidden = fields.Boolean(dump_only=True)
    comment_count = fields.Integer(dump_only=True)
    reaction_count = fields.Integer(dump_only=True)
    reactions = fields.Nested(ReactionsSchema, dump_only=True, allow_none=True)


class ThreadPageSchema(PageSchema):
    items = fields.List(fields.Nested(ThreadSchema), dump_only=True)


class ThreadListArgsSchema(StrictSchema):
    category = fields.String(load_default=None, validate=validate.Length(max=60))
    tag = fields.String(load_default=None, validate=validate.Length(max=30))
    sort = fields.String(load_default=ThreadOrder.latest.value, validate=_thread_orders)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


_tags = fields.List(
    fields.String(validate=validate.Length(max=30)), validate=validate.Length(max=MAX_TAGS)
)


class ThreadCreateSchema(StrictSchema):
    category_id = fields.Integer(required=True, strict=True)
    title = fields.String(
        required=True,
        validate=validate.Length(min=service.TITLE_MIN_LENGTH, max=service.TITLE_MAX_LENGTH),
    )
    body = fields.String(
        required=True, validate=validate.Length(min=1, max=service.BODY_MAX_LENGTH)
    )
    tags = fields.List(
        fields.String(validate=validate.Length(max=30)),
        load_default=list,
        validate=validate.Length(max=MAX_TAGS),
    )


class ThreadUpdateSchema(StrictSchema):
    title = fields.String(
        validate=validate.Length(min=service.TITLE_MIN_LENGTH, max=service.TITLE_MAX_LENGTH)
    )
    body = fields.String(validate=validate.Length(min=1, max=service.BODY_MAX_LENGTH))
    tags = _tags
    pinned = fields.Boolean()


class CommentSchema(Schema):
    id = fields.Integer(dump_only=True)
    thread_id = fields.Integer(dump_only=True)
    parent_id = fields.Integer(dump_only=True, allow_none=True)
    depth = fields.Integer(dump_only=True)
    url = fields.String(dump_only=True)
    state = fields.String(dump_only=True)
    author = fields.Nested(MemberRefSchema, dump_only=True, allow_none=True)
    body = fields.String(dump_only=True, allow_none=True)
    body_html = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    edited_at = fields.DateTime(dump_only=True, allow_none=True)
    reactions = fields.Nested(ReactionsSchema, dump_only=True, allow_none=True)
    replies = fields.List(fields.Nested(lambda: CommentSchema()), dump_only=True)


class CommentTreeSchema(Schema):
    thread_id = fields.Integer(dump_only=True)
    sort = fields.String(dump_only=True)
    total = fields.Integer(dump_only=True)
    comments = fields.List(fields.Nested(CommentSchema), dump_only=True)


class CommentTreeArgsSchema(StrictSchema):
    sort = fields.String(load_default=CommentOrder.oldest.value, validate=_comment_orders)


class CommentCreateSchema(StrictSchema):
    body = fields.String(
        required=True, validate=validate.Length(min=1, max=service.COMMENT_MAX_LENGTH)
    )
    parent_id = fields.Integer(load_default=None, allow_none=True, strict=True)


class CommentUpdateSchema(StrictSchema):
    body = fields.String(
        required=True, validate=validate.Length(min=1, max=service.COMMENT_MAX_LENGTH)
    )


class ReactionToggleSchema(StrictSchema):
    kind = fields.String(required=True, validate=_reaction_kinds)


class ReactionStateSchema(Schema):
    kind = fields.String(dump_only=True)
    active = fields.Boolean(dump_only=True)
    thread_id = fields.Integer(dump_only=True)
    comment_id = fields.Integer(dump_only=True, allow_none=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), dump_only=True)
    names = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), dump_only=True)
    mine = fields.List(fields.String(), dump_only=True)


# --- socket payloads -----------------------------------------------------------------


class JoinThreadSchema(StrictSchema):
    thread_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
