"""A member's blocks in a room (folded messages, no mention notices, one broadcast for
all) and an event's cancellation archiving its rooms, live."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hallway.core.errors import Conflict
from hallway.events import service as events_service
from hallway.moderation.models import AuditEntry
from hallway.notifications.models import Notification
from hallway.rooms import service
from hallway.rooms.models import Room
from tests.factories import make_block, make_user
from tests.integration.rooms.room_clients import (
    build_cast,
    connect,
    fresh_rooms_state,  # noqa: F401
    in_app,
    join,
    logged_in_client,
    received,
    room_of,
    send,
)
from tests.unit.events.factories import make_event

FOLDED = "You blocked this member. Show"


@pytest.fixture
def cast(app, session):
    return build_cast(app, session)


def bob_blocks_alice(app, session, cast):
    in_app(app, session, lambda: make_block(session, blocker=cast.bob, blocked=cast.alice))


def seat(app, session, cast, *users):
    def take_seats():
        for user in users:
            service.join_room(session, user, cast.room_id)

    in_app(app, session, take_seats)


def message_item(html: str, message_id: int) -> str:
    found = re.search(rf'<li class="[^"]*" id="message-{message_id}".*?</li>', html, re.S)
    assert found, html
    return found.group(0)


# --- Blocks -------------------------------------------------------------------------------


def test_the_room_page_folds_the_messages_of_a_member_the_viewer_blocked(app, session, cast):
    seat(app, session, cast, cast.alice, cast.bob)
    bob_blocks_alice(app, session, cast)
    from_alice, _ = in_app(
        app,
        session,
        lambda: service.send_message(session, cast.alice, cast.room_id, "Spam spam", "a-1"),
    )
    from_bob, _ = in_app(
        app,
        session,
        lambda: service.send_message(session, cast.bob, cast.room_id, "Hi all", "b-1"),
    )

    html = logged_in_client(app, cast.bob).client.get(f"/rooms/{cast.room_id}").get_data(True)
    folded = message_item(html, from_alice.id)
    assert "is-blocked" in folded
    assert f'<details class="blocked-post"><summary>{FOLDED}</summary>' in folded
    assert "Spam spam" in folded.split("</summary>", 1)[1]  # there, behind "Show"
    assert "blocked-post" not in message_item(html, from_bob.id)
    assert f'data-blocked-ids="{cast.alice.id}"' in html

    # Alice did not block anyone: nothing of hers or Bob's is folded for her.
    html = logged_in_client(app, cast.alice).client.get(f"/rooms/{cast.room_id}").get_data(True)
    assert "blocked-post" not in html and 'data-blocked-ids=""' in html
    # Nor for the organiser, who sees Alice's message as it is.
    html = logged_in_client(app, cast.organiser).client.get(f"/rooms/{cast.room_id}").get_data(True)
    assert "blocked-post" not in message_item(html, from_alice.id)


def test_a_pinned_message_of_a_blocked_member_is_folded_for_the_blocker(app, session, cast):
    seat(app, session, cast, cast.alice, cast.bob)
    bob_blocks_alice(app, session, cast)

    def pin():
        message, _ = service.send_message(session, cast.alice, cast.room_id, "Read me", "a-2")
        service.pin_message(session, cast.organiser, message.id)

    in_app(app, session, pin)
    html = logged_in_client(app, cast.bob).client.get(f"/rooms/{cast.room_id}").get_data(True)
    pinned = html.split('id="room-pinned"', 1)[1].split("</aside>", 1)[0]
    assert f"<summary>{FOLDED}</summary>" in pinned and "Read me" in pinned
    html = logged_in_client(app, cast.alice).client.get(f"/rooms/{cast.room_id}").get_data(True)
    pinned = html.split('id="room-pinned"', 1)[1].split("</aside>", 1)[0]
    assert "blocked-post" not in pinned and "Read me" in pinned


def test_the_broadcast_of_a_blocked_members_message_is_the_same_for_everyone(app, session, cast):
    bob_blocks_alice(app, session, cast)
    alice, bob = connect(app, cast.alice), connect(app, cast.bob)
    organiser = connect(app, cast.organiser)
    for client in (alice, bob, organiser):
        assert join(client, cast.room_id)["ok"] is True
        received(client)
    assert send(alice, cast.room_id, "Hello @bobby")["ok"] is True
    [(_, to_bob)] = received(bob, "room_message")
    [(_, to_organiser)] = received(organiser, "room_message")
    assert to_bob == to_organiser and to_bob["body"] == "Hello @bobby"
    assert to_bob["author"]["id"] == cast.alice.id  # rooms.js folds it by this id


def mention_notices(session, user):
    session.expire_all()
    return list(
        session.scalars(
            select(Notification).where(
                Notification.recipient_id == user.id, Notification.kind == service.KIND_MENTION
            )
        )
    )


def test_a_blocked_members_mention_never_notifies_the_blocker(app, session, cast):
    seat(app, session, cast, cast.alice, cast.bob)
    bob_blocks_alice(app, session, cast)
    message, _ = in_app(
        app,
        session,
        lambda: service.send_message(session, cast.alice, cast.room_id, "Hi @bobby", "a-3"),
    )
    in_app(app, session, lambda: service.edit_message(session, cast.alice, message.id, "@bobby!"))
    other, _ = in_app(
        app,
        session,
        lambda: service.send_message(session, cast.alice, cast.room_id, "Plain", "a-4"),
    )
    in_app(app, session, lambda: service.edit_message(session, cast.alice, other.id, "Hey @bobby"))
    assert mention_notices(session, cast.bob) == []
    # The organiser, who blocked nobody, is notified as usual.
    in_app(
        app,
        session,
        lambda: service.send_message(session, cast.alice, cast.room_id, "Hi @olu", "a-5"),
    )
    assert len(mention_notices(session, cast.organiser)) == 1


# --- An event cancelled -------------------------------------------------------------------


def archive_audits(session):
    session.expire_all()
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == "room_archive").order_by(AuditEntry.id)
        )
    )


def cancel(app, session, cast, actor=None):
    def do_cancel():
        event = events_service.visible_event(session, cast.organiser, cast.event_id)
        events_service.cancel_event(session, actor=actor or cast.organiser, event=event)

    in_app(app, session, do_cancel)


def test_cancelling_an_event_archives_its_open_rooms_as_the_organiser(app, session, cast):
    def more_rooms():
        table = service.open_table(
            session, cast.alice, cast.event_id, {"name": "Table", "size_limit": 4}
        )
        closed = service.create_room(session, cast.organiser, cast.event_id, {"name": "Done"})
        service.archive_room(session, cast.organiser, closed.id)
        other_event = make_event(session, owner=cast.organiser, title="Another meetup")
        elsewhere = service.create_room(session, cast.organiser, other_event.id, {"name": "Else"})
        service.join_room(session, cast.alice, cast.room_id)
        service.send_message(session, cast.alice, cast.room_id, "Before the cancellation", "a-6")
        return table.id, closed.id, elsewhere.id

    table_id, closed_id, elsewhere_id = in_app(app, session, more_rooms)
    archived_before = len(archive_audits(session))
    cancel(app, session, cast)

    assert room_of(session, cast.room_id).is_archived
    assert session.get(Room, table_id).is_archived
    assert not session.get(Room, elsewhere_id).is_archived  # another event's room
    audits = archive_audits(session)[archived_before:]
    assert sorted(entry.subject_id for entry in audits) == sorted([cast.room_id, table_id])
    assert {entry.actor_id for entry in audits} == {cast.organiser.id}
    assert closed_id not in {entry.subject_id for entry in audits}  # already archived

    # History stays readable; nothing new can be written.
    with app.app_context():
        shown = service.history(session, cast.alice, cast.room_id)
        assert [m["body"] for m in shown.messages] == ["Before the cancellation"]
        with pytest.raises(Conflict):
            service.send_message(session, cast.alice, cast.room_id, "After", "a-7")
        session.rollback()


def test_a_co_organiser_who_cancels_is_the_one_audited(app, session, cast):
    def add_co():
        cora = make_user(session, handle="cora", display_name="Cora Co")
        event = events_service.visible_event(session, cast.organiser, cast.event_id)
        events_service.add_co_organiser(session, actor=cast.organiser, event=event, user_id=cora.id)
        return cora

    cora = in_app(app, session, add_co)
    cancel(app, session, cast, actor=cora)
    [entry] = [e for e in archive_audits(session) if e.subject_id == cast.room_id]
    assert entry.actor_id == cora.id


def test_the_rooms_pages_hear_the_cancellation_live(app, session, cast):
    alice = connect(app, cast.alice)
    watcher = connect(app, cast.bob)
    assert join(alice, cast.room_id)["ok"] is True
    watcher.emit("rooms_lobby_join", {"event_id": cast.event_id}, callback=True)
    received(alice)
    received(watcher)
    cancel(app, session, cast)
    [(_, room)] = received(alice, "room_updated")
    assert room["id"] == cast.room_id and room["archived"] is True
    assert isinstance(room["seq"], int)  # numbered: a page that was away catches it up
    lobby = {data["room_id"] for _, data in received(watcher, "rooms_changed")}
    assert lobby == {cast.room_id}  # the lobby takes its list again
    refused = send(alice, cast.room_id, "Still here?")
    assert refused["ok"] is False and "archived" in refused["error"]


def test_cancelling_twice_archives_once(app, session, cast):
    cancel(app, session, cast)
    cancel(app, session, cast)
    assert [e.subject_id for e in archive_audits(session)] == [cast.room_id]
