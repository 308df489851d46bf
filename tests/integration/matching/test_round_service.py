"""The mentoring round's rules in the service (matching/rounds.py), below the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hallway.core.errors import InvalidInput, NotAllowed
from hallway.matching import rounds
from hallway.matching.round_models import RoundStatus
from tests.factories import make_user
from tests.integration.matching._g_helpers import (  # noqa: F401 (fresh_match_index: autouse)
    fresh_match_index,
    going,
    make_event,
    mentor,
    novice,
    organiser,
)


@pytest.fixture
def setting(app, session):
    with app.app_context():
        owner = organiser(session)
        event = make_event(session, owner)
        nia, maggie = novice(session), mentor(session)
        going(session, event, nia, maggie)
        yield owner, event, nia, maggie


def _data(event, mentees, mentors, **changes):
    values = {
        "title": "Round",
        "starts_at": event.starts_at,
        "duration_minutes": 30,
        "place": "",
        "message": "",
        "mentee_ids": mentees,
        "mentor_capacities": mentors,
        **changes,
    }
    return rounds.RoundInput(**values)


def _refusal(session, actor, event, data) -> dict:
    with pytest.raises(InvalidInput) as refused:
        rounds.create_round(session, actor=actor, event=event, data=data)
    return refused.value.field_errors


def test_capacity_is_one_to_twenty(session, setting):
    owner, event, nia, maggie = setting
    for capacity in (0, 21):
        errors = _refusal(session, owner, event, _data(event, [nia.id], {maggie.id: capacity}))
        assert errors["mentors"] == ["A mentor takes between 1 and 20 mentees."]
    for capacity in (1, 20):
        made = rounds.create_round(
            session, actor=owner, event=event, data=_data(event, [nia.id], {maggie.id: capacity})
        )
        assert rounds.mentor_capacities_of(made) == {maggie.id: capacity}


def test_nobody_is_both_and_everyone_is_going(session, setting):
    owner, event, nia, maggie = setting
    both = _refusal(session, owner, event, _data(event, [nia.id, maggie.id], {maggie.id: 1}))
    assert "Someone cannot be a mentee and a mentor in the same round." in both["mentors"]
    stranger = make_user(session)
    absent = _refusal(session, owner, event, _data(event, [stranger.id], {maggie.id: 1}))
    assert absent["mentees"] == ["Everyone in a round must be going to the event."]


def test_meetings_start_during_the_event(session, setting):
    owner, event, nia, maggie = setting
    for moment in (event.starts_at - timedelta(minutes=1), event.ends_at):
        errors = _refusal(
            session, owner, event, _data(event, [nia.id], {maggie.id: 1}, starts_at=moment)
        )
        assert errors["starts_at"] == ["The meetings must start during the event."]
    last = event.ends_at - timedelta(minutes=30)
    made = rounds.create_round(
        session,
        actor=owner,
        event=event,
        data=_data(event, [nia.id], {maggie.id: 1}, starts_at=last),
    )
    assert made.starts_at == last


def test_only_the_events_organisers_make_rounds(session, setting):
    owner, event, nia, maggie = setting
    other = organiser(session, handle="someone-else")
    for actor in (nia, other):
        with pytest.raises(NotAllowed):
            rounds.create_round(
                session, actor=actor, event=event, data=_data(event, [nia.id], {maggie.id: 1})
            )


def test_a_published_pair_keeps_its_seat_when_computed_again(session, setting):
    owner, event, nia, maggie = setting
    noor = novice(session, handle="noor", name="Noor")
    going(session, event, noor)
    made = rounds.create_round(
        session, actor=owner, event=event, data=_data(event, [nia.id, noor.id], {maggie.id: 1})
    )
    [first] = [(pair.mentee_id, pair.mentor_id) for pair in made.pairs]
    other = noor.id if first[0] == nia.id else nia.id
    assert rounds.publish_round(session, actor=owner, mentoring_round=made) == 1
    assert made.status is RoundStatus.published
    assert rounds.publish_round(session, actor=owner, mentoring_round=made) == 0  # nothing new
    result = rounds.assign(session, actor=owner, mentoring_round=made)
    assert result.pairs == [] and result.unassigned == [0]  # the seat stays with the sent pair
    assert [(pair.mentee_id, pair.mentor_id) for pair in made.pairs] == [first]
    with pytest.raises(InvalidInput) as refused:
        rounds.edit_pairs(session, actor=owner, mentoring_round=made, choices={first[0]: None})
    assert refused.value.field_errors == {
        f"mentor-{first[0]}": ["This pair's request is already sent."]
    }
    with pytest.raises(InvalidInput) as full:
        rounds.edit_pairs(session, actor=owner, mentoring_round=made, choices={other: maggie.id})
    assert full.value.field_errors == {
        f"mentor-{other}": ["This mentor has no seat left in this round."]
    }
