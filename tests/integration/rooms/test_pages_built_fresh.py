"""The lobby and the room page are built by string formatting (``rooms.rendering``) and
the lobby's forms are kept per language: what a member sees follows every change at
once, and a view costs the same statements however many rooms, messages and people."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from hallway.accounts.models import User
from hallway.events import service as events_service
from hallway.events.models import Event
from hallway.members import service as members_service
from hallway.moderation import service as moderation
from hallway.realtime import presence
from hallway.rooms import service
from tests.factories import make_profile, make_user
from tests.integration.rooms.room_clients import (
    build_cast,
    fresh_rooms_state,  # noqa: F401
    in_app,
    logged_in_client,
)
from tests.querycount import statements_for


@pytest.fixture
def cast(app, session):
    return build_cast(app, session)


def lobby_of(helper, cast) -> str:
    response = helper.client.get(f"/events/{cast.event_id}/rooms")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def room_row(html: str, room_id: int) -> str:
    """The lobby's row of a room: from its ``<li>`` to the next row's."""
    start = html.rindex("<li", 0, html.index(f'data-room-row="{room_id}"'))
    end = html.find('<li class="list-row', start + 1)
    return html[start : end if end != -1 else html.index("</section>", start)]


def test_the_lobby_follows_rooms_seats_and_archiving(app, session, cast):
    alice = logged_in_client(app, cast.alice)
    assert "Big table" not in lobby_of(alice, cast)
    table = in_app(app, session, lambda: service.create_room(
        session, cast.organiser, cast.event_id, {"name": "Big table", "size_limit": 2}
    ))  # fmt: skip
    html = lobby_of(alice, cast)
    row = room_row(html, table.id)
    assert "Big table" in row and "0 of 2 seats taken" in row
    assert "This room is full" not in row
    carla = make_user(session, handle="carla")
    going(app, session, cast, carla)
    for user in (cast.bob, carla):
        in_app(app, session, lambda user=user: service.join_room(session, user, table.id))
    row = room_row(lobby_of(alice, cast), table.id)
    assert "2 of 2 seats taken" in row
    assert "This room is full: all 2 seats are taken." in row
    # The organiser is never refused for seats.
    organiser = logged_in_client(app, cast.organiser)
    assert "This room is full" not in room_row(lobby_of(organiser, cast), table.id)
    in_app(app, session, lambda: service.archive_room(session, cast.organiser, table.id))
    row = room_row(lobby_of(alice, cast), table.id)
    assert "is-archived" in row and ">Archived</span>" in row
    assert "This room is full" not in row


def test_the_lobby_names_present_people_it_may_and_counts_the_others(app, session, cast):
    carol = make_user(session, handle="carol", display_name="Carol Private")
    make_profile(session, carol, visibility="private")
    session.commit()
    alice = logged_in_client(app, cast.alice)
    row = room_row(lobby_of(alice, cast), cast.room_id)
    assert "0 here" in row
    with app.app_context():
        presence.enter(service.room_topic(cast.room_id), cast.bob.id, "sid-bob")
        presence.enter(service.room_topic(cast.room_id), carol.id, "sid-carol")
    row = room_row(lobby_of(alice, cast), cast.room_id)
    assert "2 here" in row and "<li>Bob Brown</li>" in row
    assert "Carol Private" not in row and "and 1 more" in row
    # Carol sees herself named.
    own = room_row(lobby_of(logged_in_client(app, carol), cast), cast.room_id)
    assert "<li>Carol Private</li>" in own and "more" not in own


def test_the_lobby_speaks_the_reader_language(app, session, cast):
    session.execute(update(User).where(User.id == cast.alice.id).values(language="fr_CA"))
    session.commit()
    in_app(app, session, lambda: service.create_room(
        session, cast.organiser, cast.event_id, {"name": "Secret", "access": "invite"}
    ))  # fmt: skip
    html = lobby_of(logged_in_client(app, cast.alice), cast)
    assert "Invitation only" not in html and "0 here" not in html
    assert "Open a table" not in html  # the form's card is French too


def test_the_composer_speaks_the_reader_language(app, session, cast):
    for user in (cast.alice, cast.bob):
        in_app(app, session, lambda user=user: service.join_room(session, user, cast.room_id))
    session.execute(update(User).where(User.id == cast.alice.id).values(language="fr_CA"))
    session.commit()
    english = logged_in_client(app, cast.bob).client.get(f"/rooms/{cast.room_id}")
    assert "Markdown works." in english.get_data(as_text=True)
    french = logged_in_client(app, cast.alice).client.get(f"/rooms/{cast.room_id}?reply_to=x")
    html = french.get_data(as_text=True)
    assert french.status_code == 200 and "Markdown works." not in html
    assert 'name="reply_to_id" type="hidden" value=""' in html


def test_the_lobby_forms_follow_the_reader(app, session, cast):
    organiser_html = lobby_of(logged_in_client(app, cast.organiser), cast)
    alice = logged_in_client(app, cast.alice)
    alice_html = lobby_of(alice, cast)
    outsider_html = lobby_of(logged_in_client(app, cast.outsider), cast)
    assert 'id="new-room"' in organiser_html and 'id="new-table"' in organiser_html
    assert 'id="new-room"' not in alice_html and 'id="new-table"' in alice_html
    assert 'id="new-room"' not in outsider_html and 'id="new-table"' not in outsider_html
    assert "This room is for the people going to the event." in outsider_html
    # Each view carries its own session's CSRF token, which the form accepts.
    token = re.search(r'id="new-table".*?name="csrf_token" value="([^"]+)"', alice_html, re.S)
    assert token
    response = alice.client.post(
        f"/events/{cast.event_id}/tables", data={"csrf_token": token.group(1), "table-name": ""}
    )
    assert response.status_code == 422  # the name is missing; the token was accepted
    assert "Give the table a name." in response.get_data(as_text=True)


def seat_and_send(app, session, cast, alices_text, bobs_text, *, reply=False):
    """Alice and Bob take a seat in the cast's room and each writes a message (Bob's
    a reply to Alice's with ``reply``); returns both messages."""
    for user in (cast.alice, cast.bob):
        in_app(app, session, lambda user=user: service.join_room(session, user, cast.room_id))
    alices = in_app(app, session, lambda: service.send_message(
        session, cast.alice, cast.room_id, alices_text, "c-1", None
    ))[0]  # fmt: skip
    bobs = in_app(app, session, lambda: service.send_message(
        session, cast.bob, cast.room_id, bobs_text, "c-2", alices.id if reply else None
    ))[0]  # fmt: skip
    return alices, bobs


def test_the_room_page_follows_messages_and_who_wrote_them(app, session, cast):
    alice = logged_in_client(app, cast.alice)
    mine, theirs = seat_and_send(app, session, cast, "Mine <b>here</b>", "From Bob", reply=True)
    html = alice.client.get(f"/rooms/{cast.room_id}").get_data(as_text=True)
    assert f'href="/rooms/{cast.room_id}/messages/{mine.id}/edit"' in html
    assert f'href="/rooms/{cast.room_id}/messages/{theirs.id}/edit"' not in html
    assert f'href="/rooms/{cast.room_id}/messages/{theirs.id}/flag"' in html
    assert 'data-body="Mine &lt;b&gt;here&lt;/b&gt;"' in html
    assert "Reply to Alice Adams" in html
    assert 'data-action="reply"' in html and "Moderate" not in html
    in_app(app, session, lambda: service.edit_message(session, cast.alice, mine.id, "Changed"))
    in_app(app, session, lambda: service.toggle_reaction(session, cast.alice, theirs.id, "like"))
    in_app(app, session, lambda: moderation.block_member(session, actor=cast.alice, handle="bobby"))
    html = alice.client.get(f"/rooms/{cast.room_id}").get_data(as_text=True)
    assert "(edited)" in html and 'data-body="Changed"' in html
    assert 'aria-pressed="true"' in html and "has-count" in html
    assert "You blocked this member. Show" in html and "is-blocked" in html
    organiser_html = (
        logged_in_client(app, cast.organiser)
        .client.get(f"/rooms/{cast.room_id}")
        .get_data(as_text=True)
    )
    assert "Mute Bob Brown" in organiser_html and "Remove the message" in organiser_html
    in_app(app, session, lambda: service.delete_message(session, cast.bob, theirs.id))
    html = alice.client.get(f"/rooms/{cast.room_id}").get_data(as_text=True)
    assert "This message was deleted." in html and "From Bob" not in html


def test_a_removed_member_is_refused_the_room_page(app, session, cast):
    bob = logged_in_client(app, cast.bob)
    in_app(app, session, lambda: service.join_room(session, cast.bob, cast.room_id))
    assert bob.client.get(f"/rooms/{cast.room_id}").status_code == 200
    in_app(app, session, lambda: service.remove_member(
        session, cast.organiser, cast.room_id, cast.bob.id
    ))  # fmt: skip
    response = bob.client.get(f"/rooms/{cast.room_id}")
    assert response.status_code == 403
    assert "An organiser removed you from this room." in response.get_data(as_text=True)


def going(app, session, cast, user):
    in_app(app, session, lambda: events_service.set_rsvp(
        session, actor=user, event=session.get(Event, cast.event_id), status="going"
    ))  # fmt: skip


def grow(app, session, cast, start, count):
    """``count`` more rooms, each with a new member (private profile one in two) seated
    and present in it and in the cast's room, where they write a message Alice likes."""
    for number in range(start, start + count):
        room = in_app(app, session, lambda number=number: service.create_room(
            session, cast.organiser, cast.event_id, {"name": f"Room {number}", "size_limit": 9}
        ))  # fmt: skip
        person = make_user(session)
        make_profile(session, person, visibility="private" if number % 2 else "members")
        going(app, session, cast, person)
        for room_id in (cast.room_id, room.id):
            in_app(app, session, lambda person=person, room_id=room_id: service.join_room(
                session, person, room_id
            ))  # fmt: skip
            with app.app_context():
                presence.enter(service.room_topic(room_id), person.id, f"sid-{number}-{room_id}")
        sent = in_app(app, session, lambda person=person, number=number: service.send_message(
            session, person, cast.room_id, f"message {number}", f"n-{number}", None
        ))[0]  # fmt: skip
        in_app(app, session, lambda sent=sent: service.toggle_reaction(
            session, cast.alice, sent.id, "like"
        ))  # fmt: skip


def test_the_pages_statements_do_not_grow_with_rooms_messages_or_people(app, session, cast):
    alice = logged_in_client(app, cast.alice)
    in_app(app, session, lambda: service.join_room(session, cast.alice, cast.room_id))
    lobby_path, room_path = f"/events/{cast.event_id}/rooms", f"/rooms/{cast.room_id}"
    grow(app, session, cast, 0, 1)
    few_lobby = len(statements_for(app, alice.client, lobby_path))
    few_room = len(statements_for(app, alice.client, room_path))
    grow(app, session, cast, 1, 6)
    html = alice.client.get(room_path).get_data(as_text=True)
    assert "message 6" in html and 'id="room-people-count">7<' in html
    assert len(statements_for(app, alice.client, lobby_path)) == few_lobby
    assert len(statements_for(app, alice.client, room_path)) == few_room


def test_the_room_history_is_read_once_and_each_reader_gets_their_own_parts(app, session, cast):
    """The history is kept while the room's live sequence and the directory hold: a
    repeat view reads no message, yet each reader still gets their own edit links,
    pressed reactions and folded authors, and a new name shows at once."""
    alices, bobs = seat_and_send(app, session, cast, "Alice writes", "Bob writes")
    in_app(app, session, lambda: service.toggle_reaction(session, cast.alice, bobs.id, "like"))
    path = f"/rooms/{cast.room_id}"
    alice, bob = logged_in_client(app, cast.alice), logged_in_client(app, cast.bob)
    repeat = statements_for(app, alice.client, path)
    assert not [each for each in repeat if "room_messages" in each]

    def edit_link(message) -> str:
        return f'href="/rooms/{cast.room_id}/messages/{message.id}/edit"'

    def like_of(html: str, message) -> str:
        item = html[html.index(f'id="message-{message.id}"') :]
        return item[item.index('data-reaction="like"') :][:60]

    alice_html = alice.client.get(path).get_data(as_text=True)
    bob_html = bob.client.get(path).get_data(as_text=True)
    assert edit_link(alices) in alice_html and edit_link(bobs) not in alice_html
    assert edit_link(bobs) in bob_html and edit_link(alices) not in bob_html
    assert 'aria-pressed="true"' in like_of(alice_html, bobs)
    assert 'aria-pressed="false"' in like_of(bob_html, bobs)
    assert "is-mine" in alice_html[alice_html.rindex("<li", 0, alice_html.index("Alice writes")) :]
    assert "is-blocked" not in bob_html
    in_app(app, session, lambda: moderation.block_member(session, actor=cast.bob, handle="alice"))
    assert "is-blocked" in bob.client.get(path).get_data(as_text=True)
    assert "is-blocked" not in alice.client.get(path).get_data(as_text=True)
    in_app(app, session, lambda: members_service.update_profile(
        session, cast.bob, {"display_name": "Robert Brown"}
    ))  # fmt: skip
    assert "Robert Brown" in alice.client.get(path).get_data(as_text=True)


def test_the_kept_room_page_still_gives_each_reader_their_own_standing(app, session, cast):
    """The room page's body is kept for every reader alike, but whether the reader is
    muted, who is here now and the reader's CSRF token are theirs on every view."""
    for user in (cast.alice, cast.bob):
        in_app(app, session, lambda user=user: service.join_room(session, user, cast.room_id))
    path = f"/rooms/{cast.room_id}"
    alice, bob = logged_in_client(app, cast.alice), logged_in_client(app, cast.bob)
    in_app(app, session, lambda: service.mute_member(
        session, cast.organiser, cast.room_id, cast.bob.id
    ))  # fmt: skip
    alice_html = alice.client.get(path).get_data(as_text=True)
    bob_html = bob.client.get(path).get_data(as_text=True)
    assert 'id="room-muted" hidden>' in alice_html
    assert 'id="room-muted">' in bob_html
    token = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
    assert token.search(alice_html).group(1) != token.search(bob_html).group(1)
    assert 'id="room-people-count">0<' in alice_html
    with app.app_context():
        presence.enter(service.room_topic(cast.room_id), cast.bob.id, "sid-bob")
    alice_html = alice.client.get(path).get_data(as_text=True)
    assert 'id="room-people-count">1<' in alice_html and "Bob Brown" in alice_html


def test_the_here_now_list_gives_organisers_a_menu_for_everyone_but_themselves(
    app, session, cast
):
    """The "here now" list is kept while the same people are here, yet only organisers
    get the moderation menu, never for themselves, with their own form token."""
    for user in (cast.alice, cast.bob):
        in_app(app, session, lambda user=user: service.join_room(session, user, cast.room_id))
    with app.app_context():
        for user in (cast.organiser, cast.alice, cast.bob):
            presence.enter(service.room_topic(cast.room_id), user.id, f"sid-{user.id}")
    path = f"/rooms/{cast.room_id}"

    def people_of(html: str) -> str:
        return html[html.index('id="room-people"') : html.index('id="room-people-unnamed"')]

    organiser = logged_in_client(app, cast.organiser)
    page = organiser.client.get(path).get_data(as_text=True)
    listed = people_of(page)
    assert "Moderate Bob Brown" in listed and "Moderate Alice Adams" in listed
    assert "Moderate Olu Organiser" not in listed
    token = re.search(r'name="csrf_token" value="([^"]+)"', listed).group(1)
    assert token == re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    alice = logged_in_client(app, cast.alice)
    alice_list = people_of(alice.client.get(path).get_data(as_text=True))
    assert "Olu Organiser" in alice_list and "Moderate" not in alice_list


def test_the_kept_shell_gives_each_view_its_title_badges_and_messages(app, session, cast):
    """The room page and the lobby keep their whole shell, yet the title follows the
    room's name, the header's unread count follows new notifications, and a flashed
    message shows once."""
    from hallway.notifications import service as notifications

    in_app(app, session, lambda: service.join_room(session, cast.alice, cast.room_id))
    alice = logged_in_client(app, cast.alice)
    path = f"/rooms/{cast.room_id}"

    def title_of(html: str) -> str:
        return re.search(r"<title>([^<]*)</title>", html).group(1)

    def unread_of(html: str) -> str:
        badge = re.search(r'<span class="count-badge" data-unread-count[^>]*>(\d+)</span>', html)
        return badge.group(1)

    html = alice.client.get(path).get_data(as_text=True)
    assert title_of(html) == "Hallway · Hallway"
    assert 'id="room-history"' in html
    assert title_of(lobby_of(alice, cast)) == "Rooms at Open Ed Meetup · Hallway"
    assert unread_of(html) == "0"
    in_app(app, session, lambda: service.edit_room(
        session, cast.organiser, cast.room_id, {"name": "Coffee <corner>"}
    ))  # fmt: skip
    html = alice.client.get(path).get_data(as_text=True)
    assert title_of(html) == "Coffee &lt;corner&gt; · Hallway"
    in_app(app, session, lambda: notifications.notify(
        session,
        recipients={cast.alice.id: "reply"},
        actor_id=cast.bob.id,
        subject_type="thread",
        subject_id=1,
        url="/t/1",
        summary="Bob replied",
    ))  # fmt: skip
    assert unread_of(alice.client.get(path).get_data(as_text=True)) == "1"
    with alice.client.session_transaction() as browser_session:
        browser_session["_flashes"] = [("success", "Your table is set.")]
    assert "Your table is set." in alice.client.get(path).get_data(as_text=True)
    assert "Your table is set." not in alice.client.get(path).get_data(as_text=True)


@pytest.mark.parametrize("page", ["room", "lobby"])
def test_the_kept_shell_is_the_shell_base_html_renders(app, session, cast, page):
    """Kept or rendered afresh (debug mode keeps nothing), the page is the same but for
    its per-request parts: the reader's CSRF token (one, in the meta tag and every form)
    and the composer's new client id."""
    in_app(app, session, lambda: service.join_room(session, cast.bob, cast.room_id))
    bob = logged_in_client(app, cast.bob)
    path = f"/rooms/{cast.room_id}" if page == "room" else f"/events/{cast.event_id}/rooms"
    bob.client.get(path)  # kept now
    kept = bob.client.get(path).get_data(as_text=True)
    app.debug = True
    try:
        fresh = bob.client.get(path).get_data(as_text=True)
    finally:
        app.debug = False
    token = re.compile(r'(csrf[-_]token"?[^>]*(?:content|value)=")[^"]+"')
    client_id = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

    def per_request_parts_out(html: str) -> str:
        return client_id.sub("ID", token.sub(r'\1T"', html))

    assert per_request_parts_out(kept) == per_request_parts_out(fresh)
    assert "room-people" in kept if page == "room" else "room-row" in kept
    tokens = set(re.findall(r'(?:content|value)="([^"]+)"', kept[kept.index("csrf-token") :][:200]))
    assert len(tokens) == 1


def test_the_kept_shell_is_each_readers_own(app, session, cast):
    """The shell is kept once per kind of page for every reader: after Alice's views, Bob
    is named in the header, every form carries the token of the browser he reads in, and
    the language switcher brings him back to the room he is in."""
    corner = in_app(app, session, lambda: service.create_room(
        session, cast.organiser, cast.event_id, {"name": "Quiet corner"}
    ))  # fmt: skip
    for user in (cast.alice, cast.bob):
        for room_id in (cast.room_id, corner.id):
            in_app(app, session, lambda u=user, r=room_id: service.join_room(session, u, r))
    alice = logged_in_client(app, cast.alice)
    alice.client.get(f"/rooms/{cast.room_id}")
    lobby_of(alice, cast)
    paths = (f"/events/{cast.event_id}/rooms", f"/rooms/{cast.room_id}", f"/rooms/{corner.id}")
    seen_tokens = set()
    for browser in (logged_in_client(app, cast.bob), logged_in_client(app, cast.bob)):
        for path in paths:
            html = browser.client.get(path).get_data(as_text=True)
            menu = re.search(r'<span class="menu-label">([^<]*)</span>', html)
            assert menu.group(1) == "Bob Brown"
            assert f'data-user-id="{cast.bob.id}"' in html
            tokens = set(re.findall(r'csrf[-_]token"?[^>]*(?:content|value)="([^"]+)"', html))
            assert len(tokens) == 1
            seen_tokens |= tokens
            next_field = re.search(r'<input type="hidden" name="next" value="([^"]*)">', html)
            assert next_field.group(1) == path
    assert len(seen_tokens) == 2  # one per browser
