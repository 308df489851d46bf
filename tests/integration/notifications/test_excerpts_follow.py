"""Notifications quote the post they are about, and follow it: an edit changes the
quote; once its author deletes it or a moderator hides it (or its thread), the text is
gone from the notification centre, the JSON API and the digest; restored, it is back."""

import pytest

from hallway.accounts.models import Role
from hallway.notifications import service
from tests.conftest import Browserless
from tests.factories import make_user

SECRET = "My salary at the college is 61k, do not share."


@pytest.fixture
def as_replier(app, replier) -> Browserless:
    helper = Browserless(app.test_client())
    assert helper.log_in(replier.email).status_code == 302
    return helper


@pytest.fixture
def as_moderator(app, session) -> Browserless:
    admin = make_user(session, handle="mod", role=Role.admin)
    session.commit()
    helper = Browserless(app.test_client())
    assert helper.log_in(admin.email).status_code == 302
    return helper


def api_write(helper: Browserless, method: str, path: str, json=None):
    token = helper.csrf_token()
    return helper.client.open(path, method=method, json=json, headers={"X-CSRFToken": token})


def centre(logged_in) -> str:
    return logged_in.client.get("/notifications").get_data(as_text=True)


def api_items(logged_in) -> list[dict]:
    return logged_in.client.get("/api/v1/notifications").get_json()["items"]


@pytest.fixture
def replied(poster, member, replier):
    """Sam replied to Maya's thread with something he will regret; Maya was notified."""
    thread = poster.thread(member, title="Salaries in learning design")
    comment, sent = poster.reply(thread, replier, body=SECRET)
    assert sent == [(member.id, "reply")]
    return thread, comment


def test_the_centre_and_api_quote_the_post(logged_in, replied):
    assert SECRET in centre(logged_in)
    [item] = api_items(logged_in)
    assert (item["excerpt"], item["removed"]) == (SECRET, False)


def test_an_edit_changes_the_quote(logged_in, replied, as_replier):
    _, comment = replied
    response = api_write(as_replier, "PATCH", f"/api/v1/comments/{comment.id}", {"body": "Ask me."})
    assert response.status_code == 200, response.get_json()
    html = centre(logged_in)
    assert SECRET not in html and "Ask me." in html
    assert api_items(logged_in)[0]["excerpt"] == "Ask me."


def test_a_comment_its_author_deleted_leaves_no_text_anywhere(
    app, session, logged_in, member, replied, as_replier, mail_log
):
    _, comment = replied
    assert api_write(as_replier, "DELETE", f"/api/v1/comments/{comment.id}").status_code == 204
    html = centre(logged_in)
    assert SECRET not in html
    assert "This post was removed." in html
    assert "Sam Rivera replied to you" in html  # the notice itself stays
    [item] = api_items(logged_in)
    assert (item["excerpt"], item["removed"]) == ("", True)

    service.update_preferences(session, actor=member, digest="daily")
    session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert "Queued 1 digest." in result.output
    digest = mail_log.read_text().split("=" * 72)[-2]
    assert "Your Hallway digest" in digest
    assert SECRET not in digest
    assert "(This post was removed.)" in digest


def test_a_hidden_comment_leaves_no_text_until_it_is_restored(
    logged_in, replied, as_moderator
):
    _, comment = replied
    hide = as_moderator.post_form(f"/moderation/posts/comment/{comment.id}/hide", {})
    assert hide.status_code == 302
    assert SECRET not in centre(logged_in)
    assert api_items(logged_in)[0]["removed"] is True

    restore = as_moderator.post_form(f"/moderation/posts/comment/{comment.id}/restore", {})
    assert restore.status_code == 302
    assert SECRET in centre(logged_in)
    assert (api_items(logged_in)[0]["excerpt"], api_items(logged_in)[0]["removed"]) == (
        SECRET,
        False,
    )


def test_hiding_the_thread_takes_the_text_of_its_comments_away_too(
    logged_in, replied, as_moderator
):
    thread, _ = replied
    as_moderator.post_form(f"/moderation/posts/thread/{thread.id}/hide", {})
    assert SECRET not in centre(logged_in)
    as_moderator.post_form(f"/moderation/posts/thread/{thread.id}/restore", {})
    assert SECRET in centre(logged_in)


def test_a_reply_email_already_sent_is_not_recalled_but_new_ones_never_quote_removed_text(
    mail_log, logged_in, replied, as_replier
):
    """Mail that left before the deletion can't be recalled; that is why the centre
    and later digests must not keep the text."""
    _, comment = replied
    assert SECRET in mail_log.read_text()
    api_write(as_replier, "DELETE", f"/api/v1/comments/{comment.id}")
    assert mail_log.read_text().count("To: ") == 1
