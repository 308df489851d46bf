"""Meeting requests: who may ask whom, proposed times, and the whole lifecycle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.db import utcnow
from hallway.meetings import service
from hallway.meetings.models import MeetingFeedback, MeetingStatus
from hallway.notifications.models import Notification
from tests.factories import make_block, make_user
from tests.unit.events.factories import make_event, make_organiser
from tests.unit.meetings.factories import (
    accept_first,
    make_member,
    make_mentor,
    make_request,
    soon,
)

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def sender(session):
    return make_member(session, career_stage="career")


@pytest.fixture
def recipient(session):
    return make_mentor(session)


def notices(session, user, kind=None):
    statement = select(Notification).where(Notification.recipient_id == user.id)
    if kind:
        statement = statement.where(Notification.kind == kind)
    return list(session.scalars(statement))


# --- Who may ask whom ------------------------------------------------------------------


def test_a_member_asks_another_and_the_recipient_is_told(session, sender, recipient):
    request = make_request(session, sender, recipient, message="Coffee?")
    assert request.status is MeetingStatus.pending
    assert [time.proposed_by_id for time in request.proposed_times] == [sender.id] * 2
    assert request.answering_id == recipient.id
    [notice] = notices(session, recipient, service.KIND_REQUESTED)
    assert notice.url == f"/meetings/{request.id}"
    assert sender.display_name in notice.summary
    assert notices(session, sender) == []


def test_nobody_asks_themselves(session, sender):
    with pytest.raises(InvalidInput) as refused:
        make_request(session, sender, sender)
    assert "yourself" in refused.value.message


@pytest.mark.parametrize("who_blocks", ["recipient", "sender"])
def test_blocked_people_can_never_request(session, sender, recipient, who_blocks):
    if who_blocks == "recipient":
        make_block(session, blocker=recipient, blocked=sender)
    else:
        make_block(session, blocker=sender, blocked=recipient)
    with pytest.raises(NotAllowed):
        make_request(session, sender, recipient)
    assert not service.may_request(session, sender, recipient.id)


def test_novices_reach_only_people_who_accept_novice_requests(session):
    novice = make_member(session, career_stage="novice")
    closed = make_mentor(session, novices_may_request=False)
    open_mentor = make_mentor(session, novices_may_request=True)
    with pytest.raises(NotAllowed) as refused:
        make_request(session, novice, closed)
    assert "new to the field" in refused.value.message
    assert make_request(session, novice, open_mentor).status is MeetingStatus.pending
    # Someone further along may still ask the mentor who turned novices away.
    career = make_member(session, career_stage="career")
    assert make_request(session, career, closed).status is MeetingStatus.pending


def test_a_member_not_open_to_meeting_requests_cannot_be_asked(session, sender):
    closed = make_member(session, matchable=False)
    with pytest.raises(NotAllowed) as refused:
        make_request(session, sender, closed)
    assert "not taking meeting requests" in refused.value.message
    assert not service.may_request(session, sender, closed.id)
    open_to_requests = make_member(session, matchable=True)
    assert make_request(session, sender, open_to_requests).status is MeetingStatus.pending


def test_a_private_profile_cannot_be_requested_by_those_who_cannot_see_it(session, sender):
    private = make_member(session, visibility="private")
    with pytest.raises(NotFound):
        make_request(session, sender, private)
    assert not service.may_request(session, sender, private.id)


def test_an_unknown_member_is_not_found(session, sender):
    with pytest.raises(NotFound):
        service.request_meeting(
            session, actor=sender, recipient_id=999_999, proposed_times=[soon(24)]
        )


def test_one_open_request_per_pair(session, sender, recipient):
    make_request(session, sender, recipient)
    with pytest.raises(Conflict):
        make_request(session, sender, recipient)


# --- Proposed times ---------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 4])
def test_one_to_three_times(session, sender, recipient, count):
    times = [soon(24 + hour) for hour in range(count)]
    with pytest.raises(InvalidInput) as refused:
        make_request(session, sender, recipient, proposed_times=times)
    assert "proposed_times" in refused.value.field_errors


def test_three_times_are_enough(session, sender, recipient):
    three = make_request(session, sender, recipient, proposed_times=[soon(1), soon(2), soon(3)])
    assert [time.position for time in three.proposed_times] == [0, 1, 2]


def test_duplicate_times_collapse(session, sender, recipient):
    request = make_request(session, sender, recipient, proposed_times=[soon(5), soon(5)])
    assert len(request.proposed_times) == 1


def test_times_in_the_past_are_refused(session, sender, recipient):
    with pytest.raises(InvalidInput) as refused:
        make_request(session, sender, recipient, proposed_times=[utcnow() - timedelta(minutes=1)])
    assert refused.value.field_errors["proposed_times"] == ["Propose times in the future."]


def test_event_times_must_be_inside_the_event(session, sender, recipient):
    event = make_event(session, owner=make_organiser(session))
    inside = event.starts_at + timedelta(minutes=30)
    request = make_request(session, sender, recipient, event_id=event.id, proposed_times=[inside])
    assert request.event_id == event.id
    other = make_member(session)
    # Ends after the event (the meeting's length counts).
    late = event.ends_at - timedelta(minutes=10)
    with pytest.raises(InvalidInput) as refused:
        make_request(session, sender, other, event_id=event.id, proposed_times=[late])
    assert refused.value.field_errors["proposed_times"] == ["Propose times during the event."]


def test_events_with_networking_sessions_take_times_in_them(session, sender, recipient):
    owner = make_organiser(session)
    event = make_event(session, owner=owner)
    from hallway.events import service as events_service

    events_service.add_session(
        session,
        actor=owner,
        event=event,
        data={
            "title": "Networking break",
            "starts_at": event.starts_at + timedelta(hours=1),
            "ends_at": event.starts_at + timedelta(hours=2),
        },
    )
    session.refresh(event)
    inside = event.starts_at + timedelta(hours=1, minutes=15)
    outside = event.starts_at + timedelta(minutes=5)  # inside the event, not the session
    with pytest.raises(InvalidInput) as refused:
        make_request(session, sender, recipient, event_id=event.id, proposed_times=[outside])
    assert refused.value.field_errors["proposed_times"] == [
        "Propose times within the event's networking sessions."
    ]
    assert make_request(
        session, sender, recipient, event_id=event.id, proposed_times=[inside]
    ).is_open


def test_online_chats_take_any_future_time(session, sender, recipient):
    far = soon(24 * 200)
    assert make_request(session, sender, recipient, proposed_times=[far]).is_open


def test_a_video_link_must_be_https(session, sender, recipient):
    with pytest.raises(InvalidInput) as refused:
        make_request(session, sender, recipient, video_url="http://meet.example/x")
    assert "video_url" in refused.value.field_errors


# --- Answers ------------------------------------------------------------------------------


def test_the_recipient_accepts_one_proposed_time(session, sender, recipient):
    request = make_request(session, sender, recipient, duration_minutes=45)
    second = request.open_times[1]
    service.accept_request(session, actor=recipient, request=request, time_id=second.id)
    assert request.status is MeetingStatus.accepted
    assert request.starts_at == second.starts_at
    assert request.ends_at - request.starts_at == timedelta(minutes=45)
    assert request.sequence == 1
    assert [n.kind for n in notices(session, sender)] == [service.KIND_ACCEPTED]


def test_the_sender_cannot_accept_their_own_request(session, sender, recipient):
    request = make_request(session, sender, recipient)
    with pytest.raises(NotAllowed):
        accept_first(session, request, sender)


def test_a_time_not_proposed_is_refused(session, sender, recipient):
    request = make_request(session, sender, recipient)
    elsewhere = make_request(session, make_member(session), recipient)
    with pytest.raises(InvalidInput) as refused:
        service.accept_request(
            session, actor=recipient, request=request, time_id=elsewhere.proposed_times[0].id
        )
    assert "time_id" in refused.value.field_errors
    assert request.status is MeetingStatus.pending


def test_accepting_twice_is_refused(session, sender, recipient):
    request = make_request(session, sender, recipient)
    accept_first(session, request, recipient)
    with pytest.raises(Conflict) as refused:
        accept_first(session, request, recipient)
    assert refused.value.message == "This meeting is already accepted."


def test_a_stranger_cannot_see_or_answer_a_request(session, sender, recipient):
    request = make_request(session, sender, recipient)
    stranger = make_user(session)
    with pytest.raises(NotFound):
        service.visible_request(session, stranger, request.id)
    with pytest.raises(NotFound):
        service.decline_request(session, actor=stranger, request=request)
    assert service.visible_request(session, sender, request.id) is request
    assert service.visible_request(session, recipient, str(request.id)) is request


def test_declining_with_a_note_tells_the_sender(session, sender, recipient):
    request = make_request(session, sender, recipient)
    service.decline_request(session, actor=recipient, request=request, note=" Busy that week ")
    assert request.status is MeetingStatus.declined
    assert request.response_note == "Busy that week"
    [notice] = notices(session, sender, service.KIND_DECLINED)
    assert notice.excerpt == "Busy that week"
    with pytest.raises(Conflict):
        accept_first(session, request, recipient)


def test_a_counter_proposal_goes_back_to_the_sender(session, sender, recipient):
    request = make_request(session, sender, recipient)
    service.counter_request(session, actor=recipient, request=request, starts_at=soon(100))
    assert request.status is MeetingStatus.countered
    assert request.answering_id == sender.id
    [counter] = request.open_times
    assert counter.proposed_by_id == recipient.id
    assert [n.kind for n in notices(session, sender)] == [service.KIND_COUNTERED]
    # The recipient may no longer pick one of the sender's first times.
    with pytest.raises(NotAllowed):
        accept_first(session, request, recipient)
    service.accept_request(session, actor=sender, request=request, time_id=counter.id)
    assert request.status is MeetingStatus.accepted
    assert request.starts_at == counter.starts_at
    assert [n.kind for n in notices(session, recipient)] == [
        service.KIND_REQUESTED,
        service.KIND_ACCEPTED,
    ]


def test_the_sender_may_decline_a_counter_proposal(session, sender, recipient):
    request = make_request(session, sender, recipient)
    service.counter_request(session, actor=recipient, request=request, starts_at=soon(100))
    with pytest.raises(NotAllowed):  # only the sender answers a counter-proposal
        service.decline_request(session, actor=recipient, request=request)
    service.decline_request(session, actor=sender, request=request)
    assert request.status is MeetingStatus.declined
    assert service.KIND_DECLINED in [n.kind for n in notices(session, recipient)]


def test_the_sender_cannot_counter(session, sender, recipient):
    request = make_request(session, sender, recipient)
    with pytest.raises(NotAllowed):
        service.counter_request(session, actor=sender, request=request, starts_at=soon(90))


def test_a_counter_proposal_in_the_past_is_refused(session, sender, recipient):
    request = make_request(session, sender, recipient)
    with pytest.raises(InvalidInput) as refused:
        service.counter_request(
            session, actor=recipient, request=request, starts_at=utcnow() - timedelta(hours=1)
        )
    assert "starts_at" in refused.value.field_errors


def test_the_sender_withdraws_while_pending(session, sender, recipient):
    request = make_request(session, sender, recipient)
    with pytest.raises(NotAllowed):
        service.withdraw_request(session, actor=recipient, request=request)
    service.withdraw_request(session, actor=sender, request=request)
    assert request.status is MeetingStatus.withdrawn
    assert service.KIND_WITHDRAWN in [n.kind for n in notices(session, recipient)]
    with pytest.raises(Conflict):
        accept_first(session, request, recipient)


def test_withdrawing_after_acceptance_is_refused(session, sender, recipient):
    request = make_request(session, sender, recipient)
    accept_first(session, request, recipient)
    with pytest.raises(Conflict):
        service.withdraw_request(session, actor=sender, request=request)
    assert request.status is MeetingStatus.accepted


def test_the_sender_edits_a_pending_request(session, sender, recipient):
    request = make_request(session, sender, recipient, message="Hi")
    new_time = soon(30)
    service.edit_request(
        session,
        actor=sender,
        request=request,
        changes={"message": "Hello again", "proposed_times": [new_time], "place": "Table 4"},
    )
    assert request.message == "Hello again"
    assert request.place == "Table 4"
    assert [time.starts_at for time in request.proposed_times] == [new_time]
    assert service.KIND_EDITED in [n.kind for n in notices(session, recipient)]
    with pytest.raises(NotAllowed):
        service.edit_request(session, actor=recipient, request=request, changes={"message": "x"})
    with pytest.raises(InvalidInput):
        service.edit_request(session, actor=sender, request=request, changes={"proposed_times": []})


def test_an_answered_request_cannot_be_edited(session, sender, recipient):
    request = make_request(session, sender, recipient)
    accept_first(session, request, recipient)
    with pytest.raises(Conflict):
        service.edit_request(session, actor=sender, request=request, changes={"message": "x"})


@pytest.mark.parametrize("who", ["sender", "recipient"])
def test_either_side_cancels_an_accepted_meeting(session, sender, recipient, who):
    request = make_request(session, sender, recipient)
    with pytest.raises(Conflict):  # not accepted yet
        service.cancel_meeting(session, actor=sender, request=request)
    accept_first(session, request, recipient)
    actor, other = (sender, recipient) if who == "sender" else (recipient, sender)
    service.cancel_meeting(session, actor=actor, request=request, note="Sorry")
    assert request.status is MeetingStatus.cancelled
    assert request.cancelled_by_id == actor.id
    assert request.sequence == 2
    assert service.KIND_CANCELLED in [n.kind for n in notices(session, other)]
    assert service.KIND_CANCELLED not in [n.kind for n in notices(session, actor)]


# --- Double booking ----------------------------------------------------------------------


def test_an_accepted_meeting_may_not_overlap_another_of_the_recipient(session, recipient):
    first, second = make_member(session), make_member(session)
    start = soon(50)
    one = make_request(session, first, recipient, proposed_times=[start], duration_minutes=30)
    two = make_request(session, second, recipient, proposed_times=[start + timedelta(minutes=29)])
    accept_first(session, one, recipient)
    with pytest.raises(Conflict) as refused:
        accept_first(session, two, recipient)
    assert refused.value.message == "You already have a meeting or office hours at that time."
    assert two.status is MeetingStatus.pending


def test_back_to_back_meetings_are_fine(session, recipient):
    first, second = make_member(session), make_member(session)
    start = soon(50)
    one = make_request(session, first, recipient, proposed_times=[start], duration_minutes=30)
    two = make_request(session, second, recipient, proposed_times=[start + timedelta(minutes=30)])
    accept_first(session, one, recipient)
    assert accept_first(session, two, recipient).status is MeetingStatus.accepted


def test_the_other_sides_agenda_counts_too(session, sender, recipient):
    busy_elsewhere = make_mentor(session)
    start = soon(60)
    make_request(session, sender, busy_elsewhere, proposed_times=[start])
    accept_first(session, service.list_requests(session, actor=busy_elsewhere)[0], busy_elsewhere)
    request = make_request(session, sender, recipient, proposed_times=[start])
    with pytest.raises(Conflict) as refused:
        accept_first(session, request, recipient)
    assert refused.value.message == (
        "The other member already has a meeting or office hours at that time."
    )


def test_a_cancelled_meeting_frees_the_time(session, sender, recipient):
    start = soon(60)
    one = make_request(session, sender, recipient, proposed_times=[start])
    accept_first(session, one, recipient)
    service.cancel_meeting(session, actor=sender, request=one)
    other = make_member(session)
    two = make_request(session, other, recipient, proposed_times=[start])
    assert accept_first(session, two, recipient).status is MeetingStatus.accepted


def test_a_time_that_has_passed_cannot_be_accepted(session, sender, recipient):
    request = make_request(session, sender, recipient, proposed_times=[soon(1)])
    with pytest.raises(InvalidInput):
        service.accept_request(
            session,
            actor=recipient,
            request=request,
            time_id=request.open_times[0].id,
            now=utcnow() + timedelta(hours=2),
        )


# --- Limits -----------------------------------------------------------------------------------


def test_requests_per_day_are_capped(session, sender, monkeypatch):
    monkeypatch.setattr(service, "DAILY_REQUEST_LIMIT", 2)
    make_request(session, sender, make_member(session))
    make_request(session, sender, make_member(session))
    with pytest.raises(Conflict) as refused:
        make_request(session, sender, make_member(session))
    assert "wait a day" in refused.value.message
    # A day later it is allowed again.
    later = utcnow() + timedelta(days=1, minutes=1)
    assert service.request_meeting(
        session,
        actor=sender,
        recipient_id=make_member(session).id,
        proposed_times=[later + timedelta(hours=1)],
        now=later,
    ).is_open


# --- Contact details and feedback ---------------------------------------------------------------


def test_contact_details_are_shown_only_on_an_accepted_meeting(session, sender):
    sharing = make_mentor(session, show_contact_links=True, links=("https://example.org/me",))
    request = make_request(session, sender, sharing)
    assert service.contact_details(session, sender, request) is None
    accept_first(session, request, sharing)
    details = service.contact_details(session, sender, request)
    assert details.email == sharing.email
    assert [link.url for link in details.links] == ["https://example.org/me"]
    assert service.contact_details(session, make_user(session), request) is None
    service.cancel_meeting(session, actor=sender, request=request)
    assert service.contact_details(session, sender, request) is None


def test_contact_details_follow_the_consent_setting(session, sender):
    private = make_mentor(session, show_contact_links=False)
    request = make_request(session, sender, private)
    accept_first(session, request, private)
    assert service.contact_details(session, sender, request) is None


def test_feedback_after_the_meeting_is_stored_for_matching(session, sender, recipient):
    request = make_request(session, sender, recipient, proposed_times=[soon(2)])
    accept_first(session, request, recipient)
    with pytest.raises(Conflict):  # not over yet
        service.leave_feedback(session, actor=sender, request=request, useful=True)
    after = request.ends_at
    feedback = service.leave_feedback(
        session, actor=sender, request=request, useful=True, note="Great", now=after
    )
    assert (feedback.author_id, feedback.about_id, feedback.useful) == (
        sender.id,
        recipient.id,
        True,
    )
    service.leave_feedback(session, actor=sender, request=request, useful=False, now=after)
    rows = list(session.scalars(select(MeetingFeedback)))
    assert [(row.useful, row.note) for row in rows] == [(False, "")]


def test_no_feedback_on_a_meeting_that_was_not_accepted(session, sender, recipient):
    request = make_request(session, sender, recipient)
    with pytest.raises(Conflict):
        service.leave_feedback(
            session, actor=sender, request=request, useful=True, now=utcnow() + timedelta(days=9)
        )


def test_pending_counts_and_met_pairs_for_matching(session, sender, recipient):
    other = make_member(session)
    make_request(session, sender, recipient)
    accepted = make_request(session, other, recipient)
    accept_first(session, accepted, recipient)
    assert service.pending_incoming_counts(session, [recipient.id, sender.id]) == {recipient.id: 1}
    assert service.accepted_meeting_pairs(session) == [(other.id, recipient.id)]


# --- Mentoring rounds (organisers publish through this service) ---------------------------------


def test_an_organiser_publishes_a_round_pair_as_a_request(session, monkeypatch):
    owner = make_organiser(session)
    event = make_event(session, owner=owner)
    mentee = make_member(session, career_stage="novice")
    mentor = make_mentor(session, novices_may_request=False, visibility="private")
    inside = event.starts_at + timedelta(minutes=15)
    monkeypatch.setattr(service, "DAILY_REQUEST_LIMIT", 0)  # the cap is for members only
    request = service.publish_round_request(
        session,
        organiser=owner,
        event_id=event.id,
        sender_id=mentee.id,
        recipient_id=mentor.id,
        proposed_times=[inside],
        message="You two should talk",
    )
    assert (request.sender_id, request.recipient_id, request.created_by_id) == (
        mentee.id,
        mentor.id,
        owner.id,
    )
    assert request.source == "mentoring_round"
    assert [n.kind for n in notices(session, mentor)] == [service.KIND_REQUESTED]
    assert [n.kind for n in notices(session, mentee)] == [service.KIND_REQUESTED]
    # The mentor answers it like any request.
    accept_first(session, request, mentor)
    assert request.status is MeetingStatus.accepted


def test_only_the_events_organisers_publish_round_requests(session):
    event = make_event(session, owner=make_organiser(session))
    mentee, mentor = make_member(session), make_mentor(session)
    with pytest.raises(NotAllowed):
        service.publish_round_request(
            session,
            organiser=mentee,
            event_id=event.id,
            sender_id=mentee.id,
            recipient_id=mentor.id,
            proposed_times=[event.starts_at + timedelta(minutes=15)],
        )


def test_round_requests_still_respect_blocks_and_event_times(session):
    owner = make_organiser(session)
    event = make_event(session, owner=owner)
    mentee, mentor = make_member(session), make_mentor(session)
    outside = event.ends_at + timedelta(hours=1)
    with pytest.raises(InvalidInput):
        service.publish_round_request(
            session,
            organiser=owner,
            event_id=event.id,
            sender_id=mentee.id,
            recipient_id=mentor.id,
            proposed_times=[outside],
        )
    make_block(session, blocker=mentor, blocked=mentee)
    with pytest.raises(NotAllowed):
        service.publish_round_request(
            session,
            organiser=owner,
            event_id=event.id,
            sender_id=mentee.id,
            recipient_id=mentor.id,
            proposed_times=[event.starts_at + timedelta(minutes=15)],
        )


@pytest.mark.parametrize(("minutes", "ok"), [(9, False), (10, True), (240, True), (241, False)])
def test_meeting_length_bounds(session, sender, recipient, minutes, ok):
    if ok:
        assert make_request(session, sender, recipient, duration_minutes=minutes).is_open
    else:
        with pytest.raises(InvalidInput) as refused:
            make_request(session, sender, recipient, duration_minutes=minutes)
        assert "duration_minutes" in refused.value.field_errors


def test_a_meeting_may_end_exactly_when_the_event_ends(session, sender, recipient):
    event = make_event(session, owner=make_organiser(session))
    last = event.ends_at - timedelta(minutes=30)
    request = make_request(
        session, sender, recipient, event_id=event.id, proposed_times=[last], duration_minutes=30
    )
    assert request.is_open
    with pytest.raises(InvalidInput):
        make_request(
            session,
            sender,
            make_member(session),
            event_id=event.id,
            proposed_times=[last + timedelta(minutes=1)],
            duration_minutes=30,
        )
    with pytest.raises(InvalidInput):  # a minute before the event starts
        make_request(
            session,
            sender,
            make_member(session),
            event_id=event.id,
            proposed_times=[event.starts_at - timedelta(minutes=1)],
        )


def test_strangers_cannot_leave_feedback_or_cancel(session, sender, recipient):
    request = make_request(session, sender, recipient, proposed_times=[soon(2)])
    accept_first(session, request, recipient)
    stranger = make_user(session)
    with pytest.raises(NotFound):
        service.leave_feedback(
            session, actor=stranger, request=request, useful=True, now=request.ends_at
        )
    with pytest.raises(NotFound):
        service.cancel_meeting(session, actor=stranger, request=request)
    assert request.status is MeetingStatus.accepted


def test_logged_out_visitors_may_not_request(session, recipient):
    from flask_login import AnonymousUserMixin

    with pytest.raises(NotAllowed):
        service.request_meeting(
            session, actor=AnonymousUserMixin(), recipient_id=recipient.id, proposed_times=[soon(3)]
        )
    assert not service.may_request(session, None, recipient.id)
