"""Generated junk at every route and every socket event: never a 5xx, never a traceback.

For each person (a visitor, a member, an admin) and each example, every route of
``app.url_map`` is called with each of its methods: URL arguments either real (a
thread that exists) or junk (huge and negative integers, text with surrogates and
control characters), junk in the query string, and a junk body sent as a form (with
the CSRF token) or as JSON (huge integers, deep nesting, NaN, lone surrogates, wrong
types, or not JSON at all). Every registered socket event gets junk arguments too.
Nothing may answer 5xx and nothing may be logged at ERROR or with a traceback.

The routes are dealt into ``PARTS`` interleaved parts, one test per role and part: an
example covering every route at once draws more than Hypothesis's per-example budget
(8 KiB of choices), so every example but the first overran, was thrown away and
retried, several hundred times (minutes instead of seconds). The ``data_too_large``
health check stays on so a part that grows too big again fails loudly.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hallway.extensions import limiter
from tests.integration.core.routes import Route, choices, is_integer, routes

# Names of fields the app reads somewhere, so junk reaches validation, not just "unknown".
FIELD_NAMES = [
    "thread_id", "parent_id", "category_id", "comment_id", "ids", "all", "page", "per_page",
    "to", "quote", "sort", "q", "tag", "category", "body", "title", "tags", "pinned",
    "kind", "reaction", "level", "digest", "email_on_reply", "email_on_mention", "email",
    "password", "confirm", "handle", "display_name", "next", "remember", "reason", "note",
    "headline", "country", "region", "time_zone", "interests", "links", "privacy",
    "last_seq", "stage", "sector", "current_password", "new_password", "action",
]
EDGE_INTEGERS = [0, -1, 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30]
# Methods that would end the session being probed: they run last, once per example.
SESSION_ENDING = {"accounts.logout", "accounts.logout_everywhere", "members.delete_account"}
# Each test takes every PARTS-th route; ~20 routes per part keeps an example in budget.
PARTS = 8

integers = st.one_of(
    st.sampled_from(EDGE_INTEGERS), st.integers(min_value=-(2**70), max_value=2**70)
)
# Any code point, lone surrogates and control characters included.
junk_text = st.one_of(
    st.text(st.characters(codec=None, categories=None), max_size=40),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=5),
    st.sampled_from(["\ud800", "\udfff", "a\x00b", "9" * 5000, "-1", "1e999", "NaN", ""]),
)
scalars = st.one_of(
    integers, junk_text, st.booleans(), st.none(), st.floats(allow_nan=True)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELD_NAMES) | junk_text, inner, max_size=4),
    ),
    max_leaves=12,
)
json_objects = st.dictionaries(st.sampled_from(FIELD_NAMES) | junk_text, json_values, max_size=6)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


json_bodies = st.one_of(
    json_objects.map(lambda value: json.dumps(value)),  # NaN, surrogates as \ud800 escapes
    json_values.map(lambda value: json.dumps(value)),  # not even an object
    st.sampled_from([40, 1_000, 50_000]).map(nested),
    st.sampled_from(['{"body": ' + "7" * 5000 + "}", '{"body": "\\ud800"}', "{", "", "nul\x00"]),
)
# Form fields and query strings carry bytes: a surrogate arrives as invalid UTF-8.
form_values = st.one_of(junk_text, integers.map(str))
form_fields = st.lists(st.tuples(st.sampled_from(FIELD_NAMES) | junk_text, form_values), max_size=6)


def as_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def url_encoded(pairs: list[tuple[str, str]]) -> str:
    return urlencode([(as_bytes(key), as_bytes(value)) for key, value in pairs])


def junk_path(data: st.DataObject, route: Route, world: Any) -> str:
    def value_for(name: str, converter: Any) -> str:
        real = world.value_for(route.rule.rule, name, choices(converter))
        if is_integer(converter):
            junk = data.draw(integers.map(str) | st.just("9" * 5000), label=name)
        else:
            junk = data.draw(junk_text.map(lambda t: quote(as_bytes(t), safe="")), label=name)
        return data.draw(st.sampled_from([real, junk]), label=f"{name} real or junk")

    return route.path(value_for)


def send_junk(data: st.DataObject, browser: Any, token: str, route: Route, method: str, world):
    path = junk_path(data, route, world)
    query = url_encoded(data.draw(form_fields, label="query"))
    kind = data.draw(st.sampled_from(["none", "form", "json"]), label="body kind")
    headers = {"X-CSRFToken": token}
    kwargs: dict[str, Any] = {"query_string": query, "headers": headers}
    if kind == "form":
        fields = data.draw(form_fields, label="form")
        kwargs["data"] = url_encoded([("csrf_token", token), *fields])
        kwargs["content_type"] = "application/x-www-form-urlencoded"
    elif kind == "json":
        kwargs["data"] = as_bytes(data.draw(json_bodies, label="json"))
        kwargs["content_type"] = "application/json"
    response = browser.client.open(path, method=method, **kwargs)
    assert response.status_code < 500, (method, path, kind, response.status_code)


def socket_events(app) -> list[str]:
    handlers = app.extensions["socketio"].server.handlers.get("/", {})
    return sorted(name for name in handlers if name not in ("connect", "disconnect"))


def send_socket_junk(data: st.DataObject, app, browser: Any) -> None:
    socket = app.extensions["socketio"].test_client(app, flask_test_client=browser.client)
    try:
        assert socket.is_connected()
        for event in socket_events(app):
            args = data.draw(
                st.lists(json_objects | json_values, max_size=3), label=f"{event} args"
            )
            ack = socket.emit(event, *args, callback=True)
            assert ack is None or isinstance(ack, dict), (event, ack)
    finally:
        socket.disconnect()


def logged_errors(caplog) -> list[str]:
    return [
        f"{record.name}: {record.getMessage()[:300]}"
        for record in caplog.records
        if record.levelno >= logging.ERROR or record.exc_info
    ]


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("who", ["visitor", "member", "admin"])
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure can be run again
    # No shrinking: an example is hundreds of requests, and the assertion already names
    # the method, path and kind of body that failed.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
    ],
)
@given(data=st.data())
def test_junk_never_causes_a_5xx_or_a_traceback(app, world, log_in, caplog, who, part, data):
    caplog.set_level(logging.WARNING)
    caplog.clear()
    with app.app_context():
        limiter.reset()  # junk log-ins count against the limits; each example starts afresh
    user = {"visitor": None, "member": world.member, "admin": world.admin}[who]
    browser = log_in(user)
    token = browser.csrf_token("/")

    all_routes = list(routes(app))
    ordered = [r for r in all_routes if r.rule.endpoint not in SESSION_ENDING] + [
        r for r in all_routes if r.rule.endpoint in SESSION_ENDING
    ]
    if user is not None and part == 0:
        send_socket_junk(data, app, browser)
    for route in ordered[part::PARTS]:
        for method in route.methods:
            send_junk(data, browser, token, route, method, world)

    assert logged_errors(caplog) == []
