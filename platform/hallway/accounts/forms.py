"""HTML forms for accounts. WTForms gives us CSRF tokens and field errors."""

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Regexp

from hallway.accounts.service import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from hallway.core.forms import FlaskForm


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


_password_length = Length(
    min=MIN_PASSWORD_LENGTH,
    max=MAX_PASSWORD_LENGTH,
    message=f"Use at least {MIN_PASSWORD_LENGTH} and at most {MAX_PASSWORD_LENGTH} characters.",
)


class SignUpForm(FlaskForm):
    display_name = StringField(
        "Your name",
        validators=[InputRequired(), Length(max=80)],
        filters=[_strip],
        description="As you would like other members to see it.",
    )
    handle = StringField(
        "Username",
        validators=[
            InputRequired(),
            Regexp(
                r"^@?[A-Za-z0-9_-]{3,30}$",
                message="Use 3 to 30 letters, digits, '-' or '_'.",
            ),
        ],
        description="Used for @mentions and your profile address.",
    )
    email = EmailField(
        "Email", validators=[InputRequired(), Email(), Length(max=254)], filters=[_strip]
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired(), _password_length],
        description=f"At least {MIN_PASSWORD_LENGTH} characters.",
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[InputRequired(), EqualTo("password", message="The passwords differ.")],
    )
    next = HiddenField()


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Email()], filters=[_strip])
    password = PasswordField("Password", validators=[InputRequired()])
    remember = BooleanField("Keep me logged in on this device")
    next = HiddenField()


class LogoutForm(FlaskForm):
    """Empty but for its CSRF token: logging out is a POST."""


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Email()], filters=[_strip])


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        "New password",
        validators=[InputRequired(), _password_length],
        description=f"At least {MIN_PASSWORD_LENGTH} characters.",
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[InputRequired(), EqualTo("new_password", message="The passwords differ.")],
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField("Current password", validators=[InputRequired()])


class ConfirmSignUpForm(FlaskForm):
    """Empty but for its CSRF token: the account is made by a POST from the link's page."""
