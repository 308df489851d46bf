"""The actors' avatars in the notification centre.

Pictures and avatar colours belong to the members feature, which this package may not
import; a feature registers where to find them (``register_avatar_provider``), as the
core does for time zones. Without one, avatars are initials on the default colour.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session


class Avatar(Protocol):
    """What a provider returns per member: initials, a colour, a picture URL or None."""

    @property
    def initials(self) -> str: ...

    @property
    def colour(self) -> str: ...

    @property
    def picture(self) -> str | None: ...


@dataclass(frozen=True)
class PlainAvatar:
    initials: str
    colour: str = ""
    picture: str | None = None


AvatarProvider = Callable[[Session, Collection[int]], Mapping[int, Avatar]]
_provider: AvatarProvider | None = None


def register_avatar_provider(provider: AvatarProvider) -> None:
    """``provider(session, user_ids) -> {user_id: Avatar}``, in one query for them all."""
    global _provider
    _provider = provider


def initials_of(name: str) -> str:
    letters = [word[0] for word in name.split() if word and word[0].isalpha()]
    if not letters:
        return "?"
    chosen = letters[:1] + letters[-1:] if len(letters) > 1 else letters
    return "".join(letter.upper()[:1] for letter in chosen)


def avatars_for(session: Session, names: dict[int, str]) -> dict[int, Avatar]:
    """Avatars of these members (``{user_id: display name}``): the provider's, else initials."""
    if not names:
        return {}
    found: dict[int, Avatar] = dict(_provider(session, list(names))) if _provider else {}
    for user_id, name in names.items():
        found.setdefault(user_id, PlainAvatar(initials_of(name)))
    return found
