"""Download my data, and delete my account: posts stay, as by a former member."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from hallway.accounts.models import User
from hallway.discussions.models import Category, Comment, Thread
from hallway.members import service as members_service
from hallway.members.models import MemberProfile, MemberTag
from tests.factories import DEFAULT_PASSWORD, make_picture, make_profile


def test_download_my_data_is_a_json_attachment_with_everything(logged_in, session, member):
    make_profile(
        session,
        member,
        headline="Learning designer",
        interests=["OER"],
        offering=["mentoring"],
        links=("https://maya.example.org/",),
    )
    members_service.update_profile(session, member, {}, avatar_upload=make_picture())
    session.commit()
    response = logged_in.client.get("/account/data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="hallway-maya-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["handle"] == "maya"
    assert data["profile"]["interests"] == ["OER"]
    assert data["profile"]["links"][0]["url"] == "https://maya.example.org/"
    assert data["avatar"]["data_base64"]


def post_thread_and_reply(session, author) -> tuple[int, int]:
    category = Category(slug="general", name="General")
    thread = Thread(category=category, author=author, title="My question", body="Anyone?")
    session.add_all([category, thread])
    session.flush()
    comment = Comment(thread_id=thread.id, author=author, body="Answering myself", path="x")
    session.add(comment)
    session.commit()
    return thread.id, comment.id


def test_deleting_my_account_keeps_my_posts_as_a_former_member(logged_in, session, member):
    make_profile(session, member, interests=["OER"])
    thread_id, comment_id = post_thread_and_reply(session, member)
    member_id, email = member.id, member.email

    response = logged_in.post_form("/account/delete", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert "Your account and profile are deleted" in logged_in.client.get("/").get_data(
        as_text=True
    )

    session.expire_all()
    assert session.get(User, member_id) is None
    assert session.scalar(select(func.count()).select_from(MemberProfile)) == 0
    assert session.scalar(select(func.count()).select_from(MemberTag)) == 0
    thread, comment = session.get(Thread, thread_id), session.get(Comment, comment_id)
    assert (thread.title, thread.author_id) == ("My question", None)
    assert (comment.body, comment.author_id) == ("Answering myself", None)
    # Logged out here, and the password no longer opens anything.
    assert logged_in.client.get("/profile/edit").status_code == 302
    assert logged_in.log_in(email).status_code == 401


def test_deleting_needs_the_right_password(logged_in, session, member):
    response = logged_in.post_form("/account/delete", {"password": "not my password"})
    assert response.status_code == 422
    assert "That is not your password." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, member.id) is not None
    assert logged_in.client.get("/profile/edit").status_code == 200


def test_deleting_needs_the_csrf_token(logged_in, session, member):
    response = logged_in.client.post("/account/delete", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    session.expire_all()
    assert session.get(User, member.id) is not None
