"""Members for helper E's matching service, index and command tests: a novice looking for
mentoring in accessibility and a senior who mentors and writes about captioning."""

from __future__ import annotations

from datetime import timedelta

from hallway.accounts.models import Role, User
from hallway.db import utcnow
from hallway.events import service as events_service
from hallway.meetings.models import MeetingRequest, MeetingStatus
from tests.factories import make_profile, make_user


def member(session, handle: str, name: str, *, stage: str = "career", **fields) -> User:
    user = make_user(session, handle=handle, display_name=name)
    values = {"matchable": True, **fields}
    make_profile(session, user, career_stage=stage, **values)
    return user


def nia(session, **fields) -> User:
    values = {
        "interests": ["Accessibility"],
        "looking_for": ["mentoring"],
        "networks": ["ALT"],
        "time_zone": "America/Vancouver",
        "sector": "post_secondary",
        "bio": "Career changer, new to online teaching.",
        **fields,
    }
    return member(session, "nia", "Nia Novice", stage="novice", **values)


def maggie(session, handle: str = "maggie", name: str = "Maggie Mentor", **fields) -> User:
    values = {
        "interests": ["OER"],
        "offering": ["mentoring"],
        "networks": ["ALT"],
        "time_zone": "America/Toronto",
        "sector": "post_secondary",
        "bio": "I run our captioning service.",
        **fields,
    }
    return member(session, handle, name, stage="advanced", **values)


def make_event(session, title: str = "ETUG Spring Workshop"):
    owner = make_user(session, role=Role.organiser)
    starts = (utcnow() + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    return events_service.create_event(
        session,
        actor=owner,
        data={
            "title": title,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=8),
            "time_zone": "America/Vancouver",
            "format": "online",
        },
    )


def going(session, event, *users) -> None:
    for user in users:
        events_service.set_rsvp(session, actor=user, event=event, status="going")


def meeting_request(
    session, sender: User, recipient: User, status: MeetingStatus = MeetingStatus.pending
) -> MeetingRequest:
    request = MeetingRequest(
        sender_id=sender.id,
        recipient_id=recipient.id,
        created_by_id=sender.id,
        status=status,
    )
    session.add(request)
    session.flush()
    return request
