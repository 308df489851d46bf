"""The events list and an event page keep their shared HTML between views
(events/views.py): every reader still sees their own answer, controls, language and
zone, and each change shows on the next view, whoever looked first."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from hallway.core.fragment_cache import fragments
from hallway.db import utcnow
from hallway.events import service
from hallway.members import service as members_service
from tests.conftest import csrf_token_from
from tests.factories import make_profile, make_user
from tests.integration.events.conftest import logged_in_as
from tests.unit.events.factories import make_event


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def attendees_card(client, event) -> str:
    page = text_of(client.get(f"/events/{event.id}"))
    return page[page.index("Who is going") :]


@pytest.fixture
def ana(session):
    user = make_user(session, handle="ana", display_name="Ana Attendee")
    make_profile(session, user, visibility="members")
    session.commit()
    return user


@pytest.fixture
def ben(session):
    user = make_user(session, handle="ben", display_name="Ben Reader")
    session.commit()
    return user


def test_the_event_page_follows_answers_hidden_names_and_profiles(
    app, session, organiser, ana, ben
):
    event = make_event(session, owner=organiser)
    session.commit()
    as_ana, as_ben = logged_in_as(app, ana), logged_in_as(app, ben)
    assert "Nobody is going yet." in attendees_card(as_ben.client, event)

    as_ana.post_form(f"/events/{event.id}/rsvp", {"status": "going"})
    card = attendees_card(as_ben.client, event)
    assert "Ana Attendee" in card and "Nobody is going yet." not in card
    assert "1 going" in text_of(as_ben.client.get(f"/events/{event.id}"))

    as_ana.post_form(f"/events/{event.id}/hidden", {"hidden_from_list": "y"})
    card = attendees_card(as_ben.client, event)
    assert "Ana Attendee" not in card
    assert "1 member with a private profile or hidden name" in card
    # Ana still sees her own name, marked, and her answer.
    page = text_of(as_ana.client.get(f"/events/{event.id}"))
    assert "You are going" in page
    card = page[page.index("Who is going") :]
    assert "Ana Attendee" in card and "hidden from others" in card
    assert "private profile or hidden name" not in card

    as_ana.post_form(f"/events/{event.id}/hidden", {})
    assert "Ana Attendee" in attendees_card(as_ben.client, event)
    members_service.update_profile(session, ana, {"visibility": "private"})
    session.commit()
    assert "Ana Attendee" not in attendees_card(as_ben.client, event)
    assert "Ana Attendee" in attendees_card(logged_in_as(app, organiser).client, event)


def test_each_reader_gets_their_own_answer_controls_and_form_token(
    app, session, organiser, ana, ben
):
    event = make_event(
        session, owner=organiser, format="hybrid", online_url="https://stream.example/live"
    )
    service.post_announcement(  # before anyone answers: nobody to notify
        session, actor=organiser, event=event, title="Doors open at 8", body="Coffee first."
    )
    service.set_rsvp(session, actor=ana, event=event, status="going")
    session.commit()
    as_organiser, as_ana, as_ben = (logged_in_as(app, user) for user in (organiser, ana, ben))
    visitor = app.test_client()

    pages = {
        name: text_of(helper.client.get(f"/events/{event.id}"))
        for name, helper in (("olu", as_organiser), ("ana", as_ana), ("ben", as_ben))
    }
    visitor_page = text_of(visitor.get(f"/events/{event.id}"))
    assert "Organiser tools" in pages["olu"]
    assert all("Organiser tools" not in pages[name] for name in ("ana", "ben"))
    assert "Organiser tools" not in visitor_page
    assert "You are going" in pages["ana"] and "You are going" not in pages["ben"]
    assert (
        "https://stream.example/live" in pages["ana"]
        and "https://stream.example/live" in pages["olu"]
    )
    assert "https://stream.example/live" not in pages["ben"]
    assert "Log in to answer" in visitor_page and "Log in to answer" not in pages["ben"]
    assert all("Doors open at 8" in page for page in (*pages.values(), visitor_page))
    assert all("just now" in page or "ago" in page for page in pages.values())

    # The form token on a page served from the shared copy is the reader's own.
    html = as_ben.client.get(f"/events/{event.id}").get_data(as_text=True)
    token = csrf_token_from(html)
    assert token != csrf_token_from(as_ana.client.get(f"/events/{event.id}").get_data(as_text=True))
    response = as_ben.client.post(
        f"/events/{event.id}/rsvp", data={"csrf_token": token, "status": "interested"}
    )
    assert response.status_code == 302
    assert "You are interested" in text_of(as_ben.client.get(f"/events/{event.id}"))
    assert "You are interested" not in text_of(as_ana.client.get(f"/events/{event.id}"))


def test_a_waiting_reader_sees_their_own_place_in_the_queue(app, session, organiser, ana, ben):
    event = make_event(session, owner=organiser, capacity=1)
    third = make_user(session, handle="cyrus", display_name="Cy Third")
    for user in (ana, ben, third):
        service.set_rsvp(session, actor=user, event=event, status="going")
    session.commit()
    assert "Waitlist: you are number 1" in text_of(
        logged_in_as(app, ben).client.get(f"/events/{event.id}")
    )
    assert "Waitlist: you are number 2" in text_of(
        logged_in_as(app, third).client.get(f"/events/{event.id}")
    )


def test_the_event_page_speaks_each_readers_language_and_zone(app, session, organiser, ben):
    event = make_event(session, owner=organiser, time_zone="America/Toronto")
    toronto = make_user(session, handle="tor", display_name="Toronto Reader")
    make_profile(session, toronto, time_zone="America/Toronto")
    session.commit()
    visitor = app.test_client()
    english = visitor.get(f"/events/{event.id}").get_data(as_text=True)
    french = (
        app.test_client()
        .get(f"/events/{event.id}", headers={"Accept-Language": "fr-CA"})
        .get_data(as_text=True)
    )
    assert '<html lang="en"' in english and "Who is going" in english
    assert '<html lang="fr' in french and "Who is going" not in french
    # The event's own time is added only for readers in another zone.
    assert "in America/Toronto" in text_of(logged_in_as(app, ben).client.get(f"/events/{event.id}"))
    assert "in America/Toronto" not in text_of(
        logged_in_as(app, toronto).client.get(f"/events/{event.id}")
    )


# --- The list ---------------------------------------------------------------------------


def test_the_list_follows_answers_edits_and_who_reads_it(app, session, organiser, ana, ben):
    event = make_event(session, owner=organiser, title="Open Ed Meetup")
    session.commit()
    as_ana, as_organiser = logged_in_as(app, ana), logged_in_as(app, organiser)
    page = text_of(as_ana.client.get("/events"))
    assert "Open Ed Meetup" in page and "0 going" in page and "Create an event" not in page
    assert "Create an event" in text_of(as_organiser.client.get("/events"))

    as_ana.post_form(f"/events/{event.id}/rsvp", {"status": "going"})
    assert "1 going" in text_of(as_ana.client.get("/events"))
    service.edit_event(session, actor=organiser, event=event, changes={"title": "Open Ed Summit"})
    session.commit()
    page = text_of(as_ana.client.get("/events"))
    assert "Open Ed Summit" in page and "Open Ed Meetup" not in page
    as_organiser.post_form(f"/events/{event.id}/cancel", {})
    assert "Cancelled" in text_of(as_ana.client.get("/events"))


def test_an_event_that_ends_leaves_the_upcoming_list_at_once(app, session, organiser, monkeypatch):
    starts = utcnow().replace(microsecond=0) + timedelta(hours=1)
    make_event(
        session,
        owner=organiser,
        title="Short Meetup",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    make_event(session, owner=organiser, title="Later Summit", starts_at=starts + timedelta(days=5))
    session.commit()
    visitor = app.test_client()
    assert "Short Meetup" in text_of(visitor.get("/events"))
    assert "Short Meetup" not in text_of(visitor.get("/events?when=past"))

    later = utcnow() + timedelta(hours=3)
    monkeypatch.setattr("hallway.events.views.utcnow", lambda: later)
    monkeypatch.setattr("hallway.events.service.utcnow", lambda: later)
    upcoming = text_of(visitor.get("/events"))
    assert "Short Meetup" not in upcoming and "Later Summit" in upcoming
    assert "Short Meetup" in text_of(visitor.get("/events?when=past"))


def test_a_bad_filter_keeps_its_error_and_status_when_served_again(app, session, organiser):
    make_event(session, owner=organiser)
    session.commit()
    visitor = app.test_client()
    for _ in range(2):
        response = visitor.get("/events?from=not-a-date")
        assert response.status_code == 422
        assert 'id="filter-from-error"' in response.get_data(as_text=True)


def test_parameters_the_list_ignores_share_its_kept_copy(app, session, organiser):
    """Only the filters and the page make a new kept copy of the list: a campaign tag or
    a crawler's noise is served the plain list's, so it cannot crowd out useful ones."""
    make_event(session, owner=organiser, title="Open Ed Meetup")
    session.commit()
    visitor = app.test_client()
    plain = visitor.get("/events").get_data(as_text=True)
    kept = len(fragments)
    for noise in ("utm_source=newsletter", "x=1", "city=", "when=upcoming&zz=2"):
        assert visitor.get(f"/events?{noise}").get_data(as_text=True).count("Open Ed Meetup") == 1
    assert len(fragments) == kept + 1  # "when=upcoming" given is another key; the rest share
    assert "Open Ed Meetup" in plain
    visitor.get("/events?city=Victoria")
    assert len(fragments) == kept + 2
