"""Account rules: who may sign up, sign in, and how sessions end."""

from __future__ import annotations

import hashlib
import re

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from hallway.accounts.models import Role, User
from hallway.core.errors import Conflict, InvalidInput, NotFound
from hallway.db import utcnow

HANDLE_PATTERN = re.compile(r"^[a-z0-9_-]{3,30}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
# Checked against when the email is unknown, so a miss costs as much as a hit.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_handle(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def password_problems(password: str, *, email: str = "") -> list[str]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    if email and password.strip().lower() == normalise_email(email):
        problems.append("Your password cannot be your email address.")
    return problems


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def find_user_by_handle(session: Session, handle: str) -> User | None:
    return session.scalar(select(User).where(User.handle == normalise_handle(handle)))


def sign_up(
    session: Session,
    *,
    email: str,
    handle: str,
    display_name: str,
    password: str,
    role: Role = Role.member,
    password_hash: str | None = None,
) -> User:
    """Create an account. Email and handle are unique, case-insensitively.

    ``password_hash`` lets bulk creators (the demo seed) hash one password once;
    the password itself must still pass the rules.
    """
    email = normalise_email(email)
    handle = normalise_handle(handle)
    errors: dict[str, list[str]] = {}
    if not HANDLE_PATTERN.match(handle):
        errors["handle"] = ["Use 3 to 30 lowercase letters, digits, '-' or '_'."]
    if problems := password_problems(password, email=email):
        errors["password"] = problems
    if not display_name.strip():
        errors["display_name"] = ["Tell us what to call you."]
    if errors:
        raise InvalidInput("Please correct the highlighted fields.", errors)
    if find_user_by_email(session, email):
        raise Conflict(
            "That email is already registered.",
            {"email": ["That email is already registered. Try logging in instead."]},
        )
    if session.scalar(select(func.count()).select_from(User).where(User.handle == handle)):
        raise Conflict("That username is taken.", {"handle": ["That username is taken."]})
    user = User(
        email=email,
        handle=handle,
        display_name=display_name.strip(),
        password_hash=password_hash or generate_password_hash(password),
        role=role,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The user with this email and password, or None; a miss takes as long as a hit."""
    user = find_user_by_email(session, email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    user.last_login_at = utcnow()
    return user


def end_all_sessions(user: User) -> None:
    """Invalidate every login cookie this user holds, on every device."""
    user.session_generation += 1


def change_password(user: User, *, current_password: str, new_password: str) -> None:
    """Needs the current password; ends every other session of the user."""
    if not check_password_hash(user.password_hash, current_password):
        raise InvalidInput(
            "Your current password is not right.",
            {"current_password": ["That is not your current password."]},
        )
    if problems := password_problems(new_password, email=user.email):
        raise InvalidInput("Please choose a stronger password.", {"new_password": problems})
    user.password_hash = generate_password_hash(new_password)
    end_all_sessions(user)


def set_role(session: Session, *, email: str, role: Role) -> User:
    """Give an account a role (the CLI's `users promote`)."""
    user = find_user_by_email(session, email)
    if user is None:
        raise NotFound(f"No account with the email {normalise_email(email)}.")
    user.role = role
    return user


def load_user_from_cookie_id(session: Session, cookie_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session generation it was issued for."""
    user_id, _, generation = cookie_id.partition(".")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    user = session.get(User, int(user_id))
    if user is None or user.session_generation != int(generation):
        return None
    return user


# --- Password reset ---------------------------------------------------------------

PASSWORD_RESET_SALT = "hallway.password-reset"
PASSWORD_RESET_MAX_AGE_SECONDS = 60 * 60


def _password_fingerprint(user: User) -> str:
    """Changes whenever the password does, so a reset link works once."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def password_reset_token(user: User, *, secret_key: str) -> str:
    """A signed, time-limited token naming the account and its current password."""
    serializer = URLSafeTimedSerializer(secret_key, salt=PASSWORD_RESET_SALT)
    return serializer.dumps({"user_id": user.id, "password": _password_fingerprint(user)})


def user_for_reset_token(
    session: Session,
    token: str,
    *,
    secret_key: str,
    max_age: int = PASSWORD_RESET_MAX_AGE_SECONDS,
) -> User:
    """The account a reset link is for; refuses expired, forged or already-used links."""
    serializer = URLSafeTimedSerializer(secret_key, salt=PASSWORD_RESET_SALT)
    refused = InvalidInput(
        "This reset link has expired or was already used. Ask for a new one.",
        {"token": ["This reset link has expired or was already used."]},
    )
    try:
        payload = serializer.loads(token, max_age=max_age)
    except BadData as error:
        raise refused from error
    user_id = payload.get("user_id") if isinstance(payload, dict) else None
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or payload.get("password") != _password_fingerprint(user):
        raise refused
    return user


def reset_password(
    session: Session, *, token: str, new_password: str, secret_key: str
) -> User:
    """Set a new password from a valid reset link; ends every session of the account."""
    user = user_for_reset_token(session, token, secret_key=secret_key)
    if problems := password_problems(new_password, email=user.email):
        raise InvalidInput("Please choose a stronger password.", {"new_password": problems})
    user.password_hash = generate_password_hash(new_password)
    end_all_sessions(user)
    return user
