"""Two people on one thread, in two browsers: what one does shows up for the other."""

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, make_category, make_thread, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def conversation(live_server, monkeypatch):
    """Two members and a thread, committed for the live server."""
    monkeypatch.setitem(live_server.app.config, "NEW_MEMBER_POST_LIMIT", 0)
    with live_server.app.app_context():
        from hallway.db import db

        ana = make_user(db.session, display_name="Ana Diaz")
        ben = make_user(db.session, display_name="Ben Okoro")
        thread = make_thread(
            db.session,
            author=ana,
            category=make_category(db.session, name="Tools & practice"),
            title="Which quiz tool do you use?",
            body="We are choosing between **H5P** and the LMS quizzes.",
        )
        db.session.commit()
        return {"ana": ana.email, "ben": ben.email, "path": f"/t/{thread.id}/{thread.slug}"}


def open_thread(new_page, email: str, path: str):
    page = new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()
    page.goto(path)
    # discussions.js marks the page once the server let it join the thread's room.
    expect(page.locator(".discussion")).to_have_attribute("data-live", "joined")
    page.evaluate("window.notReloaded = true")
    return page


def test_a_reply_appears_in_the_other_browser_without_a_reload(new_page, conversation):
    ana = open_thread(new_page, conversation["ana"], conversation["path"])
    ben = open_thread(new_page, conversation["ben"], conversation["path"])

    # Ben answers the thread from the reply box at the bottom.
    ben.get_by_label("Your reply").fill("We use H5P: the **branching** scenarios are great.")
    ben.get_by_role("button", name="Post reply").click()
    mine = ben.locator("#comment-tree > li.comment-node").first
    expect(mine).to_contain_text("branching")

    # Ana sees it arrive, rendered, in the tree, and her page never reloaded.
    arrived = ana.locator("#comment-tree > li.comment-node").first
    expect(arrived).to_contain_text("Ben Okoro")
    expect(arrived.locator("strong")).to_have_text("branching")
    expect(ana.locator("#live-status")).to_have_text("New reply from Ben Okoro.")
    assert ana.evaluate("window.notReloaded") is True
    expect(ana.locator(".comment-total")).to_have_text("1")

    # Ana answers Ben inline; her reply lands nested under his comment in Ben's page.
    arrived.get_by_role("link", name="Reply").click()
    inline = arrived.locator("form.inline-reply")
    inline.get_by_label("Your reply").fill("Thanks! Do you grade them in the LMS?")
    inline.get_by_role("button", name="Post reply").click()
    nested = ben.locator("#comment-tree > li.comment-node > ol.comment-children > li")
    expect(nested).to_contain_text("Do you grade them in the LMS?")
    expect(nested).to_have_attribute("data-level", "1")
    assert ben.evaluate("window.notReloaded") is True

    # Ben marks Ana's answer as helpful; Ana's count goes up without a reload.
    nested.get_by_role("button", name="Helpful").click()
    expect(nested.get_by_role("button", name="Helpful")).to_have_attribute("aria-pressed", "true")
    helpful_on_ana = ana.locator(".comment-children .reaction[value^='helpful']")
    expect(helpful_on_ana.locator(".reaction-count")).to_have_text("1")
    expect(helpful_on_ana).to_have_attribute("title", "Helpful: Ben Okoro")
    assert ana.evaluate("window.notReloaded") is True


def test_an_edit_shows_up_live_and_only_the_author_gets_edit_links(new_page, conversation):
    ana = open_thread(new_page, conversation["ana"], conversation["path"])
    ben = open_thread(new_page, conversation["ben"], conversation["path"])
    ben.get_by_label("Your reply").fill("Frist reply")
    ben.get_by_role("button", name="Post reply").click()
    comment = ana.locator("#comment-tree > li.comment-node").first
    expect(comment).to_contain_text("Frist reply")
    # The live fragment carried Ben's edit link hidden; Ana's page removed it.
    expect(comment.get_by_role("link", name="Edit")).to_have_count(0)

    ben.locator("#comment-tree > li.comment-node").first.get_by_role("link", name="Edit").click()
    ben.get_by_label("Comment").fill("First reply")
    ben.get_by_role("button", name="Save changes").click()
    expect(comment).to_contain_text("First reply")
    expect(comment.locator(".edited")).to_be_visible()
    assert ana.evaluate("window.notReloaded") is True


def test_quote_prefills_an_inline_reply_and_escape_closes_it(new_page, conversation):
    ben = open_thread(new_page, conversation["ben"], conversation["path"])
    ben.get_by_label("Your reply").fill("Line one\n\nLine two")
    ben.get_by_role("button", name="Post reply").click()
    comment = ben.locator("#comment-tree > li.comment-node").first
    expect(comment).to_contain_text("Line two")

    ana = open_thread(new_page, conversation["ana"], conversation["path"])
    quoted = ana.locator("#comment-tree > li.comment-node").first
    quoted.get_by_role("link", name="Quote").click()
    box = quoted.locator("form.inline-reply").get_by_label("Your reply")
    expect(box).to_be_focused()
    value = box.input_value()
    assert "[wrote](" in value and "#comment-" in value
    assert "> Line one\n>\n> Line two" in value
    box.press("Escape")
    expect(quoted.locator("form.inline-reply")).to_have_count(0)
    expect(quoted.get_by_role("link", name="Quote")).to_be_focused()
