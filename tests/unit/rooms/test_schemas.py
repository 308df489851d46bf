"""The rooms' input schemas: what a socket event or an API call may carry."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from hallway.rooms import schemas


def test_a_send_needs_a_room_a_body_and_a_client_id():
    loaded = schemas.SendMessageSchema().load({"room_id": 3, "body": " hi ", "client_id": "a1"})
    assert loaded == {"room_id": 3, "body": " hi ", "client_id": "a1", "reply_to_id": None}
    with pytest.raises(ValidationError) as refused:
        schemas.SendMessageSchema().load({"room_id": 3})
    assert set(refused.value.messages) == {"body", "client_id"}


def test_the_body_length_is_left_to_the_service():
    """The service says how long the message is and what the limit is."""
    loaded = schemas.SendMessageSchema().load({"room_id": 1, "body": "x" * 5000, "client_id": "c"})
    assert len(loaded["body"]) == 5000


@pytest.mark.parametrize("client_id", ["", "c" * 41, 12])
def test_a_client_id_is_1_to_40_characters_of_text(client_id):
    with pytest.raises(ValidationError):
        schemas.SendMessageSchema().load({"room_id": 1, "body": "b", "client_id": client_id})


def test_a_client_id_of_40_characters_is_accepted():
    data = {"room_id": 1, "body": "b", "client_id": "c" * 40}
    assert schemas.SendMessageSchema().load(data)["client_id"] == "c" * 40


@pytest.mark.parametrize("room_id", [0, -1, "3", 3.0, 2**31, None])
def test_ids_are_whole_positive_numbers(room_id):
    with pytest.raises(ValidationError):
        schemas.RoomRefSchema().load({"room_id": room_id})


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError):
        schemas.JoinRoomSchema().load({"room_id": 1, "extra": True})


def test_join_takes_an_optional_last_seq():
    assert schemas.JoinRoomSchema().load({"room_id": 1}) == {"room_id": 1, "last_seq": None}
    assert schemas.JoinRoomSchema().load({"room_id": 1, "last_seq": 0})["last_seq"] == 0
    with pytest.raises(ValidationError):
        schemas.JoinRoomSchema().load({"room_id": 1, "last_seq": -1})


def test_history_defaults_to_the_last_50_and_at_most_200():
    assert schemas.HistorySchema().load({"room_id": 1}) == {
        "room_id": 1, "before_seq": None, "limit": 50
    }  # fmt: skip
    assert schemas.HistorySchema().load({"room_id": 1, "limit": 200})["limit"] == 200
    with pytest.raises(ValidationError):
        schemas.HistorySchema().load({"room_id": 1, "limit": 201})
    with pytest.raises(ValidationError):
        schemas.HistorySchema().load({"room_id": 1, "limit": 0})


def test_reactions_are_the_fixed_set():
    for kind in ("like", "helpful", "insightful", "celebrate"):
        assert schemas.ReactionSchema().load({"message_id": 1, "kind": kind})["kind"] == kind
    with pytest.raises(ValidationError):
        schemas.ReactionSchema().load({"message_id": 1, "kind": "angry"})


def test_slow_mode_is_0_to_3600_seconds():
    assert schemas.SlowModeSchema().load({"room_id": 1, "seconds": 0})["seconds"] == 0
    assert schemas.SlowModeSchema().load({"room_id": 1, "seconds": 3600})["seconds"] == 3600
    with pytest.raises(ValidationError):
        schemas.SlowModeSchema().load({"room_id": 1, "seconds": 3601})


def test_a_table_has_2_to_20_seats_and_is_for_those_going_or_invited():
    base = {"name": "First-timers"}
    assert schemas.TableCreateSchema().load({**base, "size_limit": 2})["size_limit"] == 2
    assert schemas.TableCreateSchema().load({**base, "size_limit": 20})["size_limit"] == 20
    for wrong in (1, 21):
        with pytest.raises(ValidationError):
            schemas.TableCreateSchema().load({**base, "size_limit": wrong})
    with pytest.raises(ValidationError):
        schemas.TableCreateSchema().load({**base, "size_limit": 4, "access": "members"})
    with pytest.raises(ValidationError) as refused:
        schemas.TableCreateSchema().load(base)
    assert "size_limit" in refused.value.messages


def test_an_organisers_room_may_have_no_size_limit_and_any_access():
    loaded = schemas.RoomCreateSchema().load(
        {"name": " LMS admins ", "size_limit": None, "access": "invite"}
    )
    assert loaded == {"name": "LMS admins", "topic": "", "size_limit": None, "access": "invite"}
    with pytest.raises(ValidationError):
        schemas.RoomCreateSchema().load({"name": ""})


def test_a_flag_needs_a_known_reason():
    assert schemas.FlagMessageSchema().load({"message_id": 1, "reason": "spam"})["note"] == ""
    with pytest.raises(ValidationError):
        schemas.FlagMessageSchema().load({"message_id": 1, "reason": "boring"})
