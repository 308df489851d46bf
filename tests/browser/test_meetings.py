"""A meeting request in real browsers: a novice asks a mentor from her profile with two
times, the mentor accepts the second one, and both see it in My agenda."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, make_profile, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def people(live_server):
    with live_server.app.app_context():
        from hallway.db import db

        noor = make_user(db.session, display_name="Noor Haddad", handle="noor-b")
        make_profile(db.session, noor, career_stage="novice", time_zone="America/Toronto")
        maggie = make_user(db.session, display_name="Maggie Chen", handle="maggie-b")
        make_profile(
            db.session,
            maggie,
            career_stage="advanced",
            offering=["mentoring"],
            time_zone="America/Toronto",
            matchable=True,  # open to meeting requests
        )
        db.session.commit()
        return {"noor": noor.email, "maggie": maggie.email}


def log_in(new_page, email: str):
    page = new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()
    return page


def test_a_novice_requests_a_meeting_and_both_see_it_in_my_agenda(new_page, people):
    day = (datetime.now(UTC) + timedelta(days=5)).strftime("%Y-%m-%d")
    noor = log_in(new_page, people["noor"])
    noor.goto("/members/maggie-b")
    noor.get_by_role("link", name="Request a meeting").click()
    noor.get_by_label("Message").fill("Could we talk about captioning?")
    noor.get_by_label("First proposed time").fill(f"{day}T10:00")
    noor.get_by_label("Second proposed time (optional)").fill(f"{day}T14:00")
    noor.get_by_label("Video link").fill("https://meet.example/noor")
    noor.get_by_role("button", name="Send the request").click()
    expect(noor.get_by_text("Your request is sent.")).to_be_visible()

    maggie = log_in(new_page, people["maggie"])
    maggie.goto("/meetings")
    maggie.get_by_role("link", name="From Noor Haddad").click()
    maggie.get_by_label("2:00", exact=False).check()
    maggie.get_by_role("button", name="Accept this time").click()
    expect(maggie.get_by_text("Accepted: the meeting is in both your agendas.")).to_be_visible()

    for page, other in ((maggie, "Noor Haddad"), (noor, "Maggie Chen")):
        page.goto("/agenda")
        item = page.locator(".agenda-meeting")
        expect(item).to_contain_text(f"With {other}")
        expect(item).to_contain_text("2:00")
