"""HTML forms for accounts. WTForms gives us CSRF tokens and field errors."""

from flask_babel import lazy_gettext
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, Regexp

from hallway.accounts.service import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from hallway.core.forms import FlaskForm
from hallway.core.i18n import LANGUAGES


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


_password_length = Length(
    min=MIN_PASSWORD_LENGTH,
    max=MAX_PASSWORD_LENGTH,
    message=lazy_gettext(
        "Use at least %(min)d and at most %(max)d characters.",
        min=MIN_PASSWORD_LENGTH,
        max=MAX_PASSWORD_LENGTH,
    ),
)

_PASSWORDS_DIFFER = lazy_gettext("The passwords differ.")


class SignUpForm(FlaskForm):
    display_name = StringField(
        lazy_gettext("Your name"),
        validators=[InputRequired(), Length(max=80)],
        filters=[_strip],
        description=lazy_gettext("As you would like other members to see it."),
    )
    handle = StringField(
        lazy_gettext("Username"),
        validators=[
            InputRequired(),
            Regexp(
                r"^@?[A-Za-z0-9_-]{3,30}$",
                message=lazy_gettext("Use 3 to 30 letters, digits, '-' or '_'."),
            ),
        ],
        description=lazy_gettext("Used for @mentions and your profile address."),
    )
    email = EmailField(
        lazy_gettext("Email"),
        validators=[InputRequired(), Email(), Length(max=254)],
        filters=[_strip],
    )
    password = PasswordField(
        lazy_gettext("Password"),
        validators=[InputRequired(), _password_length],
        description=lazy_gettext("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        lazy_gettext("Repeat password"),
        validators=[InputRequired(), EqualTo("password", message=_PASSWORDS_DIFFER)],
    )
    next = HiddenField()


class LoginForm(FlaskForm):
    email = EmailField(
        lazy_gettext("Email"), validators=[InputRequired(), Email()], filters=[_strip]
    )
    password = PasswordField(lazy_gettext("Password"), validators=[InputRequired()])
    remember = BooleanField(lazy_gettext("Keep me logged in on this device"))
    next = HiddenField()


class LogoutForm(FlaskForm):
    """Empty but for its CSRF token: logging out (of this device, or everywhere) is a POST."""


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        lazy_gettext("Email"), validators=[InputRequired(), Email()], filters=[_strip]
    )


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        lazy_gettext("New password"),
        validators=[InputRequired(), _password_length],
        description=lazy_gettext("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        lazy_gettext("Repeat new password"),
        validators=[InputRequired(), EqualTo("new_password", message=_PASSWORDS_DIFFER)],
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(lazy_gettext("Current password"), validators=[InputRequired()])


class ConfirmSignUpForm(FlaskForm):
    """Empty but for its CSRF token: the account is made by a POST from the link's page."""


class LanguageForm(FlaskForm):
    """The language switcher (templates/_language_switcher.html)."""

    language = SelectField(
        choices=[SelectChoice(locale, name) for locale, name in LANGUAGES.items()],
        validators=[InputRequired()],
    )
    next = HiddenField()
