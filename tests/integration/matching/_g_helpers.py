"""Shared set-up for helper G's matching page, API, dashboard and round tests: an event,
people going, and members with profiles that match (a novice looking for mentoring in
accessibility, a senior offering it)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hallway.accounts.models import Role
from hallway.db import utcnow
from hallway.events import service as events_service
from tests.conftest import Browserless
from tests.factories import make_profile, make_user


def make_event(session, owner, *, title="ETUG Spring Workshop"):
    starts = (utcnow() + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    return events_service.create_event(
        session,
        actor=owner,
        data={
            "title": title,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=8),
            "time_zone": "America/Vancouver",
            "format": "in_person",
            "venue": "Hall",
            "city": "Kamloops",
            "country": "CA",
            "region": "CA-BC",
        },
    )


def going(session, event, *users) -> None:
    for user in users:
        events_service.set_rsvp(session, actor=user, event=event, status="going")


def organiser(session, handle="olu"):
    return make_user(session, handle=handle, display_name="Olu Organiser", role=Role.organiser)


def novice(session, handle="nia", name="Nia Novice", **fields):
    user = make_user(session, handle=handle, display_name=name)
    values = {
        "matchable": True,
        "role": "Teacher",
        "interests": ["Accessibility", "OER"],
        "looking_for": ["mentoring", "career_chat"],
        "networks": ["ETUG"],
        "time_zone": "America/Vancouver",
        "bio": "Career changer learning about captioning and accessible course design.",
        **fields,
    }
    make_profile(session, user, career_stage="novice", **values)
    return user


def mentor(session, handle="maggie", name="Maggie Mentor", **fields):
    user = make_user(session, handle=handle, display_name=name)
    values = {
        "matchable": True,
        "role": "Accessibility lead",
        "organisation": "Thompson Rivers University",
        "interests": ["Accessibility", "OER"],
        "offering": ["mentoring", "career_chat"],
        "networks": ["ETUG"],
        "time_zone": "America/Vancouver",
        "bio": "I run our captioning service and mentor new instructional designers.",
        **fields,
    }
    make_profile(session, user, career_stage="advanced", **values)
    return user


def log_in(app, user) -> Browserless:
    helper = Browserless(app.test_client())
    response = helper.log_in(user.email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return helper


def refresh_index(session) -> None:
    """The matching index notices profile changes after a commit (a job, immediate in tests)."""
    session.commit()


@pytest.fixture(autouse=True)
def fresh_match_index():
    """Each test starts from a freshly built matching index: the index's content version
    goes back with every rolled-back test, so two tests can reach the same version number
    with different members, and a cached index would look up to date when it is not."""
    from hallway.matching import service as matching_service

    matching_service.forget_cached_index()
    yield
    matching_service.forget_cached_index()
