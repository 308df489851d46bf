"""The page shell in a browser: it fits a phone, its menus work by keyboard, and the
navigation is inline on a laptop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.notifications.helpers import logged_in_page
from tests.factories import make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def moderator_email(live_server) -> str:
    """A moderator with a long name: the fullest header there is."""
    from hallway.accounts.models import Role
    from hallway.db import db

    with live_server.app.app_context():
        user = make_user(
            db.session,
            display_name="Marie-Ève Bouchard-Tremblay",
            handle="marieeve",
            role=Role.admin,
        )
        db.session.commit()
        return user.email


def page_width_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scroll)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_logged_in_header_fits_a_phone(new_page, moderator_email):
    page = logged_in_page(new_page, moderator_email)
    page.set_viewport_size(PHONE)
    for path in ("/", "/discussions", "/members", "/notifications"):
        page.goto(path)
        assert page_width_overflow(page) == 0, path
        header = page.locator(".site-header").bounding_box()
        assert header and header["height"] <= 100, (path, header)  # one row
    # The links sit behind the menu until it is opened.
    expect(page.get_by_role("link", name="Discussions")).to_be_hidden()
    account = page.locator("#user-menu > summary")
    box = account.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"]


def test_the_phone_menu_opens_and_closes_by_keyboard(new_page, moderator_email):
    page = logged_in_page(new_page, moderator_email)
    page.set_viewport_size(PHONE)
    page.goto("/")
    menu = page.locator("details[data-nav-menu]")
    summary = menu.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    discussions = page.get_by_role("link", name="Discussions")
    expect(discussions).to_be_visible()
    page.keyboard.press("Tab")
    expect(discussions).to_be_focused()
    assert page_width_overflow(page) == 0

    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()
    expect(discussions).to_be_hidden()

    page.keyboard.press("Space")
    expect(discussions).to_be_visible()
    page.keyboard.press("Space")
    expect(discussions).to_be_hidden()


def test_escape_closes_the_user_menu_and_focus_returns_to_it(new_page, moderator_email):
    page = logged_in_page(new_page, moderator_email)
    page.set_viewport_size(PHONE)
    page.goto("/")
    menu = page.locator("#user-menu")
    summary = menu.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_visible()
    box = log_out.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="My profile")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()
    expect(log_out).to_be_hidden()


def test_the_user_menu_closes_when_focus_leaves_it(new_page, moderator_email):
    page = logged_in_page(new_page, moderator_email)
    page.set_viewport_size(LAPTOP)
    page.goto("/")
    menu = page.locator("#user-menu")
    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    page.get_by_role("button", name="Log out").focus()
    page.keyboard.press("Tab")  # past the last item: out of the menu
    expect(menu).not_to_have_attribute("open", "")


def test_the_focus_ring_shows_on_the_menu_summary(new_page, moderator_email):
    page = logged_in_page(new_page, moderator_email)
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.locator("#user-menu > summary").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    outline = page.locator("#user-menu > summary").evaluate(
        "(element) => { const s = getComputedStyle(element);"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert outline == ["solid", "3px", "rgb(11, 13, 16)"]


def test_the_navigation_is_inline_on_a_laptop(new_page, moderator_email):
    page = logged_in_page(new_page, moderator_email)
    page.set_viewport_size(LAPTOP)
    page.goto("/")
    expect(page.locator("details[data-nav-menu] > summary")).to_be_hidden()
    links = [
        page.get_by_role("link", name="Discussions"),
        page.get_by_role("link", name="Members"),
        page.get_by_role("link", name="Notifications, 0 unread"),
    ]
    boxes = []
    for link in links:
        expect(link).to_be_visible()
        boxes.append(link.bounding_box())
    assert len({round(box["y"]) for box in boxes}) == 1, boxes  # one row
    assert page_width_overflow(page) == 0


def test_the_inline_navigation_needs_no_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=LAPTOP
    )
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_role("link", name="Discussions")).to_be_visible()
        page.set_viewport_size(PHONE)
        expect(page.get_by_role("link", name="Discussions")).to_be_hidden()
        page.get_by_text("Menu", exact=True).click()
        expect(page.get_by_role("link", name="Discussions")).to_be_visible()
        assert page_width_overflow(page) == 0
    finally:
        context.close()


def test_a_visitor_on_a_phone_sees_join_and_finds_log_in_in_the_menu(new_page, live_server):
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto("/")
    header = page.locator(".site-header").bounding_box()
    assert header and header["height"] <= 100, header  # one row
    assert page_width_overflow(page) == 0
    expect(page.locator(".site-header").get_by_role("button", name="Join Hallway")).to_be_visible()
    log_in = page.locator(".site-header").get_by_role("link", name="Log in")
    expect(log_in).to_have_count(0)  # the header's copy is hidden, the menu is closed
    page.get_by_text("Menu", exact=True).click()
    expect(log_in).to_have_count(1)
    expect(log_in).to_be_visible()
    log_in.click()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_skip_link_is_the_first_stop_and_leads_to_the_content(new_page, live_server):
    page = new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
