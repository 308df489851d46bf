"""The discussions JSON API: same rules as the pages, strict input, nothing hidden leaks."""

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import Role
from hallway.db import utcnow
from hallway.discussions.models import Comment, Thread
from tests.factories import make_comment, make_user
from tests.integration.discussions.conftest import page_token


@pytest.fixture
def api(logged_in):
    """The logged-in member's client with the CSRF header the API asks for."""
    token = page_token(logged_in, "/")

    class Api:
        def get(self, path, **kwargs):
            return logged_in.client.get(path, **kwargs)

        def post(self, path, json):
            return logged_in.client.post(path, json=json, headers={"X-CSRFToken": token})

        def patch(self, path, json):
            return logged_in.client.patch(path, json=json, headers={"X-CSRFToken": token})

        def delete(self, path):
            return logged_in.client.delete(path, headers={"X-CSRFToken": token})

    return Api()


def count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_the_api_answers_401_to_visitors(client, thread):
    assert client.get("/api/v1/threads").status_code == 401
    assert client.get(f"/api/v1/threads/{thread.id}/comments").status_code == 401


def test_categories_are_listed_in_order(api, category):
    response = api.get("/api/v1/categories")
    assert response.status_code == 200
    assert {"id": category.id, "slug": "tools-and-practice"}.items() <= response.json[0].items()


def test_threads_are_listed_and_filtered(api, thread):
    listed = api.get("/api/v1/threads?category=tools-and-practice&sort=newest").json
    assert listed["total"] == 1
    assert listed["items"][0]["title"] == "Surviving an LMS migration"
    assert listed["items"][0]["tags"] == ["lms"]
    assert api.get("/api/v1/threads?tag=nothing").json["total"] == 0
    assert api.get("/api/v1/threads?sort=random").status_code == 422


def test_a_thread_is_created_read_updated_and_deleted(session, api, category):
    created = api.post(
        "/api/v1/threads",
        {"category_id": category.id, "title": "H5P or Articulate?", "body": "Go", "tags": ["H5P"]},
    )
    assert created.status_code == 201, created.json
    thread_id = created.json["id"]
    assert created.json["tags"] == ["h5p"] and created.json["url"].startswith(f"/t/{thread_id}/")
    read = api.get(f"/api/v1/threads/{thread_id}").json
    assert read["body_html"] == "<p>Go</p>\n"
    updated = api.patch(f"/api/v1/threads/{thread_id}", {"body": "Go on"})
    assert updated.status_code == 200 and updated.json["edited_at"]
    assert api.delete(f"/api/v1/threads/{thread_id}").status_code == 204
    assert api.get(f"/api/v1/threads/{thread_id}").status_code == 404


def test_unknown_or_server_fields_are_refused_and_nothing_written(session, api, category):
    before = count(session, Thread)
    response = api.post(
        "/api/v1/threads",
        {"category_id": category.id, "title": "Valid title", "body": "x", "id": 5, "pinned": True},
    )
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"id", "pinned"}
    missing = api.post("/api/v1/threads", {"title": "No body or category"})
    assert missing.status_code == 422
    assert {"body", "category_id"} <= set(missing.json["errors"])
    assert count(session, Thread) == before


def test_members_cannot_change_or_pin_others_threads(api, thread):
    assert api.patch(f"/api/v1/threads/{thread.id}", {"title": "Mine now"}).status_code == 403
    assert api.patch(f"/api/v1/threads/{thread.id}", {"pinned": True}).status_code == 403
    assert api.delete(f"/api/v1/threads/{thread.id}").status_code == 403


def test_comments_are_created_nested_and_returned_in_reading_order(api, thread):
    top = api.post(f"/api/v1/threads/{thread.id}/comments", {"body": "Top"})
    assert top.status_code == 201
    nested = api.post(
        f"/api/v1/threads/{thread.id}/comments", {"body": "Nested", "parent_id": top.json["id"]}
    )
    assert nested.json["depth"] == 1 and nested.json["parent_id"] == top.json["id"]
    tree = api.get(f"/api/v1/threads/{thread.id}/comments").json
    assert tree["total"] == 2
    assert tree["comments"][0]["body"] == "Top"
    assert tree["comments"][1]["body"] == "Nested"  # flat, each reply after its parent
    assert tree["comments"][1]["parent_id"] == top.json["id"]
    assert api.get(f"/api/v1/threads/{thread.id}/comments?sort=sideways").status_code == 422


def test_a_reply_to_a_comment_of_another_thread_is_refused(session, api, thread):
    other_thread = Thread(
        category_id=thread.category_id, title="Other one", body="x", body_html="", slug="o"
    )
    session.add(other_thread)
    session.flush()
    elsewhere = make_comment(session, thread=other_thread)
    session.commit()
    response = api.post(
        f"/api/v1/threads/{thread.id}/comments", {"body": "hi", "parent_id": elsewhere.id}
    )
    assert response.status_code == 422 and "parent_id" in response.json["errors"]


def test_comments_are_edited_and_deleted_by_their_author_only(session, api, member, thread):
    mine = make_comment(session, thread=thread, author=member, body="Typo")
    theirs = make_comment(session, thread=thread, body="Not yours")
    session.commit()
    assert api.patch(f"/api/v1/comments/{mine.id}", {"body": "Fixed"}).json["body"] == "Fixed"
    assert api.patch(f"/api/v1/comments/{theirs.id}", {"body": "Mine"}).status_code == 403
    assert api.patch(f"/api/v1/comments/{mine.id}", {"body": ""}).status_code == 422
    assert api.delete(f"/api/v1/comments/{theirs.id}").status_code == 403
    assert api.delete(f"/api/v1/comments/{mine.id}").status_code == 204
    tree = api.get(f"/api/v1/threads/{thread.id}/comments").json["comments"]
    deleted = next(c for c in tree if c["id"] == mine.id)
    assert deleted["state"] == "deleted" and deleted["body"] is None and deleted["author"] is None


def test_hidden_comments_carry_no_text_for_members(session, api, thread):
    hidden = make_comment(session, thread=thread, body="Secret spam")
    hidden.hidden_at = utcnow()
    session.commit()
    response = api.get(f"/api/v1/threads/{thread.id}/comments")
    assert "Secret spam" not in response.get_data(as_text=True)
    assert response.json["comments"][0]["state"] == "hidden"
    assert "Secret spam" not in api.get(f"/api/v1/comments/{hidden.id}").get_data(as_text=True)


def test_hidden_threads_are_not_found_through_the_api(session, api, thread):
    thread.hidden_at = utcnow()
    session.commit()
    assert api.get(f"/api/v1/threads/{thread.id}").status_code == 404
    assert api.get(f"/api/v1/threads/{thread.id}/comments").status_code == 404
    assert api.get("/api/v1/threads").json["total"] == 0


def test_reactions_toggle_on_posts_and_comments(session, api, thread):
    comment = make_comment(session, thread=thread)
    session.commit()
    on = api.post(f"/api/v1/comments/{comment.id}/reactions", {"kind": "helpful"})
    assert on.status_code == 200
    assert on.json["active"] and on.json["counts"]["helpful"] == 1
    assert on.json["names"]["helpful"] == ["Maya Okafor"] and on.json["mine"] == ["helpful"]
    off = api.post(f"/api/v1/comments/{comment.id}/reactions", {"kind": "helpful"})
    assert not off.json["active"] and off.json["counts"]["helpful"] == 0
    post = api.post(f"/api/v1/threads/{thread.id}/reactions", {"kind": "celebrate"})
    assert post.json["comment_id"] is None and post.json["counts"]["celebrate"] == 1
    assert api.post(f"/api/v1/threads/{thread.id}/reactions", {"kind": "meh"}).status_code == 422


def test_locked_threads_refuse_replies_through_the_api_too(session, api, thread):
    thread.locked_at = utcnow()
    session.commit()
    response = api.post(f"/api/v1/threads/{thread.id}/comments", {"body": "Hello?"})
    assert response.status_code == 403
    assert "locked" in response.json["error"]
    assert count(session, Comment) == 0


def test_admins_pin_through_the_api(session, app, thread, log_in_as):
    admin = make_user(session, role=Role.admin)
    session.commit()
    moderator = log_in_as(admin)
    token = page_token(moderator, "/")
    response = moderator.client.patch(
        f"/api/v1/threads/{thread.id}", json={"pinned": True}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200 and response.json["pinned"] is True
