"""ProfileUpdateSchema: the one contract for a profile change (API, pages, seed).

Checks that need no database live here, so the page and the JSON API refuse the same
input with the same message; the service keeps what depends on the stored profile.
"""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from hallway.members.schemas import ImportRowSchema, ProfileUpdateSchema


def load(payload):
    return ProfileUpdateSchema().load(payload)


def refusal(payload) -> dict:
    with pytest.raises(ValidationError) as refused:
        load(payload)
    return refused.value.normalized_messages()


def test_tags_networks_and_qualifications_are_normalised_and_deduplicated():
    changes = load(
        {
            "interests": ["UDL", "universal design for learning", "Moodle Plugins", "  "],
            "networks": ["alt", "SALT"],
            "qualifications": ["M.Ed.", "CPLP"],
        }
    )
    assert changes["interests"] == ["accessibility & UDL", "moodle plugins"]
    assert changes["networks"] == ["ALT", "SALT"]
    assert changes["qualifications"] == ["MEd", "CPTD"]


def test_an_unusable_tag_is_refused_with_a_message_naming_it():
    errors = refusal({"interests": ["OER", "x" * 60, "!!!"]})
    assert errors["interests"] == [
        f"“{'x' * 50}” cannot be used: keep each to 40 characters with at least one letter "
        "or digit.",
        "“!!!” cannot be used: keep each to 40 characters with at least one letter or digit.",
    ]


def test_free_network_names_may_be_longer_than_interest_tags():
    name = "Association of Learning Designers in Further Education"  # 55 characters
    assert load({"networks": [name]})["networks"] == [name]
    assert "interests" in refusal({"interests": [name]})


def test_too_many_tags_are_refused():
    errors = refusal({"interests": [f"topic {number}" for number in range(31)]})
    assert errors["interests"] == ["List at most 30 interests."]


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_a_blank_display_name_is_refused_with_one_clear_message(blank):
    assert refusal({"display_name": blank})["display_name"] == ["Tell us what to call you."]


def test_a_display_name_is_stripped():
    assert load({"display_name": "  Maya  "})["display_name"] == "Maya"


def test_import_rows_normalise_tags_like_a_profile_edit():
    row = ImportRowSchema().load(
        {
            "name": "Ana",
            "email": "ana@example.org",
            "career_stage": "novice",
            "interests": "UDL; universal design for learning, OER",
            "networks": "alt, SALT",
        }
    )
    assert row["interests"] == ["accessibility & UDL", "OER"]
    assert row["networks"] == ["ALT", "SALT"]
