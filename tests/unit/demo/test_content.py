"""The demo community's content: deterministic, unique, coherent, plausible."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from hallway.demo import content

TODAY = date(2026, 1, 15)
SENTENCE_END = re.compile(r"(?<!\.m)[.!?][\"')]*(?=\s|$)")
EMAIL_RE = re.compile(r"^[a-z0-9._-]+@([a-z0-9-]+\.)*example\.(org|edu|com|net)$")


@pytest.fixture(scope="module")
def members() -> list[content.DemoMember]:
    return content.demo_members()


@pytest.fixture(scope="module")
def everyone(members) -> list[content.DemoMember]:
    return [*members, content.DEMO_ORGANISER, content.DEMO_ADMIN]


def test_members_are_deterministic():
    assert content.demo_members(200, seed=7) == content.demo_members(200, seed=7)
    assert content.demo_members() == content.demo_members(200, 2026)
    assert content.demo_members(200, seed=7) != content.demo_members(200, seed=8)


def test_member_count_and_feature_members_first(members):
    assert len(members) == 200
    assert tuple(members[:12]) == content.FEATURE_MEMBERS
    assert {m.career_stage for m in content.FEATURE_MEMBERS} == set(content.CAREER_STAGES)
    assert content.demo_members(5) == list(content.FEATURE_MEMBERS[:5])
    assert len(content.demo_members(50)) == 50


def test_handles_and_emails_are_unique_and_well_formed(everyone):
    handles = [m.handle for m in everyone]
    emails = [m.email for m in everyone]
    assert len(set(handles)) == len(handles)
    assert len(set(emails)) == len(emails)
    for m in everyone:
        assert content.HANDLE_RE.fullmatch(m.handle), m.handle
        assert EMAIL_RE.fullmatch(m.email), m.email


def test_stage_proportions(members):
    counts = Counter(m.career_stage for m in members)
    assert 0.30 <= counts["novice"] / len(members) <= 0.40
    assert 0.40 <= counts["career"] / len(members) <= 0.50
    assert 0.15 <= counts["advanced"] / len(members) <= 0.25


def test_field_values_are_in_vocabulary(everyone):
    for m in everyone:
        assert m.career_stage in content.CAREER_STAGES
        assert m.sector in content.SECTORS
        assert m.profile_visibility in content.PROFILE_VISIBILITIES
        assert re.fullmatch(r"[A-Z]{2}", m.country)
        assert m.region and m.city and m.role and m.organisation and m.headline
        assert set(m.looking_for) <= set(content.INTENTS)
        assert set(m.offering) <= set(content.INTENTS)
        assert set(m.networks) <= set(content.NETWORKS)
        assert len(m.networks) <= 3 and len(m.qualifications) <= 2 and len(m.links) <= 2
        assert all(link.startswith("https://") and ".example." in link for link in m.links)


def test_generated_members_are_varied_and_coherent(members):
    assert len({m.display_name for m in members}) == len(members)
    assert len({m.bio for m in members}) > 180
    assert Counter(m.country for m in members).keys() >= {"CA", "US", "GB", "AU", "NZ", "IE"}
    main = sum(m.country in {"CA", "US", "GB", "AU", "NZ", "IE"} for m in members)
    assert main / len(members) >= 0.85
    for m in members:
        assert 2 <= len(m.interests) <= 6
        assert set(m.interests) <= set(content.INTEREST_TAGS), m.interests
        sentences = SENTENCE_END.findall(m.bio)
        assert 2 <= len(sentences) <= 4, m.bio
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


def test_time_zones_are_valid(everyone):
    for m in everyone:
        ZoneInfo(m.time_zone)


def test_categories():
    slugs = [slug for slug, _, _ in content.DEMO_CATEGORIES]
    assert len(slugs) == 6 == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9-]+", slug) for slug in slugs)


def _depth(comments, level=1):
    return max((max(level, _depth(c.replies, level + 1)) for c in comments), default=0)


def test_threads_reference_known_categories_and_authors():
    threads = content.demo_threads()
    assert 6 <= len(threads) <= 8
    slugs = {slug for slug, _, _ in content.DEMO_CATEGORIES}
    authors = {*content.FEATURE_HANDLES, content.DEMO_ORGANISER.handle}
    assert len({t.slug for t in threads}) == len(threads)
    for thread in threads:
        assert thread.category_slug in slugs
        assert thread.author_handle in authors
        assert thread.tags
        for _, comment in content.walk_comments(thread.comments):
            assert comment.author_handle in authors
            assert comment.body.strip()
    assert content.demo_threads() == threads


def test_article_thread_is_long_and_deeply_nested():
    article = next(t for t in content.demo_threads() if t.title.startswith("How I became"))
    words = len(article.body.split())
    assert 500 <= words <= 900, words
    assert article.body.count("\n## ") >= 3
    assert "\n> " in article.body and "\n- " in article.body and "\n1. " in article.body
    assert _depth(article.comments) >= 5
    assert len(list(content.walk_comments(article.comments))) >= 15


def test_mentions_refer_to_existing_handles(members):
    known = {m.handle for m in members} | {content.DEMO_ORGANISER.handle}
    bodies = []
    for thread in content.demo_threads():
        bodies.append(thread.body)
        bodies += [c.body for _, c in content.walk_comments(thread.comments)]
    for event in content.demo_events(TODAY):
        bodies += [event.description, event.announcement.body]
    mentions = [h for body in bodies for h in content.mentioned_handles(body)]
    assert len(mentions) >= 5
    assert set(mentions) <= known
    assert set(mentions) <= set(content.FEATURE_HANDLES)


@pytest.mark.parametrize("today", [TODAY, date(2026, 12, 31), date(2027, 2, 28)])
def test_events_are_upcoming(today):
    events = content.demo_events(today)
    assert 2 <= len(events) <= 3
    assert any(e.is_online for e in events) and any(not e.is_online for e in events)
    for event in events:
        assert event.start_date > today
        assert event.starts_at < event.ends_at
        assert event.starts_at.tzinfo == ZoneInfo(event.time_zone)
        assert 2 <= len(event.rooms) <= 3
        assert event.announcement.title and event.announcement.body
        assert event.organiser_handle == content.DEMO_ORGANISER.handle
        assert event.capacity > 0
        if not event.is_online:
            assert event.venue and event.city
    assert content.demo_events(today) == events
