"""A reader's connection drops: the page says live updates are paused; when the connection
is back, the reply posted meanwhile appears, once, without a reload."""

import pytest
from playwright.sync_api import expect

from tests.browser.notifications.helpers import logged_in_page
from tests.factories import make_category, make_thread, make_user

pytestmark = pytest.mark.browser

@pytest.fixture
def conversation(live_server, monkeypatch):
    monkeypatch.setitem(live_server.app.config, "NEW_MEMBER_POST_LIMIT", 0)
    with live_server.app.app_context():
        from hallway.db import db

        ana = make_user(db.session, display_name="Ana Diaz")
        ben = make_user(db.session, display_name="Ben Okoro")
        thread = make_thread(
            db.session,
            author=ana,
            category=make_category(db.session, name="Tools & practice"),
            title="Captioning lecture recordings",
            body="Which captioning service do you trust?",
        )
        db.session.commit()
        return {"ana": ana.email, "ben": ben.email, "path": f"/t/{thread.id}/{thread.slug}"}


class Network:
    """One browser's network, which the test can cut as a tunnel would: the open
    connection drops and new ones fail until it is restored. The page's Socket.IO client
    keeps retrying on its own meanwhile, with its usual back-off."""

    def __init__(self, page) -> None:
        self.page = page

    def cut(self) -> None:
        self.page.context.set_offline(True)
        # Going offline does not close an open WebSocket in Chromium: drop it as a lost
        # network would (the client sees its transport close, not a deliberate leave).
        self.page.evaluate("window.hallway.socket.io.engine.close()")

    def restore(self) -> None:
        self.page.context.set_offline(False)


def open_thread(page, path: str) -> None:
    page.goto(path)
    expect(page.locator(".discussion")).to_have_attribute("data-live", "joined")


def test_a_reply_missed_while_offline_appears_once_when_back(new_page, conversation):
    ana = logged_in_page(new_page, conversation["ana"])
    open_thread(ana, conversation["path"])
    network = Network(ana)
    ana.evaluate("window.notReloaded = true")
    status = ana.get_by_role("status").filter(has_text="Live updates")
    replies = ana.locator("#comment-tree li.comment-node")

    network.cut()
    expect(status).to_have_text("Live updates paused — reconnecting…")

    ben = logged_in_page(new_page, conversation["ben"])
    open_thread(ben, conversation["path"])
    ben.get_by_label("Your reply").fill("We use **Verbit** for lectures.")
    ben.get_by_role("button", name="Post reply").click()
    expect(ben.locator("#comment-tree li.comment-node")).to_contain_text("Verbit")
    expect(replies).to_have_count(0)  # Ana is offline: nothing came

    network.restore()
    back = ana.locator("#live-connection")
    expect(back).to_have_text("Back online; 1 new update.", timeout=15_000)
    expect(status).to_have_count(0)  # the paused notice is gone
    expect(replies).to_have_count(1)
    expect(replies.first).to_contain_text("Ben Okoro")
    expect(replies.first.locator("strong")).to_have_text("Verbit")
    expect(ana.locator(".comment-total")).to_have_text("1")
    assert ana.evaluate("window.notReloaded") is True

    # Still live, and still once: the next reply arrives, and the first is not repeated.
    ben.get_by_label("Your reply").fill("And a human check for names.")
    ben.get_by_role("button", name="Post reply").click()
    expect(replies).to_have_count(2)
    expect(replies.nth(1)).to_contain_text("human check")
    expect(replies.filter(has_text="Verbit")).to_have_count(1)
