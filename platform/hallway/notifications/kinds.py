"""Notification kinds: features register the kinds they send; unknown kinds are refused.

A kind says which email preference governs it (none: in-app only, and the daily
digest for those who chose it) and what the footer of its email says about why the
member gets it. Registering the same name again replaces it, so building a second
app (as tests do) is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString

#: The email switches a member has (columns of NotificationPreference).
EMAIL_PREFERENCES = ("email_on_reply", "email_on_mention", "email_on_event")


@dataclass(frozen=True)
class NotificationKind:
    """One kind of notice, e.g. ``reply`` from discussions."""

    name: str
    #: A short label for people (the centre, the preferences page); ``lazy_gettext``
    #: so it reads in the page's or the email's language.
    label: str | LazyString
    #: The NotificationPreference switch that sends these by email; None: never emailed.
    email_preference: str | None = None
    #: The footer line of the email: why the member gets it.
    email_reason: str | LazyString = ""

    @property
    def emailed(self) -> bool:
        return self.email_preference is not None


class UnknownKind(ValueError):
    """A feature sent a notification kind nobody registered (a programming error)."""


_kinds: dict[str, NotificationKind] = {}


def register_kind(
    name: str,
    *,
    label: str | LazyString,
    email_preference: str | None = None,
    email_reason: str | LazyString = "",
) -> NotificationKind:
    """Make ``name`` a kind features may send. ``email_preference`` is one of
    EMAIL_PREFERENCES (or None); an emailed kind needs an ``email_reason``."""
    if not name or len(name) > 32:
        raise ValueError(f"A notification kind needs a name of 1-32 characters, not {name!r}.")
    if email_preference is not None and email_preference not in EMAIL_PREFERENCES:
        raise ValueError(
            f"Unknown email preference {email_preference!r}; one of {EMAIL_PREFERENCES}."
        )
    if email_preference is not None and not email_reason:
        raise ValueError(f"The emailed kind {name!r} needs an email_reason.")
    kind = NotificationKind(name, label, email_preference, email_reason)
    _kinds[name] = kind
    return kind


def get_kind(name: str) -> NotificationKind:
    """The registered kind; UnknownKind if no feature registered it."""
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownKind(f"No feature registered the notification kind {name!r}.") from None


def registered_kinds() -> list[NotificationKind]:
    return list(_kinds.values())
