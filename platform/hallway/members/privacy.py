"""Who may see what of a member: the ONE place the privacy rules live.

Every page, API response, directory query and feature that shows a member goes through
here: ``view_profile`` for one profile (what this viewer may see of it), and
``directory_clause`` / ``suggestable_clause`` for queries over many. Nothing else decides.

The consent ladder, each step chosen separately by the member:

- ``visibility``: who sees the profile at all. ``public`` (anyone, even logged out),
  ``members`` (logged-in members; the default) or ``private`` (only the member).
- ``in_directory``: listed in the directory and its search, for those who may see it.
  Unlisted profiles can still be opened by those who may see them.
- ``matchable``: may be suggested by matching and receive meeting requests. Off until the
  member opts in; never for a private profile, since a suggestion would reveal it.
- ``novices_may_request``: novice members may send meeting requests too.
- ``show_contact_links``: links are shown to those who may see the profile, but never to
  logged-out visitors unless the profile is public.

The member themselves and admins always see everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, true

from hallway.members.models import MemberProfile, ProfileVisibility

NOVICE = "novice"


@dataclass(frozen=True)
class Viewer:
    """Whoever is looking: enough to apply the rules without Flask or the database."""

    user_id: int | None = None
    is_admin: bool = False
    career_stage: str | None = None
    #: The viewer's own profile is private yet listed: only they find it in the directory.
    listed_privately: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_novice(self) -> bool:
        return self.career_stage == NOVICE


ANONYMOUS = Viewer()


@dataclass(frozen=True)
class ProfileView:
    """What one viewer may see of one profile. ``visible`` False means: nothing at all."""

    profile: MemberProfile
    visible: bool
    is_owner: bool = False
    as_admin: bool = False
    show_links: bool = False
    show_settings: bool = False
    may_request: bool = False
    #: Lists read in bulk for a page of many profiles (the directory): {"interests": [...],
    #: "looking_for": [...], "offering": [...]}. None: read them from the profile's rows.
    preloaded: Mapping[str, list[str]] | None = None

    @property
    def handle(self) -> str:
        return self.profile.user.handle

    @property
    def interests(self) -> list[str]:
        return self._list("interests")

    @property
    def looking_for(self) -> list[str]:
        return self._list("looking_for")

    @property
    def offering(self) -> list[str]:
        return self._list("offering")

    def _list(self, name: str) -> list[str]:
        if self.preloaded is not None:
            return list(self.preloaded.get(name, ()))
        return list(getattr(self.profile, name))


def may_see_profile(viewer: Viewer, profile: MemberProfile) -> bool:
    """The member, admins, and whoever the member's ``visibility`` lets in."""
    if viewer.is_authenticated and viewer.user_id == profile.user_id:
        return True
    if viewer.is_admin:
        return True
    visibility = _visibility(profile)
    if visibility is ProfileVisibility.public:
        return True
    if visibility is ProfileVisibility.members:
        return viewer.is_authenticated
    return False


def is_suggestable(profile: MemberProfile) -> bool:
    """Opted in to matching, and not private (a suggestion would reveal the profile)."""
    return bool(profile.matchable) and _visibility(profile) is not ProfileVisibility.private


def may_request(viewer: Viewer, profile: MemberProfile) -> bool:
    """May this viewer ask this member for a meeting (the matching service's gate)?"""
    if not viewer.is_authenticated or viewer.user_id == profile.user_id:
        return False
    if not is_suggestable(profile) or not may_see_profile(viewer, profile):
        return False
    return not viewer.is_novice or bool(profile.novices_may_request)


def view_profile(viewer: Viewer, profile: MemberProfile) -> ProfileView:
    """Everything the viewer may see of ``profile``, decided once for every page and API."""
    if not may_see_profile(viewer, profile):
        return ProfileView(profile=profile, visible=False)
    is_owner = viewer.is_authenticated and viewer.user_id == profile.user_id
    privileged = is_owner or viewer.is_admin
    links_allowed = bool(profile.show_contact_links) and (
        viewer.is_authenticated or _visibility(profile) is ProfileVisibility.public
    )
    return ProfileView(
        profile=profile,
        visible=True,
        is_owner=is_owner,
        as_admin=viewer.is_admin and not is_owner,
        show_links=privileged or links_allowed,
        show_settings=privileged,
        may_request=may_request(viewer, profile),
    )


def directory_clause(viewer: Viewer) -> ColumnElement[bool]:
    """SQL condition on MemberProfile: the profiles this viewer finds in the directory.

    The same rule as ``may_see_profile`` plus ``in_directory``; admins see every profile.
    """
    if viewer.is_admin:
        return true()
    listed = MemberProfile.in_directory.is_(True)
    if not viewer.is_authenticated:
        return and_(listed, MemberProfile.visibility == ProfileVisibility.public)
    return and_(
        listed,
        or_(
            MemberProfile.visibility.in_([ProfileVisibility.public, ProfileVisibility.members]),
            MemberProfile.user_id == viewer.user_id,
        ),
    )


def directory_audience(viewer: Viewer) -> tuple[str, int | None]:
    """Which viewers ``directory_clause`` shows the same members: a key for cached results.

    Logged-out visitors share one list, admins another, members a third, except a
    member whose own private profile is listed: only they find themselves in it.
    """
    if viewer.is_admin:
        return ("admins", None)
    if not viewer.is_authenticated:
        return ("visitors", None)
    if viewer.listed_privately:
        return ("member", viewer.user_id)
    return ("members", None)


def suggestable_clause(viewer: Viewer) -> ColumnElement[bool]:
    """SQL condition: members matching may suggest to this viewer (never the viewer)."""
    if not viewer.is_authenticated:
        return false()
    condition = and_(
        MemberProfile.matchable.is_(True),
        MemberProfile.visibility != ProfileVisibility.private,
        MemberProfile.user_id != viewer.user_id,
    )
    if viewer.is_novice:
        condition = and_(condition, MemberProfile.novices_may_request.is_(True))
    return condition


def _visibility(profile: MemberProfile) -> ProfileVisibility:
    # A profile not yet saved has no defaults filled in; treat it like the column default.
    return ProfileVisibility(profile.visibility or ProfileVisibility.members)
