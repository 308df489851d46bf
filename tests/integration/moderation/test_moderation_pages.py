"""Flag → queue → hide / restore / lock / move / dismiss, with audit entries; blocking."""

import re

import pytest
from flask import render_template_string
from flask_login import login_user

from hallway.accounts.models import Role
from hallway.moderation import service
from hallway.moderation.models import AuditEntry, Flag, FlagStatus
from tests.conftest import Browserless
from tests.factories import (
    make_block,
    make_category,
    make_comment,
    make_flag,
    make_thread,
    make_user,
)


@pytest.fixture
def admin_client(app, session):
    admin = make_user(session, handle="mod", display_name="Mo Derator", role=Role.admin)
    session.commit()
    helper = Browserless(app.test_client())
    assert helper.log_in(admin.email).status_code == 302
    helper.user = admin
    return helper


@pytest.fixture
def comment(session):
    author = make_user(session, handle="spammer", display_name="Spam Bot")
    thread = make_thread(session, title="Free LMS licences!!!")
    comment = make_comment(session, thread=thread, author=author, body="Buy cheap followers")
    session.commit()
    return comment


def actions(session) -> list[str]:
    session.expire_all()
    return [entry.action for entry in session.query(AuditEntry).order_by(AuditEntry.id)]


def test_a_member_flags_a_comment_through_the_form(session, logged_in, member, comment):
    path = f"/moderation/flag/comment/{comment.id}"
    page = logged_in.client.get(path).get_data(as_text=True)
    assert "Buy cheap followers" in page and "Harassment" in page and "Off-topic" in page
    response = logged_in.post_form(path, {"reason": "spam", "note": "Obvious spam"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    [flag] = session.query(Flag).all()
    assert (flag.reporter_id, flag.reason.value, flag.note) == (member.id, "spam", "Obvious spam")
    again = logged_in.client.get(path).get_data(as_text=True)
    assert "You have already flagged this post" in again


def test_flagging_refuses_bad_input_on_the_form(session, logged_in, comment):
    path = f"/moderation/flag/comment/{comment.id}"
    response = logged_in.post_form(path, {"reason": "boring"})
    assert response.status_code == 422
    assert "Choose a reason." in response.get_data(as_text=True)  # FlagSchema's message
    long_note = logged_in.post_form(path, {"reason": "spam", "note": "x" * 501})
    assert long_note.status_code == 422
    assert "Keep the note under 500 characters." in long_note.get_data(as_text=True)
    assert logged_in.client.post(path, data={"reason": "spam"}).status_code == 400  # no CSRF
    assert session.query(Flag).count() == 0
    assert logged_in.client.get("/moderation/flag/comment/999999").status_code == 404
    assert logged_in.client.get(f"/moderation/flag/poll/{comment.id}").status_code == 404


def test_members_cannot_open_the_flag_form_for_a_hidden_post(session, logged_in, comment):
    comment.hidden_at = comment.created_at
    session.commit()
    assert logged_in.client.get(f"/moderation/flag/comment/{comment.id}").status_code == 404


def test_the_queue_shows_flags_grouped_by_post(session, admin_client, member, comment):
    make_flag(session, reporter=member, post=comment, reason="spam")
    make_flag(session, reporter=make_user(session), post=comment, reason="harassment")
    session.commit()
    html = admin_client.client.get("/moderation").get_data(as_text=True)
    assert "1 post flagged by members" in html
    assert html.count('class="ui-card flagged-post"') == 1
    assert "Spam" in html and "Harassment" in html and "Buy cheap followers" in html
    assert 'aria-label="Moderation, 1 flagged"' in admin_client.client.get("/").get_data(
        as_text=True
    )
    # Discussions add their own actions on the flagged comment's thread.
    assert f'action="/moderation/threads/{comment.thread_id}/lock"' in html
    assert f'action="/moderation/threads/{comment.thread_id}/move"' in html
    assert f'<option value="{comment.thread.category_id}" selected>' in html
    assert f'href="/t/{comment.thread_id}/' in html and f"#comment-{comment.id}" in html


def test_hiding_and_restoring_tell_open_pages_with_ids_only(
    app, session, socket_client, admin_client, member, comment
):
    ack = socket_client.emit("join_thread", {"thread_id": comment.thread_id}, callback=True)
    assert ack["ok"], ack
    socket_client.get_received()
    make_flag(session, reporter=member, post=comment)
    session.commit()
    path = f"/moderation/posts/comment/{comment.id}"
    assert admin_client.post_form(f"{path}/hide", {}).status_code == 302
    assert admin_client.post_form(f"{path}/restore", {}).status_code == 302
    events = {p["name"]: p["args"][0] for p in socket_client.get_received()}
    expected = {"subject_type": "comment", "subject_id": comment.id, "thread_id": comment.thread_id}
    hidden, restored = events["post_hidden"], events["post_restored"]
    assert {key: hidden[key] for key in expected} == expected
    assert set(hidden) == {*expected, "seq", "topic"}  # ids only: the text never travels
    assert "Buy cheap followers" not in repr(hidden)
    assert {key: restored[key] for key in expected} == expected
    assert restored["seq"] == hidden["seq"] + 1
    assert actions(session) == ["hide", "restore"]
    session.expire_all()
    assert session.query(Flag).one().status is FlagStatus.resolved


def test_lock_unlock_move_and_dismiss_are_audited(session, admin_client, member, comment):
    thread_id = comment.thread_id
    target = make_category(session, name="Off-topic lounge")
    make_flag(session, reporter=member, post=comment)
    session.commit()
    assert admin_client.post_form(f"/moderation/threads/{thread_id}/lock", {}).status_code == 302
    assert admin_client.post_form(f"/moderation/threads/{thread_id}/unlock", {}).status_code == 302
    moved = admin_client.post_form(
        f"/moderation/threads/{thread_id}/move", {"category_id": str(target.id)}
    )
    assert moved.status_code == 302
    dismissed = admin_client.post_form(f"/moderation/posts/comment/{comment.id}/dismiss", {})
    assert dismissed.status_code == 302
    assert actions(session) == ["lock", "unlock", "move", "dismiss_flags"]
    audit = admin_client.client.get("/moderation/audit").get_data(as_text=True)
    assert "Dismissed flags" in audit and "Mo Derator" in audit
    assert "Locked a discussion" in audit and "Unlocked a discussion" in audit
    only_moves = admin_client.client.get("/moderation/audit?action=move").get_data(as_text=True)
    assert only_moves.count('class="list-row audit-entry"') == 1
    assert "Moved a discussion" in only_moves
    assert f"to category id: {target.id}" in only_moves


def test_moving_to_a_missing_category_is_a_clear_422(session, admin_client, comment):
    response = admin_client.post_form(
        f"/moderation/threads/{comment.thread_id}/move", {"category_id": "nope"}
    )
    assert response.status_code == 422
    assert "Please correct" in response.get_data(as_text=True)
    assert actions(session) == []


def test_the_audit_log_is_paginated(session, admin_client):
    for number in range(55):
        service.record_audit(
            session, actor=None, action="edit", subject_type="comment", subject_id=number
        )
    session.commit()
    first = admin_client.client.get("/moderation/audit").get_data(as_text=True)
    second = admin_client.client.get("/moderation/audit?page=2").get_data(as_text=True)
    entry = 'class="list-row audit-entry"'
    assert first.count(entry) == 50 and second.count(entry) == 5
    assert "System" in first


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/moderation"),
        ("get", "/moderation/audit"),
        ("post", "/moderation/posts/comment/{comment}/hide"),
        ("post", "/moderation/posts/comment/{comment}/restore"),
        ("post", "/moderation/posts/comment/{comment}/dismiss"),
        ("post", "/moderation/threads/{thread}/lock"),
        ("post", "/moderation/threads/{thread}/move"),
    ],
)
def test_members_get_403_and_visitors_are_sent_to_log_in(
    app, session, logged_in, comment, method, path
):
    path = path.format(comment=comment.id, thread=comment.thread_id)
    if method == "get":
        response = logged_in.client.get(path)
    else:
        response = logged_in.post_form(path, {"category_id": "1"})
    assert response.status_code == 403
    assert "Only moderators can do that." in response.get_data(as_text=True)
    visitor = app.test_client()
    assert visitor.get("/moderation").status_code == 302
    assert actions(session) == []
    session.expire_all()
    assert session.get(type(comment), comment.id).hidden_at is None


def test_moderator_actions_need_csrf(session, admin_client, comment):
    response = admin_client.client.post(f"/moderation/posts/comment/{comment.id}/hide")
    assert response.status_code == 400
    assert actions(session) == []


# --- Blocking --------------------------------------------------------------------------


def test_blocking_and_unblocking_from_the_blocks_page(session, logged_in, member):
    troll = make_user(session, handle="troll", display_name="Tro Ll")
    session.commit()
    response = logged_in.post_form("/moderation/blocks", {"handle": "@Troll"})
    assert response.status_code == 302
    assert service.blocked_user_ids(session, member.id) == {troll.id}
    page = logged_in.client.get("/moderation/blocks").get_data(as_text=True)
    assert "Tro Ll" in page and "@troll" in page
    logged_in.post_form(f"/moderation/blocks/{troll.id}/unblock", {})
    assert service.blocked_user_ids(session, member.id) == set()


@pytest.mark.parametrize(
    ("handle", "message"),
    [("maya", "You can&#39;t block yourself."), ("ghost", "No member is called @ghost."),
     ("", "Give the member&#39;s username."), ("   ", "Give the member&#39;s username.")],
)  # fmt: skip
def test_blocking_refuses_bad_handles_next_to_the_field(logged_in, handle, message):
    response = logged_in.post_form("/moderation/blocks", {"handle": handle})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_unblocking_someone_not_blocked_is_404(session, logged_in):
    other = make_user(session)
    session.commit()
    assert logged_in.post_form(f"/moderation/blocks/{other.id}/unblock", {}).status_code == 404


def test_the_block_button_partial_toggles(app, session, member):
    troll = make_user(session, handle="troll", display_name="Tro Ll")
    session.commit()
    template = "{% with member=target %}{% include 'moderation/_block_button.html' %}{% endwith %}"
    with app.test_request_context("/members/troll"):
        login_user(member)
        before = render_template_string(template, target=troll)
        own = render_template_string(template, target=member)
        make_block(session, blocker=member, blocked=troll)
        session.commit()
        after = render_template_string(template, target=troll)
    assert 'action="/moderation/blocks"' in before and 'value="troll"' in before
    assert own.strip() == ""
    assert f'action="/moderation/blocks/{troll.id}/unblock"' in after


# --- The subject registry at the boundary ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/moderation/posts/poll/{id}/hide",
        "/moderation/posts/poll/{id}/restore",
        "/moderation/posts/poll/{id}/dismiss",
        "/moderation/flag/poll/{id}",
        "/moderation/posts/comment/999999/hide",
    ],
)
def test_an_unregistered_subject_type_or_missing_post_is_a_404(
    session, admin_client, comment, path
):
    response = admin_client.post_form(path.format(id=comment.id), {"reason": "spam"})
    assert response.status_code == 404
    assert "does not exist or was removed" in response.get_data(as_text=True)
    assert actions(session) == []
    assert session.query(Flag).count() == 0


def test_a_thread_locked_from_the_queue_refuses_members_replies(
    session, admin_client, logged_in, comment
):
    thread_id = comment.thread_id
    locked = admin_client.post_form(
        f"/moderation/threads/{thread_id}/lock", {"next": f"/t/{thread_id}"}
    )
    assert locked.status_code == 302 and locked.headers["Location"] == f"/t/{thread_id}"
    page = admin_client.client.get(locked.headers["Location"], follow_redirects=True)
    assert "The discussion is locked: no new replies." in page.get_data(as_text=True)
    refused = logged_in.client.post(
        f"/t/{thread_id}/comments", data={"csrf_token": logged_in.csrf_token(), "body": "Hi?"}
    )
    assert refused.status_code == 403
    assert "locked" in refused.get_data(as_text=True)
    again = admin_client.post_form(f"/moderation/threads/{thread_id}/lock", {})
    assert again.status_code == 409
    assert actions(session) == ["lock"]


def test_moving_from_the_queue_says_where_the_thread_went(session, admin_client, comment):
    target = make_category(session, name="Off-topic lounge")
    session.commit()
    moved = admin_client.post_form(
        f"/moderation/threads/{comment.thread_id}/move", {"category_id": str(target.id)}
    )
    assert moved.headers["Location"] == "/moderation"
    queue = admin_client.client.get("/moderation").get_data(as_text=True)
    assert "Moved the discussion to Off-topic lounge." in queue
    lounge = admin_client.client.get(f"/c/{target.slug}").get_data(as_text=True)
    assert "Free LMS licences!!!" in lounge


def test_the_data_download_holds_the_members_own_flags_and_blocks(
    session, logged_in, member, comment
):
    other = make_user(session, handle="noisy")
    make_flag(session, reporter=member, post=comment, reason="harassment")
    make_flag(session, reporter=other, post=comment.thread, reason="spam")  # not theirs
    make_block(session, blocker=member, blocked=other)
    make_block(session, blocker=other, blocked=member)  # not theirs either
    session.commit()
    data = logged_in.client.get("/account/data").get_json(force=True)
    [flag] = data["flags"]
    assert (flag["subject_type"], flag["subject_id"], flag["reason"], flag["status"]) == (
        "comment",
        comment.id,
        "harassment",
        "open",
    )
    assert [block["handle"] for block in data["blocks"]] == ["noisy"]


def test_pages_with_many_forms_repeat_no_id(session, admin_client, member, comment):
    """Each post in the queue and each blocked member has its own forms: their CSRF
    tokens must not all be id="csrf_token" (a duplicate id, invalid HTML)."""
    other = make_comment(session, thread=comment.thread, body="Second flagged post")
    make_flag(session, reporter=member, post=comment, reason="spam")
    make_flag(session, reporter=member, post=other, reason="spam")
    session.commit()
    queue = admin_client.client.get("/moderation").get_data(as_text=True)
    assert queue.count('name="csrf_token"') >= 4
    ids = re.findall(r'\sid="([^"]+)"', queue)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for handle in ("blocked-one", "blocked-two"):
        make_user(session, handle=handle)
    session.commit()
    for handle in ("blocked-one", "blocked-two"):
        assert admin_client.post_form("/moderation/blocks", {"handle": handle}).status_code == 302
    blocks = admin_client.client.get("/moderation/blocks").get_data(as_text=True)
    assert blocks.count('name="csrf_token"') >= 3  # two Unblock forms and the Block form
    ids = re.findall(r'\sid="([^"]+)"', blocks)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_hide_is_styled_as_dangerous_and_the_others_are_not(session, admin_client, member, comment):
    make_flag(session, reporter=member, post=comment, reason="spam")
    session.commit()
    queue = admin_client.client.get("/moderation").get_data(as_text=True)
    assert re.search(r'class="btn btn-danger btn-small">Hide<', queue)
    assert re.search(r'class="btn btn-secondary btn-small">Dismiss flags<', queue)
