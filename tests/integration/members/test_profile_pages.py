"""The profile pages through the test client: welcome, edit, pictures, directory."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import User
from hallway.members.models import MemberAvatar, MemberProfile
from tests.factories import make_picture, make_profile, make_user

SIGNUP = {
    "display_name": "Jo Newcomer",
    "handle": "jo-new",
    "email": "jo@example.org",
    "password": "a long enough password",
    "confirm": "a long enough password",
}
ESSENTIALS = {
    "career_stage": "novice",
    "role": "Teacher",
    "organisation": "Harbourview Schools",
    "sector": "k12",
    "country": "CA",
    "region": "CA-BC",
    "time_zone": "America/Vancouver",
    "interests": ["OER", "H5P"],
    "looking_for": ["mentoring"],
    "offering": ["peer_support"],
}


def fresh(session, user_id):
    session.expire_all()
    return session.get(MemberProfile, user_id)


# --- the welcome flow -------------------------------------------------------------------


def test_sign_up_leads_to_the_welcome_flow_carrying_next(browserless):
    response = browserless.sign_up({**SIGNUP, "next": "/members"}, path="/signup?next=/members")
    assert response.headers["Location"] == "/welcome?next=/members"
    page = browserless.client.get("/welcome?next=/members").get_data(as_text=True)
    assert "Complete your profile" in page
    for stage in ("Career changers, teachers moving into ed tech", "often mentors others"):
        assert stage.lower() in page.lower()  # each stage is explained where it is chosen


@pytest.mark.parametrize(
    ("next_path", "expected"),
    [("/members", "/members"), ("https://evil.example/", "/members/jo-new")],
)
def test_completing_welcome_saves_the_essentials_then_goes_to_next(
    browserless, session, next_path, expected
):
    browserless.sign_up(SIGNUP)
    response = browserless.post_form(
        "/welcome", {**ESSENTIALS, "next": next_path, "other_interests": "a11y", "save": "1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    user = session.scalar(select(User).where(User.handle == "jo-new"))
    profile = fresh(session, user.id)
    assert (profile.career_stage, profile.region, profile.time_zone) == (
        "novice", "CA-BC", "America/Vancouver",
    )  # fmt: skip
    assert profile.interests == ["OER", "H5P", "accessibility & UDL"]
    assert profile.onboarded_at is not None


def test_skipping_welcome_goes_to_next_and_is_remembered(browserless, session):
    browserless.sign_up(SIGNUP)
    response = browserless.post_form("/welcome", {"next": "/members", "skip": "1"})
    assert response.headers["Location"] == "/members"
    user = session.scalar(select(User).where(User.handle == "jo-new"))
    assert fresh(session, user.id).onboarded_at is not None


def test_welcome_without_the_essentials_explains_what_is_missing(logged_in, session, member):
    response = logged_in.post_form("/welcome", {"role": "Teacher", "save": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose the stage that fits you best." in page
    assert "Choose your time zone" in page
    assert fresh(session, member.id) is None


# --- editing ----------------------------------------------------------------------------


def edit_form(**overrides):
    data = {
        "display_name": "Maya Okafor",
        "headline": "Learning designer",
        "career_stage": "career",
        "visibility": "members",
        "in_directory": "y",
    }
    return {**data, **overrides}


def test_the_edit_page_groups_its_sections_with_headings_and_legends(logged_in):
    page = logged_in.client.get("/profile/edit").get_data(as_text=True)
    for heading in ("About", "Career", "Region", "Interests & networks", "Intents", "Links",
                    "Privacy"):  # fmt: skip
        assert f">{heading}</h2>" in page
    for legend in ("Where are you in your career?", "Interests", "I am looking for",
                   "I can offer", "Who can see my profile"):  # fmt: skip
        assert f"<legend>{legend}</legend>" in page
    assert 'for="time_zone"' in page and 'for="country"' in page


def test_saving_the_profile_normalises_typed_tags(logged_in, session, member):
    response = logged_in.post_form(
        "/profile/edit",
        edit_form(
            interests=["OER"],
            other_interests="UDL, universal design for learning; Moodle Plugins, oer",
            other_networks="alt, SALT",
            other_qualifications="M.Ed.",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    profile = fresh(session, member.id)
    assert profile.interests == ["OER", "accessibility & UDL", "moodle plugins"]
    assert profile.networks == ["ALT", "SALT"]
    assert profile.qualifications == ["MEd"]
    page = logged_in.client.get("/profile/edit").get_data(as_text=True)
    assert re.search(r'<input checked id="interests-\d+"[^>]*value="accessibility &amp; UDL"', page)
    assert 'value="moodle plugins"' in page  # the free tag is back in "Other interests"


def test_bad_input_is_explained_next_to_the_fields_and_nothing_is_saved(logged_in, session, member):
    make_profile(session, member, headline="Before")
    session.commit()
    response = logged_in.post_form(
        "/profile/edit",
        edit_form(
            headline="After",
            country="CA",
            region="US-TX",
            time_zone="Mars/Olympus_Mons",
            **{"links-0-url": "javascript:alert(1)", "links-1-label": "Blog"},
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose a time zone from the list" in page
    assert "Enter a full web address starting with https://." in page
    assert "Add the web address, or clear this link&#39;s label." in page
    assert fresh(session, member.id).headline == "Before"


def test_a_region_outside_the_country_is_refused(logged_in, session, member):
    response = logged_in.post_form("/profile/edit", edit_form(country="GB", region="CA-BC"))
    assert response.status_code == 422
    assert "Choose a province, state or region of United Kingdom" in response.get_data(as_text=True)


def test_the_region_list_follows_the_country_without_javascript(logged_in, session, member):
    make_profile(session, member, country="AU", region="AU-VIC")
    session.commit()
    page = logged_in.client.get("/profile/edit").get_data(as_text=True)
    assert '<option selected value="AU-VIC">Victoria</option>' in page
    assert "British Columbia" not in page


def test_the_form_needs_its_csrf_token(logged_in, session, member):
    response = logged_in.client.post("/profile/edit", data=edit_form(headline="Forged"))
    assert response.status_code == 400
    assert fresh(session, member.id) is None


# --- pictures ---------------------------------------------------------------------------


def upload(logged_in, data: bytes, name="me.png"):
    return logged_in.post_form(
        "/profile/edit",
        {**edit_form(headline="With picture"), "avatar": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def png_bomb() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (png_bomb(), "bomb.png", "too large"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "me.svg", "SVG"),
        (make_picture() + b"\0" * (2 * 1024 * 1024), "big.png", "larger than 2 MB"),
        (b"%PDF-1.7 not a picture", "cv.pdf", "PDF files are not accepted"),
        (b"just some text", "notes.png", "not a picture"),
    ],
    ids=["bomb", "svg", "oversize", "pdf", "text"],
)
def test_a_refused_picture_is_a_form_error_and_nothing_is_saved(
    logged_in, session, member, data, name, message
):
    response = upload(logged_in, data, name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(MemberAvatar)) == 0
    assert fresh(session, member.id) is None  # not even the headline


def test_an_uploaded_picture_is_served_re_encoded_and_cacheable(logged_in, session, member):
    assert upload(logged_in, make_picture("JPEG", (300, 200)), "me.jpg").status_code == 302
    avatar = fresh(session, member.id).avatar
    page = logged_in.client.get("/members/maya").get_data(as_text=True)
    url = f"/members/maya/avatar?v={avatar.content_hash[:16]}"
    assert url in page

    response = logged_in.client.get(url)
    assert response.status_code == 200
    assert response.mimetype == avatar.content_type
    assert response.headers["ETag"] == f'"{avatar.content_hash}"'
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["Cache-Control"].startswith("private")  # members-only profile
    again = logged_in.client.get(url, headers={"If-None-Match": f'"{avatar.content_hash}"'})
    assert again.status_code == 304
    assert "no-cache" in logged_in.client.get("/members/maya/avatar").headers["Cache-Control"]


def test_without_a_picture_the_initials_are_drawn(logged_in):
    page = logged_in.client.get("/members/maya").get_data(as_text=True)
    assert 'class="ui-avatar ui-avatar-lg"' in page
    assert ">MO</span>" in page


# --- the directory ----------------------------------------------------------------------


def test_bad_directory_filters_get_a_clear_message(logged_in):
    response = logged_in.client.get("/members?stage=wizard&page=zero&country=ZZ")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose a career stage: Novice, Mid-career, Advanced." in page
    assert "Not a valid integer." in page
    assert "Choose a country from the list." in page
    # The refused page is a page, not its HTML shown as text.
    assert "&lt;h1&gt;" not in page
    assert '<form method="get" action="/members" class="directory-filters">' in page


def test_directory_pages_keep_the_filters_in_their_links(logged_in, session):
    for number in range(30):
        make_profile(session, make_user(session, display_name=f"Zed {number:02}"),
                     career_stage="advanced")  # fmt: skip
    session.commit()
    page = logged_in.client.get("/members?stage=advanced&per_page=10").get_data(as_text=True)
    assert "30 members" in page
    next_link = re.search(r'href="(/members\?[^"]*)" rel="next"', page).group(1)
    assert sorted(next_link.split("?")[1].split("&amp;")) == [
        "page=2", "per_page=10", "stage=advanced",
    ]  # fmt: skip
    second = logged_in.client.get("/members?stage=advanced&per_page=10&page=2")
    assert "Zed 10" in second.get_data(as_text=True)
