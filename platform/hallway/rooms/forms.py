"""HTML forms for the rooms pages. WTForms brings rendering, CSRF and per-field errors;
the rules (lengths, who may do what, slow mode...) are the service's, so a page, the
socket and the API refuse the same things with the same words.

Every action on a message or a member is a small form with a button, so the room works
without JavaScript; ``rooms.js`` does the same over the socket when it can.
"""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from hallway.core.forms import FlaskForm

#: A message's longest body (the service refuses longer ones with its own words).
MESSAGE_MAX_LENGTH = 4000

ACCESS_LABELS = {
    "going": lazy_gettext("Everyone going to the event"),
    "members": lazy_gettext("Every logged-in member"),
    "invite": lazy_gettext("Invited members only"),
}

#: Slow mode choices, in seconds (0: off).
SLOW_MODE_CHOICES = (0, 5, 10, 30, 60, 120, 300)


def slow_mode_label(seconds: int) -> str:
    if seconds == 0:
        return str(lazy_gettext("Off"))
    if seconds < 60:
        return str(lazy_gettext("One message every %(num)s seconds", num=seconds))
    return str(lazy_gettext("One message every %(num)s minutes", num=seconds // 60))


class RoomForm(FlaskForm):
    """An organiser opens a room for the event."""

    name = StringField(
        lazy_gettext("Name"),
        validators=[InputRequired(lazy_gettext("Give the room a name.")), Length(max=80)],
        render_kw={"maxlength": 80},
    )
    topic = StringField(
        lazy_gettext("Topic"),
        validators=[Optional(), Length(max=300)],
        description=lazy_gettext("What the room is for, in a line."),
        render_kw={"maxlength": 300},
    )
    access = SelectField(
        lazy_gettext("Who may join"),
        choices=[SelectChoice(value, label) for value, label in ACCESS_LABELS.items()],
        default="going",
    )
    size_limit = IntegerField(
        lazy_gettext("Size limit"),
        validators=[Optional(), NumberRange(min=2, max=1000)],
        description=lazy_gettext("Leave empty for no limit."),
        render_kw={"inputmode": "numeric", "min": 2, "max": 1000},
    )


class TableForm(FlaskForm):
    """A member going to the event opens a table of their own."""

    name = StringField(
        lazy_gettext("Table name"),
        validators=[InputRequired(lazy_gettext("Give the table a name.")), Length(max=80)],
        render_kw={"maxlength": 80},
    )
    topic = StringField(
        lazy_gettext("Topic"),
        validators=[Optional(), Length(max=300)],
        render_kw={"maxlength": 300},
    )
    size_limit = IntegerField(
        lazy_gettext("Seats"),
        validators=[Optional(), NumberRange(min=2, max=50)],
        description=lazy_gettext("Leave empty for no limit."),
        render_kw={"inputmode": "numeric", "min": 2, "max": 50},
    )


class MessageForm(FlaskForm):
    """The composer. Without JavaScript the page fills ``client_id`` in, so a form sent
    twice (a double click, a resend after a timeout) writes one message."""

    body = TextAreaField(
        lazy_gettext("Your message"),
        validators=[InputRequired(lazy_gettext("Write a message first."))],
        render_kw={"rows": 2, "maxlength": MESSAGE_MAX_LENGTH},
    )
    client_id = HiddenField(default=lambda: str(uuid.uuid4()))
    reply_to_id = HiddenField()


class EditMessageForm(FlaskForm):
    body = TextAreaField(
        lazy_gettext("Message"),
        validators=[InputRequired(lazy_gettext("Write a message first."))],
        render_kw={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH},
    )


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (delete, pin, archive, remove...)."""


class ReactionForm(FlaskForm):
    kind = HiddenField()


class SlowModeForm(FlaskForm):
    seconds = SelectField(
        lazy_gettext("Slow mode"),
        choices=[SelectChoice(str(value), str(value)) for value in SLOW_MODE_CHOICES],
        default="0",
    )


class FlagForm(FlaskForm):
    """The reason is a radio button of the page (``reason``); this is the free note."""

    note = TextAreaField(
        lazy_gettext("Anything the moderators should know? (optional)"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 3, "maxlength": 1000},
    )
