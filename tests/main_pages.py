"""The main pages of Hallway and a small community that fills them, for the page-wide
checks (axe-core in tests/browser/test_accessibility.py, the Nu HTML Checker in
tests/integration/core/test_html_validity.py).

``build_site(session)`` adds and flushes (the caller commits); ``MAIN_PAGES`` lists
each page with who looks at it: a visitor, a member, a newcomer who has not completed
their profile, or a moderator.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from hallway.accounts.models import Role
from hallway.moderation import service as moderation_service
from tests.factories import (
    make_category,
    make_comment,
    make_flag,
    make_notification,
    make_profile,
    make_thread,
    make_user,
)

VISITOR, MEMBER, NEWCOMER, MODERATOR = "visitor", "member", "newcomer", "moderator"

THREAD_BODY = """\
We are moving our LMS to a new platform next year. What did you wish you had known?

## What we have tried

- A pilot with two departments
- **Weekly** office hours for instructors

See [the migration guide](https://example.org/guide) for what we wrote so far.
"""


@dataclass(frozen=True)
class Site:
    member_email: str
    newcomer_email: str
    moderator_email: str
    other_handle: str
    thread_path: str
    comment_path: str
    event_path: str = ""
    event_link_path: str = ""
    meeting_path: str = ""
    accepted_meeting_path: str = ""
    meeting_form_path: str = ""
    room_path: str = ""


@dataclass(frozen=True)
class MainPage:
    name: str
    path: str  # may name a field of Site: "{thread_path}"
    who: str

    @property
    def id(self) -> str:
        return f"{self.name}-{self.who}"

    def url(self, site: Site) -> str:
        return self.path.format(**vars(site))


def build_site(session: Session) -> Site:
    member = make_user(session, display_name="Maya Okafor", handle="maya")
    make_profile(
        session,
        member,
        visibility="public",
        headline="Instructional designer",
        interests=["OER", "Accessibility"],
    )
    newcomer = make_user(session, display_name="Noor Haddad", handle="noor")
    moderator = make_user(session, display_name="Mo Derator", handle="mo-derator", role=Role.admin)
    make_profile(session, moderator)
    other = make_user(session, display_name="Kwame Mensah", handle="kwame")
    make_profile(
        session,
        other,
        visibility="public",
        headline="Learning technologist",
        career_stage="advanced",
    )
    category = make_category(session, name="Tools", slug="tools")
    thread = make_thread(
        session,
        author=other,
        category=category,
        title="Moving to a new LMS: lessons learned",
        body=THREAD_BODY,
        tags=["lms", "migration"],
    )
    make_thread(session, author=member, category=category, title="Rubrics that students read")
    first = make_comment(session, thread=thread, author=member, body="Plan the gradebook first.")
    make_comment(session, thread=thread, author=other, parent=first, body="Agreed, and backups.")
    spam = make_comment(session, thread=thread, author=other, body="Cheap essays here!!!")
    hidden = make_comment(session, thread=thread, author=member, body="A duplicate reply.")
    make_flag(session, reporter=member, post=spam)
    moderation_service.hide_post(
        session, actor=moderator, subject_type="comment", subject_id=hidden.id
    )
    make_notification(session, recipient=member, actor=other, url=f"/t/{thread.id}")
    event, unlisted = _build_events(session, owner=moderator, going=[member, other])
    session.flush()
    return Site(
        member_email=member.email,
        newcomer_email=newcomer.email,
        moderator_email=moderator.email,
        other_handle=other.handle,
        thread_path=f"/t/{thread.id}/{thread.slug}",
        comment_path=f"/t/{thread.id}/comments/{first.id}",
        event_path=f"/events/{event.id}",
        event_link_path=f"/events/link/{unlisted.share_token}",
        **_build_meetings(session, member, other),
        **_build_rooms(session, event, owner=moderator, member=member),
    )


def _build_rooms(session: Session, event, *, owner, member) -> dict[str, str]:
    """A room at the summit with a pinned message and a reply (issue 11)."""
    from hallway.rooms import service as rooms_service

    room = rooms_service.create_room(
        session, owner, event.id, {"name": "Hallway track", "topic": "Say hello"}
    )
    rooms_service.join_room(session, member, room.id)
    first, _ = rooms_service.send_message(
        session, member, room.id, "Who else is here for **OER**?", "site-1"
    )
    rooms_service.send_message(
        session, owner, room.id, "Welcome! Coffee at 10.", "site-2", first.id
    )
    rooms_service.pin_message(session, owner, first.id)
    return {"room_path": f"/rooms/{room.id}"}


def _build_meetings(session: Session, member, other) -> dict[str, str]:
    from tests.unit.meetings.factories import build_site_meetings

    return build_site_meetings(session, member, other)


def _build_events(session: Session, *, owner, going) -> tuple:
    """A hybrid conference with a full agenda, a waitlist and an announcement, and an
    unlisted meetup (the events pages, issue 10)."""
    from datetime import timedelta

    from hallway.db import utcnow
    from hallway.events import service as events_service

    starts = (utcnow() + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    event = events_service.create_event(
        session,
        actor=owner,
        data={
            "title": "Open Ed Summit",
            "summary": "Two days of open education in Vancouver",
            "description": "Talks, workshops and **a long hallway track**.",
            "starts_at": starts,
            "ends_at": starts + timedelta(days=1, hours=8),
            "time_zone": "America/Vancouver",
            "format": "hybrid",
            "venue": "Convention Centre",
            "city": "Vancouver",
            "country": "CA",
            "region": "CA-BC",
            "online_url": "https://stream.example/summit",
            "capacity": 1,
            "networks": ["ETUG"],
        },
    )
    for hours, title, track in ((1, "Opening keynote", "Main stage"), (3, "OER workshop", "")):
        events_service.add_session(
            session,
            actor=owner,
            event=event,
            data={
                "title": title,
                "starts_at": starts + timedelta(hours=hours),
                "ends_at": starts + timedelta(hours=hours + 1),
                "track": track,
                "location": "Room 1",
                "speakers": [{"name": "Guest Speaker"}],
            },
        )
    for user in going:  # the first takes the only place, the next one waits
        events_service.set_rsvp(session, actor=user, event=event, status="going")
    events_service.post_announcement(
        session, actor=owner, event=event, title="Doors open at 8", body="Coffee first."
    )
    unlisted = events_service.create_event(
        session,
        actor=owner,
        data={
            "title": "Quiet meetup",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "time_zone": "Europe/London",
            "format": "online",
            "online_url": "https://meet.example/quiet",
            "visibility": "unlisted",
        },
    )
    return event, unlisted


MAIN_PAGES = [
    MainPage("home", "/", VISITOR),
    MainPage("log-in", "/login", VISITOR),
    MainPage("sign-up", "/signup", VISITOR),
    MainPage("forgot-password", "/password/forgot", VISITOR),
    MainPage("members", "/members", VISITOR),
    MainPage("profile", "/members/{other_handle}", VISITOR),
    MainPage("home", "/", MEMBER),
    MainPage("discussions", "/discussions", MEMBER),
    MainPage("thread", "{thread_path}", MEMBER),
    MainPage("comment", "{comment_path}", MEMBER),
    MainPage("new-thread", "/discussions/new", MEMBER),
    MainPage("search", "/search?q=lms", MEMBER),
    MainPage("members", "/members", MEMBER),
    MainPage("profile", "/members/{other_handle}", MEMBER),
    MainPage("profile-edit", "/profile/edit", MEMBER),
    MainPage("notifications", "/notifications", MEMBER),
    MainPage("notification-settings", "/notifications/preferences", MEMBER),
    MainPage("change-password", "/account/password", MEMBER),
    MainPage("log-out-everywhere", "/logout/everywhere", MEMBER),
    MainPage("blocked-members", "/moderation/blocks", MEMBER),
    MainPage("welcome", "/welcome", NEWCOMER),
    MainPage("moderation-queue", "/moderation", MODERATOR),
    MainPage("audit-log", "/moderation/audit", MODERATOR),
    MainPage("events", "/events", VISITOR),
    MainPage("event", "{event_path}", VISITOR),
    MainPage("events", "/events", MEMBER),
    MainPage("event", "{event_path}", MEMBER),
    MainPage("event-by-link", "{event_link_path}", MEMBER),
    MainPage("my-events", "/events/mine", MEMBER),
    MainPage("calendar-feed", "/events/calendar", MEMBER),
    MainPage("event", "{event_path}", MODERATOR),
    MainPage("new-event", "/events/new", MODERATOR),
    MainPage("edit-event", "{event_path}/edit", MODERATOR),
    MainPage("event-sessions", "{event_path}/sessions", MODERATOR),
    MainPage("event-attendees", "{event_path}/attendees?status=waitlisted", MODERATOR),
    MainPage("event-announce", "{event_path}/announce", MODERATOR),
    MainPage("event-organisers", "{event_path}/organisers", MODERATOR),
    MainPage("event-cancel", "{event_path}/cancel", MODERATOR),
    MainPage("rooms-lobby", "{event_path}/rooms", MEMBER),
    MainPage("rooms-lobby", "{event_path}/rooms", MODERATOR),
    MainPage("room", "{room_path}", MEMBER),
    MainPage("room", "{room_path}", MODERATOR),
    MainPage("meetings", "/meetings", MEMBER),
    MainPage("meeting", "{meeting_path}", MEMBER),
    MainPage("accepted-meeting", "{accepted_meeting_path}", MEMBER),
    MainPage("meeting-request", "{meeting_form_path}", MEMBER),
    MainPage("agenda", "/agenda", MEMBER),
    MainPage("office-hours", "/office-hours", MEMBER),
    MainPage("host-office-hours", "/office-hours/{other_handle}", MEMBER),
    MainPage("people-to-meet", "/people-to-meet", MEMBER),
    MainPage("event-people-to-meet", "{event_path}/people-to-meet", MEMBER),
    MainPage("event-matching", "{event_path}/matching", MODERATOR),
    MainPage("new-mentoring-round", "{event_path}/matching/rounds/new", MODERATOR),
]


def emails(site: Site) -> dict[str, str | None]:
    """Who logs in for each kind of viewer (None: nobody, a visitor)."""
    return {
        VISITOR: None,
        MEMBER: site.member_email,
        NEWCOMER: site.newcomer_email,
        MODERATOR: site.moderator_email,
    }
