"""Demo seeder: mentors' office hours and a few meeting requests between demo members,
so My agenda, the inbox and the office-hours pages have something to show."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from hallway.accounts.models import User
from hallway.core.errors import DomainError
from hallway.demo import DemoContext
from hallway.meetings import service
from hallway.members.models import IntentDirection, MemberIntent, MemberProfile

ORDER = 40  # after members and events
MENTORS = 4
REQUESTS = 6
logger = logging.getLogger(__name__)


def _mentors(context: DemoContext) -> list[User]:
    ids = context.session.scalars(
        select(MemberIntent.user_id)
        .where(
            MemberIntent.direction == IntentDirection.offering,
            MemberIntent.intent.in_(service.OFFICE_HOURS_INTENTS),
        )
        .order_by(MemberIntent.user_id)
        .distinct()
        .limit(MENTORS)
    )
    return [user for user_id in ids if (user := context.session.get(User, user_id))]


def seed_meetings(context: DemoContext) -> None:
    """Two office-hours slots per mentor (one online, one with two places), and requests
    from other members to them: half accepted, the rest waiting."""
    session, now = context.session, context.now
    mentors = _mentors(context)
    base = (now + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    for number, mentor in enumerate(mentors):
        for offset, capacity in ((0, 1), (26, 2)):
            try:
                service.publish_slot(
                    session,
                    actor=mentor,
                    starts_at=base + timedelta(hours=offset + number),
                    duration_minutes=30,
                    capacity=capacity,
                    video_url="https://meet.example/office-hours" if capacity == 1 else "",
                    place="" if capacity == 1 else "Hallway table 2",
                    note="A 30-minute career chat",
                    now=now,
                )
            except DomainError as refused:
                logger.info("Demo office hours skipped: %s", refused.message)
    mentor_ids = {mentor.id for mentor in mentors}
    askers = [
        user
        for user in session.scalars(
            select(User)
            .join(MemberProfile, MemberProfile.user_id == User.id)
            .where(User.id.not_in(mentor_ids or {0}))
            .order_by(User.id)
            .limit(REQUESTS)
        )
    ]
    for number, asker in enumerate(askers):
        if not mentors:
            break
        mentor = mentors[number % len(mentors)]
        start = base + timedelta(days=3, hours=number)
        try:
            request = service.request_meeting(
                session,
                actor=asker,
                recipient_id=mentor.id,
                proposed_times=[start, start + timedelta(days=1)],
                message="I would love half an hour of your time to talk about my next steps.",
                video_url="https://meet.example/coffee",
                now=now,
            )
            if number % 2 == 0:
                service.accept_request(
                    session, actor=mentor, request=request, time_id=request.proposed_times[0].id
                )
        except DomainError as refused:
            logger.info("Demo meeting request skipped: %s", refused.message)
    session.flush()
