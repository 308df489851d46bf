"""Playwright driving Debian's Chromium against a live Hallway server.

Never downloads a browser: it launches /usr/bin/chromium (`apt-get install chromium`,
which .ci/run does). Without it these tests skip and say why; under CI they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HALLWAY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[[], object]]:
    """Open pages in separate browser contexts: each is a different person."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def confirm_sign_up_from_the_mail(page, live_server, email: str) -> None:
    """After "Create my account": read the link mailed to ``email`` in instance/mail.log,
    open it and press its button, as the newcomer does from their inbox."""
    from playwright.sync_api import expect

    from tests.conftest import confirmation_link

    sent = page.get_by_role("heading", name="Check your email to confirm your address")
    expect(sent).to_be_visible()
    page.goto(confirmation_link(live_server.app, email))
    page.get_by_role("button", name="Confirm and continue").click()
