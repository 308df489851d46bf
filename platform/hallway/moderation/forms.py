"""HTML forms for moderation: flagging, blocking, moving threads (CSRF included)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from hallway.moderation.models import FlagReason
from hallway.moderation.service import NOTE_MAX_LENGTH


class FlagForm(FlaskForm):
    reason = RadioField(
        "Why should a moderator look at this?",
        choices=[SelectChoice(reason.value, reason.label) for reason in FlagReason],
        validators=[InputRequired(message="Choose a reason.")],
    )
    note = TextAreaField(
        "Anything moderators should know (optional)",
        validators=[Optional(), Length(max=NOTE_MAX_LENGTH)],
        description=f"Up to {NOTE_MAX_LENGTH} characters. Only moderators see it.",
    )
    next = HiddenField()


class BlockForm(FlaskForm):
    handle = StringField(
        "Username",
        validators=[InputRequired(message="Give the member's username."), Length(max=31)],
        description="For example @maya. They are not told.",
    )
    next = HiddenField()


class MoveForm(FlaskForm):
    category_id = SelectField("Move to category", coerce=int, validate_choice=False)
    next = HiddenField()


class ActionForm(FlaskForm):
    """Empty but for its CSRF token and where to go back to."""

    next = HiddenField()
