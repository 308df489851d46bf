"""The rooms' JSON API: an event's rooms, a room's history, sending with a client id."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hallway.rooms.models import RoomMessage
from tests.integration.events.conftest import ApiClient
from tests.integration.rooms.room_clients import (
    build_cast,
    fresh_rooms_state,  # noqa: F401
    logged_in_client,
)


@pytest.fixture
def cast(app, session):
    return build_cast(app, session)


def api(app, user) -> ApiClient:
    return ApiClient(logged_in_client(app, user))


def test_the_rooms_of_an_event(app, cast):
    response = api(app, cast.alice).get(f"/api/v1/events/{cast.event_id}/rooms")
    assert response.status_code == 200
    [room] = response.get_json()["rooms"]
    assert room["id"] == cast.room_id and room["name"] == "Hallway"
    assert room["present_count"] == 0 and room["can_join"] is True and room["refusal"] is None
    otto = api(app, cast.outsider).get(f"/api/v1/events/{cast.event_id}/rooms").get_json()
    assert otto["rooms"][0]["can_join"] is False
    assert otto["rooms"][0]["refusal"] == "This room is for the people going to the event."


def test_the_api_needs_a_login(app, cast):
    assert app.test_client().get(f"/api/v1/events/{cast.event_id}/rooms").status_code == 401


def test_send_with_a_client_id_once_and_read_the_history(app, session, cast):
    alice = api(app, cast.alice)
    path = f"/api/v1/rooms/{cast.room_id}/messages"
    refused = alice.post(path, {"body": "Too early", "client_id": "api-0"})
    assert refused.status_code == 403 and refused.get_json()["error"] == "Join the room first."
    assert alice.post(f"/api/v1/rooms/{cast.room_id}/join").status_code == 200
    first = alice.post(path, {"body": "Hello from the API", "client_id": "api-1"})
    assert first.status_code == 201
    message = first.get_json()["message"]
    assert message["body"] == "Hello from the API" and message["seq"] >= 1
    again = alice.post(path, {"body": "Hello from the API", "client_id": "api-1"})
    assert again.status_code == 200 and again.get_json()["duplicate"] is True
    assert again.get_json()["message"]["id"] == message["id"]
    session.expire_all()
    count = session.scalar(select(func.count()).select_from(RoomMessage))
    assert count == 1
    history = alice.get(path).get_json()
    assert [m["id"] for m in history["messages"]] == [message["id"]]
    assert history["has_earlier"] is False


def test_a_long_message_and_a_bad_payload_are_refused_with_field_errors(app, cast):
    alice = api(app, cast.alice)
    alice.post(f"/api/v1/rooms/{cast.room_id}/join")
    path = f"/api/v1/rooms/{cast.room_id}/messages"
    too_long = alice.post(path, {"body": "x" * 4001, "client_id": "api-2"})
    assert too_long.status_code == 422 and "body" in too_long.get_json()["errors"]
    bad = alice.post(path, {"body": "hi", "client_id": "api-3", "extra": 1})
    assert bad.status_code == 422


def test_history_pages_back_with_before_seq(app, cast):
    alice = api(app, cast.alice)
    alice.post(f"/api/v1/rooms/{cast.room_id}/join")
    path = f"/api/v1/rooms/{cast.room_id}/messages"
    seqs = [
        alice.post(path, {"body": f"m{n}", "client_id": f"h-{n}"}).get_json()["message"]["seq"]
        for n in range(3)
    ]
    page = alice.get(f"{path}?before_seq={seqs[2]}&limit=1").get_json()
    assert [m["body"] for m in page["messages"]] == ["m1"] and page["has_earlier"] is True
    otto = api(app, cast.outsider).get(path)
    assert otto.status_code == 403
