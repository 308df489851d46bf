"""The demo seeder gives mentors office hours and them a few requests."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hallway.db import utcnow
from hallway.demo import DemoContext
from hallway.meetings import demo
from hallway.meetings.models import MeetingRequest, MeetingStatus, OfficeHourSlot
from tests.unit.meetings.factories import make_member, make_mentor

pytestmark = pytest.mark.usefixtures("app_context")


def test_the_seeder_publishes_office_hours_and_requests(session):
    mentors = [make_mentor(session) for _ in range(2)]
    for _ in range(4):
        make_member(session)
    context = DemoContext(session=session, member_count=6, now=utcnow(), data=None)  # type: ignore[arg-type]
    demo.seed_meetings(context)
    slots = session.scalar(select(func.count()).select_from(OfficeHourSlot))
    assert slots == 2 * len(mentors)
    statuses = list(session.scalars(select(MeetingRequest.status).order_by(MeetingRequest.id)))
    assert len(statuses) == 4
    assert statuses.count(MeetingStatus.accepted) == 2
    assert statuses.count(MeetingStatus.pending) == 2
