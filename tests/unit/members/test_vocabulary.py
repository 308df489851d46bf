"""The profile vocabulary: curated choices and the normalisers that make tags comparable."""

from __future__ import annotations

import pytest

from hallway.members import vocabulary as v

# ---- fixed choices --------------------------------------------------------------------


def test_career_stages_are_ordered_from_novice_to_advanced() -> None:
    assert list(v.CAREER_STAGES) == ["novice", "career", "advanced"]
    for stage in v.CAREER_STAGES.values():
        assert stage.label and stage.explanation


def test_sectors_and_intents_have_the_agreed_codes() -> None:
    assert set(v.SECTORS) == {
        "post_secondary",
        "corporate",
        "k12",
        "non_profit",
        "continuing_ed",
        "other",
    }
    assert set(v.INTENTS) == {
        "mentoring",
        "career_chat",
        "job_leads",
        "hiring",
        "collaborators",
        "peer_support",
        "speaking",
        "course_feedback",
    }


def test_fixed_choices_cannot_be_changed_by_accident() -> None:
    with pytest.raises(TypeError):
        v.SECTORS["new"] = "New"  # type: ignore[index]


def test_curated_tags_are_their_own_normal_form() -> None:
    assert 40 <= len(v.INTEREST_TAGS) <= 60
    for tag in v.INTEREST_TAGS:
        assert v.normalise_tag(tag) == tag
        assert v.is_curated_tag(tag)
        assert len(tag) <= v.MAX_TAG_LENGTH


def test_curated_networks_and_qualifications_are_their_own_normal_form() -> None:
    for code, name in v.NETWORKS.items():
        assert v.normalise_network(code) == code
        assert v.normalise_network(name) == code
    for code, name in v.QUALIFICATIONS.items():
        assert v.normalise_qualification(code) == code
        assert v.normalise_qualification(name) == code


# ---- tags -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("udl", "accessibility & UDL"),
        ("Universal Design for Learning", "accessibility & UDL"),
        ("a11y", "accessibility & UDL"),
        ("Accessibility", "accessibility & UDL"),
        ("accessibility and UDL", "accessibility & UDL"),
        ("genai", "generative AI in teaching"),
        ("gen ai", "generative AI in teaching"),
        ("Gen-AI", "generative AI in teaching"),
        ("AI in education", "generative AI in teaching"),
        ("ChatGPT in teaching", "generative AI in teaching"),
        ("ID", "instructional design"),
        ("instructional designer", "instructional design"),
        ("open educational resources", "OER"),
        ("oer", "OER"),
        ("lms admin", "LMS administration"),
        ("XAPI", "xAPI"),
        ("h5p", "H5P"),
        ("d2l", "Brightspace"),
        ("L&D", "workplace learning"),
        ("competency based education", "competency-based education"),
    ],
)
def test_synonyms_map_to_the_curated_tag(raw: str, expected: str) -> None:
    assert v.normalise_tag(raw) == expected


def test_case_spacing_and_hyphens_do_not_matter_for_curated_tags() -> None:
    for raw in (
        "  Learning   Analytics ",
        "LEARNING ANALYTICS",
        "learning-analytics",
        "\tlearning\nanalytics",
    ):
        assert v.normalise_tag(raw) == "learning analytics"


def test_free_tags_are_cleaned_and_lowercased() -> None:
    assert v.normalise_tag("  Moodle   Plugins ") == "moodle plugins"
    assert v.normalise_tag("C#") == "c#"
    assert v.normalise_tag("Python 3.11") == "python 3.11"


def test_free_tags_are_not_curated() -> None:
    assert not v.is_curated_tag("moodle plugins")


def test_junk_characters_are_stripped_from_tags() -> None:
    assert v.normalise_tag("<script>alert(1)</script>") == "script alert 1 /script"
    assert v.normalise_tag("learning,analytics") == "learning analytics"
    assert v.normalise_tag("teacher's toolkit") == "teachers toolkit"
    assert v.normalise_tag("Moodle™ 🎉") == "Moodle"
    assert v.normalise_tag("Ｍｏｏｄｌｅ") == "Moodle"


def test_unicode_letters_are_kept_in_free_tags() -> None:
    assert v.normalise_tag("Pédagogie Numérique") == "pédagogie numérique"


@pytest.mark.parametrize("raw", ["", "   ", "###", "!!!", "🎉🎉", "x" * 41])
def test_empty_junk_only_and_over_long_tags_are_rejected(raw: str) -> None:
    assert v.normalise_tag(raw) == ""


def test_a_forty_character_tag_is_accepted() -> None:
    assert v.normalise_tag("x" * 40) == "x" * 40


def test_normalise_tags_dedupes_and_keeps_order() -> None:
    raws = ["UDL", "oer", "Accessibility", "", "Moodle plugins", "OER", "moodle  PLUGINS", "###"]
    assert v.normalise_tags(raws) == ["accessibility & UDL", "OER", "moodle plugins"]


# ---- networks and qualifications ------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("alt", "ALT"),
        ("A.L.T.", "ALT"),
        ("Association for Learning Technology", "ALT"),
        ("educause", "EDUCAUSE"),
        ("EduCause", "EDUCAUSE"),
        ("wcet", "WCET"),
        ("Réseau d'enseignement francophone à distance du Canada", "REFAD"),
        ("bccampus", "BCcampus"),
        ("ecampus ontario", "eCampusOntario"),
        ("Contact Nord", "Contact North"),
        ("ASTD", "ATD"),
    ],
)
def test_network_names_and_codes_map_to_the_canonical_code(raw: str, expected: str) -> None:
    assert v.normalise_network(raw) == expected


def test_unknown_networks_keep_their_case() -> None:
    assert v.normalise_network("  OpenETC ") == "OpenETC"


def test_normalise_networks_dedupes_ignoring_case() -> None:
    assert v.normalise_networks(["alt", "ALT", "OpenETC", "openetc", ""]) == ["ALT", "OpenETC"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("M.Ed.", "MEd"),
        ("med", "MEd"),
        ("Master of Education", "MEd"),
        ("Ph.D.", "PhD"),
        ("met", "MET"),
        ("malat", "MALAT"),
        ("cmalt", "CMALT"),
        ("CPLP", "CPTD"),
        ("MA in Educational Technology", "MA Educational Technology"),
        ("QM certified", "Quality Matters certification"),
    ],
)
def test_qualifications_map_to_the_canonical_code(raw: str, expected: str) -> None:
    assert v.normalise_qualification(raw) == expected


def test_unknown_qualifications_are_cleaned_and_too_long_ones_rejected() -> None:
    assert v.normalise_qualification(" Certificate  in  Adult Education ") == (
        "Certificate in Adult Education"
    )
    assert v.normalise_qualification("x" * (v.MAX_NAME_LENGTH + 1)) == ""
    assert v.normalise_qualifications(["PhD", "ph.d", ""]) == ["PhD"]


# ---- time zones, countries ------------------------------------------------------------


def test_time_zones_are_sorted_iana_names_without_legacy_aliases() -> None:
    assert list(v.TIME_ZONES) == sorted(v.TIME_ZONES)
    assert "America/Vancouver" in v.TIME_ZONES
    assert "UTC" in v.TIME_ZONES
    for legacy in ("EST5EDT", "Etc/GMT+5", "US/Pacific", "Cuba", "localtime"):
        assert legacy not in v.TIME_ZONES


@pytest.mark.parametrize("name", ["America/Toronto", "Europe/London", "Australia/Sydney", "UTC"])
def test_real_time_zones_are_valid(name: str) -> None:
    assert v.is_valid_time_zone(name)


@pytest.mark.parametrize(
    "name", ["", "Mars/Olympus_Mons", "america/toronto", "EST5EDT", "../../etc/passwd"]
)
def test_unknown_or_legacy_time_zones_are_invalid(name: str) -> None:
    assert not v.is_valid_time_zone(name)


def test_countries_use_everyday_names() -> None:
    assert v.country_name("ca") == "Canada"
    assert v.country_name("TW") == "Taiwan"
    assert v.country_name("ZZ") is None
    assert v.is_valid_country("AU")
    assert not v.is_valid_country("au")
    assert len(v.COUNTRIES) > 240


def test_subdivisions_are_the_top_level_regions_sorted_by_name() -> None:
    provinces = v.subdivisions_for("CA")
    assert ("CA-BC", "British Columbia") in provinces
    assert len(provinces) == 13
    assert [name for _, name in provinces] == sorted(name for _, name in provinces)
    assert v.subdivisions_for("gb") == [
        ("GB-ENG", "England"),
        ("GB-NIR", "Northern Ireland"),
        ("GB-SCT", "Scotland"),
        ("GB-WLS", "Wales"),
    ]
    assert v.subdivisions_for("ZZ") == []
    assert v.is_valid_subdivision("CA", "CA-QC")
    assert not v.is_valid_subdivision("US", "CA-QC")


def test_country_names_follow_the_language() -> None:
    french = v.country_names("fr_CA")
    assert french["DE"] == "Allemagne"
    assert french["CA"] == "Canada"
    assert v.country_names("en")["DE"] == "Germany"
    assert set(french) == set(v.COUNTRIES)


def test_french_country_names_sort_with_accents_set_aside() -> None:
    names = list(v.country_names("fr_CA").values())
    assert names.index("Égypte") < names.index("Érythrée") < names.index("Espagne")
    assert names.index("Égypte") > names.index("Danemark")
