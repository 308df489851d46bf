"""The privacy rules on their own: no app, no database, just a viewer and a profile."""

from __future__ import annotations

import pytest

from hallway.accounts.models import User
from hallway.members.models import MemberProfile, ProfileVisibility
from hallway.members.privacy import ANONYMOUS, Viewer, may_request, view_profile

OWNER_ID = 1
MEMBER = Viewer(user_id=2, career_stage="career")
NOVICE = Viewer(user_id=3, career_stage="novice")
OWNER = Viewer(user_id=OWNER_ID, career_stage="advanced")
ADMIN = Viewer(user_id=4, is_admin=True)


def profile(**settings) -> MemberProfile:
    defaults = {
        "visibility": ProfileVisibility.members,
        "in_directory": True,
        "matchable": False,
        "novices_may_request": True,
        "show_contact_links": False,
    }
    user = User(id=OWNER_ID, handle="olive", display_name="Olive")
    return MemberProfile(user_id=OWNER_ID, user=user, **{**defaults, **settings})


def test_a_new_profile_is_members_only_and_not_matchable():
    view = view_profile(ANONYMOUS, profile())
    assert not view.visible
    assert not may_request(MEMBER, profile())


@pytest.mark.parametrize(
    ("visibility", "viewer", "visible"),
    [
        ("public", ANONYMOUS, True),
        ("members", ANONYMOUS, False),
        ("members", MEMBER, True),
        ("private", MEMBER, False),
        ("private", OWNER, True),
        ("private", ADMIN, True),
    ],
)
def test_visibility(visibility, viewer, visible):
    assert (
        view_profile(viewer, profile(visibility=ProfileVisibility(visibility))).visible is visible
    )


def test_a_hidden_view_carries_no_permissions():
    view = view_profile(MEMBER, profile(visibility=ProfileVisibility.private, matchable=True,
                                        show_contact_links=True))  # fmt: skip
    assert (view.visible, view.show_links, view.show_settings, view.may_request) == (
        False, False, False, False,
    )  # fmt: skip


def test_links_never_reach_anonymous_visitors_unless_the_profile_is_public():
    shown = profile(visibility=ProfileVisibility.public, show_contact_links=True)
    assert view_profile(ANONYMOUS, shown).show_links
    members_only = profile(visibility=ProfileVisibility.members, show_contact_links=True)
    assert not view_profile(ANONYMOUS, members_only).show_links
    assert view_profile(MEMBER, members_only).show_links


def test_a_private_profile_is_never_suggestable_even_when_matchable():
    hidden = profile(visibility=ProfileVisibility.private, matchable=True)
    assert not may_request(ADMIN, hidden)
    assert not may_request(MEMBER, hidden)


def test_novices_may_request_only_when_allowed():
    closed = profile(matchable=True, novices_may_request=False)
    assert may_request(MEMBER, closed)
    assert not may_request(NOVICE, closed)


def test_nobody_requests_a_meeting_with_themselves():
    assert not may_request(OWNER, profile(matchable=True))


def test_admin_sees_settings_and_is_marked_as_admin():
    view = view_profile(ADMIN, profile(visibility=ProfileVisibility.private))
    assert view.visible and view.show_settings and view.as_admin and not view.is_owner
