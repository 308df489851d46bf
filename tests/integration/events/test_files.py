"""The file downloads: an event's .ics, the personal feed at its secret URL, the CSV."""

import csv
import io
from datetime import UTC, timedelta

from icalendar import Calendar

from tests.factories import make_user
from tests.unit.events.factories import make_event, rsvp


def test_an_events_ics_parses_back_with_the_events_times(visitor, session, organiser):
    event = make_event(session, owner=organiser, title="ISTELive watch party")
    session.commit()
    response = visitor.get(f"/events/{event.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    [entry] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(entry["summary"]) == "ISTELive watch party"
    assert entry.decoded("dtstart").astimezone(UTC) == event.starts_at
    assert entry.decoded("dtend").astimezone(UTC) == event.ends_at
    assert entry["dtstart"].params["TZID"] == "America/Toronto"


def test_a_members_only_events_ics_is_not_for_visitors(visitor, session, organiser):
    event = make_event(session, owner=organiser, visibility="members")
    session.commit()
    assert visitor.get(f"/events/{event.id}/calendar.ics").status_code in (302, 401, 404)


def test_an_unlisted_events_ics_by_its_link(visitor, session, organiser):
    event = make_event(session, owner=organiser, visibility="unlisted")
    session.commit()
    assert visitor.get(f"/events/{event.id}/calendar.ics").status_code in (302, 404)
    shared = visitor.get(f"/events/link/{event.share_token}/calendar.ics")
    assert shared.status_code == 200


def test_the_personal_feed_works_without_a_login_until_revoked(
    as_member, visitor, session, organiser, member
):
    event = make_event(session, owner=organiser, title="My meetup")
    rsvp(session, event, member)
    session.commit()
    url = as_member.get("/api/v1/events/calendar-feed").get_json()["url"]
    path = url[url.index("/events/calendar/") :]
    feed = visitor.get(path)
    assert feed.status_code == 200
    assert [str(e["summary"]) for e in Calendar.from_ical(feed.data).walk("VEVENT")] == [
        "My meetup"
    ]
    assert as_member.delete("/api/v1/events/calendar-feed").status_code == 204
    assert visitor.get(path).status_code == 404
    fresh = as_member.get("/api/v1/events/calendar-feed").get_json()["url"]
    assert fresh != url
    assert visitor.get("/events/calendar/made-up-token.ics").status_code == 404


def test_the_feed_follows_edits_with_the_same_uid(as_organiser, visitor, session, organiser):
    event = make_event(session, owner=organiser)
    session.commit()
    url = as_organiser.get("/api/v1/events/calendar-feed").get_json()["url"]
    path = url[url.index("/events/calendar/") :]
    [before] = Calendar.from_ical(visitor.get(path).data).walk("VEVENT")
    later = event.starts_at + timedelta(hours=2)
    as_organiser.patch(
        f"/api/v1/events/{event.id}",
        {"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=1)).isoformat()},
    )
    [after] = Calendar.from_ical(visitor.get(path).data).walk("VEVENT")
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart").astimezone(UTC) == later


def test_organisers_download_the_attendees_csv(as_organiser, as_member, session, organiser):
    event = make_event(session, owner=organiser)
    rsvp(session, event, make_user(session, display_name="Ada Attendee"))
    session.commit()
    response = as_organiser.get(f"/events/{event.id}/attendees.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["name"] for row in rows] == ["Ada Attendee"]
    assert as_member.get(f"/events/{event.id}/attendees.csv").status_code == 403
