"""A long thread in a browser: the page shows a window of the conversation, and the
rest loads in place, without a reload, the address following along."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.notifications.helpers import logged_in_page
from tests.factories import grow_thread, make_category, make_thread, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def long_thread(live_server):
    with live_server.app.app_context():
        from hallway.db import db

        reader = make_user(db.session, display_name="Ana Diaz")
        people = [make_user(db.session) for _ in range(4)]
        thread = make_thread(
            db.session,
            author=people[0],
            category=make_category(db.session, name="Tools & practice"),
            title="Which LMS did you choose, and why?",
        )
        ids = grow_thread(db.session, thread, 400, authors=people, seed=3)
        db.session.commit()
        return {
            "email": reader.email,
            "path": f"/t/{thread.id}/{thread.slug}",
            "thread_id": thread.id,
            "last_id": ids[-1],
        }


def open_thread(new_page, email: str, path: str):
    page = logged_in_page(new_page, email)
    page.goto(path)
    expect(page.locator(".discussion")).to_have_attribute("data-live", "joined")
    page.evaluate("window.notReloaded = true")
    return page


def test_next_top_level_comments_and_more_replies_load_in_place(new_page, long_thread):
    page = open_thread(new_page, long_thread["email"], long_thread["path"])
    top_level = page.locator("#comment-tree > li.comment-node")
    expect(top_level).to_have_count(20)
    twentieth = top_level.nth(19).get_attribute("id").removeprefix("comment-")

    page.get_by_role("link", name="Next top-level comments").click()
    expect(top_level).to_have_count(40)
    assert page.evaluate("window.notReloaded") is True
    # The address says where the reader is: a reload or a shared link opens there.
    expect(page).to_have_url(re.compile(rf"\?after={twentieth}$"))
    expect(page.locator("#comment-tree > li.load-more")).to_have_count(1)

    # "Show N more replies" under a comment: its next replies appear in its list.
    more = page.locator("li.comment-node > ol.comment-children > li.load-more a").first
    parent_id = more.evaluate("link => link.closest('li.comment-node').id")
    replies = page.locator(f"#{parent_id} > ol.comment-children > li.comment-node")
    before = replies.count()
    expected = int(re.search(r"Show (\d+)", more.inner_text()).group(1))
    more.click()
    expect(replies).to_have_count(before + min(expected, 20))
    assert page.evaluate("window.notReloaded") is True
    first_new = replies.nth(before).get_attribute("id")
    expect(page).to_have_url(re.compile(rf"#{first_new}$"))
    expect(page.locator(f"#{first_new}")).to_be_focused()


def test_an_address_naming_a_comment_not_on_the_page_opens_that_comment(new_page, long_thread):
    """Links to the thread page with #comment-<id> (as permalinks used to be, or a reply
    loaded in place before a reload) lead to the comment's own page."""
    page = logged_in_page(new_page, long_thread["email"])
    last = long_thread["last_id"]
    page.goto(f"{long_thread['path']}#comment-{last}")
    expect(page).to_have_url(
        re.compile(rf"/t/{long_thread['thread_id']}/comments/{last}#comment-{last}$")
    )
    expect(page.locator(f"#comment-{last}")).to_have_class(re.compile("is-target"))
    expect(page.locator("#thread-summary")).to_be_visible()
