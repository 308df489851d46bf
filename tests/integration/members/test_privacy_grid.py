"""Every privacy rule, for every kind of viewer, on every surface: the profile page, the
JSON API, the directory page and the directory API.

Viewers: an anonymous visitor, a member, a novice member, the profile's owner, an admin.
"""

from __future__ import annotations

import pytest

from hallway.accounts.models import Role
from hallway.members import service as members_service
from tests.factories import make_picture, make_profile, make_user

VIEWERS = ("anonymous", "member", "novice", "owner", "admin")
SECRET_LINK = "https://secret-link.example.net/owner"
HEADLINE = "Curator of lightboard studios"


def setting(visibility="members", **flags):
    return {"visibility": visibility, **flags}


@pytest.fixture
def people(session):
    owner = make_user(session, display_name="Olive Owner", handle="olive")
    member = make_user(session, display_name="Mel Member", handle="mel")
    novice = make_user(session, display_name="Nico Novice", handle="nico")
    admin = make_user(session, display_name="Ada Admin", handle="ada", role=Role.admin)
    make_profile(session, member, career_stage="career")
    make_profile(session, novice, career_stage="novice")
    make_profile(session, admin, career_stage="advanced")
    session.commit()
    return {"owner": owner, "member": member, "novice": novice, "admin": admin}


def owner_profile(session, people, **settings):
    make_profile(
        session,
        people["owner"],
        career_stage="advanced",
        headline=HEADLINE,
        links=(SECRET_LINK,),
        **settings,
    )
    session.commit()


def look_as(browserless, people, viewer):
    if viewer != "anonymous":
        response = browserless.log_in(people[viewer].email)
        assert response.status_code == 302
    return browserless.client


def listed_in_directory(client) -> tuple[bool, bool]:
    page = client.get("/members?q=olive").get_data(as_text=True)
    api = client.get("/api/v1/members?q=olive").get_json()
    card = '<h3 class="list-row-title"><a href="/members/olive">Olive Owner</a>'
    return (card in page, any(item["handle"] == "olive" for item in api["items"]))


# --- who sees the profile at all -------------------------------------------------------

SEES_PROFILE = {
    "public": {"anonymous", "member", "novice", "owner", "admin"},
    "members": {"member", "novice", "owner", "admin"},
    "private": {"owner", "admin"},
}


@pytest.mark.parametrize("visibility", ["public", "members", "private"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_profile_visibility_decides_who_sees_the_page_the_api_and_the_directory(
    browserless, session, people, visibility, viewer
):
    owner_profile(session, people, **setting(visibility))
    client = look_as(browserless, people, viewer)
    allowed = viewer in SEES_PROFILE[visibility]

    page = client.get("/members/olive")
    api = client.get("/api/v1/members/olive")
    if allowed:
        assert page.status_code == 200
        assert HEADLINE in page.get_data(as_text=True)
        assert api.status_code == 200
        assert api.get_json()["headline"] == HEADLINE
    else:
        # Logged out: asked to log in; logged in: the same 404 as a handle that does not exist.
        assert page.status_code == (302 if viewer == "anonymous" else 404)
        assert HEADLINE not in page.get_data(as_text=True)
        assert api.status_code == 404
        assert HEADLINE not in api.get_data(as_text=True)
    assert listed_in_directory(client) == (allowed, allowed)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_unknown_handle_and_hidden_profile_look_the_same(browserless, session, people, viewer):
    owner_profile(session, people, **setting("private"))
    client = look_as(browserless, people, viewer)
    if viewer in ("owner", "admin"):
        return
    hidden, unknown = client.get("/members/olive"), client.get("/members/nobody-here")
    assert hidden.status_code == unknown.status_code
    assert (
        client.get("/api/v1/members/olive").get_json()
        == client.get("/api/v1/members/nobody-here").get_json()
    )


# --- the directory ---------------------------------------------------------------------


@pytest.mark.parametrize("in_directory", [True, False])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_in_directory_decides_the_listing_but_not_the_profile_page(
    browserless, session, people, viewer, in_directory
):
    owner_profile(session, people, **setting("public", in_directory=in_directory))
    client = look_as(browserless, people, viewer)
    listed = in_directory or viewer == "admin"
    assert listed_in_directory(client) == (listed, listed)
    assert client.get("/members/olive").status_code == 200


# --- contact links ---------------------------------------------------------------------

SEES_LINKS = {
    # (visibility, show_contact_links): viewers who see the links
    ("public", True): {"anonymous", "member", "novice", "owner", "admin"},
    ("members", True): {"member", "novice", "owner", "admin"},
    ("public", False): {"owner", "admin"},
    ("members", False): {"owner", "admin"},
    ("private", True): {"owner", "admin"},
}


@pytest.mark.parametrize(("visibility", "show_links"), list(SEES_LINKS))
@pytest.mark.parametrize("viewer", VIEWERS)
def test_contact_links_show_only_as_allowed_and_never_leak(
    browserless, session, people, viewer, visibility, show_links
):
    owner_profile(session, people, **setting(visibility, show_contact_links=show_links))
    client = look_as(browserless, people, viewer)
    shown = viewer in SEES_LINKS[(visibility, show_links)]

    page = client.get("/members/olive").get_data(as_text=True)
    api = client.get("/api/v1/members/olive")
    assert (SECRET_LINK in page) is shown
    assert (SECRET_LINK in api.get_data(as_text=True)) is shown
    if api.status_code == 200:
        assert ("links" in api.get_json()) is shown
    # The directory never carries links, whoever looks.
    assert SECRET_LINK not in client.get("/members").get_data(as_text=True)
    assert SECRET_LINK not in client.get("/api/v1/members").get_data(as_text=True)


# --- matching consent: who may ask for a meeting --------------------------------------


@pytest.mark.parametrize("matchable", [True, False])
@pytest.mark.parametrize("novices_may_request", [True, False])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_meeting_requests_follow_matchable_and_novices_may_request(
    browserless, session, people, viewer, matchable, novices_may_request
):
    owner_profile(
        session,
        people,
        **setting("members", matchable=matchable, novices_may_request=novices_may_request),
    )
    client = look_as(browserless, people, viewer)
    expected = {
        "anonymous": False,
        "owner": False,
        "member": matchable,
        "admin": matchable,
        "novice": matchable and novices_may_request,
    }[viewer]
    if viewer == "anonymous":
        assert client.get("/api/v1/members/olive").status_code == 404
        return
    assert client.get("/api/v1/members/olive").get_json()["can_request"] is expected
    page = client.get("/members/olive").get_data(as_text=True)
    assert ("Open to meeting requests" in page) is expected
    entry = next(item for item in client.get("/api/v1/members").get_json()["items"]
                 if item["handle"] == "olive")  # fmt: skip
    assert entry["can_request"] is expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_privacy_settings_are_shown_only_to_the_owner_and_admins(
    browserless, session, people, viewer
):
    owner_profile(session, people, **setting("public", matchable=True))
    client = look_as(browserless, people, viewer)
    body = client.get("/api/v1/members/olive").get_json()
    page = client.get("/members/olive").get_data(as_text=True)
    privileged = viewer in ("owner", "admin")
    assert ("privacy" in body) is privileged
    assert ("Profile visible to:" in page) is privileged


@pytest.mark.parametrize("visibility", ["public", "members", "private"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_picture_has_the_same_privacy_as_the_profile(
    browserless, session, people, viewer, visibility
):
    owner_profile(session, people, **setting(visibility))
    members_service.update_profile(session, people["owner"], {}, avatar_upload=make_picture())
    session.commit()
    client = look_as(browserless, people, viewer)
    response = client.get("/members/olive/avatar")
    assert response.status_code == (200 if viewer in SEES_PROFILE[visibility] else 404)
