"""Issue 10's walk-through, in real browsers: an organiser creates an event with two
sessions and one place; member A takes it, member B joins the waitlist; A leaves and B
sees the promotion live; the organiser posts an announcement and B sees it live on
another page."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from hallway.accounts.models import Role
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def people(live_server):
    with live_server.app.app_context():
        from hallway.db import db

        olu = make_user(db.session, display_name="Olu Organiser", role=Role.organiser)
        ana = make_user(db.session, display_name="Ana Diaz")
        ben = make_user(db.session, display_name="Ben Okoro")
        db.session.commit()
        return {"olu": olu.email, "ana": ana.email, "ben": ben.email}


def log_in(new_page, email: str):
    page = new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()
    return page


def live(page) -> None:
    """Wait until the page's socket is connected (hallway.js)."""
    connected = "() => Boolean(window.hallway && window.hallway.socket.connected)"
    for _ in range(100):  # wait_for_function evaluates a string: the CSP forbids it
        if page.evaluate(connected):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the page's socket never connected")
    page.evaluate("window.notReloaded = true")


def test_waitlist_promotion_and_announcements_arrive_live(new_page, people):
    day = (datetime.now(UTC) + timedelta(days=10)).strftime("%Y-%m-%d")

    # The organiser creates the event: one place, then two sessions.
    olu = log_in(new_page, people["olu"])
    olu.goto("/events")
    olu.get_by_role("link", name="Create an event").click()
    olu.get_by_label("Title", exact=True).fill("ETUG Spring Workshop")
    olu.get_by_label("Time zone").fill("America/Vancouver")
    olu.get_by_label("Starts", exact=True).fill(f"{day}T09:00")
    olu.get_by_label("Ends", exact=True).fill(f"{day}T17:00")
    olu.get_by_label("City", exact=True).fill("Vancouver")
    olu.get_by_label("Capacity", exact=True).fill("1")
    olu.get_by_role("button", name="Create the event").click()
    expect(olu.get_by_text("Your event is created.")).to_be_visible()
    event_path = urlparse(olu.url).path.removesuffix("/sessions")
    for title, start, end in (("Opening keynote", "10:00", "11:00"), ("OER lab", "13:00", "14:00")):
        olu.get_by_label("Title", exact=True).fill(title)
        olu.get_by_label("Starts", exact=True).fill(f"{day}T{start}")
        olu.get_by_label("Ends", exact=True).fill(f"{day}T{end}")
        olu.get_by_role("button", name="Add the session").click()
        expect(olu.get_by_text("The session is added")).to_be_visible()
    olu.goto(event_path)
    agenda = olu.locator("#agenda")
    expect(agenda).to_contain_text("Opening keynote")
    expect(agenda).to_contain_text("OER lab")
    expect(agenda.get_by_role("link", name="Discussion: OER lab")).to_be_visible()

    # A takes the only place; B joins the waitlist.
    ana = log_in(new_page, people["ana"])
    ana.goto(event_path)
    ana.get_by_role("button", name="Going", exact=True).click()
    expect(ana.locator("[data-rsvp-status]")).to_contain_text("You are going")
    ben = log_in(new_page, people["ben"])
    ben.goto(event_path)
    ben.get_by_role("button", name="Join the waitlist").click()
    expect(ben.locator("[data-rsvp-status]")).to_contain_text("Waitlist: you are number 1")
    live(ben)

    # A leaves: B gets the place, told on the open page without a reload.
    ana.get_by_role("button", name="Not going").click()
    expect(ana.locator("[data-rsvp-status]")).to_contain_text("You are not going")
    expect(ben.locator('[data-event-notice="promoted"]')).to_contain_text(
        "A place opened up: you are going!"
    )
    expect(ben.locator("[data-rsvp-status]")).to_contain_text("You are going")
    assert ben.evaluate("window.notReloaded") is True

    # B moves on to another page; the organiser's announcement reaches it live.
    ben.goto("/discussions")
    live(ben)
    olu.goto(event_path + "/announce")
    olu.get_by_label("Title", exact=True).fill("Lunch moved to 12:30")
    olu.get_by_label("Message").fill("The caterer is late.")
    olu.get_by_role("button", name="Send the announcement").click()
    expect(olu.get_by_text("Your announcement is sent")).to_be_visible()
    notice = ben.locator('[data-event-notice="announcement"]')
    expect(notice).to_contain_text("Announcement from ETUG Spring Workshop: Lunch moved to 12:30")
    expect(notice.get_by_role("link", name="Read it")).to_have_attribute(
        "href", event_path + "#announcements"
    )
    assert ben.evaluate("window.notReloaded") is True
