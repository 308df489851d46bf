"""Profile rules in the members service: normalising, checking before writing, the
welcome flow, the export, deleting an account and the organisers' import."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import Role, User
from hallway.core import export
from hallway.core.errors import InvalidInput, NotAllowed
from hallway.members import service
from hallway.members.models import (
    MemberAvatar,
    MemberIntent,
    MemberLink,
    MemberProfile,
    MemberTag,
    ProfileVisibility,
)
from hallway.members.schemas import ImportRowSchema
from tests.factories import DEFAULT_PASSWORD, make_picture, make_profile, make_user


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_member_without_a_profile_gets_the_safe_defaults_without_a_row(session):
    user = make_user(session)
    profile = service.profile_of(session, user)
    assert profile.visibility is ProfileVisibility.members
    assert (profile.in_directory, profile.matchable, profile.show_contact_links) == (
        True, False, False,
    )  # fmt: skip
    assert count(session, MemberProfile) == 0


def test_retagging_with_the_same_values_keeps_their_rows_and_new_order(session):
    profile = make_profile(session, interests=["OER", "H5P"])
    first_ids = {tag.value: tag.id for tag in profile.tags}
    service.update_profile(session, profile.user, {"interests": ["H5P", "OER", "podcasting"]})
    session.expire_all()
    profile = session.get(MemberProfile, profile.user_id)
    assert profile.interests == ["H5P", "OER", "podcasting"]
    assert {tag.value: tag.id for tag in profile.tags if tag.value != "podcasting"} == first_ids


def test_a_region_must_belong_to_the_country_and_nothing_is_written_otherwise(session):
    user = make_user(session, display_name="Before")
    with pytest.raises(InvalidInput) as refused:
        service.update_profile(
            session,
            user,
            {"display_name": "After", "country": "CA", "region": "US-TX", "headline": "x"},
        )
    assert "region" in refused.value.field_errors
    session.expire_all()
    assert session.get(User, user.id).display_name == "Before"
    assert count(session, MemberProfile) == 0


def test_changing_country_without_a_region_clears_the_old_region(session):
    profile = make_profile(session, country="CA", region="CA-BC")
    service.update_profile(session, profile.user, {"country": "GB"})
    assert (profile.country, profile.region) == ("GB", None)


def test_intents_are_stored_by_direction(session):
    profile = make_profile(
        session, looking_for=["mentoring", "job_leads"], offering=["peer_support"]
    )
    rows = session.execute(
        select(MemberIntent.direction, MemberIntent.intent).where(
            MemberIntent.user_id == profile.user_id
        )
    ).all()
    assert {(str(direction), intent) for direction, intent in rows} == {
        ("looking_for", "mentoring"),
        ("looking_for", "job_leads"),
        ("offering", "peer_support"),
    }


def test_links_get_a_readable_label_when_none_is_given(session):
    profile = make_profile(
        session,
        links=(
            "https://www.linkedin.com/in/someone",
            "https://mastodon.example/@someone",
            "https://someone.example.org/",
        ),
    )
    assert [link.label for link in profile.links] == ["LinkedIn", "Mastodon", "Website"]


def test_a_refused_picture_changes_nothing(session):
    profile = make_profile(session, headline="Old")
    with pytest.raises(InvalidInput) as refused:
        service.update_profile(
            session, profile.user, {"headline": "New"}, avatar_upload=b"<svg></svg>"
        )
    assert "SVG" in refused.value.field_errors["avatar"][0]
    assert profile.headline == "Old"
    assert count(session, MemberAvatar) == 0


def test_a_picture_is_stored_re_encoded_with_its_hash_and_replaced_in_place(session):
    profile = make_profile(session)
    service.update_profile(session, profile.user, {}, avatar_upload=make_picture("JPEG"))
    first = profile.avatar.content_hash
    assert profile.avatar.content_type in ("image/webp", "image/png")
    service.update_profile(session, profile.user, {}, avatar_upload=make_picture(size=(80, 40)))
    assert profile.avatar.content_hash != first
    assert count(session, MemberAvatar) == 1
    service.update_profile(session, profile.user, {}, remove_avatar=True)
    session.flush()
    assert count(session, MemberAvatar) == 0


def test_welcome_requires_the_essentials(session):
    user = make_user(session)
    with pytest.raises(InvalidInput) as refused:
        service.complete_welcome(session, user, {"role": "Instructional designer"})
    assert set(refused.value.field_errors) == {"career_stage", "country", "time_zone", "interests"}
    assert service.needs_welcome(session, user)


def test_completing_or_skipping_welcome_ends_it(session):
    first, second = make_user(session), make_user(session)
    service.complete_welcome(
        session,
        first,
        {"career_stage": "novice", "country": "CA", "time_zone": "America/Toronto",
         "interests": ["OER"]},
    )  # fmt: skip
    service.skip_welcome(session, second)
    assert not service.needs_welcome(session, first)
    assert not service.needs_welcome(session, second)


# --- export -----------------------------------------------------------------------------


def test_export_holds_the_account_the_profile_and_the_picture(session):
    profile = make_profile(
        session,
        headline="Hello",
        interests=["OER"],
        looking_for=["mentoring"],
        links=("https://someone.example.org/",),
        visibility="public",
    )
    service.update_profile(session, profile.user, {}, avatar_upload=make_picture())
    data = service.export_member_data(session, profile.user)
    assert data["account"]["email"] == profile.user.email
    assert data["profile"]["headline"] == "Hello"
    assert data["profile"]["interests"] == ["OER"]
    assert data["profile"]["looking_for"] == ["mentoring"]
    assert data["profile"]["links"] == [{"label": "Website", "url": "https://someone.example.org/"}]
    assert data["profile"]["privacy"]["visibility"] == "public"
    assert data["avatar"]["sha256"] == profile.avatar.content_hash
    assert "password_hash" not in str(data)


def test_other_features_add_their_parts_to_the_export(session, monkeypatch):
    monkeypatch.setattr(export, "_parts", {})
    export.register_export_part("bookmarks", lambda s, user: [f"for {user.handle}"])
    export.register_export_part("profile", lambda s, user: "not the profile")
    user = make_profile(session, headline="Learning designer").user
    data = service.export_member_data(session, user)
    assert data["bookmarks"] == [f"for {user.handle}"]
    assert data["profile"]["headline"] == "Learning designer"


# --- deleting an account ----------------------------------------------------------------


def test_deleting_needs_the_password(session):
    profile = make_profile(session)
    with pytest.raises(InvalidInput):
        service.delete_account(session, profile.user, password="not it")
    assert count(session, User) == 1


def test_deleting_removes_the_account_and_everything_personal(session, app_context):
    profile = make_profile(
        session, interests=["OER"], offering=["mentoring"], links=("https://x.example.org/",)
    )
    service.update_profile(session, profile.user, {}, avatar_upload=make_picture())
    service.delete_account(session, profile.user, password=DEFAULT_PASSWORD)
    for model in (User, MemberProfile, MemberTag, MemberIntent, MemberLink, MemberAvatar):
        assert count(session, model) == 0, model


# --- import -----------------------------------------------------------------------------


# A row as the import reads it from a registration export (ImportRowSchema normalises).
ROW = ImportRowSchema().load(
    {
        "name": "Émilie Tremblay",
        "email": "emilie@example.org",
        "career_stage": "career",
        "organisation": "Collège Laurier",
        "role": "Conseillère pédagogique",
        "interests": "UDL; OER",
    }
)


def test_only_organisers_import(session):
    member = make_user(session)
    with pytest.raises(NotAllowed):
        service.import_members(session, member, [ROW])


def test_import_creates_then_updates_by_email(session):
    organiser = make_user(session, role=Role.organiser)
    outcome = service.import_members(session, organiser, [ROW])
    assert outcome.created == ["emilie@example.org"]
    user = session.scalar(select(User).where(User.email == "emilie@example.org"))
    assert user.handle == "emilie-tremblay"
    assert not user.password_hash.startswith(("scrypt", "pbkdf2"))  # no password can match
    again = service.import_members(session, organiser, [{**ROW, "role": "Directrice"}])
    assert again.updated == ["emilie@example.org"]
    assert count(session, User) == 2
    assert service.profile_of(session, user).role == "Directrice"
    assert service.profile_of(session, user).interests == ["accessibility & UDL", "OER"]


def test_imported_handles_are_unique(session):
    make_user(session, handle="sam-lee")
    assert service.handle_from_name(session, "Sam Lee") == "sam-lee-2"
    assert service.handle_from_name(session, "李") == "member"
