"""The nav's notification badge follows replies and reads without a reload."""

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
            category=make_category(db.session, name="Career paths"),
            title="Leaving the classroom for ID",
        )
        db.session.commit()
        return {"ana": ana.email, "ben": ben.email, "path": f"/t/{thread.id}/{thread.slug}"}


def test_a_reply_lights_the_badge_and_reading_clears_it(new_page, conversation):
    ana = logged_in_page(new_page, conversation["ana"])
    badge = ana.locator("[data-unread-count]")
    expect(badge).to_be_hidden()
    ana.evaluate("window.notReloaded = true")

    ben = logged_in_page(new_page, conversation["ben"])
    ben.goto(conversation["path"])
    ben.get_by_label("Your reply").fill("I did it in 2021: happy to talk.")
    ben.get_by_role("button", name="Post reply").click()

    expect(badge).to_have_text("1")
    expect(badge).to_be_visible()
    expect(ana.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    expect(ana.locator("#notification-announcer")).to_have_text(
        "New notification: Ben Okoro replied to you in “Leaving the classroom for ID”"
    )
    assert ana.evaluate("window.notReloaded") is True

    # Reading in another tab clears the badge here too.
    other_tab = ana.context.new_page()
    other_tab.goto("/notifications")
    expect(other_tab.get_by_text("I did it in 2021: happy to talk.")).to_be_visible()
    other_tab.get_by_role("button", name="Mark all as read").click()
    expect(other_tab.get_by_text("Marked 1 notification as read.")).to_be_visible()
    expect(badge).to_be_hidden()
    expect(ana.get_by_role("link", name="Notifications, 0 unread")).to_be_attached()
