"""Writing through the pages: plain forms with CSRF, redirects to permalinks, refusals."""

from sqlalchemy import func, select

from hallway.accounts.models import Role
from hallway.db import utcnow
from hallway.discussions import service
from hallway.discussions.models import Category, Comment, CommentReaction, Thread
from tests.factories import make_comment, make_user
from tests.integration.discussions.conftest import page_token, post_on_page


def count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_a_member_starts_a_discussion_and_lands_on_it(session, logged_in, category):
    response = logged_in.post_form(
        "/discussions/new",
        {
            "title": "Portfolio feedback wanted",
            "category_id": str(category.id),
            "body": "My first **course redesign**.",
            "tags": "Portfolios, career change",
        },
    )
    assert response.status_code == 302
    thread = session.scalar(select(Thread).where(Thread.title == "Portfolio feedback wanted"))
    assert response.headers["Location"].endswith(f"/t/{thread.id}/portfolio-feedback-wanted")
    assert [tag.name for tag in thread.tags] == ["career-change", "portfolios"]


def test_a_bad_new_discussion_shows_field_errors_and_writes_nothing(session, logged_in, category):
    before = count(session, Thread)
    response = logged_in.post_form(
        "/discussions/new",
        {"title": "Hm", "category_id": str(category.id), "body": "", "tags": "a,b,c,d,e,f"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    assert "Use at most 5 tags." in page
    assert count(session, Thread) == before


def test_a_reply_posts_and_redirects_to_its_permalink(session, logged_in, thread):
    page = f"/t/{thread.id}/{thread.slug}"
    response = post_on_page(
        logged_in, page, f"/t/{thread.id}/comments", {"body": "Do a content audit first."}
    )
    comment = session.scalar(select(Comment).where(Comment.thread_id == thread.id))
    assert response.status_code == 302
    # The permalink is the comment's own page, which shows it however long the thread.
    assert response.headers["Location"].endswith(
        f"/t/{thread.id}/comments/{comment.id}#comment-{comment.id}"
    )
    landed = logged_in.client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="comment-{comment.id}"' in landed and "Do a content audit first." in landed
    nested = post_on_page(
        logged_in,
        page,
        f"/t/{thread.id}/comments",
        {"body": "Agreed", "parent_id": str(comment.id)},
    )
    assert nested.status_code == 302
    session.expire_all()
    assert session.get(Thread, thread.id).comment_count == 2


def test_an_empty_reply_is_refused_with_a_message_and_nothing_written(session, logged_in, thread):
    response = post_on_page(
        logged_in, f"/t/{thread.id}/{thread.slug}", f"/t/{thread.id}/comments", {"body": "   "}
    )
    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True)
    assert count(session, Comment) == 0


def test_a_reply_without_a_csrf_token_is_refused(session, logged_in, thread):
    response = logged_in.client.post(f"/t/{thread.id}/comments", data={"body": "sneaky"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert count(session, Comment) == 0


def test_a_reply_to_a_locked_thread_is_refused_with_a_clear_message(session, logged_in, thread):
    thread.locked_at = utcnow()
    session.commit()
    token = page_token(logged_in, f"/t/{thread.id}/{thread.slug}")
    response = logged_in.client.post(
        f"/t/{thread.id}/comments", data={"csrf_token": token, "body": "Late thought"}
    )
    assert response.status_code == 403
    assert "locked" in response.get_data(as_text=True)
    assert count(session, Comment) == 0


def test_a_reply_posted_from_script_gets_json_with_the_fragment(logged_in, thread):
    token = page_token(logged_in, f"/t/{thread.id}/{thread.slug}")
    response = logged_in.client.post(
        f"/t/{thread.id}/comments",
        data={"csrf_token": token, "body": "Inline **reply**"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 201
    data = response.get_json()
    assert f'id="comment-{data["id"]}"' in data["html"]
    assert "<strong>reply</strong>" in data["html"]
    refused = logged_in.client.post(
        f"/t/{thread.id}/comments",
        data={"csrf_token": token, "body": ""},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 422
    assert "body" in refused.get_json()["errors"]


def test_members_edit_their_comment_and_see_its_history(session, logged_in, member, thread):
    mine = make_comment(session, thread=thread, author=member, body="Frist!")
    session.commit()
    edit_path = f"/t/{thread.id}/comments/{mine.id}/edit"
    assert "Frist!" in logged_in.client.get(edit_path).get_data(as_text=True)
    response = logged_in.post_form(edit_path, {"body": "First!"})
    assert response.status_code == 302
    page = logged_in.client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert "First!" in page and ">edited</span>" in page
    history = logged_in.client.get(f"/t/{thread.id}/comments/{mine.id}/history")
    assert history.status_code == 200 and "Frist!" in history.get_data(as_text=True)


def test_others_cannot_edit_delete_or_read_the_history_of_a_comment(
    app, session, logged_in, thread, author
):
    theirs = make_comment(session, thread=thread, author=author, body="Mine, not yours")
    with app.app_context():  # the service publishes the edit to open pages
        service.edit_comment(session, actor=author, comment=theirs, body="Still mine")
    session.commit()
    base = f"/t/{thread.id}/comments/{theirs.id}"
    assert logged_in.client.get(base + "/edit").status_code == 403
    assert logged_in.client.get(base + "/history").status_code == 403
    token = page_token(logged_in, f"/t/{thread.id}/{thread.slug}")
    response = logged_in.client.post(base + "/edit", data={"csrf_token": token, "body": "Yours"})
    assert response.status_code == 403
    assert logged_in.client.post(base + "/delete", data={"csrf_token": token}).status_code == 403
    session.expire_all()
    assert session.get(Comment, theirs.id).body == "Still mine"
    page = logged_in.client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert f"{base}/edit" not in page


def test_admins_edit_and_delete_any_comment(session, thread, author, log_in_as):
    theirs = make_comment(session, thread=thread, author=author, body="Off-topic")
    admin = make_user(session, role=Role.admin)
    session.commit()
    moderator = log_in_as(admin)
    base = f"/t/{thread.id}/comments/{theirs.id}"
    assert (
        moderator.post_form(base + "/edit", {"body": "[edited by a moderator]"}).status_code == 302
    )
    assert moderator.client.get(base + "/history").status_code == 200
    assert moderator.post_form(base + "/delete", {}).status_code == 302
    session.expire_all()
    assert session.get(Comment, theirs.id).deleted_at is not None


def test_deleting_asks_first_then_keeps_the_replies(session, logged_in, member, thread):
    mine = make_comment(session, thread=thread, author=member, body="Hot take")
    make_comment(session, thread=thread, parent=mine, body="Cool answer")
    session.commit()
    confirm = logged_in.client.get(f"/t/{thread.id}/comments/{mine.id}/delete")
    assert "If it has replies, they stay" in confirm.get_data(as_text=True)
    logged_in.post_form(f"/t/{thread.id}/comments/{mine.id}/delete", {})
    page = logged_in.client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert "[deleted]" in page and "Hot take" not in page and "Cool answer" in page


def test_authors_edit_and_delete_their_thread(session, thread, author, log_in_as):
    person = log_in_as(author)
    response = person.post_form(
        f"/t/{thread.id}/edit",
        {"title": "Surviving a Brightspace migration", "body": "Updated.", "tags": "lms, d2l"},
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Thread, thread.id).slug == "surviving-a-brightspace-migration"
    assert person.client.get(f"/t/{thread.id}/history").status_code == 200
    assert person.post_form(f"/t/{thread.id}/delete", {}).status_code == 302
    assert person.client.get(f"/t/{thread.id}/{thread.slug}").status_code == 404


def test_members_cannot_edit_or_pin_someone_elses_thread(session, logged_in, thread):
    assert logged_in.client.get(f"/t/{thread.id}/edit").status_code == 403
    token = page_token(logged_in, f"/t/{thread.id}/{thread.slug}")
    response = logged_in.client.post(
        f"/t/{thread.id}/pin", data={"csrf_token": token, "pinned": "1"}
    )
    assert response.status_code == 403
    session.expire_all()
    assert session.get(Thread, thread.id).pinned_at is None


def test_admins_pin_a_thread_to_the_top(session, thread, log_in_as):
    admin = make_user(session, role=Role.admin)
    session.commit()
    moderator = log_in_as(admin)
    page = f"/t/{thread.id}/{thread.slug}"
    assert post_on_page(moderator, page, f"/t/{thread.id}/pin", {"pinned": "1"}).status_code == 302
    session.expire_all()
    assert session.get(Thread, thread.id).pinned_at is not None


def test_reactions_toggle_through_the_form_and_show_who_reacted(session, logged_in, member, thread):
    comment = make_comment(session, thread=thread)
    session.commit()
    token = page_token(logged_in, f"/t/{thread.id}/{thread.slug}")
    form = {"csrf_token": token, "reaction": f"insightful@{comment.id}"}
    response = logged_in.client.post(f"/t/{thread.id}/reactions", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    page = logged_in.client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert 'title="Insightful: Maya Okafor"' in page
    assert 'aria-pressed="true"' in page
    as_json = logged_in.client.post(
        f"/t/{thread.id}/reactions", data=form, headers={"Accept": "application/json"}
    )
    assert as_json.get_json()["active"] is False
    assert as_json.get_json()["counts"]["insightful"] == 0
    assert count(session, CommentReaction) == 0


def test_an_unknown_reaction_is_refused(session, logged_in, thread):
    token = page_token(logged_in, f"/t/{thread.id}/{thread.slug}")
    response = logged_in.client.post(
        f"/t/{thread.id}/reactions",
        data={"csrf_token": token, "reaction": "angry"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    assert count(session, CommentReaction) == 0


def test_only_admins_manage_categories(session, logged_in, log_in_as, category):
    assert logged_in.client.get("/admin/categories").status_code == 403
    admin = make_user(session, role=Role.admin)
    session.commit()
    moderator = log_in_as(admin)
    assert moderator.client.get("/admin/categories").status_code == 200
    created = moderator.post_form(
        "/admin/categories", {"new-name": "Research", "new-description": "Evidence and evaluation"}
    )
    assert created.status_code == 302
    research = session.scalar(select(Category).where(Category.slug == "research"))
    renamed = moderator.post_form(
        f"/admin/categories/{research.id}",
        {f"category-{research.id}-name": "Research & evaluation",
         f"category-{research.id}-description": "Evidence"},
    )  # fmt: skip
    assert renamed.status_code == 302
    moderator.post_form(f"/admin/categories/{research.id}/move", {"direction": "up"})
    session.expire_all()
    research = session.get(Category, research.id)
    assert research.name == "Research & evaluation"
    assert research.position < session.get(Category, category.id).position
    empty_name = moderator.post_form("/admin/categories", {"new-name": ""})
    assert empty_name.status_code == 422
