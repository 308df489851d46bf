"""Mentoring office hours: who publishes, capacity, cancelling, no-shows, overlaps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hallway.core.errors import Conflict, InvalidInput, NotAllowed
from hallway.db import utcnow
from hallway.meetings import service
from hallway.meetings.models import BookingStatus, MeetingStatus
from hallway.notifications.models import Notification
from tests.factories import make_block
from tests.unit.events.factories import make_event, make_organiser
from tests.unit.meetings.factories import (
    accept_first,
    make_member,
    make_mentor,
    make_request,
    make_slot,
    soon,
)

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def host(session):
    return make_mentor(session)


def kinds_for(session, user):
    return [
        n.kind
        for n in session.scalars(select(Notification).where(Notification.recipient_id == user.id))
    ]


def test_only_members_who_offer_mentoring_or_career_chats_publish(session):
    nothing = make_member(session, offering=[])
    with pytest.raises(NotAllowed):
        make_slot(session, nothing)
    career_chats = make_member(session, offering=["career_chat"])
    assert make_slot(session, career_chats).capacity == 1


@pytest.mark.parametrize("capacity", [0, 21])
def test_capacity_between_one_and_twenty(session, host, capacity):
    with pytest.raises(InvalidInput) as refused:
        make_slot(session, host, capacity=capacity)
    assert "capacity" in refused.value.field_errors


def test_slots_are_in_the_future_and_inside_their_event(session, host):
    with pytest.raises(InvalidInput):
        make_slot(session, host, starts_at=utcnow() - timedelta(minutes=5))
    event = make_event(session, owner=make_organiser(session))
    with pytest.raises(InvalidInput) as refused:
        make_slot(session, host, event_id=event.id, starts_at=event.ends_at - timedelta(minutes=5))
    assert refused.value.field_errors["starts_at"] == ["Choose a time during the event."]
    assert make_slot(session, host, event_id=event.id, starts_at=event.starts_at).event_id


def test_a_host_does_not_publish_overlapping_slots(session, host):
    start = soon(80)
    make_slot(session, host, starts_at=start, duration_minutes=30)
    with pytest.raises(Conflict):
        make_slot(session, host, starts_at=start + timedelta(minutes=15))
    assert make_slot(session, host, starts_at=start + timedelta(minutes=30))


def test_capacity_is_respected_at_the_boundary(session, host):
    slot = make_slot(session, host, capacity=2)
    first, second, third = (make_member(session, career_stage="novice") for _ in range(3))
    service.book_slot(session, actor=first, slot=slot)
    assert slot.places_left == 1
    service.book_slot(session, actor=second, slot=slot)  # the last place
    assert slot.booked_count == 2
    with pytest.raises(Conflict) as refused:
        service.book_slot(session, actor=third, slot=slot)
    assert refused.value.message == "These office hours are full."
    assert kinds_for(session, host) == [service.KIND_BOOKED] * 2


def test_cancelling_a_booking_releases_the_place(session, host):
    slot = make_slot(session, host, capacity=1)
    first, second = make_member(session), make_member(session)
    booking = service.book_slot(session, actor=first, slot=slot)
    with pytest.raises(Conflict):
        service.book_slot(session, actor=second, slot=slot)
    service.cancel_booking(session, actor=first, booking=booking)
    assert booking.status is BookingStatus.cancelled
    assert slot.booked_count == 0
    assert service.KIND_BOOKING_CANCELLED in kinds_for(session, host)
    assert service.book_slot(session, actor=second, slot=slot).status is BookingStatus.booked
    # The first member may book again once there is room.
    with pytest.raises(Conflict):
        service.book_slot(session, actor=first, slot=slot)


def test_booking_twice_is_refused_and_rebooking_reuses_the_row(session, host):
    slot = make_slot(session, host, capacity=3)
    member = make_member(session)
    booking = service.book_slot(session, actor=member, slot=slot)
    with pytest.raises(Conflict) as refused:
        service.book_slot(session, actor=member, slot=slot)
    assert refused.value.message == "You already booked these office hours."
    service.cancel_booking(session, actor=member, booking=booking)
    again = service.book_slot(session, actor=member, slot=slot)
    assert again.id == booking.id
    assert slot.booked_count == 1


def test_hosts_do_not_book_their_own_and_blocks_apply(session, host):
    slot = make_slot(session, host)
    with pytest.raises(InvalidInput):
        service.book_slot(session, actor=host, slot=slot)
    blocked = make_member(session)
    make_block(session, blocker=host, blocked=blocked)
    with pytest.raises(NotAllowed):
        service.book_slot(session, actor=blocked, slot=slot)


def test_the_host_cancelling_a_slot_tells_everyone_booked(session, host):
    slot = make_slot(session, host, capacity=3)
    members = [make_member(session) for _ in range(2)]
    for member in members:
        service.book_slot(session, actor=member, slot=slot)
    service.cancel_slot(session, actor=host, slot=slot)
    assert slot.is_cancelled and slot.booked_count == 0
    for member in members:
        assert service.KIND_BOOKING_CANCELLED in kinds_for(session, member)
    with pytest.raises(Conflict):
        service.book_slot(session, actor=make_member(session), slot=slot)


def _no_show(session, host, member, *, when):
    slot = make_slot(session, host, starts_at=soon(1, base=when), now=when)
    booking = service.book_slot(session, actor=member, slot=slot, now=when)
    return service.report_no_show(
        session, actor=host, booking=booking, now=slot.starts_at + timedelta(minutes=5)
    )


def test_no_show_reports_only_by_the_host_once_started(session, host):
    member = make_member(session)
    slot = make_slot(session, host)
    booking = service.book_slot(session, actor=member, slot=slot)
    with pytest.raises(Conflict):
        service.report_no_show(session, actor=host, booking=booking)  # not started yet
    with pytest.raises(NotAllowed):
        service.report_no_show(
            session, actor=member, booking=booking, now=slot.starts_at + timedelta(minutes=1)
        )
    service.report_no_show(
        session, actor=host, booking=booking, now=slot.starts_at + timedelta(minutes=1)
    )
    assert booking.status is BookingStatus.no_show
    assert service.KIND_NO_SHOW in kinds_for(session, member)


def test_two_no_shows_still_book_three_do_not_for_thirty_days(session, host):
    member = make_member(session)
    now = utcnow()
    _no_show(session, host, member, when=now - timedelta(days=3))
    _no_show(session, host, member, when=now - timedelta(days=2))
    assert service.booking_bar_until(session, member.id) is None
    assert service.book_slot(
        session, actor=member, slot=make_slot(session, host, starts_at=soon(200))
    )
    third = _no_show(session, host, member, when=now - timedelta(days=1))
    bar = service.booking_bar_until(session, member.id)
    assert bar == third.no_show_at + timedelta(days=30)
    with pytest.raises(NotAllowed) as refused:
        service.book_slot(session, actor=member, slot=make_slot(session, host, starts_at=soon(300)))
    assert "missed three booked chats" in refused.value.message
    # Just before the bar ends: still barred; once it ends: free to book.
    slot = make_slot(session, host, starts_at=bar + timedelta(days=1))
    with pytest.raises(NotAllowed):
        service.book_slot(session, actor=member, slot=slot, now=bar - timedelta(minutes=1))
    assert service.book_slot(session, actor=member, slot=slot, now=bar).status is (
        BookingStatus.booked
    )


def test_a_booking_and_a_meeting_never_overlap(session, host):
    member = make_member(session)
    start = soon(120)
    slot = make_slot(session, host, starts_at=start, duration_minutes=30)
    service.book_slot(session, actor=member, slot=slot)
    # The booker's agenda: accepting a meeting at that time is refused.
    other = make_mentor(session)
    request = make_request(session, member, other, proposed_times=[start + timedelta(minutes=10)])
    with pytest.raises(Conflict):
        accept_first(session, request, other)
    # The host's agenda: a booked slot blocks a meeting for the host too.
    asker = make_member(session)
    to_host = make_request(session, asker, host, proposed_times=[start])
    with pytest.raises(Conflict):
        accept_first(session, to_host, host)
    assert to_host.status is MeetingStatus.pending


def test_a_host_with_an_accepted_meeting_then_is_not_bookable(session, host):
    start = soon(130)
    slot = make_slot(session, host, starts_at=start)
    asker = make_member(session)
    accept_first(session, make_request(session, asker, host, proposed_times=[start]), host)
    with pytest.raises(Conflict) as refused:
        service.book_slot(session, actor=make_member(session), slot=slot)
    assert refused.value.message == (
        "The other member already has a meeting or office hours at that time."
    )


def test_the_agenda_lists_meetings_bookings_and_events_in_time_order(session, host):
    from tests.unit.events.factories import rsvp

    member = make_member(session)
    event = make_event(session, owner=make_organiser(session))  # in a week
    rsvp(session, event, member)
    slot = make_slot(session, host, starts_at=soon(48))
    service.book_slot(session, actor=member, slot=slot)
    accepted = make_request(session, member, make_mentor(session), proposed_times=[soon(24)])
    accept_first(session, accepted, accepted.recipient)
    waiting = make_request(session, member, make_mentor(session))
    mine = service.agenda(session, actor=member)
    assert [item.kind for item in mine.items] == ["meeting", "booking", "event"]
    assert mine.waiting == [waiting]
    hosting = service.agenda(session, actor=host)
    assert [item.kind for item in hosting.items] == ["hosting"]


def test_only_the_member_cancels_their_booking_and_only_before_the_start(session, host):
    from hallway.core.errors import NotFound

    member, other = make_member(session), make_member(session)
    slot = make_slot(session, host, capacity=2)
    booking = service.book_slot(session, actor=member, slot=slot)
    with pytest.raises(NotFound):
        service.cancel_booking(session, actor=other, booking=booking)
    slot.starts_at = utcnow() - timedelta(minutes=1)
    session.flush()
    with pytest.raises(Conflict):
        service.cancel_booking(session, actor=member, booking=booking)
    assert booking.status is BookingStatus.booked and slot.booked_count == 1


def test_only_the_host_cancels_a_slot(session, host):
    slot = make_slot(session, host)
    with pytest.raises(NotAllowed):
        service.cancel_slot(session, actor=make_member(session), slot=slot)
    assert not slot.is_cancelled


def test_a_private_hosts_slots_are_not_found_by_others(session):
    from hallway.core.errors import NotFound

    private_host = make_mentor(session, visibility="private")
    slot = make_slot(session, private_host)
    with pytest.raises(NotFound):
        service.visible_slot(session, make_member(session), slot.id)
    assert service.visible_slot(session, private_host, slot.id) is slot


def test_open_slots_leave_out_past_and_cancelled_ones(session, host):
    upcoming = make_slot(session, host, starts_at=soon(10))
    cancelled = make_slot(session, host, starts_at=soon(20))
    service.cancel_slot(session, actor=host, slot=cancelled)
    assert service.open_slots(session, host) == [upcoming]
    assert service.open_slots(session, host, now=upcoming.starts_at) == []
