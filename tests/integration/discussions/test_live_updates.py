"""Live threads: joining a thread's room, and what arrives there after each change."""

import re
import threading

import pytest
import socketio
from flask_babel import force_locale, gettext

from hallway.db import utcnow
from tests.conftest import Browserless
from tests.factories import make_comment, make_user
from tests.integration.discussions.conftest import page_token, post_on_page


def events(socket_client, name):
    return [packet["args"][0] for packet in socket_client.get_received() if packet["name"] == name]


def join(socket_client, thread_id):
    return socket_client.emit("join_thread", {"thread_id": thread_id}, callback=True)


@pytest.fixture
def other(session, log_in_as):
    person = make_user(session, display_name="Kwame Asante", handle="kwame")
    session.commit()
    return log_in_as(person)


def test_a_member_joins_a_visible_thread(socket_client, thread):
    assert join(socket_client, thread.id) == {
        "ok": True,
        "thread_id": thread.id,
        "comment_count": 0,
        "seq": 0,
    }


def test_joining_a_missing_or_hidden_thread_is_refused(session, socket_client, thread):
    assert join(socket_client, 999_999)["ok"] is False
    thread.hidden_at = utcnow()
    session.commit()
    refused = join(socket_client, thread.id)
    assert refused["ok"] is False and "does not exist" in refused["error"]


def test_a_bad_join_payload_gets_field_errors(socket_client):
    refused = socket_client.emit("join_thread", {"thread_id": "seven", "x": 1}, callback=True)
    assert refused["ok"] is False
    assert set(refused["errors"]) == {"thread_id", "x"}
    assert socket_client.emit("join_thread", "nonsense", callback=True)["ok"] is False


def test_someone_elses_reply_arrives_with_its_html_in_place(session, socket_client, thread, other):
    parent = make_comment(session, thread=thread, body="Where do we start?")
    session.commit()
    join(socket_client, thread.id)
    page = f"/t/{thread.id}/{thread.slug}"
    post_on_page(
        other,
        page,
        f"/t/{thread.id}/comments",
        {"body": "With an **audit**", "parent_id": parent.id},
    )
    [created] = events(socket_client, "comment_created")
    assert created["parent_id"] == parent.id and created["depth"] == 1
    assert created["author"]["display_name"] == "Kwame Asante"
    assert "<strong>audit</strong>" in created["html"]
    assert f'id="comment-{created["id"]}"' in created["html"]
    # Nothing personal travels: no CSRF token, owner actions hidden until the page shows them.
    assert "csrf_token" not in created["html"]
    assert (
        'class="owner-actions" data-owner-id=' in created["html"] and " hidden>" in created["html"]
    )


def test_members_not_in_the_room_hear_nothing(socket_client, thread, other):
    post_on_page(other, f"/t/{thread.id}/{thread.slug}", f"/t/{thread.id}/comments", {"body": "Hi"})
    assert events(socket_client, "comment_created") == []


def test_edits_deletions_and_reactions_arrive_live(session, socket_client, thread, log_in_as):
    writer = make_user(session, display_name="Writer")
    comment = make_comment(session, thread=thread, author=writer, body="Frist")
    make_comment(session, thread=thread, parent=comment, body="An answer keeps it in place")
    session.commit()
    person = log_in_as(writer)
    join(socket_client, thread.id)
    page = f"/t/{thread.id}/{thread.slug}"
    base = f"/t/{thread.id}/comments/{comment.id}"
    post_on_page(person, page, base + "/edit", {"body": "First"})
    post_on_page(person, page, f"/t/{thread.id}/reactions", {"reaction": f"like@{comment.id}"})
    post_on_page(person, page, base + "/delete", {})
    received = socket_client.get_received()
    by_name = {packet["name"]: packet["args"][0] for packet in received}
    assert "First" in by_name["comment_updated"]["html"]
    assert by_name["reaction_changed"]["counts"]["like"] == 1
    assert by_name["reaction_changed"]["names"]["like"] == ["Writer"]
    assert "mine" not in by_name["reaction_changed"]
    assert "[deleted]" in by_name["comment_deleted"]["html"]
    assert "First" not in by_name["comment_deleted"]["html"]


def test_each_reader_of_the_room_gets_the_fragment_in_their_own_language(
    app, session, socket_client, thread, other, log_in_as
):
    """One room holds readers of both languages: each page gets the fragment in its own
    (its words and its time), not the language of the person who posted, and only its
    own: the other language's copy does not travel to it."""
    lecteur = make_user(session, display_name="Lecteur")
    lecteur.language = "fr_CA"
    session.commit()
    french_socket = app.extensions["socketio"].test_client(
        app, flask_test_client=log_in_as(lecteur).client
    )
    join(socket_client, thread.id)
    join(french_socket, thread.id)
    page = f"/t/{thread.id}/{thread.slug}"
    post_on_page(other, page, f"/t/{thread.id}/comments", {"body": "Posted in English"})

    (english,) = events(socket_client, "comment_created")
    (french,) = events(french_socket, "comment_created")
    assert "html_by_locale" not in english and "html_by_locale" not in french
    assert english["id"] == french["id"] and english["seq"] == french["seq"]

    def time_text(html: str) -> str:
        return re.search(r"<time [^>]*>([^<]+)</time>", html).group(1)

    assert time_text(french["html"]) != time_text(english["html"])
    with app.test_request_context(), force_locale("fr_CA"):
        reply_word = gettext("Reply")
    assert f">{reply_word}</a>" in french["html"]
    assert f">{reply_word}</a>" not in english["html"]
    assert "Posted in English" in french["html"] and "Posted in English" in english["html"]
    french_socket.disconnect()


def test_a_replay_after_a_reconnect_still_has_every_language(
    app, session, socket_client, thread, other
):
    """Missed events are stored with the fragment in each language: whoever comes back
    takes theirs (discussions.js reads html_by_locale first)."""
    ack = join(socket_client, thread.id)
    page = f"/t/{thread.id}/{thread.slug}"
    post_on_page(other, page, f"/t/{thread.id}/comments", {"body": "While you were away"})
    replayed = socket_client.emit(
        "join_thread", {"thread_id": thread.id, "last_seq": ack["seq"]}, callback=True
    )
    (missed,) = [each["data"] for each in replayed["events"] if each["event"] == "comment_created"]
    assert set(missed["html_by_locale"]) == {"en", "fr-CA"}
    assert missed["html_by_locale"]["en"] == missed["html"]  # posted in English
    assert missed["html_by_locale"]["fr-CA"] != missed["html"]
    assert "While you were away" in missed["html_by_locale"]["fr-CA"]


def test_a_deleted_comment_without_replies_leaves_the_room_s_pages(
    session, socket_client, thread, log_in_as
):
    """No "[deleted]" stub for a comment nobody answered: its event has no article (the
    pages take it away) and the count goes down, as a reload shows."""
    writer = make_user(session, display_name="Writer")
    comment = make_comment(session, thread=thread, author=writer, body="Regrettable")
    make_comment(session, thread=thread, body="Another reply")
    session.commit()
    person = log_in_as(writer)
    join(socket_client, thread.id)
    page = f"/t/{thread.id}/{thread.slug}"
    post_on_page(person, page, f"/t/{thread.id}/comments/{comment.id}/delete", {})
    (deleted,) = events(socket_client, "comment_deleted")
    assert deleted["id"] == comment.id and deleted["html"] == ""
    assert deleted["comment_count"] == 1
    reloaded = person.client.get(page).get_data(as_text=True)
    assert f'id="comment-{comment.id}"' not in reloaded and "[deleted]" not in reloaded
    assert "Another reply" in reloaded


def test_an_edit_to_a_hidden_comment_sends_only_an_id_hint(
    session, socket_client, thread, log_in_as
):
    writer = make_user(session)
    comment = make_comment(session, thread=thread, author=writer, body="Bad words")
    comment.hidden_at = utcnow()
    session.commit()
    join(socket_client, thread.id)
    post_on_page(
        log_in_as(writer),
        f"/t/{thread.id}/{thread.slug}",
        f"/t/{thread.id}/comments/{comment.id}/edit",
        {"body": "Worse words"},
    )
    received = socket_client.get_received()
    assert [packet["name"] for packet in received] == ["post_refresh"]
    assert received[0]["args"][0] == {
        "thread_id": thread.id,
        "comment_id": comment.id,
        "seq": 1,
        "topic": f"thread:{thread.id}",
    }
    assert "words" not in str(received)


def test_replies_through_the_api_arrive_live_too(socket_client, thread, other):
    join(socket_client, thread.id)
    token = page_token(other, "/")
    other.client.post(
        f"/api/v1/threads/{thread.id}/comments",
        json={"body": "From a script"},
        headers={"X-CSRFToken": token},
    )
    [created] = events(socket_client, "comment_created")
    assert "From a script" in created["html"]


# --- a real python-socketio client against a live server ---------------------------


@pytest.fixture
def live_thread(live_server, monkeypatch):
    monkeypatch.setitem(live_server.app.config, "NEW_MEMBER_POST_LIMIT", 0)
    with live_server.app.app_context():
        from hallway.db import db
        from tests.factories import make_thread

        reader = make_user(db.session, display_name="Reader")
        writer = make_user(db.session, display_name="Writer")
        thread = make_thread(db.session, title="Live over the wire")
        db.session.commit()
        return thread.id, thread.slug, reader.email, writer.email


def test_a_real_client_sees_a_reply_posted_by_someone_else(live_server, live_thread):
    thread_id, slug, reader_email, writer_email = live_thread
    reader = Browserless(live_server.app.test_client())
    assert reader.log_in(reader_email).status_code == 302
    cookie = reader.client.get_cookie("session").value

    arrived = threading.Event()
    received = []
    client = socketio.Client(reconnection=False)

    @client.on("comment_created")
    def on_created(data):
        received.append(data)
        arrived.set()

    client.connect(
        live_server.url,
        transports=["websocket"],
        headers={"Cookie": f"session={cookie}"},
        wait_timeout=5,
    )
    try:
        ack = client.call("join_thread", {"thread_id": thread_id}, timeout=5)
        assert ack["ok"] is True
        writer = Browserless(live_server.app.test_client())
        assert writer.log_in(writer_email).status_code == 302
        response = post_on_page(
            writer, f"/t/{thread_id}/{slug}", f"/t/{thread_id}/comments", {"body": "Over the wire"}
        )
        assert response.status_code == 302
        assert arrived.wait(5), "the reply never arrived"
        assert "Over the wire" in received[0]["html"]
    finally:
        client.disconnect()
