"""Catching up after a reconnect: numbered events, replay by number, nothing on rollback."""

import re
import threading
import time

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import Role
from hallway.core.errors import Conflict
from hallway.discussions import live, sockets
from hallway.realtime.models import TopicEvent
from tests.conftest import csrf_token_from
from tests.factories import DEFAULT_PASSWORD, make_comment, make_user
from tests.integration.discussions.conftest import page_token, post_on_page


@pytest.fixture
def other(session, log_in_as):
    person = make_user(session, display_name="Kwame Asante", handle="kwame")
    session.commit()
    return log_in_as(person)


def page_of(thread) -> str:
    return f"/t/{thread.id}/{thread.slug}"


def join(socket_client, thread_id, **extra):
    return socket_client.emit("join_thread", {"thread_id": thread_id, **extra}, callback=True)


def live_events(socket_client) -> list[tuple[str, int]]:
    return [
        (packet["name"], packet["args"][0]["seq"])
        for packet in socket_client.get_received()
        if "seq" in packet["args"][0]
    ]


def stored_events(session, thread) -> int:
    return session.scalar(
        select(func.count())
        .select_from(TopicEvent)
        .where(TopicEvent.topic == f"thread:{thread.id}")
    )


def reply_edit_react(other, thread) -> int:
    """Kwame replies twice, edits his first reply and likes the second: four events."""
    page, comments = page_of(thread), f"/t/{thread.id}/comments"
    first_id, second_id = (
        comment_id(post_on_page(other, page, comments, {"body": body}))
        for body in ("First thought", "Second thought")
    )
    post_on_page(other, page, f"{comments}/{first_id}/edit", {"body": "First thought, edited"})
    post_on_page(other, page, f"/t/{thread.id}/reactions", {"reaction": f"like@{second_id}"})
    return first_id


def comment_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"#comment-(\d+)", response.headers["Location"]).group(1))


def test_every_change_gets_the_threads_next_number(socket_client, thread, other):
    join(socket_client, thread.id)
    reply_edit_react(other, thread)
    assert live_events(socket_client) == [
        ("comment_created", 1),
        ("comment_created", 2),
        ("comment_updated", 3),
        ("reaction_changed", 4),
    ]


def test_the_thread_page_says_which_number_it_shows(logged_in, thread, other):
    reply_edit_react(other, thread)
    html = logged_in.client.get(page_of(thread)).get_data(as_text=True)
    assert 'data-live-seq="4"' in html
    assert 'id="live-connection" class="live-connection" role="status"' in html


def test_rejoining_with_the_last_number_brings_exactly_what_was_missed_in_order(
    socket_client, thread, other
):
    assert join(socket_client, thread.id)["seq"] == 0
    post_on_page(other, page_of(thread), f"/t/{thread.id}/comments", {"body": "Seen live"})
    assert live_events(socket_client) == [("comment_created", 1)]
    socket_client.disconnect()  # the page goes offline; three things happen meanwhile
    first_id = reply_edit_react(other, thread)
    socket_client.connect()

    ack = join(socket_client, thread.id, last_seq=1)
    assert ack["ok"] is True and ack["seq"] == 5 and ack["reload"] is False
    names = [(each["event"], each["data"]["seq"]) for each in ack["events"]]
    assert names == [
        ("comment_created", 2),
        ("comment_created", 3),
        ("comment_updated", 4),
        ("reaction_changed", 5),
    ]
    created, second, edited, liked = (each["data"] for each in ack["events"])
    assert "First thought" in created["html"] and created["id"] == first_id
    assert "Second thought" in second["html"]
    assert "First thought, edited" in edited["html"] and edited["id"] == first_id
    assert edited["body"] == "First thought, edited" and edited["author"]["handle"] == "kwame"
    assert liked["counts"]["like"] == 1 and liked["names"]["like"] == ["Kwame Asante"]
    assert "mine" not in liked
    # Replayed, not re-sent: nothing else arrives; the next change arrives live, numbered on.
    assert socket_client.get_received() == []
    post_on_page(other, page_of(thread), f"/t/{thread.id}/comments", {"body": "Back live"})
    assert live_events(socket_client) == [("comment_created", 6)]


def test_rejoining_up_to_date_brings_nothing(socket_client, thread, other):
    reply_edit_react(other, thread)
    ack = join(socket_client, thread.id, last_seq=4)
    assert (ack["events"], ack["seq"], ack["reload"]) == ([], 4, False)


def test_missing_more_than_can_be_replayed_says_reload(socket_client, thread, other, monkeypatch):
    monkeypatch.setattr(sockets, "REPLAY_LIMIT", 3)
    reply_edit_react(other, thread)
    ack = join(socket_client, thread.id, last_seq=0)
    assert ack["ok"] is True and ack["reload"] is True and ack["events"] == []
    assert join(socket_client, thread.id, last_seq=1)["reload"] is False


def test_events_no_longer_stored_say_reload(session, socket_client, thread, other):
    reply_edit_react(other, thread)
    session.execute(TopicEvent.__table__.delete().where(TopicEvent.seq <= 2))
    session.commit()
    assert join(socket_client, thread.id, last_seq=0)["reload"] is True
    assert join(socket_client, thread.id, last_seq=2)["reload"] is False


@pytest.mark.parametrize("last_seq", [-1, 10**30, 2**63, "3", 2.5, [], {"seq": 1}], ids=repr)
def test_a_bad_last_number_is_refused_with_a_message(socket_client, thread, last_seq):
    ack = join(socket_client, thread.id, last_seq=last_seq)
    assert ack["ok"] is False
    assert list(ack["errors"]) == ["last_seq"]
    # The connection is fine: the next good join works.
    assert join(socket_client, thread.id, last_seq=0)["ok"] is True


def test_a_huge_thread_id_is_refused_not_a_crash(socket_client):
    ack = join(socket_client, 10**30, last_seq=0)
    assert ack["ok"] is False and "thread_id" in ack["errors"]


# --- a rolled-back change publishes nothing ---------------------------------------------


@pytest.fixture
def failing_after_publish(monkeypatch):
    """The service records the comment_created publication, then refuses the change."""
    publish = live.publish_new_comment

    def publish_then_fail(session, comment):
        publish(session, comment)
        raise Conflict("Something refused this after it was announced.")

    monkeypatch.setattr(live, "publish_new_comment", publish_then_fail)


def test_a_refused_reply_from_the_page_publishes_nothing(
    session, socket_client, thread, other, failing_after_publish
):
    join(socket_client, thread.id)
    response = post_on_page(other, page_of(thread), f"/t/{thread.id}/comments", {"body": "Hi"})
    assert response.status_code == 409
    assert "Something refused this" in response.get_data(as_text=True)
    assert socket_client.get_received() == []
    session.expire_all()
    assert stored_events(session, thread) == 0
    assert join(socket_client, thread.id, last_seq=0)["events"] == []


def test_a_refused_reply_through_the_api_publishes_nothing(
    session, socket_client, thread, other, failing_after_publish
):
    join(socket_client, thread.id)
    response = other.client.post(
        f"/api/v1/threads/{thread.id}/comments",
        json={"body": "From a script"},
        headers={"X-CSRFToken": page_token(other, "/")},
    )
    assert response.status_code == 409
    assert socket_client.get_received() == []
    session.expire_all()
    assert stored_events(session, thread) == 0


def test_numbers_stay_gap_free_after_a_rollback(session, socket_client, thread, other, monkeypatch):
    join(socket_client, thread.id)
    publish = live.publish_new_comment

    def fail_once(db_session, comment):
        publish(db_session, comment)
        monkeypatch.setattr(live, "publish_new_comment", publish)
        raise Conflict("Not this time.")

    monkeypatch.setattr(live, "publish_new_comment", fail_once)
    comments = f"/t/{thread.id}/comments"
    assert post_on_page(other, page_of(thread), comments, {"body": "No"}).status_code == 409
    assert post_on_page(other, page_of(thread), comments, {"body": "Yes"}).status_code == 302
    assert live_events(socket_client) == [("comment_created", 1)]


def test_imported_history_is_not_published(session, thread):
    make_comment(session, thread=thread, body="From the archive")
    session.commit()
    assert stored_events(session, thread) == 0


# --- a real python-socketio client against a live server, and a writer over HTTP ------


@pytest.fixture
def live_thread(live_server, monkeypatch):
    monkeypatch.setitem(live_server.app.config, "NEW_MEMBER_POST_LIMIT", 0)
    with live_server.app.app_context():
        from hallway.db import db
        from tests.factories import make_thread

        reader = make_user(db.session, display_name="Reader")
        writer = make_user(db.session, display_name="Writer")
        thread = make_thread(db.session, title="Catching up over the wire")
        db.session.commit()
        return {
            "path": f"/t/{thread.id}/{thread.slug}",
            "thread_id": thread.id,
            "reader": reader.email,
            "writer": writer.email,
        }


class HttpMember:
    """A member at a browser, over real HTTP to the live server."""

    def __init__(self, base_url: str, email: str) -> None:
        import requests

        self.base_url = base_url
        self.http = requests.Session()
        token = self.token("/login")
        response = self.http.post(
            base_url + "/login",
            data={"csrf_token": token, "email": email, "password": DEFAULT_PASSWORD},
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text

    def token(self, path: str) -> str:
        return csrf_token_from(self.http.get(self.base_url + path).text)

    def post(self, page: str, action: str, data: dict) -> str:
        response = self.http.post(
            self.base_url + action,
            data={"csrf_token": self.token(page), **data},
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text
        return response.headers["Location"]


def test_a_real_client_reconnects_and_gets_exactly_what_it_missed_once(live_server, live_thread):
    import socketio

    thread_id, path = live_thread["thread_id"], live_thread["path"]
    reader = HttpMember(live_server.url, live_thread["reader"])
    cookie = reader.http.cookies["session"]
    live: list[tuple[str, int]] = []
    arrived = threading.Event()
    client = socketio.Client(reconnection=False)

    def remember(name):
        def on_event(data):
            live.append((name, data["seq"]))
            arrived.set()

        return on_event

    for name in ("comment_created", "comment_updated", "reaction_changed"):
        client.on(name, remember(name))

    def connect() -> None:
        client.connect(
            live_server.url,
            transports=["websocket"],
            headers={"Cookie": f"session={cookie}"},
            wait_timeout=5,
        )

    writer = HttpMember(live_server.url, live_thread["writer"])
    connect()
    try:
        ack = client.call("join_thread", {"thread_id": thread_id, "last_seq": 0}, timeout=5)
        assert (ack["ok"], ack["seq"], ack["events"]) == (True, 0, [])
        writer.post(path, f"/t/{thread_id}/comments", {"body": "Before the tunnel"})
        assert arrived.wait(5), "the first reply never arrived"
        assert live == [("comment_created", 1)]
        last_seen = live[-1][1]

        client.disconnect()  # into a tunnel: two replies and an edit happen meanwhile
        first = writer.post(path, f"/t/{thread_id}/comments", {"body": "Missed one"})
        writer.post(path, f"/t/{thread_id}/comments", {"body": "Missed two"})
        first_id = int(re.search(r"#comment-(\d+)", first).group(1))
        edit = f"/t/{thread_id}/comments/{first_id}/edit"
        writer.post(path, edit, {"body": "Missed one, edited"})

        connect()
        ack = client.call("join_thread", {"thread_id": thread_id, "last_seq": last_seen}, timeout=5)
        assert ack["ok"] is True and ack["reload"] is False and ack["seq"] == 4
        replayed = [(each["event"], each["data"]["seq"]) for each in ack["events"]]
        assert replayed == [("comment_created", 2), ("comment_created", 3), ("comment_updated", 4)]
        bodies = [each["data"]["html"] for each in ack["events"]]
        assert "Missed one" in bodies[0] and "Missed two" in bodies[1]
        assert "Missed one, edited" in bodies[2]

        # Once: nothing of it comes again live; the next change does, numbered on.
        arrived.clear()
        writer.post(path, f"/t/{thread_id}/comments", {"body": "Out of the tunnel"})
        assert arrived.wait(5), "the reply after reconnecting never arrived"
        time.sleep(0.3)  # room for a stray duplicate to show up
        assert live == [("comment_created", 1), ("comment_created", 5)]
    finally:
        client.disconnect()


def test_a_restored_comment_comes_back_to_open_pages_with_its_text(
    session, socket_client, thread, log_in_as
):
    writer = make_user(session, display_name="Writer")
    moderator = make_user(session, role=Role.admin)
    comment = make_comment(session, thread=thread, author=writer, body="Fair *point* after all")
    session.commit()
    join(socket_client, thread.id)
    admin = log_in_as(moderator)
    for action in ("hide", "restore"):
        response = post_on_page(
            admin, page_of(thread), f"/moderation/posts/comment/{comment.id}/{action}", {}
        )
        assert response.status_code == 302
    hidden, restored = (packet["args"][0] for packet in socket_client.get_received())
    assert "html" not in hidden and "point" not in repr(hidden)
    assert "Fair <em>point</em> after all" in restored["html"]
    assert restored["author"]["id"] == writer.id and restored["seq"] == hidden["seq"] + 1
