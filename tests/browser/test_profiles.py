"""A newcomer signs up, completes their profile in the welcome flow, and is found in the
directory by filters, through the real pages in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import confirm_sign_up_from_the_mail

pytestmark = pytest.mark.browser


def sign_up(page, live_server, name: str, handle: str, email: str) -> None:
    page.goto("/signup?next=/members")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Username").fill(handle)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("teaching to design 2026")
    page.get_by_label("Repeat password").fill("teaching to design 2026")
    page.get_by_role("button", name="Create my account").click()
    confirm_sign_up_from_the_mail(page, live_server, email)


def test_sign_up_complete_the_profile_and_be_found_in_the_directory(page, live_server):
    sign_up(page, live_server, "Rosa Delacroix", "rosa-d", "rosa@example.org")
    expect(page.get_by_role("heading", name="Complete your profile")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/welcome\?next=/members$"))

    # The time zone starts at the browser's own, when it is one we list.
    browser_zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    if browser_zone in ("UTC", "Europe/London", "America/New_York"):
        expect(page.get_by_label("Time zone")).to_have_value(browser_zone)

    advanced = page.get_by_role("radio", name=re.compile(r"^Advanced"))
    expect(advanced).to_have_accessible_name("Advanced")
    expect(advanced).to_have_accessible_description(re.compile("often mentors others"))
    advanced.check()
    page.get_by_label("Current role").fill("Director of Digital Learning")
    page.get_by_label("Organisation").fill("Bluenose College")
    page.get_by_label("Sector").select_option(label="Post-secondary")
    page.get_by_label("Country").select_option(label="Canada")
    # The province list follows the country (fetched without reloading the page).
    page.get_by_label("Province, state or region").select_option(label="Nova Scotia")
    page.get_by_label("Time zone").select_option("America/Halifax")
    # The interests come in groups, each a disclosure: open one, then tick.
    page.locator("summary", has_text="Open education").click()
    page.get_by_label("OER", exact=True).check()
    page.get_by_label("Other interests").fill("a11y, Moodle plugins")
    page.get_by_role("group", name="I can offer").get_by_label("Mentoring").check()
    page.get_by_role("group", name="I am looking for").get_by_label("Collaborators").check()
    page.get_by_role("button", name="Save and continue").click()

    # Back where sign-up was headed: the directory. Filter down to the new member.
    expect(page.get_by_text("Thanks! Your profile is ready.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/members$"))
    page.get_by_label("Career stage").select_option(label="Advanced")
    page.get_by_label("Offering").select_option(label="Mentoring")
    page.get_by_label("Country").select_option(label="Canada")
    page.get_by_label("Province or state").select_option(label="Nova Scotia")
    page.get_by_label("Interest", exact=True).fill("universal design for learning")
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name="1 member")).to_be_visible()
    expect(page).to_have_url(re.compile(r"stage=advanced.*offering=mentoring.*region=CA-NS"))
    page.get_by_role("link", name="Rosa Delacroix").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Rosa Delacroix")
    expect(page.get_by_text("Director of Digital Learning at Bluenose College")).to_be_visible()
    tags = page.get_by_role("region", name="Interests").get_by_role("listitem")
    expect(tags).to_have_text(["OER", "accessibility & UDL", "moodle plugins"])


def test_skipping_the_welcome_flow_goes_on_to_next(page, live_server):
    sign_up(page, live_server, "Sam Skipper", "sam-skip", "sam@example.org")
    page.get_by_role("button", name="Skip for now").click()
    expect(page).to_have_url(re.compile(r"/members$"))
    expect(page.get_by_text("You can fill in your profile any time")).to_be_visible()


PHONE = {"width": 390, "height": 844}


def test_on_a_phone_the_directory_shows_results_before_its_filters(page, live_server):
    sign_up(page, live_server, "Pia Phone", "pia-phone", "pia@example.org")
    page.get_by_role("button", name="Skip for now").click()
    page.set_viewport_size(PHONE)
    page.goto("/members")
    filters = page.locator("summary", has_text="More filters")
    expect(filters).to_be_visible()
    # The eleven filters are folded away: the first result is on the first screen.
    expect(page.get_by_label("Career stage")).to_be_hidden()
    first = page.locator(".member-row").first
    expect(first).to_be_in_viewport()
    filters.click()
    expect(page.get_by_label("Career stage")).to_be_visible()
    # Chosen filters come back open, saying how many are in use.
    page.get_by_label("Career stage").select_option(label="Advanced")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("summary", has_text="More filters (1 in use)")).to_be_visible()
    expect(page.get_by_label("Career stage")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_on_a_wide_screen_the_directory_filters_are_shown(page, live_server):
    sign_up(page, live_server, "Wes Wide", "wes-wide", "wes@example.org")
    page.get_by_role("button", name="Skip for now").click()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/members")
    expect(page.get_by_label("Career stage")).to_be_visible()
    expect(page.locator("summary", has_text="More filters")).to_be_hidden()


def test_the_welcome_form_fits_a_phone_and_is_short(page, live_server):
    page.set_viewport_size(PHONE)
    sign_up(page, live_server, "Nia Narrow", "nia-narrow", "nia@example.org")
    expect(page.get_by_role("heading", name="Complete your profile")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The career-stage notes wrap inside the page (they ran to 406 px).
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.choice-note')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert right <= 390
    # 45 interest boxes in closed groups, not a 1,400 px column.
    interests = page.locator("#interests").bounding_box()
    assert interests is not None and interests["height"] < 600


def test_the_profile_edit_page_keeps_save_in_reach(page, live_server):
    page.set_viewport_size(PHONE)
    sign_up(page, live_server, "Ed Itor", "ed-itor", "ed@example.org")
    page.get_by_role("button", name="Skip for now").click()
    page.goto("/profile/edit")
    save = page.get_by_role("button", name="Save profile")
    expect(save).to_be_in_viewport()  # at the top of a long form
    page.locator("#edit-links").scroll_into_view_if_needed()
    expect(save).to_be_in_viewport()  # and half-way down
    page.get_by_label("Headline").fill("Still saving from anywhere")
    save.click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    # The region select has a label of its own (its id is no section's any more).
    expect(page.get_by_label("Province, state or region")).to_have_count(1)
