"""The edges of the events rules: the largest and smallest values allowed and the first
ones refused, times that touch, and which list an event in progress belongs to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from marshmallow import ValidationError

from hallway.core.errors import InvalidInput
from hallway.db import utcnow
from hallway.events import service
from hallway.events.schemas import MAX_CAPACITY, TITLE_MAX_LENGTH, EventCreateSchema
from hallway.members.privacy import ANONYMOUS
from tests.unit.events.factories import make_event, make_organiser

GOOD = {
    "title": "WCET Annual Meeting",
    "starts_at": "2030-10-01T09:00:00",
    "ends_at": "2030-10-01T17:00:00",
    "time_zone": "America/Denver",
    "format": "in_person",
    "city": "Denver",
}


@pytest.mark.parametrize(
    ("change", "accepted"),
    [
        ({"capacity": 1}, True),
        ({"capacity": MAX_CAPACITY}, True),
        ({"capacity": MAX_CAPACITY + 1}, False),
        ({"capacity": None}, True),  # no limit
        ({"title": "x" * TITLE_MAX_LENGTH}, True),
        ({"title": "x" * (TITLE_MAX_LENGTH + 1)}, False),
        ({"title": "x"}, True),
    ],
)
def test_the_edges_of_capacity_and_title(change, accepted):
    data = {**GOOD, **change}
    if accepted:
        assert EventCreateSchema().load(data)[next(iter(change))] == next(iter(change.values()))
    else:
        with pytest.raises(ValidationError) as refused:
            EventCreateSchema().load(data)
        assert set(refused.value.normalized_messages()) == set(change)


@pytest.fixture
def owner(session):
    return make_organiser(session)


def test_an_event_may_start_now_but_not_a_moment_before(session, owner):
    now = utcnow().replace(microsecond=0)
    data = {
        "title": "Starting right now",
        "ends_at": now + timedelta(hours=1),
        "time_zone": "UTC",
        "format": "online",
    }
    event = service.create_event(session, actor=owner, data={**data, "starts_at": now}, now=now)
    assert event.starts_at == now
    with pytest.raises(InvalidInput) as refused:
        service.create_event(
            session, actor=owner, data={**data, "starts_at": now - timedelta(seconds=1)}, now=now
        )
    assert set(refused.value.field_errors) == {"starts_at"}


def test_an_event_that_ends_when_it_starts_is_refused(session, owner):
    starts = utcnow().replace(microsecond=0) + timedelta(days=3)
    with pytest.raises(InvalidInput) as refused:
        make_event(session, owner=owner, starts_at=starts, ends_at=starts)
    assert set(refused.value.field_errors) == {"ends_at"}
    assert make_event(session, owner=owner, starts_at=starts, ends_at=starts + timedelta(minutes=1))


def _session_data(starts, ends):
    return {"title": "Keynote", "starts_at": starts, "ends_at": ends}


def test_a_session_may_fill_the_whole_event_but_not_spill_over(session, owner):
    event = make_event(session, owner=owner)
    whole = service.add_session(
        session, actor=owner, event=event, data=_session_data(event.starts_at, event.ends_at)
    )
    assert (whole.starts_at, whole.ends_at) == (event.starts_at, event.ends_at)
    minute = timedelta(minutes=1)
    refused_cases = [
        (event.starts_at - minute, event.ends_at, "starts_at"),
        (event.starts_at, event.ends_at + minute, "ends_at"),
        (event.ends_at, event.ends_at + minute, "starts_at"),
    ]
    for starts, ends, field in refused_cases:
        with pytest.raises(InvalidInput) as refused:
            service.add_session(session, actor=owner, event=event, data=_session_data(starts, ends))
        assert field in refused.value.field_errors
    assert len(event.sessions) == 1


def test_an_event_in_progress_is_upcoming_and_moves_to_past_when_it_ends(session, owner):
    running = make_event(session, owner=owner, title="Running now")
    running.starts_at = utcnow() - timedelta(hours=1)
    running.ends_at = utcnow() + timedelta(hours=1)
    finished = make_event(session, owner=owner, title="Just finished")
    finished.starts_at = utcnow() - timedelta(hours=3)
    finished.ends_at = utcnow() - timedelta(seconds=1)
    session.flush()

    def titles(when):
        filters = service.EventFilters(when=when)
        return [event.title for event in service.list_events(
            session, viewer=ANONYMOUS, filters=filters).items]  # fmt: skip

    assert titles("upcoming") == ["Running now"]
    assert titles("past") == ["Just finished"]


def test_date_filters_include_their_start_and_exclude_their_end(session, owner):
    event = make_event(session, owner=owner, title="On the hour")
    session.flush()

    def found(**dates):
        filters = service.EventFilters(**dates)
        return [each.title for each in service.list_events(
            session, viewer=ANONYMOUS, filters=filters).items]  # fmt: skip

    assert found(starts_from=event.starts_at) == ["On the hour"]
    assert found(starts_from=event.starts_at + timedelta(seconds=1)) == []
    assert found(starts_before=event.starts_at) == []
    assert found(starts_before=event.starts_at + timedelta(seconds=1)) == ["On the hour"]
