"""Reading and checking the demo data files: a mistake names its file and field."""

from __future__ import annotations

import ast
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from hallway.demo import DemoData, DemoDataError
from hallway.demo.loader import unwrap
from hallway.discussions.demo import load_threads
from hallway.events.demo import load_events
from hallway.members.demo_generator import load_pools
from hallway.members.demo_members import load_fixed_members

PLATFORM = Path(__file__).resolve().parents[3] / "platform"
FIXED_HANDLES = {
    "hallway-admin", "nadia-haddad", "priya-raman", "tomas_h", "aroha-ngata",
    "jamie-brennan", "dee-kowalski", "kwame-asante", "sofia-marquez", "hannah-lewis",
    "minjun-park", "maggie-doucet", "rajiv-sethi", "fiona-mcallister",
    "genevieve-tremblay", "camille-lavoie", "remi-leblanc", "josee-lalonde",
}  # fmt: skip
CATEGORIES = ["getting-into-ed-tech", "career-growth", "tools-and-practice"]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the shipped data folder that a test may break."""
    with resources.as_file(resources.files("hallway.demo") / "data") as shipped:
        shutil.copytree(shipped, tmp_path / "data")
    return tmp_path / "data"


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write_thread(folder: Path, name: str, text: str) -> None:
    for old in (folder / "threads").iterdir():
        old.unlink()
    (folder / "threads" / name).write_text(text, encoding="utf-8")


def failure(load) -> str:
    with pytest.raises(DemoDataError) as caught:
        load()
    return str(caught.value)


# --- the shipped files ---------------------------------------------------------------


def test_the_data_ships_inside_the_package_and_is_found_there():
    data = DemoData()
    assert str(data.root).endswith("demo/data")
    assert len(data.files("threads", ".md")) >= 6
    assert len(data.files("events", ".toml")) >= 2
    assert "threads/README.md" not in data.files("threads", ".md")
    assert len(load_fixed_members(data)) == len(FIXED_HANDLES)


def test_the_demo_package_never_imports_a_feature():
    features = ("hallway.members", "hallway.discussions", "hallway.events", "hallway.home")
    for path in (PLATFORM / "hallway" / "demo").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            assert not [n for n in names if n.startswith(features)], (path.name, names)


# --- prose ---------------------------------------------------------------------------


def test_wrapped_paragraphs_and_list_items_are_joined_and_blocks_kept():
    text = """
        A paragraph wrapped
        over two lines.

        ## A heading
        - an item that
          goes on
        - another
        > a quote
        > on two lines

        ```
        code   keeps
          its lines
        ```
    """
    assert unwrap(text) == (
        "A paragraph wrapped over two lines.\n\n## A heading\n- an item that goes on\n"
        "- another\n> a quote\n> on two lines\n\n```\ncode   keeps\n  its lines\n```"
    )


# --- members -------------------------------------------------------------------------


def test_a_sector_outside_the_vocabulary_names_the_file_and_field(copy):
    replace_once(copy / "members.toml", 'sector = "k12"', 'sector = "nonprofit"')
    message = failure(lambda: load_fixed_members(DemoData(copy)))
    assert message.startswith("members.toml: members[2].sector: 'nonprofit' is not one of")
    assert "non_profit" in message


def test_a_region_name_instead_of_its_code_is_refused(copy):
    replace_once(copy / "members.toml", 'region = "CA-BC"', 'region = "British Columbia"')
    message = failure(lambda: load_fixed_members(DemoData(copy)))
    assert "members.toml: members[0].region:" in message
    assert "CA-BC" in message


def test_an_interest_outside_the_curated_tags_is_refused(copy):
    replace_once(copy / "members.toml", '"project management"', '"basket weaving"')
    message = failure(lambda: load_fixed_members(DemoData(copy)))
    assert "members.toml: members[0].interests[1]: 'basket weaving' is not one of" in message


def test_an_unknown_intent_or_time_zone_is_refused(copy):
    replace_once(copy / "members.toml", '"career_chat"', '"coffee"')
    assert "offering[1]: 'coffee' is not one of" in failure(
        lambda: load_fixed_members(DemoData(copy))
    )
    replace_once(copy / "members.toml", '"coffee"', '"career_chat"')
    replace_once(copy / "members.toml", 'time_zone = "America/Vancouver"', 'time_zone = "PT"')
    assert "members[0].time_zone: 'PT' is not an IANA time zone" in failure(
        lambda: load_fixed_members(DemoData(copy))
    )


def test_a_misspelt_field_is_refused_rather_than_ignored(copy):
    replace_once(copy / "members.toml", 'pronouns = "she/her"', 'pronoun = "she/her"')
    assert failure(lambda: load_fixed_members(DemoData(copy))) == (
        "members.toml: members[1].pronoun: is not a field the demo knows (a typo?)"
    )
    replace_once(copy / "members.toml", "headline =", "headlin =")
    assert "members[0].headline: is missing" in failure(lambda: load_fixed_members(DemoData(copy)))


def test_a_real_looking_email_or_a_repeated_handle_is_refused(copy):
    replace_once(copy / "members.toml", "admin@hallway.example.org", "admin@gmail.com")
    assert "members[0].email: 'admin@gmail.com' should use a reserved example.* domain" in (
        failure(lambda: load_fixed_members(DemoData(copy)))
    )
    replace_once(copy / "members.toml", "admin@gmail.com", "admin@hallway.example.org")
    replace_once(copy / "members.toml", 'handle = "nadia-haddad"', 'handle = "hallway-admin"')
    assert "members[1].handle: 'hallway-admin' is used by another member" in failure(
        lambda: load_fixed_members(DemoData(copy))
    )


def test_broken_toml_names_the_file(copy):
    (copy / "categories.toml").write_text("[[categories]\nslug = 1\n", encoding="utf-8")
    from hallway.discussions.demo import load_categories

    assert failure(lambda: load_categories(DemoData(copy))).startswith(
        "categories.toml: is not valid TOML"
    )


# --- the generator's pools -----------------------------------------------------------


def test_a_job_in_an_unknown_sector_names_the_pool_file(copy):
    replace_once(copy / "generator" / "jobs.toml", 'sectors = ["k12"]', 'sectors = ["school"]')
    message = failure(lambda: load_pools(DemoData(copy)))
    assert message.startswith("generator/jobs.toml: novice[0].sectors[0]: 'school' is not one of")


def test_a_sentence_with_an_unknown_blank_is_refused(copy):
    replace_once(copy / "generator" / "bios.toml", "{interest}", "{favourite}")
    message = failure(lambda: load_pools(DemoData(copy)))
    assert message.startswith("generator/bios.toml: middles.novice[")
    assert "uses {favourite}" in message


def test_a_place_with_a_region_of_another_country_is_refused(copy):
    replace_once(
        copy / "generator" / "places.toml",
        '{ country = "CA", region = "CA-BC", city = "Vancouver"',
        '{ country = "CA", region = "US-WA", city = "Vancouver"',
    )
    message = failure(lambda: load_pools(DemoData(copy)))
    assert message.startswith("generator/places.toml: locations[0].region: 'US-WA'")


# --- threads -------------------------------------------------------------------------

THREAD = """+++
title = "A question"
category = "tools-and-practice"
author = "dee-kowalski"
days_ago = 3
+++

What do you use?

+++ 1 @priya-raman

H5P, mostly.

+++ 1.1 @dee-kowalski

Thanks @priya-raman.
"""


def load(copy: Path):
    return load_threads(DemoData(copy), categories=CATEGORIES, handles=FIXED_HANDLES)


def test_a_thread_file_becomes_a_thread_with_nested_replies(copy):
    write_thread(copy, "a-question.md", THREAD)
    (thread,) = load(copy)
    assert (thread.slug, thread.author_handle, thread.body) == (
        "a-question",
        "dee-kowalski",
        "What do you use?",
    )
    (reply,) = thread.comments
    assert (reply.author_handle, reply.body) == ("priya-raman", "H5P, mostly.")
    assert [(r.author_handle, r.body) for r in reply.replies] == [
        ("dee-kowalski", "Thanks @priya-raman.")
    ]


def test_a_reply_to_a_missing_reply_names_the_file_and_line(copy):
    write_thread(copy, "a-question.md", THREAD.replace("+++ 1.1 @", "+++ 2.1 @"))
    message = failure(lambda: load(copy))
    assert message == (
        "threads/a-question.md: reply 2.1 (line 14): answers reply 2, which comes nowhere before it"
    )


def test_a_reply_by_someone_unknown_is_refused(copy):
    write_thread(copy, "a-question.md", THREAD.replace("@priya-raman\n", "@priya\n", 1))
    message = failure(lambda: load(copy))
    assert message.startswith("threads/a-question.md: reply 1 (line 10).author: 'priya'")


def test_a_mention_of_someone_unknown_is_refused(copy):
    write_thread(copy, "a-question.md", THREAD.replace("Thanks @priya-raman", "Thanks @priya"))
    assert "reply 1.1 (line 14).body: mentions @priya, who is not a demo member" in failure(
        lambda: load(copy)
    )


def test_a_thread_in_an_unknown_category_is_refused(copy):
    write_thread(copy, "a-question.md", THREAD.replace("tools-and-practice", "chit-chat"))
    assert failure(lambda: load(copy)).startswith(
        "threads/a-question.md: category: 'chit-chat' is not one of"
    )


def test_a_malformed_reply_line_says_how_it_should_read(copy):
    write_thread(copy, "a-question.md", THREAD.replace("+++ 1 @priya-raman", "+++ priya-raman"))
    assert "should read '+++ <number> @<handle>'" in failure(lambda: load(copy))


# --- events --------------------------------------------------------------------------


def test_an_event_in_an_unknown_time_zone_names_the_file(copy):
    path = copy / "events" / "hallway-live-breaking-into-ed-tech.toml"
    replace_once(path, 'time_zone = "America/Vancouver"', 'time_zone = "PST"')
    message = failure(lambda: load_events(DemoData(copy), date(2026, 1, 15), handles=FIXED_HANDLES))
    assert message == (
        "events/hallway-live-breaking-into-ed-tech.toml: when.time_zone: "
        "'PST' is not an IANA time zone"
    )


def test_an_event_in_person_needs_a_venue(copy):
    path = copy / "events" / "hallway-meetup-etug-spring-workshop.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[venue]")
    path.write_text(text[:start] + text[text.index("[[rooms]]") :], encoding="utf-8")
    message = failure(lambda: load_events(DemoData(copy), date(2026, 1, 15), handles=FIXED_HANDLES))
    assert message.startswith("events/hallway-meetup-etug-spring-workshop.toml: venue:")


def test_a_session_speaker_must_be_a_demo_member(copy):
    path = copy / "events" / "alt-c-annual-conference.toml"
    replace_once(path, 'speakers = ["hannah-lewis"]', 'speakers = ["nobody-here"]')
    message = failure(lambda: load_events(DemoData(copy), date(2026, 1, 15), handles=FIXED_HANDLES))
    assert message.startswith("events/alt-c-annual-conference.toml: sessions[0].speakers[0]:")


def test_a_session_on_a_day_after_the_event_is_refused(copy):
    path = copy / "events" / "alt-c-annual-conference.toml"
    replace_once(path, "day = 3\n", "day = 4\n")
    message = failure(lambda: load_events(DemoData(copy), date(2026, 1, 15), handles=FIXED_HANDLES))
    assert message.endswith(
        "alt-c-annual-conference.toml: sessions[2].day: the event lasts 3 day(s)"
    )


def test_more_people_hidden_than_going_is_refused(copy):
    path = copy / "events" / "alt-c-annual-conference.toml"
    replace_once(path, "hidden = 1", "hidden = 10")
    message = failure(lambda: load_events(DemoData(copy), date(2026, 1, 15), handles=FIXED_HANDLES))
    assert message.startswith("events/alt-c-annual-conference.toml: attendees:")


def test_a_language_hallway_does_not_speak_is_refused(copy):
    replace_once(copy / "members.toml", '\nlanguage = "fr_CA"', '\nlanguage = "fr"')
    assert "members[14].language: 'fr' is not one of: en, fr_CA" in failure(
        lambda: load_fixed_members(DemoData(copy))
    )
