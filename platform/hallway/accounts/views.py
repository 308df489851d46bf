from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from hallway.accounts import service
from hallway.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    ResetPasswordForm,
    SignUpForm,
)
from hallway.core.errors import DomainError, wants_json
from hallway.core.forms import show_field_errors
from hallway.core.urls import safe_next_path
from hallway.db import db
from hallway.extensions import limiter
from hallway.notifications.mail import Email, external_url, send_emails
from hallway.realtime import broadcast, personal_room

bp = Blueprint("accounts", __name__)


def _login_attempt_key() -> str:
    """Throttle per address and submitted email, whether or not the account exists."""
    email = service.normalise_email(request.form.get("email", ""))
    return f"login:{get_remote_address()}:{email}"


def _login_failed(response) -> bool:
    return response.status_code != 302


def on_login_required():
    """Pages send visitors to log in and come back; the API answers 401."""
    if wants_json():
        return jsonify(error="Please log in."), 401
    flash("Please log in to see that page.", "info")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignUpForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = service.sign_up(
                db.session,
                email=form.email.data,
                handle=form.handle.data,
                display_name=form.display_name.data,
                password=form.password.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_field_errors(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(f"Welcome to Hallway, {user.display_name}!", "success")
            # First run: the profile essentials, then on to where they were going.
            next_path = safe_next_path(form.next.data, "") or None
            return redirect(url_for("members.welcome", next=next_path))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/signup.html", form=form), status


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
        user = service.authenticate(
            db.session, email=form.email.data, password=form.password.data
        )
        if user is not None:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.display_name}.", "success")
            return redirect(safe_next_path(form.next.data, url_for("home.index")))
        form.form_errors.append("That email and password do not match an account.")
    status = 401 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        user_id = current_user.id
        service.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        broadcast("session_ended", {}, to=personal_room(user_id))
        flash("You are logged out on every device.", "info")
    return redirect(url_for("home.index"))


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
            db.session.rollback()
            show_field_errors(form, error)
        else:
            return _finish_password_change(
                user,
                "Password changed. Other devices have been logged out.",
                url_for("accounts.change_password"),
            )
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/change_password.html", form=form), status


def _finish_password_change(user, message: str, next_url: str):
    """Commit, close the other devices' pages, and keep this device logged in."""
    db.session.commit()
    broadcast("session_ended", {}, to=personal_room(user.id))
    # Re-issue this device's cookie with the new generation; others are now stale.
    login_user(user)
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
            token = service.password_reset_token(
                user, secret_key=current_app.config["SECRET_KEY"]
            )
            link = external_url(url_for("accounts.reset_password", token=token))
            send_emails([_password_reset_email(user.email, user.display_name, link)])
        flash(
            "If that email belongs to an account, a link to choose a new password is on "
            "its way. It works for one hour.",
            "info",
        )
        return redirect(url_for("accounts.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/forgot_password.html", form=form), status


def _password_reset_email(address: str, name: str, link: str) -> Email:
    return Email(
        to=address,
        subject="Choose a new Hallway password",
        body=(
            f"Hello {name},\n\n"
            "Someone (hopefully you) asked to choose a new password for your Hallway "
            f"account. Open this link within an hour to do it:\n\n{link}\n\n"
            "If you did not ask, you can ignore this email; your password stays as it is."
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
            db.session.rollback()
            show_field_errors(form, error)
        else:
            return _finish_password_change(
                user, "Your new password is set. You are logged in.", url_for("home.index")
            )
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/reset_password.html", form=form, user=user), status
