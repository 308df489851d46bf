"""Issue 12's walk-through in real browsers: a novice opens People to meet, sees a mentor
with the reasons to talk, requests a meeting; the mentor accepts one of the times; both
see the meeting in My agenda."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, make_profile, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def pair(live_server):
    return make_pair(live_server)


def make_pair(live_server, suffix: str = "") -> dict:
    """A novice looking for mentoring and a mentor offering it, both opted in (the live
    server's tables are emptied only when the module is done: a suffix keeps two apart)."""
    with live_server.app.app_context():
        from hallway.core import unit_of_work
        from hallway.db import db

        nia = make_user(db.session, display_name="Nia Novice", handle="nia" + suffix)
        make_profile(
            db.session,
            nia,
            career_stage="novice",
            matchable=True,
            role="Teacher",
            interests=["Accessibility", "OER"],
            looking_for=["mentoring", "career_chat"],
            networks=["ETUG"],
            time_zone="America/Vancouver",
            bio="Career changer learning about captioning and accessible course design.",
        )
        maggie = make_user(db.session, display_name="Maggie Mentor", handle="maggie" + suffix)
        make_profile(
            db.session,
            maggie,
            career_stage="advanced",
            matchable=True,
            role="Accessibility lead",
            interests=["Accessibility", "OER"],
            offering=["mentoring", "career_chat"],
            networks=["ETUG"],
            time_zone="America/Vancouver",
            bio="I run our captioning service and mentor new instructional designers.",
        )
        unit_of_work.commit(db.session)
        return {"nia": nia.email, "maggie": maggie.email, "maggie_id": maggie.id}


def log_in(new_page, email: str):
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()
    return page


def test_novice_requests_a_mentor_who_accepts_and_both_see_it_in_their_agendas(
    live_server, new_page, pair
):
    when = (datetime.now(UTC) + timedelta(days=10)).astimezone(ZoneInfo("America/Vancouver"))
    local = when.replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M")

    nia = log_in(new_page, pair["nia"])
    nia.get_by_text("Menu").click()  # the navigation is a disclosure at 390 px
    nia.get_by_role("link", name="People to meet").click()
    expect(nia.get_by_role("heading", name="People to meet", level=1)).to_be_visible()
    card = nia.locator("li.suggestion").filter(has_text="Maggie Mentor")
    expect(card).to_be_visible()
    expect(card.locator("ul.reasons li").first).to_be_visible()
    card.get_by_role("link", name="Request a meeting").click()

    expect(nia.get_by_role("heading", name="Request a meeting with Maggie Mentor")).to_be_visible()
    nia.get_by_label("Message").fill("Hello! I would love advice on captioning.")
    nia.get_by_label("First proposed time").fill(local)
    nia.get_by_role("button", name="Send the request").click()
    expect(nia.locator(".flash-success")).to_be_visible()
    with live_server.app.app_context():
        from sqlalchemy import select

        from hallway.db import db
        from hallway.meetings.models import MeetingRequest

        sent = db.session.scalars(select(MeetingRequest)).all()
        assert [request.source for request in sent] == ["suggestion"]

    maggie = log_in(new_page, pair["maggie"])
    maggie.goto("/meetings")
    maggie.get_by_role("link", name="Nia Novice").first.click()
    maggie.get_by_role("button", name="Accept this time").click()
    expect(maggie.locator(".flash-success")).to_be_visible()

    for page, other in ((maggie, "Nia Novice"), (nia, "Maggie Mentor")):
        page.goto("/agenda")
        coming = page.locator("section[aria-labelledby='coming-heading']")
        expect(coming.get_by_role("link", name=f"With {other}")).to_be_visible()


def test_not_for_me_updates_the_list_in_place(live_server, new_page):
    pair = make_pair(live_server, "-2")
    with live_server.app.app_context():
        from hallway.core import unit_of_work
        from hallway.db import db

        kofi = make_user(db.session, display_name="Kofi Advisor", handle="kofi-2")
        make_profile(
            db.session,
            kofi,
            career_stage="advanced",
            matchable=True,
            interests=["Accessibility"],
            offering=["mentoring"],
            time_zone="America/Vancouver",
        )
        unit_of_work.commit(db.session)
        kofi_id = kofi.id
    nia = log_in(new_page, pair["nia"])
    nia.goto("/people-to-meet")
    nia.evaluate("window.notReloaded = true")
    maggie = nia.locator(f'li[data-suggestion="{pair["maggie_id"]}"]')
    other = nia.locator(f'li[data-suggestion="{kofi_id}"]')
    expect(maggie).to_be_visible()
    maggie.get_by_text("Not for me").click()
    maggie.get_by_label("Why? (optional)").select_option("already_know")
    maggie.get_by_role("button", name="Don't suggest Maggie Mentor again").click()
    expect(nia.locator("#suggestion-status")).to_have_text(
        "Maggie Mentor will not be suggested to you again."
    )
    expect(maggie).to_have_count(0)
    expect(other).to_be_visible()
    assert nia.evaluate("window.notReloaded") is True  # updated in place, no reload


def test_matching_pages_with_content_pass_axe_at_390_and_1280(browser, live_server):
    from tests.browser.test_accessibility import AUDIT, AXE, SERIOUS, describe

    if not AXE.exists():
        pytest.skip(f"axe-core is not installed ({AXE} missing): run `make assets`")
    pair = make_pair(live_server, "-axe")
    with live_server.app.app_context():
        from hallway.accounts.models import Role
        from hallway.core import unit_of_work
        from hallway.db import db
        from hallway.events import service as events_service
        from hallway.events.models import Event
        from hallway.matching import rounds

        owner = make_user(db.session, handle="olu-axe", display_name="Olu", role=Role.organiser)
        starts = (datetime.now(UTC) + timedelta(days=14)).replace(minute=0, second=0)
        event = events_service.create_event(
            db.session,
            actor=owner,
            data={
                "title": "Axe Summit",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=8),
                "time_zone": "UTC",
                "format": "online",
                "online_url": "https://meet.example/axe",
            },
        )
        from hallway.accounts.service import find_user_by_handle

        nia, maggie = (find_user_by_handle(db.session, h) for h in ("nia-axe", "maggie-axe"))
        for user in (nia, maggie):
            events_service.set_rsvp(db.session, actor=user, event=event, status="going")
        made = rounds.create_round(
            db.session,
            actor=owner,
            event=db.session.get(Event, event.id),
            data=rounds.RoundInput(
                title="Axe round",
                starts_at=starts,
                duration_minutes=30,
                place="Table 1",
                message="",
                mentee_ids=[nia.id],
                mentor_capacities={maggie.id: 1},
            ),
        )
        unit_of_work.commit(db.session)
        event_id, round_id, owner_email = event.id, made.id, owner.email
    pages = {
        pair["nia"]: [
            "/people-to-meet",
            f"/events/{event_id}/people-to-meet",
            "/members/maggie-axe",
        ],
        owner_email: [
            f"/events/{event_id}/matching",
            f"/events/{event_id}/matching/rounds/{round_id}",
            f"/events/{event_id}/matching/rounds/new",
        ],
    }
    problems = []
    for email, paths in pages.items():
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_text("Welcome back")).to_be_visible()
        for path in paths:
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(path)
                for summary in page.locator("details.dismiss > summary").all():
                    summary.click()  # audit the opened "Not for me" form too
                page.add_script_tag(path=str(AXE))
                result = page.evaluate(AUDIT)
                serious = [v for v in result["violations"] if v["impact"] in SERIOUS]
                if serious:
                    problems.append(f"{path} at {width}px: {describe(serious)}")
                if result["scrollWidth"] > result["clientWidth"]:
                    problems.append(f"{path} at {width}px scrolls sideways: {result['wide']}")
        context.close()
    assert problems == []
