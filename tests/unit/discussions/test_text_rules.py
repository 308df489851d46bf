"""Slugs, tags, comment paths and quotes: the small text rules of discussions."""

import pytest

from hallway.discussions.text import (
    child_path,
    normalise_tag,
    quote_markdown,
    slugify,
    split_tags,
    tag_problems,
)


def test_slug_is_lowercase_ascii_words_joined_by_hyphens():
    assert slugify("Is the MET worth it, mid-career?") == "is-the-met-worth-it-mid-career"
    assert slugify("Café & crème: ça marche") == "cafe-and-creme-ca-marche"
    assert slugify("Who’s going to WCET's meeting?") == "whos-going-to-wcets-meeting"


def test_slug_of_punctuation_only_title_falls_back():
    assert slugify("?!…") == "discussion"


def test_long_slug_is_cut_on_a_word_boundary():
    slug = slugify("word " * 40)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert slug.endswith("word")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Career Change", "career-change"),
        ("  #H5P ", "h5p"),
        ("instructional_design", "instructional-design"),
        ("c++", "c++"),
    ],
)
def test_tags_are_normalised(raw, expected):
    assert normalise_tag(raw) == expected


def test_tags_come_from_a_comma_separated_string_or_a_list():
    assert split_tags("a, b,,  c ") == ["a", " b", "  c "]
    assert split_tags(["x", "", "y"]) == ["x", "y"]
    assert split_tags(None) == []


def test_too_many_or_malformed_tags_are_explained():
    problems = tag_problems(["a", "ok", "-bad", "x" * 31, "b", "c", "d"])
    assert "Use at most 5 tags." in problems
    assert any("“a”" in problem for problem in problems)
    assert any("-bad" in problem for problem in problems)
    assert any("x" * 31 in problem for problem in problems)


def test_child_path_appends_the_zero_padded_id():
    assert child_path(None, 12) == "0000000012"
    assert child_path("0000000012", 45) == "0000000012.0000000045"


def test_paths_sort_as_text_like_the_tree_depth_first():
    paths = [child_path(None, 9), child_path(child_path(None, 9), 10), child_path(None, 10)]
    assert sorted(paths) == paths


def test_quote_prefixes_every_line_and_attributes_it():
    quoted = quote_markdown(
        "First line\n\nsecond", author_handle="ana", permalink="/t/1/x#comment-2"
    )
    assert quoted == "@ana [wrote](/t/1/x#comment-2):\n> First line\n>\n> second\n\n"


def test_quote_of_a_former_member_has_no_mention():
    assert quote_markdown("hi", author_handle=None, permalink="/t/1/x").startswith(
        "[Someone wrote](/t/1/x):"
    )


def test_tags_may_use_letters_of_any_language():
    tags = [normalise_tag(raw) for raw in ["Pédagogie", "médiatisation", "Éducation à distance"]]
    assert tags == ["pédagogie", "médiatisation", "éducation-à-distance"]
    assert tag_problems(tags) == []


def test_a_tag_typed_with_a_combining_accent_is_the_same_tag():
    assert normalise_tag("pe\u0301dagogie") == normalise_tag("pédagogie")


@pytest.mark.parametrize("tag", ["_under", "é_", "-dash", "a b", "émoji😀"])
def test_tags_still_refuse_symbols_and_a_leading_punctuation(tag):
    assert tag_problems([tag]) != []
