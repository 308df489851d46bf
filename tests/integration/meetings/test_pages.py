"""The meeting pages as members use them: ask, answer, see it in My agenda, book office
hours; contact details only once accepted; the rate limit's message."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from hallway.db import utcnow
from hallway.meetings.models import MeetingRequest, MeetingStatus, OfficeHourSlot
from hallway.notifications.models import Notification


def local(moment, zone="America/Toronto"):
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def later(hours):
    return (utcnow() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def send_request(client, mentor, **extra):
    data = {
        "to": str(mentor.id),
        "event": "",
        "message": "Could we talk about captioning?",
        "time_1": local(later(30)),
        "time_2": local(later(54)),
        "time_3": "",
        "duration_minutes": "30",
        "place": "",
        "video_url": "https://meet.example/noor",
        **extra,
    }
    return client.post_form(f"/meetings/request?to={mentor.id}", data)


def latest_request(session):
    session.expire_all()
    return session.scalars(select(MeetingRequest).order_by(MeetingRequest.id.desc())).first()


def test_the_profile_offers_a_meeting_request(as_asker, mentor, asker):
    page = as_asker.client.get(f"/members/{mentor.handle}").get_data(as_text=True)
    assert f'href="/meetings/request?to={mentor.id}"' in page
    own = as_asker.client.get(f"/members/{asker.handle}").get_data(as_text=True)
    assert "/meetings/request?to=" not in own


def test_the_form_shows_both_time_zones(as_asker, mentor):
    page = as_asker.client.get(f"/meetings/request?to={mentor.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "America/Toronto" in text and "America/Vancouver" in text


def test_a_request_from_the_form_to_acceptance(as_asker, as_mentor, asker, mentor, session):
    typed = later(30)  # once: the minute may turn between two calls
    response = send_request(as_asker, mentor, time_1=local(typed))
    assert response.status_code == 302
    request = latest_request(session)
    assert response.headers["Location"] == f"/meetings/{request.id}"
    first = request.proposed_times[0]
    assert first.starts_at == typed  # typed in Toronto time, stored in UTC
    assert request.video_url == "https://meet.example/noor"

    # Before acceptance: no contact details on the page.
    page = as_asker.client.get(f"/meetings/{request.id}").get_data(as_text=True)
    assert mentor.email not in page
    assert "maggie.example/about" not in page

    inbox = as_mentor.client.get("/meetings").get_data(as_text=True)
    assert f"/meetings/{request.id}" in inbox and "Your answer is needed" in inbox
    page = as_mentor.client.get(f"/meetings/{request.id}").get_data(as_text=True)
    assert f'value="{first.id}"' in page
    assert "America/Toronto" in page  # the asker's time beside the mentor's own
    response = as_mentor.post_form(f"/meetings/{request.id}/accept", {"time_id": str(first.id)})
    assert response.status_code == 302
    assert latest_request(session).status is MeetingStatus.accepted

    page = as_asker.client.get(f"/meetings/{request.id}").get_data(as_text=True)
    assert mentor.email in page and "https://maggie.example/about" in page
    assert f"/meetings/{request.id}.ics" in page
    ics = as_asker.client.get(f"/meetings/{request.id}.ics")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    # The mentor shares nothing they did not consent to: the asker keeps theirs private.
    mentor_page = as_mentor.client.get(f"/meetings/{request.id}").get_data(as_text=True)
    assert asker.email not in mentor_page

    for client in (as_asker, as_mentor):
        agenda = client.client.get("/agenda").get_data(as_text=True)
        assert f"/meetings/{request.id}" in agenda

    kinds = {
        (n.recipient_id, n.kind)
        for n in session.scalars(select(Notification).where(Notification.subject_type == "meeting"))
    }
    assert kinds == {(mentor.id, "meeting_requested"), (asker.id, "meeting_accepted")}


def test_bad_times_show_next_to_the_field(as_asker, mentor, session):
    response = send_request(as_asker, mentor, time_1="", time_2="")
    assert response.status_code == 422
    assert "Propose one to three different times." in response.get_data(as_text=True)
    response = send_request(
        as_asker, mentor, time_1=local(utcnow() - timedelta(hours=2)), time_2=""
    )
    assert response.status_code == 422
    assert "Propose times in the future." in response.get_data(as_text=True)
    assert latest_request(session) is None


def test_a_novice_cannot_open_the_form_for_a_mentor_closed_to_novices(app, session, as_asker):
    from tests.factories import make_profile, make_user

    closed = make_user(session, handle="closed")
    make_profile(
        session, closed, career_stage="advanced", novices_may_request=False, matchable=True
    )
    session.commit()
    response = as_asker.client.get(f"/meetings/request?to={closed.id}")
    assert response.status_code == 403
    assert "new to the field" in response.get_data(as_text=True)


def test_decline_counter_and_withdraw_buttons(as_asker, as_mentor, mentor, session):
    send_request(as_asker, mentor)
    request = latest_request(session)
    response = as_mentor.post_form(
        f"/meetings/{request.id}/counter",
        {"counter-starts_at": local(later(80), "America/Vancouver"), "counter-note": "Later?"},
    )
    assert response.status_code == 302
    request = latest_request(session)
    assert request.status is MeetingStatus.countered
    assert request.proposed_times[-1].starts_at == later(80)
    as_asker.post_form(f"/meetings/{request.id}/withdraw", {})
    assert latest_request(session).status is MeetingStatus.withdrawn


def test_a_stranger_gets_404(app, session, as_asker, mentor):
    from tests.factories import make_user
    from tests.integration.meetings.conftest import log_in

    send_request(as_asker, mentor)
    request = latest_request(session)
    stranger = make_user(session)
    session.commit()
    assert log_in(app, stranger.email).client.get(f"/meetings/{request.id}").status_code == 404


def test_sending_too_fast_gets_a_clear_message(app, as_asker, mentor, session):
    from tests.factories import make_profile, make_user

    app.config["MEETING_REQUEST_RATE_LIMIT"] = "2 per minute"
    try:
        others = []
        for number in range(3):
            other = make_user(session, handle=f"other{number}")
            make_profile(session, other, matchable=True)
            others.append(other)
        session.commit()
        codes = [send_request(as_asker, other).status_code for other in others]
        assert codes[:2] == [302, 302]
        assert codes[2] == 429
        last = send_request(as_asker, others[2])
        assert "You are sending meeting requests too quickly" in last.get_data(as_text=True)
    finally:
        app.config.pop("MEETING_REQUEST_RATE_LIMIT", None)


def test_office_hours_publish_and_book(as_asker, as_mentor, asker, mentor, session):
    response = as_mentor.post_form(
        "/office-hours",
        {
            "starts_at": local(later(100), "America/Vancouver"),
            "duration_minutes": "30",
            "capacity": "1",
            "event_id": "",
            "place": "Table 3",
            "video_url": "",
            "note": "CV review",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    slot = session.scalars(select(OfficeHourSlot)).one()
    assert slot.starts_at == later(100)

    profile = as_asker.client.get(f"/members/{mentor.handle}").get_data(as_text=True)
    assert f"/office-hours/{mentor.handle}" in profile
    page = as_asker.client.get(f"/office-hours/{mentor.handle}").get_data(as_text=True)
    assert "CV review" in page and f"/office-hours/slots/{slot.id}/book" in page
    assert as_asker.post_form(f"/office-hours/slots/{slot.id}/book", {}).status_code == 302
    page = as_asker.client.get(f"/office-hours/{mentor.handle}").get_data(as_text=True)
    assert "You booked this" in page
    agenda = as_asker.client.get("/agenda").get_data(as_text=True)
    assert f"/office-hours/{mentor.handle}" in agenda
    mine = as_mentor.client.get("/office-hours").get_data(as_text=True)
    assert asker.display_name in mine
    assert re.search(r"1 of 1 places booked", mine)


def test_a_member_without_mentoring_cannot_publish(as_asker):
    page = as_asker.client.get("/office-hours").get_data(as_text=True)
    assert "add mentoring or career chats" in page
    response = as_asker.post_form("/office-hours", {"starts_at": local(later(10))})
    assert response.status_code == 200


def test_both_sides_are_emailed_as_their_preferences_say(
    app, as_asker, as_mentor, asker, mentor, session
):
    from hallway.notifications import service as notifications_service
    from tests.conftest import mailed_to

    notifications_service.update_preferences(session, actor=asker, email_on_mention=False)
    session.commit()
    before_mentor = len(mailed_to(app, mentor.email))
    before_asker = len(mailed_to(app, asker.email))
    send_request(as_asker, mentor)
    request = latest_request(session)
    mails = mailed_to(app, mentor.email)[before_mentor:]
    assert len(mails) == 1 and "asked to meet you" in mails[0]
    as_mentor.post_form(
        f"/meetings/{request.id}/accept", {"time_id": str(request.proposed_times[0].id)}
    )
    # The asker turned these emails off: the notice is in the app only.
    assert len(mailed_to(app, asker.email)) == before_asker
    kinds = [
        n.kind
        for n in session.scalars(select(Notification).where(Notification.recipient_id == asker.id))
    ]
    assert kinds == ["meeting_accepted"]


def test_a_request_for_an_event_from_a_prefilled_link(as_asker, mentor, session):
    from tests.unit.events.factories import make_event, make_organiser

    event = make_event(session, owner=make_organiser(session), title="ETUG Spring Workshop")
    session.commit()
    path = f"/meetings/request?to={mentor.id}&event={event.id}&source=suggestion"
    page = as_asker.client.get(path).get_data(as_text=True)
    assert "ETUG Spring Workshop" in page
    assert f'name="event" type="hidden" value="{event.id}"' in page
    start = event.starts_at + timedelta(minutes=30)
    response = as_asker.post_form(
        path,
        {
            "to": str(mentor.id),
            "event": str(event.id),
            "time_1": local(start),
            "duration_minutes": "30",
            "place": "Table 2",
        },
    )
    assert response.status_code == 302
    request = latest_request(session)
    assert (request.event_id, request.source, request.place) == (event.id, "suggestion", "Table 2")
    # Outside the event: refused next to the first time.
    from tests.factories import make_profile, make_user

    other = make_user(session)
    make_profile(session, other, matchable=True)
    session.commit()
    response = as_asker.post_form(
        f"/meetings/request?to={other.id}&event={event.id}",
        {
            "to": str(other.id),
            "event": str(event.id),
            "time_1": local(event.ends_at + timedelta(hours=1)),
            "duration_minutes": "30",
        },
    )
    assert response.status_code == 422
    assert "Propose times during the event." in response.get_data(as_text=True)
    # A second open request to the same member is refused with a clear message.
    again = as_asker.post_form(
        path, {"to": str(mentor.id), "time_1": local(start), "duration_minutes": "30"}
    )
    assert again.status_code == 409
    assert "already have a request waiting" in again.get_data(as_text=True)


def test_the_sender_edits_from_the_page(as_asker, as_mentor, mentor, session):
    send_request(as_asker, mentor)
    request = latest_request(session)
    page = as_asker.client.get(f"/meetings/{request.id}/edit").get_data(as_text=True)
    assert local(request.proposed_times[0].starts_at) in page  # prefilled, in her zone
    response = as_asker.post_form(
        f"/meetings/{request.id}/edit",
        {
            "to": str(mentor.id),
            "message": "New plan",
            "time_1": local(later(60)),
            "duration_minutes": "45",
            "place": "Café",
            "video_url": "",
        },
    )
    assert response.status_code == 302
    request = latest_request(session)
    assert (request.message, request.duration_minutes, request.place) == ("New plan", 45, "Café")
    assert [time.starts_at for time in request.proposed_times] == [later(60)]
    # The recipient cannot open the sender's edit form to change it.
    response = as_mentor.post_form(
        f"/meetings/{request.id}/edit",
        {"message": "Hijack", "time_1": local(later(61)), "duration_minutes": "30"},
    )
    assert response.status_code == 403
    assert latest_request(session).message == "New plan"


def test_feedback_after_the_meeting_from_the_page(as_asker, as_mentor, mentor, session):
    from hallway.meetings.models import MeetingFeedback

    send_request(as_asker, mentor)
    request = latest_request(session)
    as_mentor.post_form(
        f"/meetings/{request.id}/accept", {"time_id": str(request.proposed_times[0].id)}
    )
    page = as_asker.client.get(f"/meetings/{request.id}").get_data(as_text=True)
    assert "Was this meeting useful?" not in page  # not over yet
    request = latest_request(session)
    request.starts_at -= timedelta(days=3)
    request.ends_at -= timedelta(days=3)
    session.commit()
    page = as_asker.client.get(f"/meetings/{request.id}").get_data(as_text=True)
    assert "Was this meeting useful?" in page
    response = as_asker.post_form(
        f"/meetings/{request.id}/feedback", {"feedback-useful": "yes", "feedback-note": "Thanks"}
    )
    assert response.status_code == 302
    session.expire_all()
    [row] = session.scalars(select(MeetingFeedback)).all()
    assert (row.useful, row.note, row.about_id) == (True, "Thanks", mentor.id)


def test_booking_cancel_and_no_show_buttons(as_asker, as_mentor, asker, mentor, session):
    from hallway.meetings import service
    from hallway.meetings.models import BookingStatus, OfficeHourBooking

    with session.no_autoflush:
        slot = service.publish_slot(session, actor=mentor, starts_at=later(10), capacity=1)
    session.commit()
    as_asker.post_form(f"/office-hours/slots/{slot.id}/book", {})
    session.expire_all()
    booking = session.scalars(select(OfficeHourBooking)).one()
    assert as_asker.post_form(f"/office-hours/bookings/{booking.id}/cancel", {}).status_code == 302
    session.expire_all()
    assert session.get(OfficeHourBooking, booking.id).status is BookingStatus.cancelled
    assert session.get(OfficeHourSlot, slot.id).booked_count == 0
    as_asker.post_form(f"/office-hours/slots/{slot.id}/book", {})
    # Too early to report a no-show: refused, nothing changes.
    as_mentor.post_form(f"/office-hours/bookings/{booking.id}/no-show", {})
    session.expire_all()
    assert session.get(OfficeHourBooking, booking.id).status is BookingStatus.booked
    slot = session.get(OfficeHourSlot, slot.id)
    slot.starts_at -= timedelta(hours=11)
    slot.ends_at -= timedelta(hours=11)
    session.commit()
    assert (
        as_mentor.post_form(f"/office-hours/bookings/{booking.id}/no-show", {}).status_code == 302
    )
    session.expire_all()
    assert session.get(OfficeHourBooking, booking.id).status is BookingStatus.no_show


def test_the_personal_calendar_feed_holds_accepted_meetings_beside_events(
    app_context, session, asker, mentor, as_asker
):
    from icalendar import Calendar

    from tests.unit.meetings.factories import accept_first, make_request, soon

    accepted = make_request(session, asker, mentor, proposed_times=[soon(40)])
    accept_first(session, accepted, mentor)
    make_request(session, asker, make_mentor_for_feed(session))  # pending: not in the feed
    session.commit()
    url = as_asker.client.get("/api/v1/events/calendar-feed").get_json()["url"]
    feed = as_asker.client.get(url[url.index("/events/calendar/") :])
    assert feed.status_code == 200
    entries = Calendar.from_ical(feed.data).walk("VEVENT")
    assert len(entries) == 1
    assert entries[0].decoded("dtstart").replace(tzinfo=None) == accepted.starts_at.replace(
        tzinfo=None
    )


def make_mentor_for_feed(session):
    from tests.unit.meetings.factories import make_mentor

    return make_mentor(session)
