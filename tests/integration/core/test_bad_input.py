"""Input an attacker would send: refused as a 4xx with a message, in one place each."""

from __future__ import annotations

import logging

import pytest

BEYOND_64_BITS = 2**64
MANY_DIGITS = "9" * 5000


@pytest.fixture
def no_errors_logged(caplog):
    caplog.set_level(logging.WARNING)
    yield
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [], [r.getMessage() for r in bad]


@pytest.fixture
def api(logged_in):
    token = logged_in.csrf_token("/")

    def send(method: str, path: str, **kwargs):
        return logged_in.client.open(path, method=method, headers={"X-CSRFToken": token}, **kwargs)

    return send


# --- ids and page numbers ---------------------------------------------------------------


@pytest.mark.parametrize("number", [2**31, BEYOND_64_BITS, 2**63, MANY_DIGITS])
@pytest.mark.parametrize(
    "path", ["/t/{n}", "/t/{n}/history", "/t/1/comments/{n}", "/api/v1/threads/{n}/comments"]
)
def test_ids_beyond_the_id_columns_are_simply_not_found(logged_in, no_errors_logged, path, number):
    response = logged_in.client.get(path.format(n=number))
    assert response.status_code == 404


def test_the_largest_id_is_still_looked_up(logged_in, no_errors_logged):
    """Up to 2**31-1 (INTEGER on PostgreSQL) the route matches and the thread is looked
    for (and not found)."""
    response = logged_in.client.get(f"/api/v1/threads/{2**31 - 1}")
    assert response.status_code == 404
    assert "discussion" in response.json["error"]  # the view's message, not the router's


@pytest.mark.parametrize("page", [BEYOND_64_BITS, MANY_DIGITS, -1, 0, "1e999"])
def test_api_page_numbers_out_of_range_are_field_errors(api, no_errors_logged, page):
    for path in ("/api/v1/notifications", "/api/v1/threads", "/api/v1/members"):
        response = api("GET", path, query_string={"page": page})
        assert response.status_code == 422, path
        assert "page" in response.json["errors"], path


@pytest.mark.parametrize("path", ["/notifications", "/moderation/audit", "/discussions"])
def test_pages_asked_for_page_2_to_the_64th_do_not_fail(logged_in, no_errors_logged, path):
    response = logged_in.client.get(path, query_string={"page": BEYOND_64_BITS})
    assert response.status_code in (200, 403, 422), path


def test_id_lists_beyond_64_bits_are_field_errors(api, no_errors_logged):
    response = api("POST", "/api/v1/notifications/read", json={"ids": [1, BEYOND_64_BITS]})
    assert response.status_code == 422
    assert "ids" in response.json["errors"]


def test_reply_to_a_parent_beyond_64_bits_is_a_field_error(session, api, no_errors_logged):
    from tests.factories import make_thread

    thread = make_thread(session)
    session.commit()
    response = api(
        "POST", f"/api/v1/threads/{thread.id}/comments",
        json={"body": "Hello", "parent_id": BEYOND_64_BITS},
    )
    assert response.status_code == 422 and "parent_id" in response.json["errors"]


def test_a_json_body_posted_to_a_page_form_is_read_as_text(session, api, no_errors_logged):
    from tests.factories import make_thread

    thread = make_thread(session)
    session.commit()
    response = api(
        "POST", f"/t/{thread.id}/comments",
        json={"body": ["a", {"b": 1}], "parent_id": BEYOND_64_BITS},
    )
    assert 400 <= response.status_code < 500


# --- JSON bodies ----------------------------------------------------------------------


BAD_BODIES = {
    "nested": "[" * 100_000 + "]" * 100_000,
    "slightly too deep": "[" * 40 + "]" * 40,
    "5000 digits": '{"body": ' + "1" * 5000 + "}",
    "lone surrogate": '{"body": "\\ud800 hello"}',
    "lone surrogate in a key": '{"\\udfff": 1}',
    "NaN": '{"body": NaN}',
    "infinity": '{"per_page": 1e999}',
    "not JSON": '{"body": ',
    "not UTF-8": b'{"body": "\xff\xfe"}',
}


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/api/v1/threads"),
        ("PATCH", "/api/v1/me/profile"),
        ("POST", "/api/v1/notifications/read"),
        ("POST", "/login"),  # a page's form: Flask-WTF reads JSON bodies too
    ],
)
def test_bad_json_bodies_are_a_400_with_an_error_message(api, no_errors_logged, name, method, path):
    response = api(method, path, data=BAD_BODIES[name], content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.is_json and response.json["error"]


def test_the_error_says_what_is_wrong_with_the_body(api):
    def error_for(name: str) -> str:
        body = BAD_BODIES[name]
        return api("POST", "/api/v1/threads", data=body, content_type="application/json").json[
            "error"
        ]

    assert "nested more than 32 levels" in error_for("nested")
    assert "surrogate" in error_for("lone surrogate")
    assert "not finite" in error_for("NaN")
    assert "not valid JSON" in error_for("not JSON")


def test_nul_characters_in_forms_and_query_strings_are_refused(logged_in, no_errors_logged):
    assert logged_in.client.get("/search", query_string={"q": "a\x00b"}).status_code == 400
    response = logged_in.post_form("/discussions/new", {"title": "Nul\x00title", "body": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/members/a%00b", "/members/a%00b", "/c/x%00y"])
def test_nul_characters_in_the_path_are_refused(logged_in, no_errors_logged, path):
    """PostgreSQL cannot compare text with a NUL: refused before any lookup."""
    assert logged_in.client.get(path).status_code == 400


def test_nul_characters_in_json_bodies_are_refused(api, no_errors_logged):
    """Found on PostgreSQL: a NUL in a JSON string reached the database as a 500."""
    response = api(
        "POST",
        "/api/v1/threads",
        data='{"title": "Nul\\u0000title", "body": "x", "category_id": 1}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "NUL" in response.json["error"]
