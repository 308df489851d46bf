"""The demo community's content, as read from the data files: deterministic, unique,
coherent, plausible, and in the members' vocabulary."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date, timedelta

import pytest

from hallway.demo import DemoData
from hallway.discussions.demo import load_categories, load_threads, walk_comments
from hallway.events.demo import load_events
from hallway.members import vocabulary
from hallway.members.demo import demo_members
from hallway.members.demo_members import load_fixed_members
from hallway.members.schemas import LinkSchema

TODAY = date(2026, 1, 15)
SENTENCE_END = re.compile(r"(?<!\.m)[.!?][\"')]*(?=\s|$)")
EMAIL_RE = re.compile(r"^[a-z0-9._-]+@([a-z0-9-]+\.)*example\.(org|edu|com|net)$")
HANDLE_RE = re.compile(r"^[a-z0-9_-]{3,30}$")
MAIN_COUNTRIES = {"CA", "US", "GB", "AU", "NZ", "IE"}


@pytest.fixture(scope="module")
def data() -> DemoData:
    return DemoData()


@pytest.fixture(scope="module")
def everyone(data):
    return demo_members(data, 200)


@pytest.fixture(scope="module")
def fixed(data):
    return load_fixed_members(data)


@pytest.fixture(scope="module")
def featured(fixed):
    return [m for m in fixed if m.account_role == "member"]


@pytest.fixture(scope="module")
def members(everyone):
    """Everyone but the admin and the organiser."""
    return [m for m in everyone if m.account_role == "member"]


@pytest.fixture(scope="module")
def generated(everyone, fixed):
    return everyone[len(fixed) :]


@pytest.fixture(scope="module")
def threads(data, fixed):
    categories = [category.slug for category in load_categories(data)]
    return load_threads(data, categories=categories, handles={m.handle for m in fixed})


def test_members_are_deterministic(data):
    assert demo_members(data, 60, random.Random(7)) == demo_members(data, 60, random.Random(7))
    assert demo_members(data, 60) == demo_members(data, 60, random.Random(2026))
    assert demo_members(data, 60, random.Random(7)) != demo_members(data, 60, random.Random(8))


def test_member_count_and_fixed_members_first(data, everyone, fixed, featured, members):
    assert len(members) == 200
    assert everyone[: len(fixed)] == fixed
    assert [m.account_role for m in fixed[:2]] == ["admin", "organiser"]
    assert len(featured) == 16
    assert {m.career_stage for m in featured} == set(vocabulary.CAREER_STAGES)
    assert len([m for m in demo_members(data, 50) if m.account_role == "member"]) == 50
    # Never fewer than the featured members: the threads are theirs.
    assert demo_members(data, 5) == fixed


def test_handles_and_emails_are_unique_and_well_formed(everyone):
    handles = [m.handle for m in everyone]
    emails = [m.email for m in everyone]
    assert len(set(handles)) == len(handles)
    assert len(set(emails)) == len(emails)
    for m in everyone:
        assert HANDLE_RE.fullmatch(m.handle), m.handle
        assert EMAIL_RE.fullmatch(m.email), m.email


def test_stage_proportions(members):
    counts = Counter(m.career_stage for m in members)
    assert 0.30 <= counts["novice"] / len(members) <= 0.40
    assert 0.40 <= counts["career"] / len(members) <= 0.50
    assert 0.15 <= counts["advanced"] / len(members) <= 0.25


def test_field_values_are_vocabulary_codes(everyone):
    for m in everyone:
        assert m.career_stage in vocabulary.CAREER_STAGES
        assert m.sector in vocabulary.SECTORS
        assert m.profile_visibility in {"public", "members", "private"}
        assert vocabulary.is_valid_country(m.country)
        assert vocabulary.is_valid_subdivision(m.country, m.region), (m.country, m.region)
        assert vocabulary.is_valid_time_zone(m.time_zone)
        assert m.city and m.role and m.organisation and m.headline
        assert set(m.interests) <= set(vocabulary.INTEREST_TAGS), m.interests
        assert set(m.looking_for) <= set(vocabulary.INTENTS)
        assert set(m.offering) <= set(vocabulary.INTENTS)
        assert set(m.networks) <= set(vocabulary.NETWORKS)
        assert all(vocabulary.normalise_qualification(q) == q for q in m.qualifications)
        assert len(m.networks) <= 3 and len(m.qualifications) <= 2 and len(m.links) <= 2


def test_the_organiser_works_for_a_non_profit(fixed):
    organiser = next(m for m in fixed if m.account_role == "organiser")
    assert organiser.sector == "non_profit"


def test_every_link_is_one_the_profile_form_accepts(everyone):
    for m in everyone:
        for url in m.links:
            assert url.startswith("https://") and ".example." in url
            assert not LinkSchema().validate({"url": url}), url


def test_generated_members_are_varied_and_coherent(members, generated):
    assert len({m.display_name for m in members}) == len(members)
    assert len({m.bio for m in members}) > 180
    assert Counter(m.country for m in members).keys() >= MAIN_COUNTRIES
    main = sum(m.country in MAIN_COUNTRIES for m in members)
    assert main / len(members) >= 0.85
    for m in generated:
        assert 2 <= len(m.interests) <= 6
        sentences = SENTENCE_END.findall(m.bio)
        assert 2 <= len(sentences) <= 4, m.bio
        assert "{" not in m.bio + m.headline
        if m.career_stage == "novice":
            assert set(m.looking_for) & {"mentoring", "career_chat", "job_leads"}
            assert set(m.offering) <= {"peer_support", "course_feedback"}
        if m.career_stage == "advanced":
            assert set(m.offering) & {"mentoring", "hiring", "speaking"}
    matchable = sum(m.matchable for m in members) / len(members)
    assert 0.6 <= matchable <= 0.8
    visibility = Counter(m.profile_visibility for m in members)
    assert visibility["members"] > visibility["public"] > visibility["private"] > 0
    assert sum(m.in_directory for m in members) / len(members) > 0.75


def test_generated_members_work_where_they_live(generated):
    """An organisation tied to regions only employs members living in one of them."""
    kelvinside = [m for m in generated if m.organisation == "Kelvinside University"]
    assert all(m.region == "GB-SCT" for m in kelvinside)
    continuing = [m for m in generated if m.sector == "continuing_ed"]
    assert any(m.organisation.startswith("Continuing Studies, ") for m in continuing)


def test_everyone_joined_before_the_oldest_thread(everyone, threads):
    oldest = max(thread.days_ago for thread in threads)
    for m in everyone:
        assert m.joined_days_ago > oldest, (m.handle, m.joined_days_ago)
        assert m.joined_days_ago <= 730


def test_categories(data):
    slugs = [category.slug for category in load_categories(data)]
    assert len(slugs) == 7 == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9-]+", slug) for slug in slugs)


def _depth(comments, level=1):
    return max((max(level, _depth(c.replies, level + 1)) for c in comments), default=0)


def test_threads_reference_known_categories_and_authors(data, threads, fixed):
    assert 10 <= len(threads) <= 12
    slugs = {category.slug for category in load_categories(data)}
    authors = {m.handle for m in fixed if m.account_role != "admin"}
    assert len({t.slug for t in threads}) == len(threads)
    for thread in threads:
        assert thread.category_slug in slugs
        assert thread.author_handle in authors
        assert thread.tags and thread.body.strip()
        for _, comment in walk_comments(thread.comments):
            assert comment.author_handle in authors
            assert comment.body.strip()
    assert [t.days_ago for t in threads] == sorted((t.days_ago for t in threads), reverse=True)
    assert [t.slug for t in threads if t.pinned] == ["welcome-introduce-yourself"]


#: Words common in French prose and rare in English: a post written in French has several.
FRENCH_WORDS = re.compile(
    r"\b(je|nous|vous|le|la|les|du|des|une|et|est|sont|pour|avec|dans|qui|pas|aussi|ça)\b"
)


def _reads_french(text: str) -> bool:
    return len(FRENCH_WORDS.findall(text.lower())) >= 5


def test_francophone_members_from_quebec_acadie_and_ontario(fixed, featured):
    francophones = [m for m in featured if m.language == "fr_CA"]
    assert {m.region for m in francophones} >= {"CA-QC", "CA-NB", "CA-ON"}
    assert {m.career_stage for m in francophones} == set(vocabulary.CAREER_STAGES)
    assert {"REFAD", "CNIE"} <= {network for m in francophones for network in m.networks}
    assert any("Cégep" in m.organisation for m in francophones)
    for m in francophones:
        assert _reads_french(m.bio), m.handle
    # Everyone else leaves the language to their browser, as most members do.
    assert all(m.language is None for m in fixed if m not in francophones)


def test_some_threads_are_in_french_with_french_replies(data, threads, featured):
    francophones = {m.handle for m in featured if m.language == "fr_CA"}
    french = [t for t in threads if _reads_french(t.body)]
    assert len(french) >= 4
    assert any(t.category_slug == "francophonie" for t in french)
    assert any(t.category_slug != "francophonie" for t in french)
    assert {t.author_handle for t in french} <= francophones
    assert "Moodle ou Brightspace au collégial?" in {t.title for t in french}
    for thread in french:
        replies = [c for _, c in walk_comments(thread.comments)]
        assert sum(_reads_french(c.body) for c in replies) >= 3, thread.slug
    francophonie = next(c for c in load_categories(data) if c.slug == "francophonie")
    assert _reads_french(francophonie.description)


def test_article_thread_is_long_and_deeply_nested(threads):
    article = next(t for t in threads if t.title.startswith("How I became"))
    words = len(article.body.split())
    assert 500 <= words <= 900, words
    assert article.body.count("\n## ") >= 3
    assert "\n> " in article.body and "\n- " in article.body and "\n1. " in article.body
    # Paragraphs wrapped in the file read as one line each, as a member would type them.
    assert "Every few weeks someone messages me a version of the same question" in article.body
    assert "(or a trainer, or a librarian, or a grad student)" in article.body
    assert _depth(article.comments) >= 5
    assert len(list(walk_comments(article.comments))) >= 15


def test_replies_nest_as_their_numbers_say(threads):
    article = next(t for t in threads if t.title.startswith("How I became"))
    first = article.comments[0]
    assert (first.number, first.author_handle) == ("1", "priya-raman")
    assert [r.number for r in first.replies] == ["1.1"]
    assert first.replies[0].author_handle == "maggie-doucet"
    assert [c.number for c in article.comments] == ["1", "2", "3", "4", "5"]


def test_mentions_refer_to_featured_members(data, threads, featured):
    from hallway.core.markdown import extract_mentions

    bodies = []
    for thread in threads:
        bodies.append(thread.body)
        bodies += [c.body for _, c in walk_comments(thread.comments)]
    for event in load_events(data, TODAY, handles={m.handle for m in featured} | {"nadia-haddad"}):
        bodies.append(event.description)
        bodies += [announcement.body for announcement in event.announcements]
    mentions = [h for body in bodies for h in extract_mentions(body)]
    assert len(mentions) >= 5
    assert set(mentions) <= {m.handle for m in featured}


@pytest.mark.parametrize("today", [TODAY, date(2026, 12, 31), date(2027, 2, 28)])
def test_events_are_past_this_week_and_upcoming_and_keep_every_field(data, fixed, today):
    organiser = next(m for m in fixed if m.account_role == "organiser")
    events = load_events(data, today, handles={m.handle for m in fixed})
    assert 6 <= len(events) <= 12
    assert any(e.ends_at.date() < today for e in events)  # a past one
    assert any(today < e.starts_at.date() <= today + timedelta(days=7) for e in events)
    assert sum(e.starts_at.date() > today + timedelta(days=7) for e in events) >= 4
    assert any(e.is_online for e in events) and any(not e.is_online for e in events)
    assert any(e.is_online and e.venue for e in events)  # hybrid
    assert any(e.attendees.going > e.capacity for e in events)  # full, with a waitlist
    for event in events:
        assert event.starts_at < event.ends_at
        assert event.starts_at.tzinfo.key == event.time_zone
        assert all(room.name and room.description for room in event.rooms)
        assert event.announcements
        assert all(a.title and a.body for a in event.announcements)
        assert event.organiser_handle == organiser.handle
        assert event.capacity > 0
        assert event.tags
        assert event.attendees.going > 0 and event.attendees.hidden <= event.attendees.going
        for agenda_item in event.sessions:
            assert event.starts_at <= agenda_item.starts_at < agenda_item.ends_at
            assert agenda_item.ends_at <= event.ends_at
        if event.is_online:
            assert event.online_url.startswith("https://")
        if event.venue:
            assert event.city
            assert vocabulary.is_valid_subdivision(event.country, event.region)
        else:
            assert event.is_online
    assert sum(len(e.sessions) for e in events) >= 10
    assert load_events(data, today, handles={m.handle for m in fixed}) == events


def test_event_times_are_local_to_the_event(data, fixed):
    events = {e.slug: e for e in load_events(data, TODAY, handles={m.handle for m in fixed})}
    live = events["hallway-live-breaking-into-ed-tech"]
    assert live.starts_at.weekday() == 5  # a Saturday
    assert (live.starts_at.hour, live.ends_at.hour) == (9, 14)
    assert live.starts_at.date() >= date(2026, 2, 5)  # at least three weeks out
    assert live.capacity == 250
    assert [room.name for room in live.rooms] == [
        "Career changers' corner",
        "Mentoring tables",
        "Portfolio clinic",
    ]
    etug = events["hallway-meetup-etug-spring-workshop"]
    assert (etug.city, etug.region, etug.country) == ("Kamloops", "CA-BC", "CA")
    assert etug.announcements[0].title == "Venue confirmed, and a note on accessibility"
