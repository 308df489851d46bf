"""The Nu HTML Checker finds no error in the meeting pages in the states the main-pages
check does not reach: a host's office hours with bookings, an agenda with items, the
request form for an event, an accepted meeting's page."""

from hallway.meetings import service
from tests.integration.core.test_html_validity import check_html, checker  # noqa: F401
from tests.integration.meetings.test_pages import later, latest_request, send_request
from tests.unit.events.factories import make_event, make_organiser, rsvp


def test_the_meeting_pages_in_use_have_no_html_errors(
    checker,  # noqa: F811
    tmp_path,
    as_asker,
    as_mentor,
    asker,
    mentor,
    session,
    app,
):
    with app.app_context():
        event = make_event(session, owner=make_organiser(session))
        rsvp(session, event, asker)
        slot = service.publish_slot(session, actor=mentor, starts_at=later(10), capacity=2)
        service.book_slot(session, actor=asker, slot=slot)
        session.commit()
    send_request(as_asker, mentor)
    request = latest_request(session)
    as_mentor.post_form(
        f"/meetings/{request.id}/accept", {"time_id": str(request.proposed_times[0].id)}
    )
    pages = {
        "oh": (as_mentor, "/office-hours"),
        "oha": (as_asker, "/office-hours"),
        "host": (as_asker, f"/office-hours/{mentor.handle}"),
        "agenda": (as_asker, "/agenda"),
        "agenda2": (as_mentor, "/agenda"),
        "form_event": (as_asker, f"/meetings/request?to={mentor.id}&event={event.id}"),
        "inbox": (as_mentor, "/meetings"),
        "sent": (as_asker, "/meetings?box=sent"),
        "detail": (as_asker, f"/meetings/{request.id}"),
        "profile": (as_asker, f"/members/{mentor.handle}"),
    }
    files = []
    for name, (client, path) in pages.items():
        response = client.client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.data)
        files.append(file)
    messages = check_html(files)
    assert messages == []
