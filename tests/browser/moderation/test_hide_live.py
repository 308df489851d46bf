"""A member flags a comment, a moderator hides it from the queue, open pages update."""

import pytest
from playwright.sync_api import expect

from hallway.accounts.models import Role
from tests.browser.notifications.helpers import logged_in_page
from tests.factories import make_category, make_comment, make_thread, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def flagged_thread(live_server):
    with live_server.app.app_context():
        from hallway.db import db

        ana = make_user(db.session, display_name="Ana Diaz")
        admin = make_user(db.session, display_name="Mo Derator", role=Role.admin)
        spammer = make_user(db.session, display_name="Spam Bot")
        thread = make_thread(
            db.session,
            author=ana,
            category=make_category(db.session, name="Tools"),
            title="Favourite screen readers",
        )
        comment = make_comment(
            db.session, thread=thread, author=spammer, body="Cheap essays here!!!"
        )
        db.session.commit()
        return {
            "ana": ana.email,
            "admin": admin.email,
            "path": f"/t/{thread.id}/{thread.slug}",
            "comment_id": comment.id,
        }


def test_flag_then_hide_removes_the_comment_from_open_pages(new_page, flagged_thread):
    ana = logged_in_page(new_page, flagged_thread["ana"])
    ana.goto(f"/moderation/flag/comment/{flagged_thread['comment_id']}")
    ana.get_by_label("Spam").check()
    ana.get_by_label("Anything moderators should know (optional)").fill("Essay mill")
    ana.get_by_role("button", name="Send to moderators").click()
    expect(ana.get_by_text("Thank you. A moderator will look at it.")).to_be_visible()
    ana.goto(flagged_thread["path"])
    expect(ana.locator(".discussion")).to_have_attribute("data-live", "joined")
    comment = ana.locator(f"#comment-{flagged_thread['comment_id']}")
    expect(comment).to_contain_text("Cheap essays here!!!")

    moderator = logged_in_page(new_page, flagged_thread["admin"])
    moderator.goto("/moderation")
    expect(moderator.get_by_role("link", name="Moderation, 1 flagged")).to_be_visible()
    post = moderator.locator("article.flagged-post")
    expect(post).to_contain_text("Essay mill")
    post.get_by_role("button", name=f"Hide comment {flagged_thread['comment_id']}").click()
    expect(moderator.get_by_text("The post is hidden from members.")).to_be_visible()
    expect(moderator.get_by_text("Nothing is waiting", exact=True)).to_be_visible()

    expect(comment).to_contain_text("[hidden by a moderator]")
    expect(comment).not_to_contain_text("Cheap essays")
