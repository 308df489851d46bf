"""HTML forms for notifications: preferences and marking read (CSRF included).

The preferences form brings rendering and CSRF; its values are loaded by the API's
PreferencesSchema (``preferences_values``), so both refuse the same with the same words.
"""

from typing import Any

from flask_babel import lazy_gettext
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice

from hallway.core.forms import FlaskForm
from hallway.notifications.models import DigestFrequency


class PreferencesForm(FlaskForm):
    email_on_reply = BooleanField(lazy_gettext("Email me when someone replies to me"))
    email_on_mention = BooleanField(lazy_gettext("Email me when someone mentions me"))
    email_on_event = BooleanField(
        lazy_gettext(
            "Email me about events I am going to (announcements, a place off the waitlist, "
            "cancellations)"
        )
    )
    digest = RadioField(
        lazy_gettext("Daily digest"),
        choices=[
            SelectChoice(DigestFrequency.off.value, lazy_gettext("No digest")),
            SelectChoice(
                DigestFrequency.daily.value,
                lazy_gettext("Once a day, the notifications I have not read"),
            ),
        ],
        validate_choice=False,  # PreferencesSchema's to refuse, with its message
    )


def preferences_values(form: PreferencesForm) -> dict[str, Any]:
    """The form's choices as PreferencesSchema loads them (as the API sends them)."""
    return {
        "email_on_reply": bool(form.email_on_reply.data),
        "email_on_mention": bool(form.email_on_mention.data),
        "email_on_event": bool(form.email_on_event.data),
        "digest": form.digest.data or "",
    }


class ActionForm(FlaskForm):
    """Empty but for its CSRF token: marking read is a POST."""

    next = HiddenField()
