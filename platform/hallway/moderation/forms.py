"""HTML forms for moderation: flagging, blocking, moderator actions (CSRF included).

WTForms renders and checks the CSRF token; what the forms hold is loaded by
``moderation.schemas`` (``flag_values``, ``block_values`` give it in their shape).
"""

from typing import Any

from flask_babel import lazy_gettext
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from hallway.core.forms import FlaskForm
from hallway.moderation.models import FlagReason
from hallway.moderation.schemas import NOTE_MAX_LENGTH


class FlagForm(FlaskForm):
    reason = RadioField(
        lazy_gettext("Why should a moderator look at this?"),
        choices=[SelectChoice(reason.value, reason.label) for reason in FlagReason],
        validate_choice=False,  # FlagSchema's to refuse, with its message
        render_kw={"required": True},
    )
    note = TextAreaField(
        lazy_gettext("Anything moderators should know (optional)"),
        description=lazy_gettext(
            "Up to %(count)d characters. Only moderators see it.", count=NOTE_MAX_LENGTH
        ),
        render_kw={"maxlength": NOTE_MAX_LENGTH},
    )
    next = HiddenField()


class BlockForm(FlaskForm):
    handle = StringField(
        lazy_gettext("Username"),
        description=lazy_gettext("For example @maya. They are not told."),
        render_kw={"required": True, "maxlength": 31},
    )
    next = HiddenField()


class ActionForm(FlaskForm):
    """Empty but for its CSRF token and where to go back to."""

    next = HiddenField()


def flag_values(form: FlagForm) -> dict[str, Any]:
    """The flag form's fields as FlagSchema loads them."""
    return {"reason": form.reason.data or "", "note": form.note.data or ""}


def block_values(form: BlockForm) -> dict[str, Any]:
    """The block form's fields as BlockSchema loads them."""
    return {"handle": form.handle.data or ""}
