"""marshmallow schemas: the one description of each input and output of discussions.

The JSON API loads and dumps through them; the pages load their forms' input with the
same input schemas (``discussions.forms`` maps a form onto them, and their messages back
onto its fields); live events, the page's own inline replies and the socket's answers
dump through the output schemas here. Services keep only the rules that need the
database (the category exists, the thread is not locked, who may change what).

Input schemas refuse unknown fields (RAISE); ids and server-set fields are dump_only.
Page query strings are the exception: they ignore unknown parameters (EXCLUDE), since
links from elsewhere often carry tracking parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from hallway.accounts.schemas import MemberRefSchema
from hallway.core.converters import MAX_BIGINT, MAX_ID
from hallway.core.schemas import Id, PageNumber, PageSchema, Text
from hallway.discussions.links import thread_path
from hallway.discussions.models import Comment, ReactionKind, Thread
from hallway.discussions.queries import ThreadOrder
from hallway.discussions.search import MAX_QUERY_LENGTH
from hallway.discussions.subscriptions import SubscriptionLevel
from hallway.discussions.text import (
    BODY_MAX_LENGTH,
    CATEGORY_DESCRIPTION_MAX_LENGTH,
    CATEGORY_NAME_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    parse_tags,
    tag_problems,
    too_many_tags,
)
from hallway.discussions.tree import (
    DISPLAY_DEPTH,
    CommentNode,
    CommentOrder,
    PostState,
    ReactionSummary,
)

_thread_orders = validate.OneOf([order.value for order in ThreadOrder])
_comment_orders = validate.OneOf([order.value for order in CommentOrder])


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class QuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE


# --- page query strings --------------------------------------------------------------


class ThreadListQuerySchema(QuerySchema):
    sort = fields.String(load_default=ThreadOrder.latest.value, validate=_thread_orders)
    page = PageNumber()


class ThreadPageQuerySchema(QuerySchema):
    """A thread page or a comment's page: the order of replies, where the window of
    comments starts (after the sibling ``after``), and for the page's script only the
    window itself (``fragment``) shown ``level`` deep."""

    sort = fields.String(load_default=CommentOrder.oldest.value, validate=_comment_orders)
    after = Id(load_default=None, allow_none=True, strict=False)
    fragment = fields.Boolean(load_default=False)
    level = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=DISPLAY_DEPTH - 1, error="That is not a level."),
    )


class SearchQuerySchema(QuerySchema):
    q = fields.String(load_default="", validate=validate.Length(max=MAX_QUERY_LENGTH))
    page = PageNumber(max=10_000)


class ReplyQuerySchema(QuerySchema):
    to = Id(load_default=None, allow_none=True, strict=False)
    quote = fields.Boolean(load_default=False)


# --- What members write: fields with their rules and messages --------------------------

CHOOSE_CATEGORY = "Choose a category."
WRITE_SOMETHING = "Write something first."
#: More entries than this is not a list of tags (each is still checked when fewer).
MAX_TAG_ENTRIES = 100


class OneLine(fields.String):
    """A title or a name: on one line, each run of spaces as one space."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        return " ".join(super()._deserialize(value, attr, data, **kwargs).split())


class Tags(fields.List):
    """Tags, each once, normalised ("Career Change" is career-change): at most five,
    each 2 to 30 letters, digits and hyphens. The API sends a list; a page's comma
    separated text is split into one first (``discussions.forms``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields.String(), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) > MAX_TAG_ENTRIES:
            raise ValidationError(too_many_tags())
        texts = super()._deserialize(value, attr, data, **kwargs)
        tags = parse_tags(text for text in texts if isinstance(text, str))
        if problems := tag_problems(tags):
            raise ValidationError(problems)
        return tags


def _title(**kwargs: Any) -> OneLine:
    return OneLine(
        validate=[
            validate.Length(
                min=TITLE_MIN_LENGTH, error="Use at least {min} characters for the title."
            ),
            validate.Length(max=TITLE_MAX_LENGTH, error="Keep the title under {max} characters."),
        ],
        **kwargs,
    )


def _thread_body(**kwargs: Any) -> Text:
    return Text(
        validate=[
            validate.Length(min=1, error=WRITE_SOMETHING),
            validate.Length(max=BODY_MAX_LENGTH, error="Keep it under 20,000 characters."),
        ],
        **kwargs,
    )


def _comment_body(**kwargs: Any) -> Text:
    return Text(
        validate=[
            validate.Length(min=1, error=WRITE_SOMETHING),
            validate.Length(max=COMMENT_MAX_LENGTH, error="Keep it under 10,000 characters."),
        ],
        **kwargs,
    )


# --- JSON API (and the pages' forms): input ------------------------------------------


class ThreadCreateSchema(StrictSchema):
    category_id = Id(
        required=True, error_messages={"required": CHOOSE_CATEGORY, "null": CHOOSE_CATEGORY}
    )
    title = _title(required=True)
    body = _thread_body(required=True)
    tags = Tags(load_default=list)


class ThreadUpdateSchema(StrictSchema):
    """Fields left out stay as they are; ``pinned`` is for moderators."""

    title = _title()
    body = _thread_body()
    tags = Tags()
    pinned = fields.Boolean()


class CommentCreateSchema(StrictSchema):
    body = _comment_body(required=True)
    parent_id = Id(
        load_default=None,
        allow_none=True,
        error_messages={"invalid": "That is not a comment of this discussion."},
    )


class CommentUpdateSchema(StrictSchema):
    body = _comment_body(required=True)


class ReactionToggleSchema(StrictSchema):
    kind = fields.Enum(
        ReactionKind,
        by_value=True,
        required=True,
        error_messages={"unknown": "Choose one of: {choices}."},
    )


class CategoryInputSchema(StrictSchema):
    """A category as admins name and describe it (the address comes from the name)."""

    name = OneLine(
        required=True,
        validate=[
            validate.Length(min=1, error="Give the category a name."),
            validate.Length(
                max=CATEGORY_NAME_MAX_LENGTH, error="Keep the name under {max} characters."
            ),
        ],
    )
    description = OneLine(
        load_default="",
        validate=validate.Length(
            max=CATEGORY_DESCRIPTION_MAX_LENGTH,
            error="Keep the description under {max} characters.",
        ),
    )


class MoveThreadSchema(QuerySchema):
    """A moderator moves a thread: the category picked in the queue's form (its text)."""

    category_id = fields.Integer(
        required=True,
        strict=False,
        validate=validate.Range(min=1, max=MAX_ID, error=CHOOSE_CATEGORY),
        error_messages={
            "required": CHOOSE_CATEGORY,
            "null": CHOOSE_CATEGORY,
            "invalid": CHOOSE_CATEGORY,
            "too_large": CHOOSE_CATEGORY,
        },
    )


# --- JSON API: output --------------------------------------------------------------------
# Threads and comments are dumped from ShownThread / ShownComment (below): the row and
# what this viewer may see of it.


class CategorySchema(Schema):
    id = fields.Integer(dump_only=True)
    slug = fields.String(dump_only=True)
    name = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    position = fields.Integer(dump_only=True)


class ReactionsSchema(Schema):
    """A post's reactions (a ReactionSummary): every kind's count and who reacted (none
    too), the tooltip its button shows, and the viewer's own choices (``mine``)."""

    counts = fields.Function(
        lambda summary: {kind.value: summary.count(kind) for kind in ReactionKind},
        dump_only=True,
    )
    names = fields.Function(
        lambda summary: {kind.value: list(summary.names.get(kind, [])) for kind in ReactionKind},
        dump_only=True,
    )
    tooltips = fields.Function(
        lambda summary: {kind.value: summary.tooltip(kind) for kind in ReactionKind},
        dump_only=True,
    )
    mine = fields.Function(
        lambda summary: sorted(kind.value for kind in summary.mine), dump_only=True
    )


class _Shown:
    """Reads what it does not override from the row it shows."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._row(), name)

    def _row(self) -> Any:
        raise NotImplementedError


@dataclass
class ShownThread(_Shown):
    """A thread for the API, with its reactions as the viewer sees them (None in lists)."""

    thread: Thread
    reactions: ReactionSummary | None = None

    def _row(self) -> Thread:
        return self.thread


@dataclass
class ShownComment(_Shown):
    """A comment as one viewer may see it (``node``: its state for them, its reactions)
    and its permalink: a deleted or hidden comment shows no author, text or reactions.
    Live events and the page's own replies set what a page needs to place it."""

    node: CommentNode
    url: str
    html: str | None = None
    continue_url: str | None = None
    comment_count: int | None = None

    def _row(self) -> Comment:
        return self.node.comment

    @property
    def shown(self) -> bool:
        return self.node.state in (PostState.visible, PostState.blocked)

    @property
    def state(self) -> str:
        return self.node.state.value

    @property
    def author(self) -> Any:
        return self.node.comment.author if self.shown else None

    @property
    def body(self) -> str | None:
        return self.node.comment.body if self.shown else None

    @property
    def body_html(self) -> str | None:
        return self.node.comment.body_html if self.shown else None

    @property
    def edited_at(self) -> Any:
        return self.node.comment.edited_at if self.shown else None

    @property
    def reactions(self) -> ReactionSummary | None:
        return self.node.reactions if self.shown else None


class ThreadSchema(Schema):
    id = fields.Integer(dump_only=True)
    slug = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    url = fields.Function(lambda shown: thread_path(shown.thread), dump_only=True)
    category = fields.Nested(CategorySchema, dump_only=True)
    tags = fields.Function(lambda shown: [tag.name for tag in shown.tags], dump_only=True)
    author = fields.Nested(MemberRefSchema, dump_only=True, allow_none=True)
    body = fields.String(dump_only=True, allow_none=True)
    body_html = fields.String(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    last_activity_at = fields.DateTime(dump_only=True)
    edited_at = fields.DateTime(dump_only=True, allow_none=True)
    pinned = fields.Function(lambda shown: shown.pinned_at is not None, dump_only=True)
    locked = fields.Function(lambda shown: shown.locked_at is not None, dump_only=True)
    hidden = fields.Function(lambda shown: shown.hidden_at is not None, dump_only=True)
    comment_count = fields.Integer(dump_only=True)
    reaction_count = fields.Integer(dump_only=True)
    reactions = fields.Nested(ReactionsSchema, dump_only=True, allow_none=True)


class ThreadPageSchema(PageSchema):
    items = fields.List(fields.Nested(ThreadSchema), dump_only=True)


class ThreadListArgsSchema(StrictSchema):
    category = fields.String(load_default=None, validate=validate.Length(max=60))
    tag = fields.String(load_default=None, validate=validate.Length(max=30))
    sort = fields.String(load_default=ThreadOrder.latest.value, validate=_thread_orders)
    page = PageNumber()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class CommentSchema(Schema):
    """A comment (a ShownComment): the API's answer and each entry of a thread's tree.
    The live events and the page's own replies describe a comment with these same
    fields, adding what a page needs (CommentChangedSchema, CommentPlacedSchema)."""

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


class CommentTreeSchema(Schema):
    """A thread's comments as a flat list in reading order (not nested: no depth limit)."""

    thread_id = fields.Integer(dump_only=True)
    sort = fields.String(dump_only=True)
    total = fields.Integer(dump_only=True)
    comments = fields.List(fields.Nested(CommentSchema), dump_only=True)


class CommentTreeArgsSchema(StrictSchema):
    sort = fields.String(load_default=CommentOrder.oldest.value, validate=_comment_orders)


@dataclass
class ReactionState(_Shown):
    """A post's reactions right after a toggle, and the toggle: ``kind`` is now
    ``active`` (or not) for the member who clicked (``user_id``)."""

    thread_id: int
    comment_id: int | None
    kind: ReactionKind
    active: bool
    reactions: ReactionSummary
    user_id: int | None = None

    def _row(self) -> ReactionSummary:
        return self.reactions


class ReactionStateSchema(ReactionsSchema):
    """The answer to the member who reacted (page and API): the post's reactions with
    their own choices in ``mine``; ``comment_id`` is None for the opening post."""

    kind = fields.String(dump_only=True)
    active = fields.Boolean(dump_only=True)
    thread_id = fields.Integer(dump_only=True)
    comment_id = fields.Integer(dump_only=True, allow_none=True)


class ReplyDraftSchema(Schema):
    """A page's script asks for a reply box's opening (a quote) before writing."""

    parent_id = fields.Integer(dump_only=True, allow_none=True)
    body = fields.String(dump_only=True)


# --- Live events on a thread's topic (``discussions.live``) ------------------------------
# ``seq`` and ``topic`` are added by the realtime package. Each comes with the HTML
# fragment the page itself would render, built once for everyone.


class CommentChangedSchema(CommentSchema):
    """``comment_updated`` and ``comment_deleted``: the comment as everyone sees it now,
    its new article (``html``) and the thread's reply count."""

    html = fields.String(dump_only=True)
    comment_count = fields.Integer(dump_only=True)


class CommentPlacedSchema(CommentChangedSchema):
    """``comment_created``, and the answer to the page's own inline reply (whose ``html``
    is rendered for the poster): the new comment and its branch of the tree."""

    #: Where the reply can be read when it sits deeper than the page shows.
    continue_url = fields.String(dump_only=True, allow_none=True)


class ThreadChangedSchema(Schema):
    """``thread_updated``: the opening post's new article."""

    thread_id = fields.Integer(dump_only=True)
    author = fields.Nested(MemberRefSchema, dump_only=True, allow_none=True)
    html = fields.String(dump_only=True)


class ReactionChangedSchema(ReactionStateSchema):
    """``reaction_changed``: everyone's counts after ``user_id`` toggled ``kind`` (their
    own choices, ``mine``, are theirs: they stay out)."""

    user_id = fields.Integer(dump_only=True)

    class Meta:
        exclude = ("mine",)


class PostVisibilitySchema(Schema):
    """``post_hidden`` (ids only) and ``post_restored`` (with the post's article again,
    and its author, when everyone may see it)."""

    thread_id = fields.Integer(dump_only=True)
    subject_type = fields.String(dump_only=True)
    subject_id = fields.Integer(dump_only=True)
    author = fields.Nested(MemberRefSchema, dump_only=True, allow_none=True)
    html = fields.String(dump_only=True)


class PostRefreshSchema(Schema):
    """``post_refresh``: something changed that this room must not see the text of."""

    thread_id = fields.Integer(dump_only=True)
    comment_id = fields.Integer(dump_only=True, allow_none=True)


# --- socket payloads -----------------------------------------------------------------


class JoinThreadSchema(StrictSchema):
    thread_id = Id(required=True)


class JoinThreadLiveSchema(JoinThreadSchema):
    """Joining (or re-joining after a reconnect) a thread's live updates: ``last_seq``
    is the last event number the page has seen, to be sent what came after it."""

    last_seq = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=0, max=MAX_BIGINT, error="That is not an event number."),
    )


class ReplayedEventSchema(Schema):
    """One event a re-joining page missed, as it was published."""

    event = fields.String(dump_only=True)
    data = fields.Dict(dump_only=True)


class JoinedThreadSchema(Schema):
    """The acknowledgement of ``join_thread``: the thread's reply count and its latest
    event number; after a reconnect (``last_seq``), the events missed since, in order,
    or ``reload`` when they can no longer all be sent."""

    ok = fields.Boolean(dump_only=True)
    thread_id = fields.Integer(dump_only=True)
    comment_count = fields.Integer(dump_only=True)
    seq = fields.Integer(dump_only=True)
    events = fields.List(fields.Nested(ReplayedEventSchema), dump_only=True)
    reload = fields.Boolean(dump_only=True)


# --- watch / mute --------------------------------------------------------------------


class SubscriptionSchema(StrictSchema):
    """How much a member hears about a thread or category: watching, normal or muted."""

    subject_type = fields.String(dump_only=True)
    subject_id = fields.Integer(dump_only=True)
    level = fields.String(
        required=True,
        validate=validate.OneOf(
            [choice.value for choice in SubscriptionLevel],
            error="Choose watching, normal or muted.",
        ),
    )
