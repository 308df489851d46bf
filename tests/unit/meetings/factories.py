"""Factories for meetings tests: members with profiles, requests made through the service."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.db import utcnow
from hallway.meetings import service
from hallway.meetings.models import MeetingRequest, OfficeHourSlot
from hallway.members.models import MemberProfile
from tests.factories import make_profile, make_user


def soon(hours: float = 24, *, base: datetime | None = None) -> datetime:
    """A whole-minute time ``hours`` from now (or from ``base``)."""
    start = (base or utcnow()).replace(second=0, microsecond=0)
    return start + timedelta(hours=hours)


def make_member(session: Session, **profile: Any) -> User:
    """A member with a profile, open to meeting requests unless ``matchable=False``."""
    profile.setdefault("matchable", True)
    user = make_user(session)
    make_profile(session, user, **profile)
    return user


def make_mentor(session: Session, **profile: Any) -> User:
    profile.setdefault("career_stage", "advanced")
    profile.setdefault("offering", ["mentoring"])
    return make_member(session, **profile)


def make_request(session: Session, sender: User, recipient: User, **fields: Any) -> MeetingRequest:
    fields.setdefault("proposed_times", [soon(24), soon(48)])
    return service.request_meeting(session, actor=sender, recipient_id=recipient.id, **fields)


def accept_first(session: Session, request: MeetingRequest, actor: User) -> MeetingRequest:
    return service.accept_request(
        session,
        actor=actor,
        request=request,
        time_id=(request.open_times or request.proposed_times)[0].id,
    )


def make_slot(session: Session, host: User, **fields: Any) -> OfficeHourSlot:
    fields.setdefault("starts_at", soon(72))
    return service.publish_slot(session, actor=host, **fields)


def build_site_meetings(session: Session, member: User, other: User) -> dict[str, str]:
    """For tests/main_pages.py: a request ``other`` sent ``member`` (waiting for
    ``member``'s answer: the accept, counter and decline forms) and an accepted meeting
    ``member`` asked for (contact details, calendar file, cancel form). Both are made
    open to meeting requests."""
    for person in (member, other):
        profile = session.get(MemberProfile, person.id)
        if profile is not None:
            profile.matchable = True
    session.flush()
    waiting = service.request_meeting(
        session,
        actor=other,
        recipient_id=member.id,
        proposed_times=[soon(72), soon(96)],
        message="Coffee at the summit?",
        place="Registration desk",
    )
    accepted = service.request_meeting(
        session,
        actor=member,
        recipient_id=other.id,
        proposed_times=[soon(120)],
        video_url="https://meet.example/maya",
    )
    accept_first(session, accepted, other)
    return {
        "meeting_path": f"/meetings/{waiting.id}",
        "accepted_meeting_path": f"/meetings/{accepted.id}",
        "meeting_form_path": f"/meetings/request?to={other.id}",
    }
