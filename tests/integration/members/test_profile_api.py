"""The members JSON API: the directory, profiles, one's own profile, export, regions."""

from __future__ import annotations

from hallway.members.models import MemberProfile
from tests.factories import make_profile, make_user


def patch(logged_in, body, *, token=True):
    headers = {"X-CSRFToken": logged_in.csrf_token()} if token else {}
    return logged_in.client.patch("/api/v1/me/profile", json=body, headers=headers)


def test_my_profile_needs_a_login(client):
    assert client.get("/api/v1/me/profile").status_code == 401
    assert client.get("/api/v1/me/export").status_code == 401


def test_get_my_profile_includes_my_privacy_settings(logged_in):
    body = logged_in.client.get("/api/v1/me/profile").get_json()
    assert body["handle"] == "maya"
    assert body["privacy"] == {
        "visibility": "members",
        "in_directory": True,
        "matchable": False,
        "novices_may_request": True,
        "show_contact_links": False,
    }


def test_patch_updates_only_what_is_sent_and_normalises(logged_in, session, member):
    make_profile(session, member, headline="Keep me", role="Designer")
    session.commit()
    response = patch(
        logged_in,
        {
            "role": "Senior designer",
            "interests": ["a11y", "OER", "oer"],
            "offering": ["mentoring"],
            "links": [{"url": "https://maya.example.org/"}],
            "privacy": {"matchable": True, "visibility": "public"},
        },
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["headline"], body["role"]) == ("Keep me", "Senior designer")
    assert body["interests"] == ["accessibility & UDL", "OER"]
    assert body["links"] == [{"label": "Website", "url": "https://maya.example.org/"}]
    assert body["privacy"]["matchable"] is True
    assert body["privacy"]["visibility"] == "public"


def test_patch_with_bad_fields_is_422_with_messages_and_writes_nothing(logged_in, session, member):
    make_profile(session, member, headline="Before")
    session.commit()
    response = patch(
        logged_in,
        {
            "headline": "After",
            "career_stage": "wizard",
            "links": [{"url": "ftp://files.example.org"}],
            "privacy": {"visibility": "everyone"},
            "favourite_colour": "teal",
        },
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"career_stage", "links", "privacy", "favourite_colour"}
    assert errors["favourite_colour"] == ["Unknown field."]
    session.expire_all()
    assert session.get(MemberProfile, member.id).headline == "Before"


def test_patch_rules_checked_by_the_service_are_422_too(logged_in, session, member):
    response = patch(logged_in, {"country": "CA", "region": "GB-WLS", "headline": "x"})
    assert response.status_code == 422
    assert "region" in response.get_json()["errors"]
    session.expire_all()
    assert session.get(MemberProfile, member.id) is None


def test_patch_needs_the_csrf_header(logged_in, session, member):
    response = patch(logged_in, {"headline": "Forged"}, token=False)
    assert response.status_code == 400
    session.expire_all()
    assert session.get(MemberProfile, member.id) is None


def test_directory_api_filters_and_pages(logged_in, session):
    for number in range(5):
        make_profile(session, make_user(session, display_name=f"Adv {number}"),
                     career_stage="advanced", offering=["mentoring"])  # fmt: skip
    make_profile(session, make_user(session, display_name="Nov"), career_stage="novice")
    session.commit()
    body = logged_in.client.get(
        "/api/v1/members?stage=advanced&offering=mentoring&per_page=2&page=3"
    ).get_json()
    assert (body["total"], body["pages"], body["page"], body["per_page"]) == (5, 3, 3, 2)
    assert [item["display_name"] for item in body["items"]] == ["Adv 4"]
    assert body["items"][0]["offering"] == ["mentoring"]
    assert "links" not in body["items"][0]


def test_directory_api_refuses_bad_filters_with_422(logged_in):
    response = logged_in.client.get("/api/v1/members?stage=wizard&colour=teal&per_page=1000")
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"stage", "colour", "per_page"}


def test_export_api_returns_my_data(logged_in, session, member):
    make_profile(session, member, headline="Exported")
    session.commit()
    body = logged_in.client.get("/api/v1/me/export").get_json()
    assert body["account"]["email"] == member.email
    assert body["profile"]["headline"] == "Exported"


def test_regions_of_a_country(client):
    regions = client.get("/api/v1/regions/ca").get_json()
    assert {"code": "CA-BC", "name": "British Columbia"} in regions
    assert client.get("/api/v1/regions/zz").status_code == 404


def test_the_members_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {
        "/api/v1/members",
        "/api/v1/members/{handle}",
        "/api/v1/me/profile",
        "/api/v1/me/export",
    } <= set(paths)
