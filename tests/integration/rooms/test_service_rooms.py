"""Rooms and tables: who opens them, who joins, seats, archiving, the lobby."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.events import service as events_service
from hallway.rooms import service
from hallway.rooms.models import RoomKind, RoomMembership
from tests.factories import make_profile, make_user
from tests.integration.rooms.conftest import go, send

pytestmark = pytest.mark.usefixtures("app_context")


def seat_holders(session, room):
    return set(
        session.scalars(select(RoomMembership.user_id).where(RoomMembership.room_id == room.id))
    )


# --- Organisers' rooms -------------------------------------------------------------------------


def test_organisers_and_co_organisers_create_rooms(session, event, organiser, co_organiser):
    room = service.create_room(
        session,
        organiser,
        event.id,
        {"name": " LMS admins ", "topic": "Moodle and Canvas", "access": "members",
         "size_limit": 30, "slow_mode_seconds": 10},
    )  # fmt: skip
    assert (room.name, room.topic, room.access.value) == (
        "LMS admins",
        "Moodle and Canvas",
        "members",
    )
    assert (room.size_limit, room.slow_mode_seconds, room.kind) == (30, 10, RoomKind.organiser)
    assert room.created_by_id == organiser.id and room.owner_id is None
    other = service.create_room(session, co_organiser, event.id, {"name": "Mentoring"})
    assert other.access.value == "going" and other.size_limit is None


def test_members_cannot_create_organisers_rooms(session, event, alice):
    with pytest.raises(NotAllowed):
        service.create_room(session, alice, event.id, {"name": "Mine"})


def test_room_settings_are_checked(session, event, organiser):
    with pytest.raises(InvalidInput) as refused:
        service.create_room(
            session,
            organiser,
            event.id,
            {"name": "", "size_limit": 1, "slow_mode_seconds": 3601, "access": "everyone"},
        )
    assert set(refused.value.field_errors) == {"name", "size_limit", "slow_mode_seconds", "access"}
    room = service.create_room(
        session, organiser, event.id,
        {"name": "n" * 80, "size_limit": 2, "slow_mode_seconds": 3600},
    )  # fmt: skip
    assert (room.size_limit, room.slow_mode_seconds) == (2, 3600)
    with pytest.raises(InvalidInput):
        service.create_room(session, organiser, event.id, {"name": "n" * 81})


def test_no_rooms_for_a_cancelled_event(session, event, organiser):
    events_service.cancel_event(session, actor=organiser, event=event)
    with pytest.raises(Conflict):
        service.create_room(session, organiser, event.id, {"name": "Late"})


def test_organisers_edit_a_room_and_everyone_in_it_is_told(session, room, organiser):
    from tests.integration.rooms.conftest import published

    service.edit_room(session, organiser, room.id, {"topic": "New topic", "size_limit": 12})
    assert (room.topic, room.size_limit) == ("New topic", 12)
    name, payload = published(session, room.id)[-1]
    assert name == "room_updated"
    assert payload["description"] == "New topic" and payload["size_limit"] == 12


def test_members_cannot_edit_an_organisers_room(session, room, alice):
    with pytest.raises(NotAllowed):
        service.edit_room(session, alice, room.id, {"topic": "Mine now"})


# --- Tables ------------------------------------------------------------------------------------


def test_a_member_going_opens_a_table_and_takes_its_first_seat(session, event, alice):
    table = service.open_table(
        session, alice, event.id, {"name": "First-timers", "topic": "New here?", "size_limit": 6}
    )
    assert (table.kind, table.owner_id, table.size_limit) == (RoomKind.table, alice.id, 6)
    assert seat_holders(session, table) == {alice.id}


def test_a_member_not_going_cannot_open_a_table(session, event, outsider):
    with pytest.raises(NotAllowed):
        service.open_table(session, outsider, event.id, {"name": "Mine", "size_limit": 4})


def test_a_table_has_2_to_20_seats(session, event, alice):
    for wrong in (None, 1, 21):
        with pytest.raises(InvalidInput) as refused:
            service.open_table(session, alice, event.id, {"name": "T", "size_limit": wrong})
        assert "size_limit" in refused.value.field_errors
    assert (
        service.open_table(session, alice, event.id, {"name": "T", "size_limit": 20}).size_limit
        == 20
    )
    assert (
        service.open_table(session, alice, event.id, {"name": "U", "size_limit": 2}).size_limit == 2
    )


def test_a_table_is_for_those_going_or_by_invitation(session, event, alice):
    with pytest.raises(InvalidInput):
        service.open_table(
            session, alice, event.id, {"name": "T", "size_limit": 4, "access": "members"}
        )
    table = service.open_table(
        session, alice, event.id, {"name": "T", "size_limit": 4, "access": "invite"}
    )
    assert table.access.value == "invite"


def test_at_most_three_open_tables_per_member(session, event, alice, organiser):
    tables = [
        service.open_table(session, alice, event.id, {"name": f"T{n}", "size_limit": 4})
        for n in range(3)
    ]
    with pytest.raises(Conflict):
        service.open_table(session, alice, event.id, {"name": "T4", "size_limit": 4})
    service.archive_room(session, alice, tables[0].id)  # closing one frees a place
    assert service.open_table(session, alice, event.id, {"name": "T4", "size_limit": 4}).id


def test_the_owner_edits_their_table_within_the_table_limits(session, event, alice, bob):
    table = service.open_table(session, alice, event.id, {"name": "T", "size_limit": 4})
    service.edit_room(session, alice, table.id, {"topic": "Portfolios", "size_limit": 20})
    assert (table.topic, table.size_limit) == ("Portfolios", 20)
    with pytest.raises(InvalidInput):
        service.edit_room(session, alice, table.id, {"size_limit": 21})
    with pytest.raises(InvalidInput):
        service.edit_room(session, alice, table.id, {"size_limit": None})
    with pytest.raises(NotAllowed):
        service.edit_room(session, bob, table.id, {"topic": "Bob's"})
    with pytest.raises(InvalidInput) as refused:
        service.edit_room(session, alice, table.id, {"access": "members"})
    assert "access" in refused.value.field_errors
    service.edit_room(session, alice, table.id, {"access": "invite"})
    assert table.access.value == "invite"


# --- Joining -------------------------------------------------------------------------------------


def test_a_room_for_those_going_refuses_others_with_the_reason(session, room, outsider, alice):
    with pytest.raises(NotAllowed) as refused:
        service.join_room(session, outsider, room.id)
    assert "going" in refused.value.message
    joined = service.join_room(session, alice, room.id)
    assert (joined.read_only, joined.muted, joined.can_moderate) == (False, False, False)
    assert seat_holders(session, room) == {alice.id}


def test_a_room_for_members_lets_any_member_in(session, event, organiser, outsider):
    room = service.create_room(session, organiser, event.id, {"name": "Open", "access": "members"})
    service.join_room(session, outsider, room.id)
    assert seat_holders(session, room) == {outsider.id}


def test_an_invite_only_room_lets_in_the_invited(session, event, organiser, alice, bob):
    room = service.create_room(session, organiser, event.id, {"name": "VIP", "access": "invite"})
    with pytest.raises(NotAllowed) as refused:
        service.join_room(session, alice, room.id)
    assert "invitation" in refused.value.message
    service.invite_member(session, organiser, room.id, alice.id)
    service.invite_member(session, organiser, room.id, alice.id)  # twice: one invitation
    service.join_room(session, alice, room.id)
    with pytest.raises(NotAllowed):
        service.join_room(session, bob, room.id)


def test_a_table_owner_invites_to_their_table_and_others_cannot(session, event, alice, bob):
    table = service.open_table(
        session, alice, event.id, {"name": "T", "size_limit": 4, "access": "invite"}
    )
    with pytest.raises(NotAllowed):
        service.invite_member(session, bob, table.id, bob.id)
    service.invite_member(session, alice, table.id, bob.id)
    service.join_room(session, bob, table.id)
    assert seat_holders(session, table) == {alice.id, bob.id}


def test_organisers_get_in_anywhere(session, event, organiser, co_organiser):
    room = service.create_room(
        session, organiser, event.id, {"name": "VIP", "access": "invite", "size_limit": 2}
    )
    joined = service.join_room(session, co_organiser, room.id)
    assert joined.can_moderate is True


def test_the_size_limit_counts_seats(session, event, organiser, alice, bob):
    carol = make_user(session, handle="carol")
    go(session, event, carol)
    table = service.open_table(session, alice, event.id, {"name": "Pair", "size_limit": 2})
    service.join_room(session, bob, table.id)  # the second and last seat
    with pytest.raises(Conflict) as refused:
        service.join_room(session, carol, table.id)
    assert "full" in refused.value.message and "2" in refused.value.message
    service.join_room(session, bob, table.id)  # joining again keeps the seat
    service.leave_room(session, bob, table.id)  # leaving frees a seat ...
    service.join_room(session, carol, table.id)  # ... for someone else
    service.join_room(session, organiser, table.id)  # organisers always get in
    assert seat_holders(session, table) == {alice.id, carol.id, organiser.id}


def test_a_removed_member_is_refused_on_rejoin_with_the_reason(session, seated, alice, organiser):
    service.remove_member(session, organiser, seated.id, alice.id)
    assert alice.id not in seat_holders(session, seated)
    with pytest.raises(NotAllowed) as refused:
        service.join_room(session, alice, seated.id)
    assert refused.value.message == "An organiser removed you from this room."
    with pytest.raises(NotAllowed):
        service.history(session, alice, seated.id)


def test_an_archived_room_is_joined_read_only_without_a_seat(session, room, alice, organiser):
    service.archive_room(session, organiser, room.id)
    joined = service.join_room(session, alice, room.id)
    assert joined.read_only is True
    assert seat_holders(session, room) == set()
    assert service.history(session, alice, room.id).messages == []


def test_a_muted_member_joins_and_is_told_they_are_muted(session, seated, alice, organiser):
    service.mute_member(session, organiser, seated.id, alice.id)
    assert service.join_room(session, alice, seated.id).muted is True


def test_rooms_of_an_event_the_member_may_not_see_are_not_found(session, organiser, outsider):
    from tests.unit.events.factories import make_event

    hidden = make_event(session, owner=organiser, visibility="unlisted")
    room = service.create_room(
        session, organiser, hidden.id, {"name": "Secret", "access": "members"}
    )
    with pytest.raises(NotFound):
        service.join_room(session, outsider, room.id)


# --- The lobby -----------------------------------------------------------------------------------


def test_the_lobby_lists_open_rooms_first_with_seats_and_who_is_here(
    session, event, organiser, alice, bob
):
    service.create_room(session, organiser, event.id, {"name": "Hallway"})
    table = service.open_table(session, alice, event.id, {"name": "Table", "size_limit": 2})
    old = service.create_room(session, organiser, event.id, {"name": "Old"})
    service.archive_room(session, organiser, old.id)
    service.join_room(session, bob, table.id)
    make_profile(session, alice, visibility="members", career_stage="novice")
    make_profile(session, bob, visibility="private")
    here = {service.room_topic(table.id): {alice.id, bob.id}}
    carol = make_user(session, handle="carol")
    go(session, event, carol)

    lobby = service.lobby(session, carol, event.id, present=lambda topic: here.get(topic, set()))
    assert [entry.room.name for entry in lobby] == ["Hallway", "Table", "Old"]
    by_name = {entry.room.name: entry for entry in lobby}
    assert by_name["Table"].seats_taken == 2
    assert [person["name"] for person in by_name["Table"].here.named] == ["Alice Adams"]
    assert by_name["Table"].here.unnamed_count == 1  # Bob's profile is private
    assert by_name["Table"].here.count == 2
    assert "full" in by_name["Table"].refusal
    assert by_name["Hallway"].refusal is None and by_name["Hallway"].here.count == 0
    payload = service.lobby_payload(session, by_name["Table"])
    assert payload["present_count"] == 2 and payload["present_unnamed_count"] == 1
    assert payload["can_join"] is False and payload["seats_taken"] == 2
    assert payload["present"][0]["career_stage"] == "novice"


def test_the_lobby_names_private_profiles_to_themselves(session, event, organiser, alice):
    room = service.create_room(session, organiser, event.id, {"name": "Hallway"})
    make_profile(session, alice, visibility="private")
    [entry] = service.lobby(session, alice, event.id, present=lambda topic: {alice.id})
    assert [person["id"] for person in entry.here.named] == [alice.id]
    assert entry.room.id == room.id


def test_the_lobby_says_why_a_member_may_not_join(session, event, organiser, outsider):
    service.create_room(session, organiser, event.id, {"name": "Going only"})
    [entry] = service.lobby(session, outsider, event.id, present=lambda topic: set())
    assert "going" in entry.refusal
    assert service.lobby_payload(session, entry)["can_join"] is False


def test_sending_in_a_table_works_like_any_room(session, event, alice):
    table = service.open_table(session, alice, event.id, {"name": "T", "size_limit": 3})
    assert send(session, alice, table, "hi").seq == 1


@pytest.fixture
def told(monkeypatch):
    """What the service tells (ephemerally, after the commit) to topics other than the room."""
    calls = []
    monkeypatch.setattr(
        service,
        "notify_topic",
        lambda _session, topic, event, payload: calls.append((topic, event, payload)),
    )
    return calls


def test_the_lobby_is_told_when_rooms_open_change_or_close(session, event, organiser, alice, told):
    room = service.create_room(session, organiser, event.id, {"name": "Hallway"})
    table = service.open_table(session, alice, event.id, {"name": "T", "size_limit": 3})
    service.edit_room(session, organiser, room.id, {"name": "Main hallway"})
    service.archive_room(session, organiser, room.id)
    lobby = f"event:{event.id}"
    assert told == [
        (lobby, "rooms_changed", {"event_id": event.id, "room_id": room.id}),
        (lobby, "rooms_changed", {"event_id": event.id, "room_id": table.id}),
        (lobby, "rooms_changed", {"event_id": event.id, "room_id": room.id}),
        (lobby, "rooms_changed", {"event_id": event.id, "room_id": room.id}),
    ]


def test_a_removed_member_is_told_on_their_own_topic(session, seated, organiser, alice, told):
    service.remove_member(session, organiser, seated.id, alice.id)
    assert (
        f"user:{alice.id}",
        "room_member_removed",
        {"room_id": seated.id, "user_id": alice.id},
    ) in told


def test_leaving_gives_up_the_seat_and_reading_needs_it_again(session, seated, alice):
    service.leave_room(session, alice, seated.id)
    assert alice.id not in seat_holders(session, seated)
    with pytest.raises(NotAllowed) as refused:
        service.history(session, alice, seated.id)
    assert refused.value.message == "Join the room first."
    service.join_room(session, alice, seated.id)
    assert service.history(session, alice, seated.id).messages == []


def test_tables_at_other_events_do_not_count_towards_the_three(session, organiser, event, alice):
    from tests.unit.events.factories import make_event

    other = make_event(session, owner=organiser, title="Another meetup")
    go(session, other, alice)
    for number in range(3):
        service.open_table(session, alice, other.id, {"name": f"O{number}", "size_limit": 2})
    assert service.open_table(session, alice, event.id, {"name": "Here", "size_limit": 2}).id


def test_the_lobby_counts_who_is_present_from_the_realtime_presence_store(
    app, session, room, alice, bob
):
    store = app.extensions["hallway.presence"]["store"]
    topic = service.room_topic(room.id)
    store.enter(topic, bob.id, "sid-of-bob")
    try:
        [entry] = service.lobby(session, alice, room.event_id)
        assert entry.here.count == 1
        assert [person["id"] for person in entry.here.named] == [bob.id]
    finally:
        store.leave(topic, bob.id, "sid-of-bob")
    [entry] = service.lobby(session, alice, room.event_id)
    assert entry.here.count == 0
