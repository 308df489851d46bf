"""Free text mapped to curated topics: the synonyms matching and the import rely on."""

from __future__ import annotations

import pytest

from hallway.members import vocabulary
from hallway.members.vocabulary import TopicMatcher, topics_for_phrase


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("captioning", ["accessibility & UDL"]),
        ("Closed Captions", ["accessibility & UDL"]),
        ("Moodle", ["Moodle", "LMS administration"]),
        ("moodle plugins", ["Moodle", "LMS administration"]),
        ("Sakai", ["LMS administration"]),
        ("UDL", ["accessibility & UDL"]),
        ("L&D", ["workplace learning"]),
        ("sous-titrage", ["accessibility & UDL"]),
        ("Storyline", ["Articulate Storyline", "e-learning authoring"]),
        ("", []),
        ("gardening", []),
    ],
)
def test_phrases_name_topics(text, topics):
    assert topics_for_phrase(text) == topics


def test_a_passage_gives_its_topics_in_order_once():
    text = "I run our Moodle site, caption videos, and mentor on Moodle admin."
    assert topics_for_phrase(text) == ["Moodle", "LMS administration", "accessibility & UDL"]


def test_short_acronyms_match_only_in_capitals():
    assert topics_for_phrase("I'd say the meeting is at 2 pm") == []
    assert topics_for_phrase("AI in teaching") == ["generative AI in teaching"]
    assert topics_for_phrase("Working in ID and PM") == [
        "instructional design",
        "project management",
    ]


def test_whole_words_only():
    assert topics_for_phrase("captionless recaptioning") == []


def test_every_topic_phrase_points_to_a_curated_topic():
    for topic in vocabulary.TOPIC_PHRASES:
        assert vocabulary.is_curated_tag(topic), topic


def test_the_longest_phrase_wins():
    matcher = TopicMatcher({"open pedagogy": ("open practices",), "OER": ("open",)})
    assert matcher.matches("open practices") == [("open practices", ["open pedagogy"])]
    assert matcher.topics("open") == ["OER"]
