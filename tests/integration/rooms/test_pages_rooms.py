"""The rooms' pages without JavaScript: the lobby, the room, the composer and the forms."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from sqlalchemy import func, select

from hallway.rooms import service
from hallway.rooms.models import Room, RoomMessage
from tests.conftest import csrf_token_from
from tests.integration.rooms.room_clients import (
    build_cast,
    fresh_rooms_state,  # noqa: F401
    in_app,
    logged_in_client,
    new_client_id,
)


@pytest.fixture
def cast(app, session):
    return build_cast(app, session)


def room_path(cast) -> str:
    return f"/rooms/{cast.room_id}"


def post(helper, page, action, data):
    """Fetch ``page`` (for its CSRF token), then post ``data`` to ``action``."""
    html = helper.client.get(page).get_data(as_text=True)
    return helper.client.post(action, data={"csrf_token": csrf_token_from(html), **data})


def seated(app, cast, user):
    helper = logged_in_client(app, user)
    response = post(helper, room_path(cast), f"/rooms/{cast.room_id}/join", {})
    assert response.status_code == 302
    return helper


def say(helper, cast, body, client_id=None, **extra):
    data = {"body": body, "client_id": client_id or new_client_id(), **extra}
    return post(helper, room_path(cast), f"/rooms/{cast.room_id}/messages", data)


def message_count(session, cast) -> int:
    session.expire_all()
    return session.scalar(
        select(func.count()).select_from(RoomMessage).where(RoomMessage.room_id == cast.room_id)
    )


def test_the_lobby_lists_rooms_and_who_is_in_them(app, cast):
    helper = logged_in_client(app, cast.alice)
    html = helper.client.get(f"/events/{cast.event_id}/rooms").get_data(as_text=True)
    assert f'data-event-id="{cast.event_id}"' in html and "Hallway" in html
    assert "Say hello" in html and "0 here" in html
    assert f'href="/rooms/{cast.room_id}"' in html
    # Going: may open a table; not an organiser: no "Open a room".
    assert "Open a table" in html and "Open the room" not in html
    assert "/static/js/rooms." in html


def test_an_organiser_opens_a_room_from_the_lobby(app, session, cast):
    helper = logged_in_client(app, cast.organiser)
    lobby = f"/events/{cast.event_id}/rooms"
    assert "Open the room" in helper.client.get(lobby).get_data(as_text=True)
    response = post(
        helper,
        lobby,
        lobby,
        {
            "room-name": "Mentoring corner",
            "room-topic": "Ask",
            "room-access": "going",
            "room-size_limit": "12",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    room = session.scalar(select(Room).where(Room.name == "Mentoring corner"))
    assert room.size_limit == 12 and response.headers["Location"] == f"/rooms/{room.id}"


def test_a_room_without_a_name_is_refused_next_to_the_field(app, cast):
    helper = logged_in_client(app, cast.organiser)
    lobby = f"/events/{cast.event_id}/rooms"
    response = post(helper, lobby, lobby, {"room-name": "", "room-access": "going"})
    assert response.status_code == 422
    assert "Give the room a name." in response.get_data(as_text=True)


def test_a_member_going_opens_a_table_and_one_not_going_cannot(app, session, cast):
    alice = logged_in_client(app, cast.alice)
    lobby = f"/events/{cast.event_id}/rooms"
    response = post(
        alice,
        lobby,
        f"/events/{cast.event_id}/tables",
        {"table-name": "First-timers", "table-size_limit": "6"},
    )
    assert response.status_code == 302
    session.expire_all()
    table = session.scalar(select(Room).where(Room.name == "First-timers"))
    assert table.owner_id == cast.alice.id and table.is_table
    otto = logged_in_client(app, cast.outsider)
    assert "Open a table" not in otto.client.get(lobby).get_data(as_text=True)
    refused = post(
        otto,
        lobby,
        f"/events/{cast.event_id}/tables",
        {"table-name": "Mine", "table-size_limit": "4"},
    )
    assert refused.status_code == 403
    assert "Only the people going to the event can open a table." in refused.get_data(as_text=True)


def test_the_room_page_asks_to_join_first_then_shows_the_room(app, cast):
    helper = logged_in_client(app, cast.alice)
    first = helper.client.get(room_path(cast)).get_data(as_text=True)
    assert "Join the room" in first and 'id="room-composer"' not in first
    post(helper, room_path(cast), f"/rooms/{cast.room_id}/join", {})
    html = helper.client.get(room_path(cast)).get_data(as_text=True)
    assert 'id="room-composer"' in html and 'data-live-seq="' in html
    assert 'aria-live="polite"' in html and "No messages yet" in html


def test_a_member_not_going_is_refused_the_room_page(app, cast):
    otto = logged_in_client(app, cast.outsider)
    response = otto.client.get(room_path(cast))
    assert response.status_code == 403
    assert "This room is for the people going to the event." in response.get_data(as_text=True)


def test_the_composer_posts_without_javascript_and_a_double_submit_writes_once(app, session, cast):
    alice = seated(app, cast, cast.alice)
    response = say(alice, cast, "Hello **everyone**", client_id="form-1")
    assert response.status_code == 302
    assert re.search(r"/rooms/\d+#message-\d+$", response.headers["Location"])
    again = say(alice, cast, "Hello **everyone**", client_id="form-1")
    assert again.headers["Location"] == response.headers["Location"]
    assert message_count(session, cast) == 1
    html = alice.client.get(room_path(cast)).get_data(as_text=True)
    assert "<strong>everyone</strong>" in html and "Alice Adams" in html


def test_the_composer_fills_in_a_fresh_client_id(app, cast):
    alice = seated(app, cast, cast.alice)
    ids = {
        re.search(r'name="client_id" type="hidden" value="([^"]+)"', page).group(1)
        for page in (alice.client.get(room_path(cast)).get_data(as_text=True) for _ in range(2))
    }
    assert len(ids) == 2


def test_a_too_long_message_is_refused_with_the_reason_and_kept(app, session, cast):
    alice = seated(app, cast, cast.alice)
    response = say(alice, cast, "z" * 4001)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "4,000" in html and "z" * 4001 in html
    assert message_count(session, cast) == 0


def test_a_muted_member_sees_why_and_cannot_send(app, session, cast):
    bob = seated(app, cast, cast.bob)
    before = bob.client.get(room_path(cast)).get_data(as_text=True)
    assert 'id="room-muted" hidden' in before
    in_app(
        app,
        session,
        lambda: service.mute_member(session, cast.organiser, cast.room_id, cast.bob.id),
    )
    html = bob.client.get(room_path(cast)).get_data(as_text=True)
    assert 'id="room-muted">' in html and "muted you in this room" in html
    response = say(bob, cast, "Hello?")
    assert response.status_code == 403 and "muted you" in response.get_data(as_text=True)


def test_load_earlier_is_a_plain_link(app, session, cast):
    def fill():
        service.join_room(session, cast.alice, cast.room_id)
        for number in range(55):
            service.send_message(
                session, cast.alice, cast.room_id, f"Note {number}", new_client_id()
            )

    in_app(app, session, fill)
    alice = logged_in_client(app, cast.alice)
    html = alice.client.get(room_path(cast)).get_data(as_text=True)
    assert "Note 54" in html and "Note 4<" not in html and "Note 5<" in html
    link = re.search(r'id="room-load-earlier" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    earlier = alice.client.get(link).get_data(as_text=True)
    assert "Note 0<" in earlier and "Note 4<" in earlier and "Note 5<" not in earlier
    assert "Back to the latest messages" in earlier and "room-load-earlier" not in earlier


def test_reply_edit_delete_and_react_work_as_forms(app, session, cast):
    alice, bob = seated(app, cast, cast.alice), seated(app, cast, cast.bob)
    say(alice, cast, "Who uses H5P?")
    session.expire_all()
    question = session.scalar(select(RoomMessage).where(RoomMessage.body == "Who uses H5P?"))
    page = bob.client.get(f"{room_path(cast)}?reply_to={question.id}").get_data(as_text=True)
    assert "Replying to Alice Adams" in page
    assert f'name="reply_to_id" type="hidden" value="{question.id}"' in page
    say(bob, cast, "We do", reply_to_id=str(question.id))
    post(
        bob,
        room_path(cast),
        f"/rooms/{cast.room_id}/messages/{question.id}/react",
        {"kind": "like"},
    )
    edit = f"/rooms/{cast.room_id}/messages/{question.id}/edit"
    assert alice.client.get(edit).status_code == 200
    assert bob.client.get(edit).status_code == 403
    assert post(alice, edit, edit, {"body": "Who uses H5P here?"}).status_code == 302
    html = alice.client.get(room_path(cast)).get_data(as_text=True)
    assert "Who uses H5P here?" in html and "(edited)" in html
    assert "Reply to Alice Adams" in html
    assert 'aria-pressed="false"' in html and '<span class="reaction-count">1</span>' in html
    post(alice, room_path(cast), f"/rooms/{cast.room_id}/messages/{question.id}/delete", {})
    html = bob.client.get(room_path(cast)).get_data(as_text=True)
    assert "This message was deleted." in html and "Who uses H5P here?</p>" not in html


def test_a_member_flags_a_message(app, session, cast):
    alice, bob = seated(app, cast, cast.alice), seated(app, cast, cast.bob)
    say(alice, cast, "Buy cheap essays")
    session.expire_all()
    spam = session.scalar(select(RoomMessage).where(RoomMessage.body == "Buy cheap essays"))
    flag = f"/rooms/{cast.room_id}/messages/{spam.id}/flag"
    assert "Flag a message" in bob.client.get(flag).get_data(as_text=True)
    response = post(bob, flag, flag, {"reason": "spam", "note": "An ad"})
    assert response.status_code == 302
    followed = bob.client.get(room_path(cast)).get_data(as_text=True)
    assert "the moderators will look at it" in followed


def test_organisers_moderate_with_forms(app, session, cast):
    alice, bob = seated(app, cast, cast.alice), seated(app, cast, cast.bob)
    olu = logged_in_client(app, cast.organiser)
    say(bob, cast, "Welcome all")
    session.expire_all()
    message = session.scalar(select(RoomMessage).where(RoomMessage.body == "Welcome all"))
    page = olu.client.get(room_path(cast)).get_data(as_text=True)
    assert "Room moderation" in page and "Mute Bob Brown" in page
    assert "Room moderation" not in alice.client.get(room_path(cast)).get_data(as_text=True)
    base = f"/rooms/{cast.room_id}"
    assert post(olu, room_path(cast), f"{base}/messages/{message.id}/pin", {}).status_code == 302
    assert 'id="room-pinned"' in (page := alice.client.get(room_path(cast)).get_data(as_text=True))
    assert 'aria-label="Pinned message">' in page
    post(olu, room_path(cast), f"{base}/slow-mode", {"seconds": "30"})
    assert room_of_db(session, cast).slow_mode_seconds == 30
    post(olu, room_path(cast), f"{base}/members/{cast.bob.id}/remove", {})
    assert bob.client.get(room_path(cast)).status_code == 403
    assert post(bob, "/", f"{base}/join", {}).status_code == 302
    assert bob.client.get(room_path(cast)).status_code == 403
    # A member cannot use the organisers' forms.
    post(alice, room_path(cast), f"{base}/members/{cast.organiser.id}/mute", {})
    assert not service.is_muted(session, room_of_db(session, cast), cast.organiser.id)


def test_an_archived_room_stays_readable_without_a_composer(app, session, cast):
    alice = seated(app, cast, cast.alice)
    say(alice, cast, "See you next year")
    olu = logged_in_client(app, cast.organiser)
    assert post(olu, room_path(cast), f"/rooms/{cast.room_id}/archive", {}).status_code == 302
    html = alice.client.get(room_path(cast)).get_data(as_text=True)
    assert "See you next year" in html and "This room is archived" in html
    assert 'id="room-composer"' not in html and 'data-archived="true"' in html
    refused = say(alice, cast, "Too late")
    assert refused.status_code == 409 and "archived" in refused.get_data(as_text=True)


def test_the_notification_address_leads_to_the_room(app, cast):
    alice = logged_in_client(app, cast.alice)
    response = alice.client.get(f"/events/{cast.event_id}/rooms/{cast.room_id}")
    assert response.status_code == 302 and response.headers["Location"] == room_path(cast)
    assert alice.client.get(f"/events/{cast.event_id + 1}/rooms/{cast.room_id}").status_code == 404


def room_of_db(session, cast) -> Room:
    session.expire_all()
    return session.get(Room, cast.room_id)


def test_the_event_page_links_to_its_rooms(app, cast):
    alice = logged_in_client(app, cast.alice)
    html = alice.client.get(f"/events/{cast.event_id}").get_data(as_text=True)
    assert f'href="/events/{cast.event_id}/rooms"' in html


def test_reaction_buttons_show_their_emoji_and_rooms_js_gets_them_too(app, session, cast):
    """The buttons write each emoji as a character reference (the page stays narrow in
    Python's memory); a browser shows the emoji itself, and rooms.js reads the same ones
    from the page's data for live messages."""
    alice = seated(app, cast, cast.alice)
    say(alice, cast, "Who uses H5P?")
    html = alice.client.get(room_path(cast)).get_data(as_text=True)
    button = r'data-reaction="(\w+)"[^>]*><span aria-hidden="true">([^<]+)</span>'
    buttons = re.findall(button, html)
    shown = {kind: unescape(text) for kind, text in buttons}
    assert shown == {"like": "👍", "helpful": "🙌", "insightful": "💡", "celebrate": "🎉"}
    assert max(map(ord, html)) < 0x10000
    data = re.search(r'<script type="application/json" id="room-data">(.+?)</script>', html)
    offered = {each["value"]: each["emoji"] for each in json.loads(data.group(1))["reactions"]}
    assert offered == shown
