"""GET /api/v1/matching/suggestions and POST /api/v1/matching/dismissals."""

from __future__ import annotations

from tests.factories import make_profile, make_user
from tests.integration.matching._g_helpers import (  # noqa: F401 (fresh_match_index: autouse)
    fresh_match_index,
    going,
    log_in,
    make_event,
    mentor,
    novice,
    organiser,
)

URL = "/api/v1/matching/suggestions"


class Api:
    def __init__(self, helper):
        self.client = helper.client
        self.token = helper.csrf_token()

    def get(self, path):
        return self.client.get(path)

    def post(self, path, json):
        return self.client.post(path, json=json, headers={"X-CSRFToken": self.token})


def _api(app, user) -> Api:
    return Api(log_in(app, user))


def test_suggestions_carry_score_factors_and_reasons(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    response = _api(app, nia).get(URL)
    assert response.status_code == 200
    body = response.get_json()
    assert body["opted_in"] is True
    assert body["event_id"] is None
    [item] = body["suggestions"]
    assert item["user_id"] == maggie.id
    assert item["handle"] == "maggie"
    assert item["name"] == "Maggie Mentor"
    assert item["career_stage"] == "advanced"
    assert item["role"] == "Accessibility lead"
    assert item["profile_url"] == "/members/maggie"
    assert item["request_url"].startswith(f"/meetings/request?to={maggie.id}")
    assert item["score"] > 0
    assert item["factors"] and all(isinstance(v, float) for v in item["factors"].values())
    assert item["reasons"] and all(isinstance(reason, str) for reason in item["reasons"])


def test_not_opted_in_gets_an_empty_list_and_says_so(app, session):
    viewer = make_user(session)
    make_profile(session, viewer, matchable=False, looking_for=["mentoring"])
    mentor(session)
    session.commit()
    body = _api(app, viewer).get(URL).get_json()
    assert body == {"event_id": None, "opted_in": False, "suggestions": []}


def test_limit_and_event_filter(app, session):
    owner = organiser(session)
    nia, maggie = novice(session), mentor(session)
    kofi = mentor(session, handle="kofi", name="Kofi Advisor")
    event = make_event(session, owner)
    going(session, event, kofi)
    session.commit()
    api = _api(app, nia)
    assert len(api.get(URL + "?limit=1").get_json()["suggestions"]) == 1
    assert len(api.get(URL + "?limit=2").get_json()["suggestions"]) == 2
    body = api.get(f"{URL}?event_id={event.id}").get_json()
    assert body["event_id"] == event.id
    assert [item["user_id"] for item in body["suggestions"]] == [kofi.id]
    assert f"event={event.id}" in body["suggestions"][0]["request_url"]
    assert body["suggestions"][0]["request_url"].endswith("source=suggestion")
    assert maggie.id not in [item["user_id"] for item in body["suggestions"]]


def test_bad_query_values_are_refused_with_field_errors(app, session):
    nia = novice(session)
    session.commit()
    api = _api(app, nia)
    for query, field_name in (
        ("limit=0", "limit"),
        ("limit=51", "limit"),
        ("limit=ten", "limit"),
        ("event_id=0", "event_id"),
        ("event_id=abc", "event_id"),
    ):
        response = api.get(f"{URL}?{query}")
        assert response.status_code == 422, query
        assert field_name in response.get_json()["errors"], query
    assert api.get(URL + "?limit=50").status_code == 200


def test_an_unknown_event_is_not_found(app, session):
    nia = novice(session)
    session.commit()
    assert _api(app, nia).get(f"{URL}?event_id=999999").status_code == 404


def test_visitors_must_log_in(client):
    assert client.get(URL).status_code == 401


def test_dismiss_removes_the_suggestion(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    api = _api(app, nia)
    response = api.post(
        "/api/v1/matching/dismissals",
        {"user_id": maggie.id, "reason": "not_relevant", "note": "Different field"},
    )
    assert response.status_code == 201
    assert response.get_json() == {"user_id": maggie.id, "dismissed": True}
    assert api.get(URL).get_json()["suggestions"] == []


def test_dismiss_refuses_bad_input_with_field_errors(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    api = _api(app, nia)
    cases = [
        ({}, "user_id"),
        ({"user_id": "x"}, "user_id"),
        ({"user_id": maggie.id, "reason": "bored"}, "reason"),
        ({"user_id": maggie.id, "note": "x" * 301}, "note"),
        ({"user_id": maggie.id, "colour": "red"}, "colour"),
        ({"user_id": nia.id}, "user_id"),  # oneself
    ]
    for payload, field_name in cases:
        response = api.post("/api/v1/matching/dismissals", payload)
        assert response.status_code == 422, payload
        assert field_name in response.get_json()["errors"], payload
    # Nothing was dismissed by the refused requests.
    assert [item["user_id"] for item in api.get(URL).get_json()["suggestions"]] == [maggie.id]


def test_pair_reasons_are_symmetric_and_empty_for_oneself(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    from_novice = _api(app, nia).get(f"/api/v1/matching/pairs/{maggie.id}/reasons").get_json()
    from_mentor = _api(app, maggie).get(f"/api/v1/matching/pairs/{nia.id}/reasons").get_json()
    assert from_novice["reasons"] and from_mentor["reasons"]
    own = _api(app, nia).get(f"/api/v1/matching/pairs/{nia.id}/reasons").get_json()
    assert own["reasons"] == []
