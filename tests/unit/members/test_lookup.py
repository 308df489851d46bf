"""Spreadsheet words read as vocabulary codes (CSV import and demo seed)."""

import pytest

from hallway.members import lookup


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Novice", "novice"),
        ("Mid-career", "career"),
        ("career", "career"),
        ("ADVANCED", "advanced"),
    ],
)
def test_career_stage_codes_from_labels_and_codes(text, code):
    assert lookup.career_stage_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("Non-profit", "non_profit"), ("nonprofit", "non_profit"), ("K-12", "k12"),
     ("Higher education", "post_secondary"), ("Corporate training", "corporate")],
)  # fmt: skip
def test_sector_codes(text, code):
    assert lookup.sector_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"), [("CA", "CA"), ("ca", "CA"), ("Canada", "CA"), ("UK", "GB"), ("USA", "US")]
)
def test_country_codes(text, code):
    assert lookup.country_code(text) == code


@pytest.mark.parametrize(
    ("country", "text", "code"),
    [
        ("CA", "BC", "CA-BC"),
        ("CA", "CA-BC", "CA-BC"),
        ("CA", "british columbia", "CA-BC"),
        ("CA", "Québec", "CA-QC"),
        ("IE", "County Dublin", "IE-L"),  # a county finds its province, the top level
        ("NZ", "Wellington", "NZ-WGN"),
        ("GB", "Wales", "GB-WLS"),
    ],
)
def test_subdivision_codes(country, text, code):
    assert lookup.subdivision_code(country, text) == code


def test_unknown_words_give_none():
    assert lookup.career_stage_code("wizard") is None
    assert lookup.country_code("Atlantis") is None
    assert lookup.subdivision_code("CA", "Texas") is None
    assert lookup.intent_code("world peace") is None


def test_subdivision_names():
    assert lookup.subdivision_name("CA-BC") == "British Columbia"
    assert lookup.subdivision_name(None) is None
