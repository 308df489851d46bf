"""One contract per resource: the pages, the JSON API and the live events describe a
comment with the same fields, and refuse the same input with the same messages."""

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import Role
from hallway.discussions.models import Category, Comment, Thread
from tests.factories import make_comment, make_thread, make_user
from tests.integration.discussions.conftest import page_token, post_on_page


@pytest.fixture
def api(logged_in):
    token = page_token(logged_in, "/")

    def send(method, path, json):
        return logged_in.client.open(path, method=method, json=json, headers={"X-CSRFToken": token})

    return send


def count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def as_script(person, page, action, data):
    """A form posted by the page's script: same route, JSON answer."""
    token = page_token(person, page)
    return person.client.post(
        action, data={"csrf_token": token, **data}, headers={"Accept": "application/json"}
    )


# --- the same refusal, in the same words ----------------------------------------------


def test_a_too_long_title_is_refused_with_the_same_message_by_the_page_and_the_api(
    session, logged_in, api, category
):
    too_long = "A title that goes on " * 10 + "and on"  # 216 characters
    message = "Keep the title under 200 characters."
    page = logged_in.post_form(
        "/discussions/new",
        {"title": too_long, "category_id": str(category.id), "body": "Text", "tags": ""},
    )
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    answer = api("POST", "/api/v1/threads", {"title": too_long, "category_id": category.id,
                                             "body": "Text"})  # fmt: skip
    assert answer.status_code == 422 and answer.get_json()["errors"]["title"] == [message]
    assert count(session, Thread) == 0


def test_a_short_title_and_bad_tags_get_the_same_messages_on_edit_page_and_api(
    session, logged_in, api, member, category
):
    posted = api("POST", "/api/v1/threads", {"title": "Mine to edit", "category_id": category.id,
                                             "body": "Text"})  # fmt: skip
    thread_id = posted.get_json()["id"]
    page = logged_in.post_form(
        f"/t/{thread_id}/edit", {"title": "  Hm  ", "body": "Text", "tags": "ok, wow!"}
    )
    html = page.get_data(as_text=True)
    answer = api(
        "PATCH", f"/api/v1/threads/{thread_id}", {"title": "  Hm  ", "tags": ["ok", "wow!"]}
    )
    errors = answer.get_json()["errors"]
    assert page.status_code == answer.status_code == 422
    assert errors["title"] == ["Use at least 5 characters for the title."]
    assert errors["tags"] == ["“wow!”: use letters, digits and hyphens."]
    for message in (*errors["title"], *errors["tags"]):
        assert message in html
    session.expire_all()
    assert session.get(Thread, thread_id).title == "Mine to edit"


def test_an_empty_reply_gets_the_same_field_message_from_the_page_script_and_the_api(
    session, logged_in, api, thread
):
    page = f"/t/{thread.id}/{thread.slug}"
    from_script = as_script(logged_in, page, f"/t/{thread.id}/comments", {"body": "  \n "})
    from_api = api("POST", f"/api/v1/threads/{thread.id}/comments", {"body": "  \n "})
    assert from_script.status_code == from_api.status_code == 422
    assert from_script.get_json()["errors"]["body"] == ["Write something first."]
    assert from_api.get_json()["errors"]["body"] == ["Write something first."]
    assert count(session, Comment) == 0


def test_what_the_page_posts_is_stored_as_the_api_would_store_it(session, logged_in, api, category):
    logged_in.post_form(
        "/discussions/new",
        {"title": "  Two   spaces  ", "category_id": str(category.id),
         "body": "\n Body \n", "tags": "Career Change, career change"},
    )  # fmt: skip
    api("POST", "/api/v1/threads", {"title": "  Two   spaces  ", "category_id": category.id,
                                    "body": "\n Body \n", "tags": ["Career Change"]})  # fmt: skip
    from_page, from_api = session.scalars(select(Thread).order_by(Thread.id)).all()
    assert (from_page.title, from_page.body) == ("Two spaces", "Body")
    assert (from_api.title, from_api.body) == ("Two spaces", "Body")
    assert [tag.name for tag in from_page.tags] == ["career-change"]
    assert [tag.name for tag in from_api.tags] == ["career-change"]


def test_an_unknown_reaction_is_refused_with_the_apis_message_on_the_page_script(
    session, logged_in, api, thread
):
    page = f"/t/{thread.id}/{thread.slug}"
    from_script = as_script(logged_in, page, f"/t/{thread.id}/reactions", {"reaction": "meh"})
    from_api = api("POST", f"/api/v1/threads/{thread.id}/reactions", {"kind": "meh"})
    assert from_script.status_code == from_api.status_code == 422
    assert from_script.get_json()["errors"]["reaction"] == from_api.get_json()["errors"]["kind"]
    assert from_api.get_json()["errors"]["kind"][0].startswith("Choose one of: like, ")


def test_admins_are_told_what_is_wrong_with_a_category_in_the_apis_words(
    session, log_in_as, category
):
    admin = make_user(session, role=Role.admin)
    session.commit()
    moderator = log_in_as(admin)
    blank = moderator.post_form("/admin/categories", {"new-name": "   "})
    assert blank.status_code == 422
    assert "Give the category a name." in blank.get_data(as_text=True)
    long = moderator.post_form("/admin/categories", {"new-name": "x" * 81})
    assert "Keep the name under 80 characters." in long.get_data(as_text=True)
    assert count(session, Category) == 1


# --- one description of a comment -------------------------------------------------------


def test_a_new_comment_is_described_alike_by_the_api_the_live_event_and_the_inline_reply(
    session, socket_client, logged_in, api, thread
):
    socket_client.emit("join_thread", {"thread_id": thread.id}, callback=True)
    page = f"/t/{thread.id}/{thread.slug}"
    inline = as_script(logged_in, page, f"/t/{thread.id}/comments", {"body": "Inline *one*"})
    assert inline.status_code == 201
    mine = inline.get_json()
    [event] = [p["args"][0] for p in socket_client.get_received() if p["name"] == "comment_created"]
    read = api("GET", f"/api/v1/comments/{mine['id']}", None).get_json()
    # Every field of the API's comment is in both, with the same value.
    for field, value in read.items():
        assert mine[field] == value, field
        assert event[field] == value, field
    assert read["author"]["handle"] == "maya" and read["body"] == "Inline *one*"
    assert read["url"].endswith(f"#comment-{read['id']}")
    # What a page needs to place it comes on top, in both.
    for extra in ("html", "continue_url", "comment_count"):
        assert extra in mine and extra in event
    assert mine["comment_count"] == event["comment_count"] == 1


def test_a_reply_through_the_api_answers_as_a_read_does_and_counts_every_comment(
    session, socket_client, api, thread
):
    socket_client.emit("join_thread", {"thread_id": thread.id}, callback=True)
    first = api("POST", f"/api/v1/threads/{thread.id}/comments", {"body": "First"})
    second = api("POST", f"/api/v1/threads/{thread.id}/comments", {"body": "Second"})
    assert (first.status_code, second.status_code) == (201, 201)
    made = second.get_json()
    read = api("GET", f"/api/v1/comments/{made['id']}", None).get_json()
    assert made == read  # no reactions yet, the same author, url and times
    events = [p["args"][0] for p in socket_client.get_received() if p["name"] == "comment_created"]
    assert [event["comment_count"] for event in events] == [1, 2]
    session.expire_all()
    assert session.get(Thread, thread.id).comment_count == 2
    assert session.get(Thread, thread.id).last_activity_at == session.get(
        Comment, made["id"]
    ).created_at


def test_an_edited_comment_travels_with_the_apis_fields(
    session, socket_client, logged_in, member, api, thread
):
    comment = make_comment(session, thread=thread, author=member, body="Before")
    session.commit()
    socket_client.emit("join_thread", {"thread_id": thread.id}, callback=True)
    post_on_page(logged_in, f"/t/{thread.id}/{thread.slug}",
                 f"/t/{thread.id}/comments/{comment.id}/edit", {"body": "After"})  # fmt: skip
    [event] = [p["args"][0] for p in socket_client.get_received() if p["name"] == "comment_updated"]
    read = api("GET", f"/api/v1/comments/{comment.id}", None).get_json()
    shared = {field: event[field] for field in read if field != "reactions"}
    assert shared == {field: value for field, value in read.items() if field != "reactions"}
    assert event["body"] == "After" and event["edited_at"] is not None


def test_deleting_from_the_page_script_answers_with_the_comment_as_the_api_shows_it(
    session, logged_in, member, api, thread
):
    comment = make_comment(session, thread=thread, author=member, body="Regrets")
    session.commit()
    page = f"/t/{thread.id}/{thread.slug}"
    answer = as_script(logged_in, page, f"/t/{thread.id}/comments/{comment.id}/delete", {})
    assert answer.status_code == 200
    gone = answer.get_json()
    assert gone == api("GET", f"/api/v1/comments/{comment.id}", None).get_json()
    assert (gone["id"], gone["state"], gone["body"], gone["author"]) == (
        comment.id,
        "deleted",
        None,
        None,
    )


def test_the_reaction_answer_has_the_same_shape_on_the_page_script_and_the_api(
    logged_in, api, thread
):
    page = f"/t/{thread.id}/{thread.slug}"
    from_script = as_script(logged_in, page, f"/t/{thread.id}/reactions", {"reaction": "like"})
    from_api = api("POST", f"/api/v1/threads/{thread.id}/reactions", {"kind": "like"})
    assert set(from_script.get_json()) == set(from_api.get_json())
    assert from_script.get_json()["mine"] == ["like"] and from_api.get_json()["mine"] == []
    assert from_api.get_json()["counts"]["like"] == 0 and from_api.get_json()["active"] is False


# --- loaded and checked once --------------------------------------------------------------


def test_a_comment_is_looked_up_in_the_thread_of_the_address(
    session, logged_in, member, thread, category
):
    here = make_comment(session, thread=thread, author=member)
    other_thread = make_thread(session, category=category)
    there = make_comment(session, thread=other_thread, author=member)
    session.commit()
    assert logged_in.client.get(f"/t/{thread.id}/comments/{here.id}").status_code == 200
    for path in (
        f"/t/{thread.id}/comments/{there.id}",
        f"/t/{thread.id}/comments/{there.id}/edit",
        f"/t/{thread.id}/comments/{there.id}/history",
        f"/t/{thread.id}/reply?to={there.id}",
        f"/t/{thread.id}/reply?to=999999",
    ):
        assert logged_in.client.get(path).status_code == 404, path
    liked = post_on_page(
        logged_in, f"/t/{thread.id}/{thread.slug}", f"/t/{thread.id}/reactions",
        {"reaction": f"like@{there.id}"},
    )  # fmt: skip
    assert liked.status_code == 404
    session.refresh(there)
    assert there.reaction_count == 0


def test_a_hidden_thread_refuses_every_route_alike_for_members(session, logged_in, thread):
    comment = make_comment(session, thread=thread)
    thread.hidden_at = thread.created_at
    session.commit()
    for path in (
        f"/t/{thread.id}",
        f"/t/{thread.id}/{thread.slug}",
        f"/t/{thread.id}/comments/{comment.id}",
        f"/t/{thread.id}/reply",
        f"/t/{thread.id}/history",
        f"/api/v1/threads/{thread.id}",
        f"/api/v1/comments/{comment.id}",
        f"/api/v1/threads/{thread.id}/comments",
    ):
        response = logged_in.client.get(path)
        assert response.status_code == 404, path
    assert (
        "does not exist or was removed"
        in logged_in.client.get(f"/api/v1/comments/{comment.id}").get_json()["error"]
    )
