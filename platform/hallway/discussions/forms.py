"""HTML forms for discussions. WTForms brings rendering, CSRF and per-field errors, not
the rules. What a form holds is loaded by the JSON API's own input schemas
(``discussions.schemas``): ``form_values`` gives a form's fields in the shape its schema
loads, and the views put the schema's messages back next to the fields, so a page and
the API accept and refuse the same things with the same words.

The ``render_kw`` attributes only help the browser (the forms are ``novalidate``).
"""

import re
from typing import Any

from flask_babel import lazy_gettext
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired

from hallway.core.forms import FlaskForm, id_or_none
from hallway.discussions.subscriptions import SubscriptionLevel
from hallway.discussions.text import (
    BODY_MAX_LENGTH,
    CATEGORY_DESCRIPTION_MAX_LENGTH,
    CATEGORY_NAME_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    MAX_TAGS,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    split_tags,
)

MARKDOWN_HELP = lazy_gettext(
    "Markdown works: **bold**, _italic_, `code`, ``` for code blocks, > to quote, "
    "- for lists. Mention members with @username."
)
#: The category select's first option: a required <select> starts with an empty one.
CATEGORY_PLACEHOLDER = lazy_gettext("Choose a category")


class ThreadForm(FlaskForm):
    """Loaded with ThreadCreateSchema (EditThreadForm: ThreadUpdateSchema)."""

    title = StringField(
        lazy_gettext("Title"),
        render_kw={"required": True, "minlength": TITLE_MIN_LENGTH, "maxlength": TITLE_MAX_LENGTH},
    )
    # Not a choice WTForms checks: an unknown or missing category is the schema's and
    # the service's to refuse, with their message.
    category_id = SelectField(
        lazy_gettext("Category"),
        coerce=id_or_none,
        validate_choice=False,
        render_kw={"required": True},
    )
    body = TextAreaField(
        lazy_gettext("Opening post"),
        description=MARKDOWN_HELP,
        render_kw={"required": True, "maxlength": BODY_MAX_LENGTH},
    )
    tags = StringField(
        lazy_gettext("Tags"),
        description=lazy_gettext(
            "Up to %(count)s, separated by commas, e.g. portfolios, career change.",
            count=MAX_TAGS,
        ),
        render_kw={"maxlength": 200},
    )


class EditThreadForm(ThreadForm):
    """Moving a thread to another category is moderation's job, not an edit."""

    category_id = None


class CommentForm(FlaskForm):
    """Loaded with CommentCreateSchema."""

    body = TextAreaField(
        lazy_gettext("Your reply"),
        description=MARKDOWN_HELP,
        render_kw={"required": True, "maxlength": COMMENT_MAX_LENGTH},
    )
    parent_id = HiddenField()


class EditCommentForm(FlaskForm):
    """Loaded with CommentUpdateSchema."""

    body = TextAreaField(
        lazy_gettext("Comment"),
        description=MARKDOWN_HELP,
        render_kw={"required": True, "maxlength": COMMENT_MAX_LENGTH},
    )


_REACTION_VALUE = re.compile(r"^(?P<kind>[a-z_]{1,30})(?:@(?P<comment>\d{1,19}))?$")


class ReactionForm(FlaskForm):
    """One form per page: each button sends ``reaction=<kind>`` for the opening post or
    ``reaction=<kind>@<comment id>`` for a comment (the kind: ReactionToggleSchema's)."""

    reaction = StringField()

    def target(self) -> tuple[str, int | None] | None:
        """The reaction kind and the comment id (None for the opening post); None when
        the value is not a reaction button's at all."""
        match = _REACTION_VALUE.match(self.reaction.data or "")
        if match is None:
            return None
        if match.group("comment") is None:
            return match.group("kind"), None
        comment_id = id_or_none(match.group("comment"))
        return (match.group("kind"), comment_id) if comment_id is not None else None


class ConfirmForm(FlaskForm):
    """Empty but for its CSRF token: deleting, pinning and the like are POSTs."""


class CategoryForm(FlaskForm):
    """Loaded with CategoryInputSchema."""

    name = StringField(
        lazy_gettext("Name"), render_kw={"required": True, "maxlength": CATEGORY_NAME_MAX_LENGTH}
    )
    description = TextAreaField(
        lazy_gettext("Description"), render_kw={"maxlength": CATEGORY_DESCRIPTION_MAX_LENGTH}
    )


class MoveCategoryForm(FlaskForm):
    direction = StringField(validators=[InputRequired(), AnyOf(["up", "down"])])


class SubscriptionForm(FlaskForm):
    """Watch, follow normally or mute a thread or a category (SubscriptionSchema)."""

    level = RadioField(
        lazy_gettext("Notifications"),
        # The page draws its own radios (_subscription_control.html): only the values count.
        choices=[SelectChoice(level.value, level.value) for level in SubscriptionLevel],
        validate_choice=False,
        render_kw={"required": True},
    )
    next = HiddenField()


def _id_field(value: Any) -> Any:
    """A hidden id field as the API sends it: a number, None when blank; anything else
    as it was typed, for the schema to refuse with its message."""
    text = (value or "").strip() if isinstance(value, str) else value
    if text in ("", None):
        return None
    return id_or_none(text) or text


def form_values(form: FlaskForm) -> dict[str, Any]:
    """The form's fields as its schema loads them (as the JSON API sends them): text as
    typed, the tags' comma separated text as a list, ids as numbers."""
    values: dict[str, Any] = {}
    for name in ("title", "body", "name", "description"):
        if name in form:
            values[name] = form[name].data or ""
    if "category_id" in form:
        values["category_id"] = form["category_id"].data
    if "tags" in form:
        values["tags"] = split_tags(form["tags"].data or "")
    if "parent_id" in form:
        values["parent_id"] = _id_field(form["parent_id"].data)
    return values
