"""The meetings JSON API: create, list, accept, decline, counter, withdraw, with field
errors for bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hallway.db import utcnow
from tests.integration.events.conftest import ApiClient
from tests.integration.meetings.conftest import log_in


@pytest.fixture
def api_asker(app, asker) -> ApiClient:
    return ApiClient(log_in(app, asker.email))


@pytest.fixture
def api_mentor(app, mentor) -> ApiClient:
    return ApiClient(log_in(app, mentor.email))


def iso(hours):
    return (utcnow() + timedelta(hours=hours)).replace(second=0, microsecond=0).isoformat()


def create(client, mentor, **extra):
    body = {"recipient_id": mentor.id, "proposed_times": [iso(30), iso(40)], **extra}
    return client.post("/api/v1/meetings", json=body)


def test_create_list_and_accept(api_asker, api_mentor, mentor, asker):
    response = create(api_asker, mentor, message="Hello", duration_minutes=45)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "pending"
    assert created["recipient"]["id"] == mentor.id
    assert created["answering_id"] == mentor.id
    assert len(created["proposed_times"]) == 2
    assert created["proposed_times"][0]["starts_at"].endswith("+00:00")

    received = api_mentor.get("/api/v1/meetings?box=received").get_json()["items"]
    assert [item["id"] for item in received] == [created["id"]]
    assert api_mentor.get("/api/v1/meetings?box=sent").get_json()["items"] == []
    assert api_asker.get("/api/v1/meetings?box=sent").get_json()["items"][0]["id"] == created["id"]

    time_id = created["proposed_times"][1]["id"]
    response = api_mentor.post(
        f"/api/v1/meetings/{created['id']}/accept", json={"time_id": time_id}
    )
    assert response.status_code == 200
    accepted = response.get_json()
    assert accepted["status"] == "accepted"
    assert accepted["starts_at"] == created["proposed_times"][1]["starts_at"]
    again = api_mentor.post(f"/api/v1/meetings/{created['id']}/accept", json={"time_id": time_id})
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"proposed_times": []}, "proposed_times"),
        ({"proposed_times": [iso(1), iso(2), iso(3), iso(4)]}, "proposed_times"),
        ({"proposed_times": ["tomorrow"]}, "proposed_times"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_input_gets_field_errors(api_asker, mentor, body, field):
    response = create(api_asker, mentor, **body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_past_times_are_refused_with_a_field_error(api_asker, mentor):
    response = create(api_asker, mentor, proposed_times=[iso(-1)])
    assert response.status_code == 422
    assert response.get_json()["errors"]["proposed_times"] == ["Propose times in the future."]


def test_self_requests_are_refused(api_asker, asker):
    response = create(api_asker, asker)
    assert response.status_code == 422
    assert "recipient_id" in response.get_json()["errors"]


def test_decline_counter_withdraw(api_asker, api_mentor, mentor):
    first = create(api_asker, mentor).get_json()
    countered = api_mentor.post(
        f"/api/v1/meetings/{first['id']}/counter", json={"starts_at": iso(70), "note": "Later"}
    )
    assert countered.status_code == 200
    assert countered.get_json()["status"] == "countered"
    assert countered.get_json()["answering_id"] == first["sender"]["id"]
    declined = api_asker.post(f"/api/v1/meetings/{first['id']}/decline", json={"note": "No"})
    assert declined.get_json()["status"] == "declined"

    second = create(api_asker, mentor).get_json()
    assert api_mentor.post(f"/api/v1/meetings/{second['id']}/withdraw").status_code == 403
    withdrawn = api_asker.post(f"/api/v1/meetings/{second['id']}/withdraw")
    assert withdrawn.get_json()["status"] == "withdrawn"


def test_others_cannot_see_a_request(app, session, api_asker, mentor):
    from tests.factories import make_user

    created = create(api_asker, mentor).get_json()
    stranger = make_user(session)
    session.commit()
    client = ApiClient(log_in(app, stranger.email))
    assert client.get(f"/api/v1/meetings/{created['id']}").status_code == 404


def test_the_api_is_rate_limited_with_a_clear_message(app, session, api_asker):
    from tests.factories import make_profile, make_user

    app.config["MEETING_REQUEST_RATE_LIMIT"] = "1 per minute"
    try:
        people = []
        for number in range(2):
            person = make_user(session, handle=f"api{number}")
            make_profile(session, person, matchable=True)
            people.append(person)
        session.commit()
        assert create(api_asker, people[0]).status_code == 201
        response = create(api_asker, people[1])
        assert response.status_code == 429
        assert "too quickly" in response.get_json()["error"]
    finally:
        app.config.pop("MEETING_REQUEST_RATE_LIMIT", None)


def test_the_sender_edits_and_either_side_cancels(api_asker, api_mentor, mentor):
    created = create(api_asker, mentor).get_json()
    path = f"/api/v1/meetings/{created['id']}"
    edited = api_asker.patch(path, {"message": "New", "proposed_times": [iso(90)]})
    assert edited.status_code == 200
    assert edited.get_json()["message"] == "New"
    assert [t["starts_at"] for t in edited.get_json()["proposed_times"]] == [iso(90)]
    assert api_mentor.patch(path, {"message": "Mine"}).status_code == 403
    bad = api_asker.patch(path, {"proposed_times": [iso(-2)]})
    assert bad.status_code == 422 and "proposed_times" in bad.get_json()["errors"]
    time_id = edited.get_json()["proposed_times"][0]["id"]
    api_mentor.post(f"{path}/accept", json={"time_id": time_id})
    cancelled = api_mentor.post(f"{path}/cancel", json={"note": "Ill"})
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    assert cancelled.get_json()["response_note"] == "Ill"
