"""HTML forms for notifications: preferences and subscription levels (CSRF included)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from hallway.notifications.models import DigestFrequency, SubscriptionLevel


class PreferencesForm(FlaskForm):
    email_on_reply = BooleanField("Email me when someone replies to me")
    email_on_mention = BooleanField("Email me when someone mentions me")
    digest = RadioField(
        "Daily digest",
        choices=[
            SelectChoice(DigestFrequency.off.value, "No digest"),
            SelectChoice(
                DigestFrequency.daily.value, "Once a day, the notifications I have not read"
            ),
        ],
        validators=[InputRequired(message="Choose whether you want a digest.")],
    )


class SubscriptionForm(FlaskForm):
    level = RadioField(
        "Notifications",
        choices=[SelectChoice(level.value, level.label) for level in SubscriptionLevel],
        validators=[InputRequired(message="Choose watching, normal or muted.")],
    )
    next = HiddenField()


class ActionForm(FlaskForm):
    """Empty but for its CSRF token: marking read is a POST."""

    next = HiddenField()
