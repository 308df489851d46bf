"""A newcomer signs up, logs out and logs back in through the real pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import confirm_sign_up_from_the_mail

pytestmark = pytest.mark.browser


def test_sign_up_log_out_and_log_in_again(page, live_server):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("hallway track")
    page.get_by_role("button", name="Join Hallway").first.click()

    page.get_by_label("Your name").fill("Jordan Blake")
    page.get_by_label("Username").fill("jordanb")
    page.get_by_label("Email").fill("jordan@example.org")
    page.get_by_label("Password", exact=True).fill("teaching to design 2026")
    page.get_by_label("Repeat password").fill("teaching to design 2026")
    page.get_by_role("button", name="Create my account").click()
    confirm_sign_up_from_the_mail(page, live_server, "jordan@example.org")

    expect(page.get_by_text("Welcome to Hallway, Jordan Blake!")).to_be_visible()

    page.get_by_text("Jordan Blake", exact=True).click()  # the account menu
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out on this device.")).to_be_visible()
    log_in = page.locator(".site-header").get_by_role("link", name="Log in", exact=True)
    expect(log_in.first).to_be_visible()

    log_in.first.click()
    page.get_by_label("Email").fill("jordan@example.org")
    page.get_by_label("Password").fill("teaching to design 2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back, Jordan Blake.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))


def test_sign_up_errors_are_shown_next_to_the_fields(page):
    page.goto("/signup")
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Email").fill("sam@example.org")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat password").fill("different")
    page.get_by_role("button", name="Create my account").click()
    password = page.get_by_label("Password", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Use at least 10")).to_be_visible()
    expect(page.get_by_text("The passwords differ.")).to_be_visible()


def test_pages_are_styled_and_keyboard_reachable(page):
    page.goto("/login")
    # Pico CSS loaded from static/vendor (installed from npm by `make assets`).
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "system-ui" in font or "sans-serif" in font
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"


def log_in_through_the_page(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_logging_out_everywhere_on_one_device_tells_the_other_open_page(new_page, live_server):
    from hallway.db import db
    from tests.factories import DEFAULT_PASSWORD, make_user

    with live_server.app.app_context():
        make_user(db.session, display_name="Two Devices", email="two@example.org")
        db.session.commit()
    laptop, phone = new_page(), new_page()
    for page in (laptop, phone):
        log_in_through_the_page(page, "two@example.org", DEFAULT_PASSWORD)
        expect(page.get_by_text("Welcome back, Two Devices.")).to_be_visible()
    # A function, not an expression: Playwright evals an expression on every poll,
    # which the Content-Security-Policy (no 'unsafe-eval') refuses.
    phone.wait_for_function("() => window.hallway && window.hallway.socket.connected")

    laptop.get_by_text("Two Devices", exact=True).click()
    laptop.get_by_role("link", name="Log out everywhere").click()
    laptop.get_by_role("button", name="Log out on every device").click()
    expect(laptop.get_by_text("You are logged out on every device.")).to_be_visible()

    expect(phone.get_by_role("alert")).to_contain_text("You have been logged out.")
    expect(phone.get_by_role("link", name="Log in again")).to_be_visible()


def test_logging_out_of_one_device_leaves_the_other_logged_in(new_page, live_server):
    from hallway.db import db
    from tests.factories import DEFAULT_PASSWORD, make_user

    with live_server.app.app_context():
        make_user(db.session, display_name="Desk And Pocket", email="desk@example.org")
        db.session.commit()
    laptop, phone = new_page(), new_page()
    for page in (laptop, phone):
        log_in_through_the_page(page, "desk@example.org", DEFAULT_PASSWORD)
        expect(page.get_by_text("Welcome back, Desk And Pocket.")).to_be_visible()
    phone.wait_for_function("() => window.hallway && window.hallway.socket.connected")

    laptop.get_by_text("Desk And Pocket", exact=True).click()
    laptop.get_by_role("button", name="Log out").click()
    expect(laptop.get_by_text("You are logged out on this device.")).to_be_visible()

    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome, Desk And Pocket")
    expect(phone.locator("#session-ended")).to_have_count(0)
