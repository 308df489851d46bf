"""HTML forms for discussions. WTForms brings CSRF and field errors; the service
applies the same rules again (and is what the API relies on)."""

import re

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp, ValidationError

from hallway.discussions import service
from hallway.discussions.models import ReactionKind
from hallway.discussions.text import MAX_TAGS, parse_tags, tag_problems

MARKDOWN_HELP = (
    "Markdown works: **bold**, _italic_, `code`, ``` for code blocks, > to quote, "
    "- for lists. Mention members with @username."
)


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


_optional_id = Regexp(r"^\d{1,10}$", message="That is not a comment of this discussion.")


class ThreadForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            InputRequired(),
            Length(min=service.TITLE_MIN_LENGTH, max=service.TITLE_MAX_LENGTH),
        ],
        filters=[_strip],
    )
    category_id = SelectField(
        "Category", coerce=int, validators=[InputRequired(message="Choose a category.")]
    )
    body = TextAreaField(
        "Opening post",
        validators=[InputRequired(), Length(max=service.BODY_MAX_LENGTH)],
        description=MARKDOWN_HELP,
    )
    tags = StringField(
        "Tags",
        validators=[Optional(), Length(max=200)],
        description=f"Up to {MAX_TAGS}, separated by commas, e.g. portfolios, career change.",
    )

    def validate_tags(self, field: StringField) -> None:
        """The service checks tags too; checking here shows every problem at once."""
        if problems := tag_problems(parse_tags(field.data)):
            raise ValidationError(" ".join(problems))


class EditThreadForm(ThreadForm):
    """Moving a thread to another category is moderation's job, not an edit."""

    category_id = None


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Your reply",
        validators=[InputRequired(), Length(max=service.COMMENT_MAX_LENGTH)],
        description=MARKDOWN_HELP,
    )
    parent_id = HiddenField(validators=[Optional(), _optional_id])


class EditCommentForm(FlaskForm):
    body = TextAreaField(
        "Comment",
        validators=[InputRequired(), Length(max=service.COMMENT_MAX_LENGTH)],
        description=MARKDOWN_HELP,
    )


REACTION_VALUE = re.compile(
    r"^(?P<kind>" + "|".join(kind.value for kind in ReactionKind) + r")(?:@(?P<comment>\d{1,10}))?$"
)


class ReactionForm(FlaskForm):
    """One form per page: each button sends ``reaction=<kind>`` for the opening post or
    ``reaction=<kind>@<comment id>`` for a comment."""

    reaction = StringField(
        validators=[InputRequired(), Regexp(REACTION_VALUE, message="Unknown reaction.")]
    )

    def target(self) -> tuple[str, int | None]:
        """The reaction kind and the comment id (None for the opening post)."""
        match = REACTION_VALUE.match(self.reaction.data)
        comment = match.group("comment")
        return match.group("kind"), int(comment) if comment else None


class ConfirmForm(FlaskForm):
    """Empty but for its CSRF token: deleting, pinning and the like are POSTs."""


class CategoryForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[InputRequired(), Length(max=service.CATEGORY_NAME_MAX_LENGTH)],
        filters=[_strip],
    )
    description = TextAreaField(
        "Description",
        validators=[Optional(), Length(max=service.CATEGORY_DESCRIPTION_MAX_LENGTH)],
        filters=[_strip],
    )


class MoveCategoryForm(FlaskForm):
    direction = StringField(validators=[InputRequired(), AnyOf(["up", "down"])])
