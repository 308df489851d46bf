"""The event pages, through the Flask test client: who sees what (visitor, member,
organiser, co-organiser, unlisted link), the organiser forms with their field errors
(and nothing saved on bad input), RSVP and the waitlist, the attendee import's dry run."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from hallway.db import utcnow
from hallway.events import service
from hallway.events.models import (
    Announcement,
    CalendarFeed,
    Event,
    EventSession,
    EventVisibility,
    Rsvp,
    RsvpStatus,
)
from tests.conftest import Browserless
from tests.factories import make_picture, make_profile, make_user
from tests.integration.events.conftest import logged_in_as
from tests.unit.events.factories import make_event, make_past_event, rsvp


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def local(days: int, hour: int = 9) -> str:
    """A datetime-local value ``days`` from now (the event's own zone)."""
    moment = (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0)
    return moment.strftime("%Y-%m-%dT%H:%M")


def event_form(**overrides) -> dict:
    return {
        "title": "ETUG Spring Workshop",
        "summary": "Two days of hands-on sessions",
        "description": "Bring a **laptop**.",
        "starts_at": local(10, 9),
        "ends_at": local(11, 17),
        "time_zone": "America/Vancouver",
        "format": "hybrid",
        "venue": "BCIT Downtown",
        "address": "555 Seymour St",
        "city": "Vancouver",
        "country": "CA",
        "region": "CA-BC",
        "online_url": "https://stream.example/etug",
        "capacity": "40",
        "networks": "ETUG, BCcampus",
        "visibility": "public",
        "registration_open": "y",
        **overrides,
    }


@pytest.fixture
def as_organiser(app, organiser) -> Browserless:
    return logged_in_as(app, organiser)


# --- The list ---------------------------------------------------------------------------


def test_the_list_shows_upcoming_events_with_time_format_place_and_going(
    client, session, organiser, member
):
    event = make_event(session, owner=organiser, title="Open Ed Meetup", capacity=10)
    rsvp(session, event, member)
    make_past_event(session, owner=organiser, title="Last Year's Summit")
    session.commit()
    page = text_of(client.get("/events"))
    assert "Open Ed Meetup" in page and "Last Year's Summit" not in page
    assert f'href="/events/{event.id}"' in client.get("/events").get_data(as_text=True)
    assert "In person" in page and "Toronto" in page and "1 going" in page
    # A visitor's zone is unknown: the event's own time and zone are written too.
    assert "in America/Toronto" in page
    past = text_of(client.get("/events?when=past"))
    assert "Last Year's Summit" in past and "Open Ed Meetup" not in past


def test_the_list_filters_by_format_place_network_and_date(client, session, organiser):
    make_event(session, owner=organiser, title="Toronto Meetup", networks=["CNIE"])
    make_event(
        session,
        owner=organiser,
        title="Webinar",
        format="online",
        city="",
        online_url="https://example.org/w",
    )
    make_event(
        session,
        owner=organiser,
        title="Far Away Conference",
        starts_at=utcnow().replace(microsecond=0) + timedelta(days=60),
    )
    session.commit()
    online = text_of(client.get("/events?format=online"))
    assert "Webinar" in online and "Toronto Meetup" not in online
    network = text_of(client.get("/events?network=cnie"))
    assert "Toronto Meetup" in network and "Webinar" not in network
    place = text_of(client.get("/events?place=toronto"))
    assert "Toronto Meetup" in place and "Webinar" not in place
    soon = (utcnow() + timedelta(days=30)).strftime("%Y-%m-%d")
    dated = text_of(client.get(f"/events?to={soon}"))
    assert "Toronto Meetup" in dated and "Far Away Conference" not in dated


def test_a_bad_date_filter_is_a_field_error_not_a_crash(client, session, organiser):
    make_event(session, owner=organiser, title="Open Ed Meetup")
    session.commit()
    response = client.get("/events?from=2026-13-45")
    assert response.status_code == 422
    page = text_of(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert "Open Ed Meetup" in page  # the rest of the list still shows


def test_the_list_has_an_empty_state_and_pages(client, session, organiser):
    assert "No upcoming events yet" in text_of(client.get("/events"))
    for number in range(22):
        make_event(session, owner=organiser, title=f"Meetup {number:02d}")
    session.commit()
    first = client.get("/events").get_data(as_text=True)
    assert 'rel="next"' in first
    assert "Meetup 21" in text_of(client.get("/events?page=2"))


def test_members_only_events_are_listed_to_members_only(client, logged_in, session, organiser):
    make_event(session, owner=organiser, title="Members Circle", visibility="members")
    session.commit()
    assert "Members Circle" in text_of(logged_in.client.get("/events"))
    assert "Members Circle" not in text_of(
        Browserless(client.application.test_client()).client.get("/events")
    )


# --- The event page -----------------------------------------------------------------------


def test_a_visitor_sees_a_public_event_but_not_its_online_link(app, session, organiser):
    event = make_event(
        session,
        owner=organiser,
        title="Hybrid Day",
        format="hybrid",
        online_url="https://stream.example/secret",
    )
    session.commit()
    response = app.test_client().get(f"/events/{event.id}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Hybrid Day" in page and "Log in to answer" in page
    assert "stream.example/secret" not in page
    assert f"/events/{event.id}/calendar.ics" in page
    assert "calendar.google.com/calendar/render" in page
    assert "Organiser tools" not in page


def test_members_only_and_unlisted_events_by_id(app, logged_in, session, organiser):
    members_only = make_event(session, owner=organiser, visibility="members")
    unlisted = make_event(session, owner=organiser, title="Secret Meetup", visibility="unlisted")
    session.commit()
    visitor = app.test_client()
    assert visitor.get(f"/events/{members_only.id}").status_code == 302  # to log in
    assert logged_in.client.get(f"/events/{members_only.id}").status_code == 200
    assert logged_in.client.get(f"/events/{unlisted.id}").status_code == 404
    by_link = logged_in.client.get(f"/events/link/{unlisted.share_token}")
    assert by_link.status_code == 200 and "Secret Meetup" in text_of(by_link)
    assert visitor.get(f"/events/link/{unlisted.share_token}").status_code == 200
    assert logged_in.client.get("/events/link/not-the-token").status_code == 404


def test_answering_an_unlisted_event_by_its_link(logged_in, session, organiser, member):
    unlisted = make_event(session, owner=organiser, visibility="unlisted")
    session.commit()
    path = f"/events/link/{unlisted.share_token}"
    response = logged_in.post_form(f"{path}/rsvp", {"status": "going"})
    assert response.status_code == 302
    assert service.rsvp_of(session, unlisted, member).status is RsvpStatus.going
    # Having answered, the member opens it by its id too.
    assert logged_in.client.get(f"/events/{unlisted.id}").status_code == 200


def test_going_shows_the_online_link_and_a_full_event_puts_you_on_the_waitlist(
    app, logged_in, session, organiser, member
):
    event = make_event(
        session,
        owner=organiser,
        format="hybrid",
        online_url="https://stream.example/secret",
        capacity=1,
    )
    first = make_user(session, handle="first")
    session.commit()
    as_first = logged_in_as(app, first)
    as_first.post_form(f"/events/{event.id}/rsvp", {"status": "going"})
    page = text_of(as_first.client.get(f"/events/{event.id}"))
    assert "You are going" in page and "https://stream.example/secret" in page

    before = text_of(logged_in.client.get(f"/events/{event.id}"))
    assert "Join the waitlist" in before and "stream.example/secret" not in before
    response = logged_in.post_form(f"/events/{event.id}/rsvp", {"status": "going"})
    assert response.status_code == 302
    page = text_of(logged_in.client.get(response.headers["Location"]))
    assert "you are on the waitlist, number 1" in page
    assert "Waitlist: you are number 1" in page and "Leave the waitlist" in page

    logged_in.post_form(f"/events/{event.id}/waitlist/leave", {})
    session.expire_all()
    assert service.rsvp_of(session, event, member).status is RsvpStatus.not_going
    assert "You left the waitlist." in text_of(logged_in.client.get(f"/events/{event.id}"))


def test_leaving_promotes_the_first_person_waiting(app, logged_in, session, organiser, member):
    event = make_event(session, owner=organiser, capacity=1)
    first = make_user(session, handle="first")
    session.commit()
    as_first = logged_in_as(app, first)
    as_first.post_form(f"/events/{event.id}/rsvp", {"status": "going"})
    logged_in.post_form(f"/events/{event.id}/rsvp", {"status": "going"})
    as_first.post_form(f"/events/{event.id}/rsvp", {"status": "not_going"})
    page = text_of(logged_in.client.get(f"/events/{event.id}"))
    assert "You are going" in page and "1 of 1 places taken" in page


def test_a_bad_rsvp_answer_changes_nothing(logged_in, session, organiser, member):
    event = make_event(session, owner=organiser)
    session.commit()
    response = logged_in.post_form(f"/events/{event.id}/rsvp", {"status": "waitlisted"})
    assert response.status_code == 302
    assert service.rsvp_of(session, event, member) is None


def test_the_attendee_list_counts_private_and_hidden_members(app, session, organiser, member):
    event = make_event(session, owner=organiser)
    public = make_user(session, display_name="Pat Public", handle="pat")
    make_profile(session, public, visibility="public")
    private = make_user(session, display_name="Pri Vate", handle="pri")
    make_profile(session, private, visibility="private")
    shy = make_user(session, display_name="Shy Person", handle="shy")
    make_profile(session, shy, visibility="public")
    for user in (public, private, shy):
        rsvp(session, event, user)
    service.set_hidden_from_list(session, actor=shy, event=event, hidden=True)
    session.commit()
    page = text_of(logged_in_as(app, member).client.get(f"/events/{event.id}"))
    assert "Pat Public" in page
    assert "Pri Vate" not in page and "Shy Person" not in page
    assert "2 members with private profiles or hidden names" in page
    # The organisers manage the event: they see everyone.
    organiser_page = text_of(logged_in_as(app, organiser).client.get(f"/events/{event.id}"))
    assert "Pri Vate" in organiser_page and "Shy Person" in organiser_page


def test_a_member_hides_their_name_from_the_list(app, logged_in, session, organiser, member):
    make_profile(session, member, visibility="public")
    event = make_event(session, owner=organiser)
    rsvp(session, event, member)
    session.commit()
    other = make_user(session, handle="other")
    session.commit()
    assert "Maya Okafor" in text_of(logged_in_as(app, other).client.get(f"/events/{event.id}"))
    logged_in.post_form(f"/events/{event.id}/hidden", {"hidden_from_list": "y"})
    assert "Maya Okafor" not in text_of(logged_in_as(app, other).client.get(f"/events/{event.id}"))
    # Their own page still names them (they know they are going).
    assert "Maya Okafor" in text_of(logged_in.client.get(f"/events/{event.id}"))


def test_the_agenda_links_each_session_to_its_discussion(client, session, organiser):
    event = make_event(session, owner=organiser)
    item = service.add_session(
        session,
        actor=organiser,
        event=event,
        data={
            "title": "Keynote: open pedagogy",
            "starts_at": event.starts_at,
            "ends_at": event.starts_at + timedelta(hours=1),
            "track": "Main stage",
            "location": "Hall A",
            "speakers": [{"user_id": organiser.id}, {"name": "Guest Speaker"}],
        },
    )
    service.post_announcement(
        session, actor=organiser, event=event, title="Doors open at 8", body="Coffee first."
    )
    session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    page = text_of(client.get(f"/events/{event.id}"))
    assert "Keynote: open pedagogy" in page and "Main stage" in page and "Hall A" in page
    assert "Olu Organiser" in page and "Guest Speaker" in page
    assert f'href="/t/{item.thread_id}"' in html
    assert "Doors open at 8" in page and "Coffee first." in page


def test_organiser_tools_show_to_organisers_and_co_organisers_only(
    app, logged_in, session, organiser
):
    event = make_event(session, owner=organiser)
    co = make_user(session, handle="coorg", display_name="Co Organiser")
    service.add_co_organiser(session, actor=organiser, event=event, user_id=co.id)
    session.commit()
    assert "Organiser tools" not in text_of(logged_in.client.get(f"/events/{event.id}"))
    as_co = logged_in_as(app, co)
    assert "Organiser tools" in text_of(as_co.client.get(f"/events/{event.id}"))
    for path in ("edit", "sessions", "attendees", "announce", "cancel", "organisers"):
        assert as_co.client.get(f"/events/{event.id}/{path}").status_code == 200, path
        assert logged_in.client.get(f"/events/{event.id}/{path}").status_code in (403, 404), path
    assert app.test_client().get(f"/events/{event.id}/edit").status_code == 302  # log in


# --- Organiser forms -------------------------------------------------------------------------


def test_an_organiser_creates_an_event_through_the_form(as_organiser, session, organiser):
    response = as_organiser.post_form("/events/new", event_form())
    assert response.status_code == 302, text_of(response)
    event = session.scalar(select(Event))
    assert event.title == "ETUG Spring Workshop" and event.owner_id == organiser.id
    assert event.capacity == 40 and event.network_names == ["ETUG", "BCcampus"]
    assert event.time_zone == "America/Vancouver"
    # 09:00 in Vancouver is 16:00 or 17:00 UTC, never 09:00.
    assert event.starts_at.hour in (16, 17)
    assert response.headers["Location"].endswith(f"/events/{event.id}/sessions")


def test_members_without_the_organiser_role_cannot_create(logged_in, session):
    assert logged_in.client.get("/events/new").status_code == 403
    assert logged_in.post_form("/events/new", event_form()).status_code == 403
    assert count(session, Event) == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at": local(9)}, "ends_at", "The end must be after the start."),
        ({"time_zone": "Atlantis/Capital"}, "time_zone", "Unknown time zone"),
        ({"capacity": "0"}, "capacity", "Capacity must be a whole number"),
        ({"capacity": "-5"}, "capacity", "Capacity must be a whole number"),
        ({"capacity": "lots"}, "capacity", "Capacity must be a whole number"),
        ({"title": "t" * 2000}, "title", "Give a title of 1 to 200 characters."),
        (
            {"starts_at": local(-3), "ends_at": local(-2)},
            "starts_at",
            "A new event cannot start in the past.",
        ),
        ({"starts_at": ""}, "starts_at", "Give a start."),
        ({"online_url": "http://insecure.example"}, "online_url", "https://"),
    ],
)
def test_bad_input_gives_a_field_error_and_saves_nothing(
    as_organiser, session, change, field, message
):
    response = as_organiser.post_form("/events/new", event_form(**change))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(rf'<small id="{field}-error" class="field-error">([^<]*)</small>', html)
    assert error, f"no error under {field}"
    assert message in unescape(error.group(1))
    assert f'id="{field}"' in html and 'aria-invalid="true"' in html
    assert count(session, Event) == 0


def test_an_organiser_edits_an_event_and_bad_input_changes_nothing(
    as_organiser, session, organiser
):
    event = make_event(session, owner=organiser, title="Old title")
    session.commit()
    form = text_of(as_organiser.client.get(f"/events/{event.id}/edit"))
    assert 'value="Old title"' in form and 'value="America/Toronto"' in form
    bad = as_organiser.post_form(
        f"/events/{event.id}/edit",
        event_form(title="New title", time_zone="America/Toronto", capacity="0"),
    )
    assert bad.status_code == 422
    session.expire_all()
    assert session.get(Event, event.id).title == "Old title"
    good = as_organiser.post_form(
        f"/events/{event.id}/edit", event_form(title="New title", time_zone="America/Toronto")
    )
    assert good.status_code == 302, text_of(good)
    session.expire_all()
    assert session.get(Event, event.id).title == "New title"


def test_sessions_are_added_with_speakers_and_refused_outside_the_event(
    as_organiser, session, organiser
):
    starts = (utcnow() + timedelta(days=7)).replace(second=0, microsecond=0)
    event = make_event(session, owner=organiser, starts_at=starts)
    make_user(session, handle="speaker", display_name="Sam Speaker")
    session.commit()
    start = event.starts_at.astimezone(ZoneInfo("America/Toronto"))
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "title": "Workshop",
        "starts_at": start.strftime(fmt),
        "ends_at": (start + timedelta(hours=1)).strftime(fmt),
        "location": "Room 2",
        "track": "Hands-on",
        "speakers": "@speaker\nGuest Name",
        "description": "",
    }
    response = as_organiser.post_form(f"/events/{event.id}/sessions", data)
    assert response.status_code == 302, text_of(response)
    item = session.scalar(select(EventSession))
    assert [speaker.display_name for speaker in item.speakers] == ["Sam Speaker", "Guest Name"]
    assert item.thread_id is not None

    late = {**data, "starts_at": (start + timedelta(days=3)).strftime(fmt)}
    late["ends_at"] = (start + timedelta(days=3, hours=1)).strftime(fmt)
    refused = as_organiser.post_form(f"/events/{event.id}/sessions", late)
    assert refused.status_code == 422
    assert "The session must start during the event." in text_of(refused)
    unknown = as_organiser.post_form(
        f"/events/{event.id}/sessions", {**data, "speakers": "@nobody-here"}
    )
    assert unknown.status_code == 422 and "No member has the username" in text_of(unknown)
    assert count(session, EventSession) == 1


def test_only_the_owner_adds_co_organisers(app, as_organiser, session, organiser):
    event = make_event(session, owner=organiser)
    co = make_user(session, handle="coorg", display_name="Co Organiser")
    third = make_user(session, handle="third")
    session.commit()
    response = as_organiser.post_form(f"/events/{event.id}/organisers", {"handle": "@coorg"})
    assert response.status_code == 302
    unknown = as_organiser.post_form(f"/events/{event.id}/organisers", {"handle": "ghost"})
    assert unknown.status_code == 422 and "No member has this username." in text_of(unknown)
    as_co = logged_in_as(app, co)
    page = text_of(as_co.client.get(f"/events/{event.id}/organisers"))
    assert "Only the event's owner can add or remove co-organisers." in page
    refused = as_co.post_form(f"/events/{event.id}/organisers", {"handle": "third"})
    assert refused.status_code == 403
    session.expire_all()
    assert [o.user_id for o in session.get(Event, event.id).co_organisers] == [co.id]
    assert third.id  # never added


def test_an_announcement_is_posted_and_shown(as_organiser, session, organiser):
    event = make_event(session, owner=organiser)
    session.commit()
    empty = as_organiser.post_form(f"/events/{event.id}/announce", {"title": "", "body": "x"})
    assert empty.status_code == 422 and count(session, Announcement) == 0
    response = as_organiser.post_form(
        f"/events/{event.id}/announce", {"title": "Lunch moved", "body": "To **12:30**."}
    )
    assert response.status_code == 302
    assert "Lunch moved" in text_of(as_organiser.client.get(f"/events/{event.id}"))


def test_cancelling_asks_first_then_closes_answers(as_organiser, logged_in, session, organiser):
    event = make_event(session, owner=organiser)
    session.commit()
    confirm = as_organiser.client.get(f"/events/{event.id}/cancel")
    assert "Yes, cancel the event" in text_of(confirm)
    assert 'class="btn btn-danger"' in confirm.get_data(as_text=True)
    session.expire_all()
    assert session.get(Event, event.id).cancelled_at is None
    as_organiser.post_form(f"/events/{event.id}/cancel", {})
    session.expire_all()
    assert session.get(Event, event.id).is_cancelled
    page = text_of(logged_in.client.get(f"/events/{event.id}"))
    assert "This event was cancelled." in page and "Answers are closed." in page


def test_attendee_management_searches_and_filters(as_organiser, session, organiser):
    event = make_event(session, owner=organiser, capacity=1)
    novice = make_user(session, display_name="Nora Novice", handle="nora")
    make_profile(session, novice, career_stage="novice")
    senior = make_user(session, display_name="Sol Senior", handle="sol")
    make_profile(session, senior, career_stage="advanced")
    rsvp(session, event, novice)
    rsvp(session, event, senior)  # full: waiting
    session.commit()
    going = text_of(as_organiser.client.get(f"/events/{event.id}/attendees"))
    assert "Nora Novice" in going and "Sol Senior" not in going
    waiting = text_of(as_organiser.client.get(f"/events/{event.id}/attendees?status=waitlisted"))
    assert "Sol Senior" in waiting and "Nora Novice" not in waiting
    staged = text_of(as_organiser.client.get(f"/events/{event.id}/attendees?stage=advanced"))
    assert "Nora Novice" not in staged
    searched = text_of(as_organiser.client.get(f"/events/{event.id}/attendees?search=zzz"))
    assert "Nora Novice" not in searched and "Nobody here" in searched
    export = as_organiser.client.get(f"/events/{event.id}/attendees.csv")
    assert export.status_code == 200 and "Nora Novice" in export.get_data(as_text=True)


MULTIPART = {"content_type": "multipart/form-data"}


def _upload(text: str) -> tuple[io.BytesIO, str]:
    return (io.BytesIO(text.encode()), "registrations.csv")


def test_csv_import_dry_run_then_import_and_bad_rows(as_organiser, session, organiser):
    event = make_event(session, owner=organiser)
    existing = make_user(session, email="kim@example.org", handle="kim")
    session.commit()
    header = "email,name,career_stage\n"
    good = header + "kim@example.org,Kim,career\nnew.person@example.org,New Person,novice\n"
    path = f"/events/{event.id}/attendees"
    dry = as_organiser.post_form(path, {"csv_file": _upload(good), "dry_run": "y"}, **MULTIPART)
    assert dry.status_code == 200, text_of(dry)
    page = text_of(dry)
    assert "Dry run: nothing changed yet" in page
    assert "1 new account" in page and "1 existing member" in page
    assert count(session, Rsvp) == 0

    bad = header + "not-an-email,Someone,career\nnew.person@example.org,New Person,novice\n"
    refused = as_organiser.post_form(path, {"csv_file": _upload(bad)}, **MULTIPART)
    assert refused.status_code == 422
    assert "Line 2:" in text_of(refused) and "nothing was imported" in text_of(refused)
    assert count(session, Rsvp) == 0

    done = as_organiser.post_form(path, {"csv_file": _upload(good)}, **MULTIPART)
    assert done.status_code == 200 and "Imported" in text_of(done)
    session.expire_all()
    assert service.rsvp_of(session, event, existing).status is RsvpStatus.going
    assert count(session, Rsvp) == 2

    empty = as_organiser.post_form(path, {"dry_run": "y"}, **MULTIPART)
    assert empty.status_code == 422 and 'id="csv_file-error"' in empty.get_data(as_text=True)


# --- Mine and the calendar feed --------------------------------------------------------------


def test_my_events_lists_going_waiting_and_interested(app, logged_in, session, organiser, member):
    going = make_event(session, owner=organiser, title="Going Event")
    full = make_event(session, owner=organiser, title="Full Event", capacity=1)
    maybe = make_event(session, owner=organiser, title="Maybe Event")
    rsvp(session, full, make_user(session, handle="early"))
    rsvp(session, going, member)
    rsvp(session, full, member)
    rsvp(session, maybe, member, "interested")
    session.commit()
    html = logged_in.client.get("/events/mine").get_data(as_text=True)
    sections = {
        key: unescape(html.split(f'id="mine-{key}"')[1].split("</section>")[0])
        for key in ("going", "waiting", "interested")
    }
    assert "Going Event" in sections["going"] and "Full Event" not in sections["going"]
    assert "Full Event" in sections["waiting"]
    assert "Maybe Event" in sections["interested"]
    assert app.test_client().get("/events/mine").status_code == 302


def test_the_calendar_feed_page_makes_revokes_and_regenerates(app, logged_in, session, member):
    page = text_of(logged_in.client.get("/events/calendar"))
    assert "Make my calendar address" in page and count(session, CalendarFeed) == 0
    logged_in.post_form("/events/calendar", {"action": "make"})
    html = logged_in.client.get("/events/calendar").get_data(as_text=True)
    url = re.search(r'id="feed-url" value="([^"]+)"', html).group(1)
    path = url.split("localhost", 1)[-1] if "localhost" in url else "/" + url.split("/", 3)[3]
    assert app.test_client().get(path).status_code == 200
    logged_in.post_form("/events/calendar", {"action": "regenerate"})
    assert app.test_client().get(path).status_code == 404
    new_html = logged_in.client.get("/events/calendar").get_data(as_text=True)
    new_url = re.search(r'id="feed-url" value="([^"]+)"', new_html).group(1)
    assert new_url != url
    logged_in.post_form("/events/calendar", {"action": "revoke"})
    assert "Make my calendar address" in text_of(logged_in.client.get("/events/calendar"))


def test_the_nav_links_to_events_and_home_cards_link_to_event_pages(client, session, organiser):
    event = make_event(session, owner=organiser, title="Open Ed Meetup")
    session.commit()
    html = client.get("/").get_data(as_text=True)
    assert 'href="/events"' in html
    assert f'href="/events/{event.id}"' in html


def test_unknown_events_answer_404(logged_in, app):
    assert logged_in.client.get("/events/999999").status_code == 404
    assert logged_in.client.get("/events/999999/edit").status_code == 404
    # A visitor is asked to log in first (the event may be for members only).
    assert app.test_client().get("/events/999999").status_code == 302


def test_visibility_enum_is_what_the_form_offers(as_organiser):
    html = as_organiser.client.get("/events/new").get_data(as_text=True)
    for value in (kind.value for kind in EventVisibility):
        assert f'value="{value}"' in html


def test_a_cover_picture_is_uploaded_with_the_form_and_a_bad_one_refused(
    as_organiser, client, session, organiser
):
    event = make_event(session, owner=organiser)
    session.commit()
    path = f"/events/{event.id}/edit"
    form = event_form(time_zone="America/Toronto")
    refused = as_organiser.post_form(
        path, {**form, "cover": (io.BytesIO(b"<svg></svg>"), "cover.svg")}, **MULTIPART
    )
    assert refused.status_code == 422
    assert 'id="cover-error"' in refused.get_data(as_text=True)
    assert client.get(f"/events/{event.id}/cover").status_code == 404
    session.expire_all()
    assert session.get(Event, event.id).title == "Open Ed Meetup"  # nothing saved
    done = as_organiser.post_form(
        path, {**form, "cover": (io.BytesIO(make_picture()), "cover.png")}, **MULTIPART
    )
    assert done.status_code == 302
    assert client.get(f"/events/{event.id}/cover").status_code == 200
    assert f'src="/events/{event.id}/cover"' in client.get(f"/events/{event.id}").get_data(
        as_text=True
    )


def test_the_agenda_shown_follows_each_change_to_the_sessions(app, session, organiser):
    """The agenda's HTML is kept between views; an edit, an added session and a removed
    one each show at once."""
    event = make_event(session, owner=organiser)

    def add(title: str, hours: int):
        return service.add_session(
            session,
            actor=organiser,
            event=event,
            data={
                "title": title,
                "description": "",
                "starts_at": event.starts_at + timedelta(hours=hours),
                "ends_at": event.starts_at + timedelta(hours=hours + 1),
                "location": "Main hall",
                "track": "",
            },
        )

    keynote = add("Opening keynote", 0)
    session.commit()
    visitor = app.test_client()

    def agenda() -> str:
        html = visitor.get(f"/events/{event.id}").get_data(as_text=True)
        return html[html.index('id="agenda"') : html.index('id="announcements"')]

    assert "Opening keynote" in agenda()
    service.edit_session(
        session,
        actor=organiser,
        event=event,
        agenda_item=keynote,
        changes={"title": "Welcome keynote"},
    )
    session.commit()
    assert "Welcome keynote" in agenda() and "Opening keynote" not in agenda()
    panel = add("Closing panel", 2)
    session.commit()
    assert "Closing panel" in agenda()
    service.delete_session(session, actor=organiser, event=event, agenda_item=panel)
    session.commit()
    assert "Closing panel" not in agenda() and "Welcome keynote" in agenda()
