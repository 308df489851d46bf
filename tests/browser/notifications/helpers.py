"""Shared steps for the notification and moderation browser tests."""

from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD


def logged_in_page(new_page, email: str):
    """A new browser (a person of their own), logged in as ``email``."""
    page = new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()
    return page
