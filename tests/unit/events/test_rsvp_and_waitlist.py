"""RSVP with capacity: the waitlist, its order, promotion and leaving it."""

import pytest
from sqlalchemy import select

from hallway.core.errors import Conflict, NotAllowed
from hallway.events import service
from hallway.events.models import RsvpStatus
from hallway.notifications.models import Notification
from tests.factories import make_user
from tests.unit.events.factories import make_event, make_organiser, make_past_event, rsvp

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def owner(session):
    return make_organiser(session)


@pytest.fixture
def people(session):
    return [make_user(session, display_name=f"Person {n}") for n in range(5)]


def notified(session, kind):
    return {
        n.recipient_id
        for n in session.scalars(select(Notification).where(Notification.kind == kind))
    }


def test_going_without_capacity_always_gets_a_place(session, owner, people):
    event = make_event(session, owner=owner)
    for person in people:
        assert rsvp(session, event, person).status is RsvpStatus.going
    assert event.going_count == 5


def test_a_full_event_puts_the_next_people_on_the_waitlist_in_order(session, owner, people):
    event = make_event(session, owner=owner, capacity=2)
    answers = [rsvp(session, event, person) for person in people[:4]]
    assert [a.status for a in answers] == [RsvpStatus.going] * 2 + [RsvpStatus.waitlisted] * 2
    assert [service.waitlist_position(session, a) for a in answers] == [None, None, 1, 2]
    assert event.going_count == 2


def test_leaving_promotes_the_first_person_waiting_and_tells_them(session, owner, people):
    event = make_event(session, owner=owner, capacity=1)
    first, second, third = (rsvp(session, event, person) for person in people[:3])
    rsvp(session, event, people[0], "not_going")
    assert first.status is RsvpStatus.not_going
    assert second.status is RsvpStatus.going and third.status is RsvpStatus.waitlisted
    assert service.waitlist_position(session, third) == 1
    assert event.going_count == 1
    assert notified(session, service.KIND_PROMOTED) == {people[1].id}


def test_switching_to_interested_also_frees_the_place(session, owner, people):
    event = make_event(session, owner=owner, capacity=1)
    rsvp(session, event, people[0])
    waiting = rsvp(session, event, people[1])
    rsvp(session, event, people[0], "interested")
    assert waiting.status is RsvpStatus.going


def test_asking_to_go_again_keeps_the_place_in_the_queue(session, owner, people):
    event = make_event(session, owner=owner, capacity=1)
    rsvp(session, event, people[0])
    waiting = rsvp(session, event, people[1])
    later = rsvp(session, event, people[2])
    rsvp(session, event, people[1])
    assert service.waitlist_position(session, waiting) == 1
    assert service.waitlist_position(session, later) == 2


def test_leaving_the_waitlist_moves_the_others_up_and_promotes_nobody(session, owner, people):
    event = make_event(session, owner=owner, capacity=1)
    rsvp(session, event, people[0])
    waiting = rsvp(session, event, people[1])
    later = rsvp(session, event, people[2])
    service.leave_waitlist(session, actor=people[1], event=event)
    assert waiting.status is RsvpStatus.not_going
    assert service.waitlist_position(session, later) == 1
    assert event.going_count == 1
    assert notified(session, service.KIND_PROMOTED) == set()


def test_only_people_waiting_can_leave_the_waitlist(session, owner, people):
    event = make_event(session, owner=owner, capacity=1)
    rsvp(session, event, people[0])
    with pytest.raises(Conflict):
        service.leave_waitlist(session, actor=people[0], event=event)


def test_a_larger_capacity_promotes_the_people_waiting(session, owner, people):
    event = make_event(session, owner=owner, capacity=1)
    answers = [rsvp(session, event, person) for person in people[:4]]
    service.edit_event(session, actor=owner, event=event, changes={"capacity": 3})
    assert [a.status for a in answers] == [RsvpStatus.going] * 3 + [RsvpStatus.waitlisted]
    assert event.going_count == 3
    assert notified(session, service.KIND_PROMOTED) == {people[1].id, people[2].id}


def test_removing_the_limit_promotes_everyone_waiting(session, owner, people):
    event = make_event(session, owner=owner, capacity=1)
    answers = [rsvp(session, event, person) for person in people[:3]]
    service.edit_event(session, actor=owner, event=event, changes={"capacity": None})
    assert all(a.status is RsvpStatus.going for a in answers)


def test_a_smaller_capacity_keeps_the_people_already_going(session, owner, people):
    event = make_event(session, owner=owner, capacity=3)
    answers = [rsvp(session, event, person) for person in people[:3]]
    service.edit_event(session, actor=owner, event=event, changes={"capacity": 1})
    assert all(a.status is RsvpStatus.going for a in answers)
    assert rsvp(session, event, people[3]).status is RsvpStatus.waitlisted


def test_closed_registration_refuses_new_places_but_lets_people_leave(session, owner, people):
    event = make_event(session, owner=owner)
    going = rsvp(session, event, people[0])
    service.edit_event(session, actor=owner, event=event, changes={"registration_open": False})
    with pytest.raises(Conflict):
        rsvp(session, event, people[1])
    assert service.rsvp_of(session, event, people[1]) is None
    assert rsvp(session, event, people[1], "interested").status is RsvpStatus.interested
    rsvp(session, event, people[0], "not_going")
    assert going.status is RsvpStatus.not_going and event.going_count == 0


def test_cancelled_and_past_events_take_no_answers(session, owner, people):
    event = make_event(session, owner=owner)
    service.cancel_event(session, actor=owner, event=event)
    with pytest.raises(Conflict):
        rsvp(session, event, people[0])
    past = make_past_event(session, owner=owner)
    with pytest.raises(Conflict):
        rsvp(session, past, people[0])


def test_logged_out_visitors_cannot_answer(session, owner):
    from flask_login import AnonymousUserMixin

    event = make_event(session, owner=owner)
    with pytest.raises(NotAllowed):
        service.set_rsvp(session, actor=AnonymousUserMixin(), event=event, status="going")


def test_the_count_follows_the_rows_not_a_stale_counter(session, owner, people):
    """The place check counts the people going under the lock, so a counter left wrong
    (e.g. by a deleted account) cannot hand out a place that does not exist."""
    event = make_event(session, owner=owner, capacity=1)
    rsvp(session, event, people[0])
    event.going_count = 0
    session.flush()
    assert rsvp(session, event, people[1]).status is RsvpStatus.waitlisted
    assert event.going_count == 1
