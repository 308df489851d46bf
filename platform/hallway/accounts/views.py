from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, gettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from hallway.accounts import service
from hallway.accounts.forms import (
    ChangePasswordForm,
    ConfirmSignUpForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    LogoutForm,
    ResetPasswordForm,
    SignUpForm,
)
from hallway.core import unit_of_work
from hallway.core.errors import DomainError, wants_json
from hallway.core.forms import show_field_errors
from hallway.core.i18n import current_locale_name, set_language_cookie, user_locale
from hallway.core.mail import Email, external_url, queue_emails
from hallway.core.urls import safe_next_path
from hallway.db import db
from hallway.extensions import limiter
from hallway.realtime import DEVICE_SESSION_KEY

bp = Blueprint("accounts", __name__)


def _login_attempt_key() -> str:
    """Throttle per address and submitted email, whether or not the account exists."""
    email = service.normalise_email(request.form.get("email", ""))
    return f"login:{get_remote_address()}:{email}"


def _login_failed(response) -> bool:
    return response.status_code != 302


def _log_in(user, *, remember: bool = False) -> None:
    """Log this browser in as a new device (its own id: "Log out" ends only this one)."""
    login_user(user, remember=remember)
    session[DEVICE_SESSION_KEY] = service.new_device_id()


def on_remembered_user(_app, user=None) -> None:
    """A "keep me logged in" cookie logged the browser back in: it is a device again."""
    session[DEVICE_SESSION_KEY] = service.new_device_id()


def on_login_required():
    """Pages send visitors to log in and come back; the API answers 401."""
    if wants_json():
        return jsonify(error=gettext("Please log in.")), 401
    flash(gettext("Please log in to see that page."), "info")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _sign_up_mailed(response) -> bool:
    return response.status_code == 302


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["SIGNUP_RATE_LIMIT"],
    methods=["POST"],
    deduct_when=_sign_up_mailed,  # each one sends an email: typos do not count
)
def signup():
    """Ask for the account, then "check your email", whether or not the address has one.

    A new address is mailed a link that makes the account (``confirm_signup``); an
    address with an account is mailed a note with links to log in or reset the password.
    The page, its status and the time it takes are the same both ways.
    """
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignUpForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            outcome = service.request_sign_up(
                db.session,
                email=form.email.data,
                handle=form.handle.data,
                display_name=form.display_name.data,
                password=form.password.data,
                next_path=safe_next_path(form.next.data, ""),
                language=current_locale_name(),
            )
        except DomainError as error:
            unit_of_work.rollback(db.session)
            show_field_errors(form, error)
        else:
            queue_emails(db.session, [_sign_up_email(outcome)])
            return redirect(url_for("accounts.signup_sent"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/signup.html", form=form), status


def _sign_up_email(outcome: service.SignUpRequest) -> Email:
    """The confirmation link for a new address (in the language of the sign-up page), or
    a note to an existing account's owner (in their language)."""
    secret_key = current_app.config["SECRET_KEY"]
    if outcome.pending is not None:
        token = service.sign_up_token(outcome.pending, secret_key=secret_key)
        link = external_url(url_for("accounts.confirm_signup", token=token))
        with force_locale(user_locale(outcome.pending)):
            return Email(
                to=outcome.pending.email,
                subject=gettext("Confirm your email address for Hallway"),
                body=gettext(
                    "Hello %(name)s,\n\n"
                    "Welcome to Hallway! Open this link within 48 hours to confirm your "
                    "address and finish signing up:\n\n%(link)s\n\n"
                    "If you did not sign up, you can ignore this email: no account is made.",
                    name=outcome.pending.display_name,
                    link=link,
                ),
            )
    user = outcome.existing
    assert user is not None
    reset_token = service.password_reset_token(user, secret_key=secret_key)
    with force_locale(user_locale(user)):
        return Email(
            to=user.email,
            subject=gettext("Someone tried to sign up for Hallway with your address"),
            body=gettext(
                "Hello %(name)s,\n\n"
                "Someone (hopefully you) tried to sign up for Hallway with this email "
                "address, but it already has an account. No new account was made.\n\n"
                "Log in here: %(login_link)s\n\n"
                "Forgot your password? Choose a new one within an hour here:\n"
                "%(reset_link)s\n\n"
                "If it was not you, you can ignore this email; nothing has changed.",
                name=user.display_name,
                login_link=external_url(url_for("accounts.login")),
                reset_link=external_url(url_for("accounts.reset_password", token=reset_token)),
            ),
        )


@bp.get("/signup/sent")
def signup_sent():
    return render_template("accounts/signup_sent.html")


@bp.route("/signup/confirm/<token>", methods=["GET", "POST"])
def confirm_signup(token: str):
    """The link from the sign-up email: a button that makes the account and logs in.

    Opening the link (GET) changes nothing, so mail scanners that open links do not
    use it up; the button (POST) makes the account, once, and goes on to the welcome.
    """
    secret_key = current_app.config["SECRET_KEY"]
    try:
        pending = service.pending_sign_up_for_token(db.session, token, secret_key=secret_key)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.login"))
    form = ConfirmSignUpForm()
    if form.validate_on_submit():
        try:
            user, next_path = service.confirm_sign_up(db.session, token, secret_key=secret_key)
        except DomainError as error:
            unit_of_work.rollback(db.session)
            flash(error.message, "error")
            return redirect(url_for("accounts.signup"))
        _log_in(user)
        flash(gettext("Welcome to Hallway, %(name)s!", name=user.display_name), "success")
        # First run: the profile essentials, then on to where they were going.
        return redirect(url_for("members.welcome", next=next_path or None))
    return render_template("accounts/confirm_signup.html", form=form, pending=pending)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    key_func=_login_attempt_key,
    methods=["POST"],
    deduct_when=_login_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_IP_RATE_LIMIT"],
    methods=["POST"],
    deduct_when=_login_failed,
)
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and not form.is_submitted():
        return redirect(url_for("home.index"))
    if form.validate_on_submit():
        user = service.authenticate(db.session, email=form.email.data, password=form.password.data)
        if user is not None:
            _log_in(user, remember=form.remember.data)
            flash(gettext("Welcome back, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next_path(form.next.data, url_for("home.index")))
        elif service.awaiting_confirmation(
            db.session, email=form.email.data, password=form.password.data
        ):
            form.form_errors.append(
                gettext(
                    "Please confirm your email address first: open the link we emailed you "
                    "when you signed up (it works for 48 hours). Lost it? Sign up again for "
                    "a new one."
                )
            )
        else:
            form.form_errors.append(gettext("That email and password do not match an account."))
    status = 401 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Log out of this device only (the user menu's Log out); other devices stay in."""
    form = LogoutForm()
    if form.validate_on_submit():
        service.log_out_device(db.session, session.pop(DEVICE_SESSION_KEY, None))
        logout_user()  # also forgets this browser's "keep me logged in" cookie
        flash(gettext("You are logged out on this device."), "info")
    return redirect(url_for("home.index"))


@bp.route("/logout/everywhere", methods=["GET", "POST"])
@login_required
def logout_everywhere():
    """Log out of every device, remembered ones included: asks first (GET), then does it.

    Their open pages are told over Socket.IO after the commit.
    """
    form = LogoutForm()
    if form.validate_on_submit():
        service.end_all_sessions(current_user._get_current_object())
        session.pop(DEVICE_SESSION_KEY, None)
        logout_user()
        flash(gettext("You are logged out on every device."), "info")
        return redirect(url_for("home.index"))
    return render_template("accounts/logout_everywhere.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            service.change_password(
                user,
                current_password=form.current_password.data,
                new_password=form.new_password.data,
            )
        except DomainError as error:
            unit_of_work.rollback(db.session)
            show_field_errors(form, error)
        else:
            return _finish_password_change(
                user,
                gettext("Password changed. Other devices have been logged out."),
                url_for("accounts.change_password"),
            )
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/change_password.html", form=form), status


def _finish_password_change(user, message: str, next_url: str):
    """Keep this device logged in (the other devices' pages are closed after the commit)."""
    # Re-issue this device's cookie with the new generation; others are now stale.
    login_user(user)
    session.setdefault(DEVICE_SESSION_KEY, service.new_device_id())
    flash(message, "success")
    return redirect(next_url)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
def forgot_password():
    """Mail a reset link. The answer is the same whether or not the email has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = service.find_user_by_email(db.session, form.email.data)
        if user is not None:
            token = service.password_reset_token(user, secret_key=current_app.config["SECRET_KEY"])
            link = external_url(url_for("accounts.reset_password", token=token))
            queue_emails(db.session, [_password_reset_email(user, link)])
        flash(
            gettext(
                "If that email belongs to an account, a link to choose a new password is on "
                "its way. It works for one hour."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/forgot_password.html", form=form), status


def _password_reset_email(user, link: str) -> Email:
    """The reset link, in the member's language."""
    with force_locale(user_locale(user)):
        return Email(
            to=user.email,
            subject=gettext("Choose a new Hallway password"),
            body=gettext(
                "Hello %(name)s,\n\n"
                "Someone (hopefully you) asked to choose a new password for your Hallway "
                "account. Open this link within an hour to do it:\n\n%(link)s\n\n"
                "If you did not ask, you can ignore this email; your password stays as it is.",
                name=user.display_name,
                link=link,
            ),
        )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    secret_key = current_app.config["SECRET_KEY"]
    try:
        user = service.user_for_reset_token(db.session, token, secret_key=secret_key)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            service.reset_password(
                db.session,
                token=token,
                new_password=form.new_password.data,
                secret_key=secret_key,
            )
        except DomainError as error:
            unit_of_work.rollback(db.session)
            show_field_errors(form, error)
        else:
            return _finish_password_change(
                user,
                gettext("Your new password is set. You are logged in."),
                url_for("home.index"),
            )
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/reset_password.html", form=form, user=user), status


@bp.post("/language")
def set_language():
    """The language switcher: remember the choice (cookie; a member's account too), go back.

    Only a path on this site is a way back (no open redirect); anything else goes home.
    """
    form = LanguageForm()
    if not form.validate_on_submit():
        return (
            render_template(
                "error.html",
                title=gettext("That language is not available."),
                message=gettext("Choose English or Français."),
            ),
            400,
        )
    language = form.language.data
    if current_user.is_authenticated:
        service.set_language(current_user._get_current_object(), language)
    response = redirect(safe_next_path(form.next.data, url_for("home.index")))
    set_language_cookie(response, language)
    return response
