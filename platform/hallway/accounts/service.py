"""Account rules: who may sign up, sign in, and how sessions end."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import Select, bindparam, delete, func, select
from sqlalchemy.orm import Session, object_session
from werkzeug.security import check_password_hash, generate_password_hash

from hallway.accounts.models import PendingSignUp, Role, User
from hallway.core.errors import Conflict, InvalidInput, NotFound
from hallway.core.i18n import normalise_locale
from hallway.db import utcnow
from hallway.realtime import device_topic, notify, user_topic

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
        problems.append(gettext("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(gettext("Use at most %(count)d characters.", count=MAX_PASSWORD_LENGTH))
    if email and password.strip().lower() == normalise_email(email):
        problems.append(gettext("Your password cannot be your email address."))
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
    """Create an account now. Email and handle are unique, case-insensitively.

    For those who may vouch for the address (the demo seed, an organiser's import,
    the CLI, tests); people signing up on the site go through ``request_sign_up``.
    ``password_hash`` lets bulk creators hash one password once; the password itself
    must still pass the rules.
    """
    email, handle = _checked_account_fields(
        email=email, handle=handle, display_name=display_name, password=password
    )
    if find_user_by_email(session, email):
        raise Conflict(
            gettext("That email is already registered."),
            {"email": [gettext("That email is already registered. Try logging in instead.")]},
        )
    _refuse_taken_handle(session, handle)
    return _create_user(
        session,
        email=email,
        handle=handle,
        display_name=display_name,
        password_hash=password_hash or generate_password_hash(password),
        role=role,
    )


def _checked_account_fields(
    *, email: str, handle: str, display_name: str, password: str
) -> tuple[str, str]:
    """The normalised email and handle, or InvalidInput naming every field to correct."""
    email = normalise_email(email)
    handle = normalise_handle(handle)
    errors: dict[str, list[str]] = {}
    if not HANDLE_PATTERN.match(handle):
        errors["handle"] = [gettext("Use 3 to 30 lowercase letters, digits, '-' or '_'.")]
    if problems := password_problems(password, email=email):
        errors["password"] = problems
    if not display_name.strip():
        errors["display_name"] = [gettext("Tell us what to call you.")]
    if errors:
        raise InvalidInput(gettext("Please correct the highlighted fields."), errors)
    return email, handle


def _refuse_taken_handle(session: Session, handle: str) -> None:
    if session.scalar(select(func.count()).select_from(User).where(User.handle == handle)):
        taken = gettext("That username is taken.")
        raise Conflict(taken, {"handle": [taken]})


def _create_user(
    session: Session,
    *,
    email: str,
    handle: str,
    display_name: str,
    password_hash: str,
    role: Role = Role.member,
) -> User:
    user = User(
        email=email,
        handle=handle,
        display_name=display_name.strip(),
        password_hash=password_hash,
        role=role,
    )
    session.add(user)
    session.flush()
    return user


# --- Signing up on the site: confirm the address first ------------------------------

SIGN_UP_SALT = "hallway.sign-up"
SIGN_UP_MAX_AGE_SECONDS = 2 * 24 * 60 * 60


@dataclass(frozen=True)
class SignUpRequest:
    """What a sign-up led to: a pending sign-up (a new address) or the existing account.

    The person who signed up is told the same either way ("check your email"); only
    the email that is sent differs, and only the address's owner reads it.
    """

    pending: PendingSignUp | None = None
    existing: User | None = None


def request_sign_up(
    session: Session,
    *,
    email: str,
    handle: str,
    display_name: str,
    password: str,
    next_path: str = "",
    language: str | None = None,
) -> SignUpRequest:
    """Start a sign-up without revealing whether the address already has an account.

    Why the account is made only on confirmation (not made now and marked unconfirmed):
    an address typed by someone who does not own it must not hold an account, a
    username or a place in any list; and an unconfirmed account would need hiding
    from the directory, mentions and log-in everywhere. So a new address gets a
    ``PendingSignUp`` and a link (``sign_up_token``); ``confirm_sign_up`` makes the
    account when the link is used. An address that has an account gets nothing new:
    the caller mails its owner instead. The password is hashed either way, so both
    take as long. Field mistakes and a taken username are still shown at once
    (usernames are public anyway).
    """
    email, handle = _checked_account_fields(
        email=email, handle=handle, display_name=display_name, password=password
    )
    _refuse_taken_handle(session, handle)
    password_hash = generate_password_hash(password)
    existing = find_user_by_email(session, email)
    if existing is not None:
        return SignUpRequest(existing=existing)
    _forget_expired_sign_ups(session)
    pending = PendingSignUp(
        email=email,
        handle=handle,
        display_name=display_name.strip(),
        password_hash=password_hash,
        next_path=next_path[:500],
        language=normalise_locale(language),
    )
    session.add(pending)
    session.flush()
    return SignUpRequest(pending=pending)


def _forget_expired_sign_ups(session: Session) -> None:
    cutoff = utcnow() - timedelta(seconds=SIGN_UP_MAX_AGE_SECONDS)
    session.execute(delete(PendingSignUp).where(PendingSignUp.created_at < cutoff))


def sign_up_token(pending: PendingSignUp, *, secret_key: str) -> str:
    """A signed, time-limited token naming the pending sign-up and its address."""
    serializer = URLSafeTimedSerializer(secret_key, salt=SIGN_UP_SALT)
    return serializer.dumps({"pending": pending.id, "email": pending.email})


def pending_sign_up_for_token(
    session: Session, token: str, *, secret_key: str, max_age: int | None = None
) -> PendingSignUp:
    """The sign-up a link confirms; refuses expired, forged or already-used links."""
    max_age = SIGN_UP_MAX_AGE_SECONDS if max_age is None else max_age
    serializer = URLSafeTimedSerializer(secret_key, salt=SIGN_UP_SALT)
    refused = InvalidInput(
        gettext(
            "This confirmation link has expired or was already used. Log in, or sign up "
            "again for a new link."
        )
    )
    try:
        payload = serializer.loads(token, max_age=max_age)
    except BadData as error:
        raise refused from error
    pending_id = payload.get("pending") if isinstance(payload, dict) else None
    pending = session.get(PendingSignUp, pending_id) if isinstance(pending_id, int) else None
    if pending is None or pending.email != payload.get("email"):
        raise refused
    if find_user_by_email(session, pending.email) is not None:
        raise refused  # confirmed already, through this link or another one
    return pending


def confirm_sign_up(
    session: Session, token: str, *, secret_key: str, max_age: int | None = None
) -> tuple[User, str]:
    """Make the account a confirmation link is for; returns it and where to go next.

    Works once: the address's pending sign-ups are removed, and a used link is refused.
    """
    pending = pending_sign_up_for_token(session, token, secret_key=secret_key, max_age=max_age)
    if find_user_by_handle(session, pending.handle) is not None:
        raise Conflict(
            gettext(
                "Someone took the username @%(handle)s in the meantime. Please sign up "
                "again with another one.",
                handle=pending.handle,
            ),
            {"handle": [gettext("That username is taken.")]},
        )
    user = _create_user(
        session,
        email=pending.email,
        handle=pending.handle,
        display_name=pending.display_name,
        password_hash=pending.password_hash,
    )
    user.language = normalise_locale(pending.language)
    next_path = pending.next_path
    session.execute(delete(PendingSignUp).where(PendingSignUp.email == pending.email))
    return user, next_path


def awaiting_confirmation(session: Session, *, email: str, password: str) -> bool:
    """Whether this email and password are a sign-up whose link was not used yet
    (so a failed log-in can say why, to the one person who knows the password)."""
    cutoff = utcnow() - timedelta(seconds=SIGN_UP_MAX_AGE_SECONDS)
    hashes = session.scalars(
        select(PendingSignUp.password_hash).where(
            PendingSignUp.email == normalise_email(email), PendingSignUp.created_at >= cutoff
        )
    )
    return any(check_password_hash(password_hash, password) for password_hash in hashes)


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


def new_device_id() -> str:
    """A random name for one browser's log-in, kept in its session cookie.

    Its open pages join that device's Socket.IO topic, so logging out of this device
    closes them and no other device's.
    """
    return secrets.token_urlsafe(16)


def log_out_device(session: Session, device_id: str | None) -> None:
    """Log out of one device only (Log out in the user menu): the other devices stay in.

    Its other open pages (tabs of the same browser) are told ("session_ended") after the
    commit; the caller forgets the log-in in this browser's cookies. To end the sessions
    of every device, remembered ones included, use ``end_all_sessions``.
    """
    if device_id:
        notify(session, device_topic(device_id), "session_ended", {})


def end_all_sessions(user: User) -> None:
    """Invalidate every login cookie this user holds, on every device ("Log out
    everywhere", a password change or reset): "keep me logged in" cookies too.

    Their open pages are told ("session_ended") once the change is committed.
    """
    user.session_generation += 1
    if (session := object_session(user)) is not None:
        notify(session, user_topic(user.id), "session_ended", {})


def set_language(user: User, language: str) -> None:
    """A member's language for pages and emails: one Hallway speaks, or refused."""
    locale = normalise_locale(language)
    if locale is None:
        message = gettext("Choose one of the languages Hallway speaks.")
        raise InvalidInput(message, {"language": [message]})
    user.language = locale


def change_password(user: User, *, current_password: str, new_password: str) -> None:
    """Needs the current password; ends every other session of the user."""
    if not check_password_hash(user.password_hash, current_password):
        raise InvalidInput(
            gettext("Your current password is not right."),
            {"current_password": [gettext("That is not your current password.")]},
        )
    if problems := password_problems(new_password, email=user.email):
        raise InvalidInput(
            gettext("Please choose a stronger password."), {"new_password": problems}
        )
    user.password_hash = generate_password_hash(new_password)
    end_all_sessions(user)


def set_role(session: Session, *, email: str, role: Role) -> User:
    """Give an account a role (the CLI's `users promote`)."""
    user = find_user_by_email(session, email)
    if user is None:
        raise NotFound(f"No account with the email {normalise_email(email)}.")
    user.role = role
    return user


@dataclass(frozen=True)
class LoadedWithUser:
    """Columns read in the same statement as the logged-in member, and who gets them."""

    columns: tuple[Any, ...]
    receive: Callable[[Session, User, tuple[Any, ...]], None]


_loaded_with_user: dict[str, LoadedWithUser] = {}
_user_statement: Select[Any] | None = None


def load_with_user(
    name: str,
    columns: Sequence[Any],
    receive: Callable[[Session, User, tuple[Any, ...]], None],
) -> None:
    """Read ``columns`` (scalar subqueries correlated to ``User.id``) with every page's
    member, and hand their values to ``receive(session, user, values)``; registering
    ``name`` again replaces it (each app registers at start-up).

    Every logged-in page needs a few facts about its reader besides the account (the
    nav's unread count, ...): one statement instead of one per fact. Packages that
    accounts may not import register here, the way notification kinds are. The values
    are as of the start of the request: ``receive`` keeps them where their own reader
    looks, and writers that change them must make that reader read again.
    """
    global _user_statement
    _loaded_with_user[name] = LoadedWithUser(tuple(columns), receive)
    _user_statement = None


def _statement_for_user() -> Select[Any]:
    """Built once (building a statement costs more than running this one)."""
    global _user_statement
    if _user_statement is None:
        extra = [column for loaded in _loaded_with_user.values() for column in loaded.columns]
        _user_statement = select(User, *extra).where(User.id == bindparam("id"))
    return _user_statement


def load_user_from_cookie_id(session: Session, cookie_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session generation it was issued for."""
    user_id, _, generation = cookie_id.partition(".")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    row = session.execute(_statement_for_user(), {"id": int(user_id)}).first()
    if row is None:
        return None
    user: User = row[0]
    if user.session_generation != int(generation):
        return None
    start = 1
    for loaded in _loaded_with_user.values():
        end = start + len(loaded.columns)
        loaded.receive(session, user, tuple(row[start:end]))
        start = end
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
        gettext("This reset link has expired or was already used. Ask for a new one."),
        {"token": [gettext("This reset link has expired or was already used.")]},
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


def reset_password(session: Session, *, token: str, new_password: str, secret_key: str) -> User:
    """Set a new password from a valid reset link; ends every session of the account."""
    user = user_for_reset_token(session, token, secret_key=secret_key)
    if problems := password_problems(new_password, email=user.email):
        raise InvalidInput(
            gettext("Please choose a stronger password."), {"new_password": problems}
        )
    user.password_hash = generate_password_hash(new_password)
    end_all_sessions(user)
    return user
