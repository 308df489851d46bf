"""What people type into the search box becomes safe FTS5 / websearch queries."""

from hallway.discussions.search import (
    fts5_expression,
    highlight,
    parse_query,
    websearch_text,
)


def test_words_must_all_match():
    parsed = parse_query("LMS migration")
    assert fts5_expression(parsed) == '(("lms" AND "migration"))'
    assert websearch_text(parsed) == "lms migration"


def test_phrases_exclusions_and_or_are_understood():
    parsed = parse_query('"course redesign" -canvas or portfolio')
    assert fts5_expression(parsed) == '(("course redesign") OR ("portfolio")) NOT "canvas"'
    assert websearch_text(parsed) == '"course redesign" or portfolio -canvas'


def test_fts5_syntax_typed_by_people_is_neutralised():
    parsed = parse_query('NEAR(a b) "unclosed col:umn * ^x')
    expression = fts5_expression(parsed)
    # Punctuation inside a token joins its words into a phrase, as the tokenizer would.
    assert expression == '(("near a" AND "b" AND "unclosed col umn x"))'


def test_a_query_of_only_exclusions_or_punctuation_searches_nothing():
    assert not parse_query("-canvas").is_searchable
    assert not parse_query("?!* ").is_searchable
    assert not parse_query("").is_searchable


def test_snippets_are_escaped_and_marked():
    snippet = highlight("<b>**\x02Moodle\x03**</b> & more \x02open")
    assert str(snippet) == "&lt;b&gt;<mark>Moodle</mark>&lt;/b&gt; &amp; more <mark>open</mark>"
