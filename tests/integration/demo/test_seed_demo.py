"""`flask seed demo` end to end: what the data files say is what the community shows."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import Role, User
from hallway.demo import DEMO_PASSWORD, DemoData, loader
from hallway.discussions.demo import load_categories, load_threads, walk_comments
from hallway.discussions.models import Category, Comment, Thread
from hallway.events.demo import event_format, load_events
from hallway.events.models import Announcement, Event, EventFormat, Rsvp, RsvpStatus
from hallway.events.service import SESSIONS_CATEGORY_SLUG
from hallway.members.demo_members import load_fixed_members
from hallway.members.models import IntentDirection, MemberProfile
from tests.conftest import Browserless
from tests.factories import make_user

DATA = DemoData()


@pytest.fixture
def seeded(app, session):
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--members", "16"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    return result.output


def user_by_handle(session, handle: str) -> User:
    return session.scalar(select(User).where(User.handle == handle))


def test_every_field_of_the_fixed_members_is_stored(session, seeded):
    now = datetime.now(UTC)
    for member in load_fixed_members(DATA):
        user = user_by_handle(session, member.handle)
        assert (user.email, user.display_name, user.role, user.language) == (
            member.email,
            member.display_name,
            Role(member.account_role),
            member.language,
        )
        joined = now - timedelta(days=member.joined_days_ago)
        assert abs(user.created_at - joined) < timedelta(minutes=5), member.handle
        profile = session.get(MemberProfile, user.id)
        assert {
            "headline": profile.headline,
            "bio": profile.bio,
            "pronouns": profile.pronouns or None,
            "role": profile.role,
            "organisation": profile.organisation,
            "sector": profile.sector,
            "country": profile.country,
            "region": profile.region,
            "city": profile.city,
            "time_zone": profile.time_zone,
            "interests": tuple(profile.interests),
            "networks": tuple(profile.networks),
            "qualifications": tuple(profile.qualifications),
            "looking_for": tuple(profile.looking_for),
            "offering": tuple(profile.intent_codes(IntentDirection.offering)),
            "links": tuple(link.url for link in profile.links),
            "profile_visibility": str(profile.visibility),
            "in_directory": profile.in_directory,
            "matchable": profile.matchable,
            "novices_may_request": profile.novices_may_request,
            "show_contact_links": profile.show_contact_links,
            "career_stage": profile.career_stage,
        } == {
            field: getattr(member, field)
            for field in (
                "headline", "bio", "pronouns", "role", "organisation", "sector", "country",
                "region", "city", "time_zone", "interests", "networks", "qualifications",
                "looking_for", "offering", "links", "profile_visibility", "in_directory",
                "matchable", "novices_may_request", "show_contact_links", "career_stage",
            )
        }, member.handle  # fmt: skip
    assert "non_profit" in set(session.scalars(select(MemberProfile.sector)))


def _tree(session, thread: Thread) -> list:
    comments = session.scalars(
        select(Comment).where(Comment.thread_id == thread.id).order_by(Comment.id)
    ).all()
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        children.setdefault(comment.parent_id, []).append(comment)

    def build(parent_id):
        return [
            (comment.author.handle, comment.body, build(comment.id))
            for comment in children.get(parent_id, [])
        ]

    return build(None)


def _data_tree(comments) -> list:
    return [(c.author_handle, c.body, _data_tree(c.replies)) for c in comments]


def test_every_thread_and_reply_is_stored_as_written(session, seeded):
    categories = load_categories(DATA)
    stored_categories = session.scalars(
        select(Category)
        .where(Category.slug != SESSIONS_CATEGORY_SLUG)  # the events' own, for agendas
        .order_by(Category.position)
    ).all()
    assert [(c.name, c.description) for c in stored_categories] == [
        (c.name, c.description) for c in categories
    ]
    handles = {m.handle for m in load_fixed_members(DATA)}
    demo_threads = load_threads(DATA, categories=[c.slug for c in categories], handles=handles)
    now = datetime.now(UTC)
    for demo_thread in demo_threads:
        thread = session.scalar(select(Thread).where(Thread.title == demo_thread.title))
        assert thread.body == demo_thread.body
        assert thread.author.handle == demo_thread.author_handle
        assert thread.category.name == next(
            c.name for c in categories if c.slug == demo_thread.category_slug
        )
        assert len(thread.tags) == len(demo_thread.tags)
        assert (thread.pinned_at is not None) == demo_thread.pinned
        started = now - timedelta(days=demo_thread.days_ago)
        assert abs(thread.created_at - started) < timedelta(minutes=5)
        assert _tree(session, thread) == _data_tree(demo_thread.comments)
        replies = session.scalars(
            select(Comment.created_at).where(Comment.thread_id == thread.id).order_by(Comment.id)
        ).all()
        assert replies == sorted(replies) and all(thread.created_at < r < now for r in replies)
        assert thread.comment_count == len(list(walk_comments(demo_thread.comments)))


def test_every_event_column_is_stored_from_the_data(session, seeded):
    handles = {m.handle for m in load_fixed_members(DATA)}
    demo_events = load_events(DATA, datetime.now(UTC).date(), handles=handles)
    stored = session.scalars(select(Event).order_by(Event.starts_at)).all()
    assert [
        (
            e.title, e.summary, e.description, e.starts_at, e.ends_at, e.time_zone,
            e.venue, e.city, e.format, e.organiser.handle,
        )
        for e in stored
    ] == [
        (
            e.title, e.summary, e.description, e.starts_at, e.ends_at, e.time_zone,
            e.venue or "", e.city or "", event_format(e), e.organiser_handle,
        )
        for e in demo_events
    ]  # fmt: skip


def test_the_demo_has_past_this_week_and_upcoming_events_around_the_world(session, seeded):
    now = datetime.now(UTC)
    events = session.scalars(select(Event)).all()
    past = [e for e in events if e.ends_at < now]
    this_week = [e for e in events if now < e.starts_at <= now + timedelta(days=7)]
    later = [e for e in events if e.starts_at > now + timedelta(days=7)]
    assert past and this_week and len(later) >= 4
    assert {e.time_zone for e in events} >= {
        "America/Vancouver", "America/Toronto", "America/Moncton",
        "Europe/London", "Australia/Sydney",
    }  # fmt: skip
    assert {e.format for e in events} == set(EventFormat)
    # The past event was created before it happened, and its people answered then.
    for event in past:
        assert event.created_at < event.starts_at
        assert event.going_count > 0


def test_a_full_demo_event_has_a_waitlist_in_order(session, seeded):
    full = [e for e in session.scalars(select(Event)) if e.capacity and e.going_count >= e.capacity]
    assert full
    for event in full:
        statuses = session.scalars(select(Rsvp.status).where(Rsvp.event_id == event.id)).all()
        assert statuses.count(RsvpStatus.going) == event.capacity == event.going_count
        assert statuses.count(RsvpStatus.waitlisted) >= 2
        waiting = session.scalars(
            select(Rsvp.waitlisted_at).where(
                Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.waitlisted
            )
        ).all()
        assert all(waiting)


def test_demo_agendas_have_sessions_with_threads_speakers_and_tracks(session, seeded):
    handles = {m.handle for m in load_fixed_members(DATA)}
    demo_events = {e.title: e for e in load_events(DATA, datetime.now(UTC).date(), handles=handles)}
    sessions_seen = 0
    for event in session.scalars(select(Event)):
        demo_event = demo_events[event.title]
        assert [
            (s.title, s.track, s.starts_at, [sp.user.handle for sp in s.speakers if sp.user])
            for s in event.sessions
        ] == [
            (s.title, s.track, s.starts_at, list(s.speaker_handles))
            for s in sorted(demo_event.sessions, key=lambda s: s.starts_at)
        ]
        for agenda_item in event.sessions:
            sessions_seen += 1
            thread = session.get(Thread, agenda_item.thread_id)
            assert thread is not None and agenda_item.title in thread.title
            assert event.starts_at <= agenda_item.starts_at < agenda_item.ends_at <= event.ends_at
    assert sessions_seen >= 10


def test_demo_events_have_announcements_and_members_answering(session, seeded):
    handles = {m.handle for m in load_fixed_members(DATA)}
    demo_events = load_events(DATA, datetime.now(UTC).date(), handles=handles)
    members = session.scalar(select(func.count()).select_from(User).where(User.role == Role.member))
    hidden = 0
    for demo_event in demo_events:
        event = session.scalar(select(Event).where(Event.title == demo_event.title))
        titles = session.scalars(
            select(Announcement.title).where(Announcement.event_id == event.id)
        ).all()
        assert sorted(titles) == sorted(a.title for a in demo_event.announcements)
        rsvps = session.scalars(select(Rsvp).where(Rsvp.event_id == event.id)).all()
        answering = [r.user for r in rsvps]
        assert len(answering) == len(set(answering))
        assert all(u.handle != demo_event.organiser_handle and not u.is_admin for u in answering)
        wanted = demo_event.attendees
        going = [r for r in rsvps if r.status in (RsvpStatus.going, RsvpStatus.waitlisted)]
        assert len(going) == wanted.going
        speakers = {h for s in demo_event.sessions for h in s.speaker_handles}
        # A small demo (16 members here) may have fewer people left to be interested.
        left = members - len(speakers) - (wanted.going - len(speakers))
        interested = sum(r.status is RsvpStatus.interested for r in rsvps)
        assert interested == min(wanted.interested, left) > 0
        assert speakers <= {r.user.handle for r in going}
        hidden += sum(r.hidden_from_list for r in rsvps)
        assert all(r.status is not RsvpStatus.interested for r in rsvps if r.hidden_from_list)
    assert hidden >= 3


def post_replies(person: Browserless, thread_id: int, how_many: int) -> list[int]:
    token = person.csrf_token("/")
    return [
        person.client.post(
            f"/api/v1/threads/{thread_id}/comments",
            json={"body": f"Reply number {number}"},
            headers={"X-CSRFToken": token},
        ).status_code
        for number in range(1, how_many + 1)
    ]


def test_a_demo_member_can_post_five_times_in_a_row_right_after_seeding(app, session, seeded):
    # The most recently joined demo member: still a long-standing member.
    newest = session.scalar(
        select(User).where(User.role == Role.member).order_by(User.created_at.desc())
    )
    thread_id = session.scalar(select(func.min(Thread.id)))
    demo_member = Browserless(app.test_client())
    assert demo_member.log_in(newest.email, DEMO_PASSWORD).status_code == 302
    assert post_replies(demo_member, thread_id, 5) == [201] * 5

    # Someone who signs up today is held to the new-member limit on the same thread.
    newcomer = make_user(session, email="new@example.org", handle="newcomer")
    session.commit()
    person = Browserless(app.test_client())
    assert person.log_in(newcomer.email).status_code == 302
    assert post_replies(person, thread_id, 4) == [201, 201, 201, 429]


def test_a_broken_data_file_stops_the_seed_with_its_name_and_writes_nothing(
    app, session, tmp_path, monkeypatch
):
    with resources.as_file(resources.files("hallway.demo") / "data") as shipped:
        shutil.copytree(shipped, tmp_path / "data")
    members = tmp_path / "data" / "members.toml"
    members.write_text(
        members.read_text(encoding="utf-8").replace('sector = "k12"', 'sector = "school"', 1),
        encoding="utf-8",
    )
    monkeypatch.setattr(loader, "default_root", lambda: tmp_path / "data")
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--members", "14"])
    assert result.exit_code != 0
    assert "members.toml: members[2].sector: 'school' is not one of" in result.output
    assert "Traceback" not in result.output
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_francophone_demo_members_get_french_pages_and_french_threads(app, session, seeded):
    geneviève = user_by_handle(session, "genevieve-tremblay")
    person = Browserless(app.test_client())
    assert person.log_in(geneviève.email, DEMO_PASSWORD).status_code == 302
    home = person.client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr-CA"' in home  # her saved preference, whatever the browser says
    francophonie = session.scalar(select(Category).where(Category.name == "Francophonie"))
    thread = session.scalar(select(Thread).where(Thread.category_id == francophonie.id))
    page = person.client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert "Un coin pour les francophones de Hallway" in page
    # An English-speaking demo member keeps the browser's language.
    priya = user_by_handle(session, "priya-raman")
    other = Browserless(app.test_client())
    assert other.log_in(priya.email, DEMO_PASSWORD).status_code == 302
    assert '<html lang="en"' in other.client.get("/").get_data(as_text=True)
