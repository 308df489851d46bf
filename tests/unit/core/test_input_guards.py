"""The core's guards against junk input, one by one, without a server."""

from __future__ import annotations

import logging

import pytest
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule

from hallway.core.converters import MAX_ID, BoundedIntegerConverter
from hallway.core.errors import InvalidInput
from hallway.core.forms import coerce_id, id_or_none
from hallway.core.json_input import MAX_DEPTH, BadJSON, SocketJSON, check_value, loads
from hallway.core.pagination import MAX_PAGE, clamp, page_number
from hallway.core.schemas import Id, PageNumber
from hallway.realtime.guard import (
    EventRateLimiter,
    MalformedPacketFilter,
    TooManyRequests,
    check_payload,
)


def matcher():
    url_map = Map(
        [Rule("/t/<int:thread_id>", endpoint="thread")],
        converters={"int": BoundedIntegerConverter},
    )
    return url_map.bind("hallway.test")


@pytest.mark.parametrize("value", [0, 1, 12, MAX_ID])
def test_ids_up_to_2_to_the_63_minus_1_match(value):
    assert matcher().match(f"/t/{value}") == ("thread", {"thread_id": value})


@pytest.mark.parametrize("text", [str(MAX_ID + 1), str(2**64), "9" * 5000, "0" * 30 + "1" * 20])
def test_ids_beyond_64_bits_do_not_match(text):
    with pytest.raises(NotFound):
        matcher().match(f"/t/{text}")


def test_leading_zeros_alone_do_not_make_an_id_too_long():
    assert matcher().match("/t/" + "0" * 30 + "7") == ("thread", {"thread_id": 7})


class IdsSchema(Schema):
    thread_id = Id(required=True)
    page = PageNumber(max=50)
    loose = Id(strict=False)


@pytest.mark.parametrize("value", [0, -1, MAX_ID + 1, 2**64, "12", 1.0, True])
def test_the_id_field_refuses_what_is_not_a_row_id(value):
    with pytest.raises(ValidationError) as error:
        IdsSchema().load({"thread_id": value})
    assert "thread_id" in error.value.messages


def test_the_id_field_takes_a_row_id_and_page_defaults_to_1():
    assert IdsSchema().load({"thread_id": MAX_ID}) == {"thread_id": MAX_ID, "page": 1}


def test_a_query_string_id_may_be_text_but_not_beyond_64_bits():
    assert IdsSchema().load({"thread_id": 1, "loose": "42"})["loose"] == 42
    with pytest.raises(ValidationError):
        IdsSchema().load({"thread_id": 1, "loose": str(2**64)})


@pytest.mark.parametrize("page", [0, 51, 2**64, "9" * 5000])
def test_page_numbers_stay_within_their_limit(page):
    with pytest.raises(ValidationError) as error:
        IdsSchema().load({"thread_id": 1, "page": page})
    assert "page" in error.value.messages


def test_no_page_number_field_goes_beyond_max_page():
    class Wide(Schema):
        page = PageNumber(max=10**12)

    assert Wide().load({"page": MAX_PAGE})["page"] == MAX_PAGE
    with pytest.raises(ValidationError):
        Wide().load({"page": MAX_PAGE + 1})


def test_page_links_with_junk_fall_back_to_the_first_page():
    assert page_number("3") == 3
    for junk in ("0", "-2", str(MAX_PAGE + 1), str(2**64), "9" * 5000, "x"):
        with pytest.raises(ValueError):
            page_number(junk)


def test_clamp_keeps_pages_within_range():
    assert clamp(2**64, 20) == (MAX_PAGE, 20)
    assert clamp(-5, 10**9) == (1, 100)


def test_form_ids_are_coerced_within_64_bits():
    assert coerce_id(" 42 ") == 42
    for junk in ("", "x", "0", str(2**63), "9" * 5000, None):
        with pytest.raises(ValueError):
            coerce_id(junk)
        assert id_or_none(junk) is None


# --- JSON -------------------------------------------------------------------------------


def test_plain_json_loads_as_usual():
    assert loads('{"a": [1, 2.5, "é", null, true]}') == {"a": [1, 2.5, "é", None, True]}
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None


@pytest.mark.parametrize(
    "text, message",
    [
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested"),
        ("[" * 100_000, "nested"),
        ('"\\ud800"', "surrogate"),
        ('{"\\udc00": 1}', "surrogate"),
        ("NaN", "finite"),
        ("-Infinity", "finite"),
        ("[1e999]", "finite"),
        ("1" * 5000, "not valid JSON"),
        ("{", "not valid JSON"),
        (b"\xff", "not valid JSON"),
    ],
)
def test_json_nobody_should_send_is_refused_with_a_reason(text, message):
    with pytest.raises(BadJSON) as error:
        loads(text)
    assert message in error.value.message


def test_checking_a_value_built_in_python_catches_the_same_things():
    check_value({"ok": [1, "fine"]})
    for bad in ({"x": "\ud800"}, [float("nan")], {"\udfff": 1}):
        with pytest.raises(BadJSON):
            check_value(bad)


def test_socket_json_turns_too_deep_packets_into_a_value_error():
    with pytest.raises(ValueError):
        SocketJSON.loads("[" * 100_000 + "]" * 100_000)
    assert SocketJSON.loads(SocketJSON.dumps({"a": 1})) == {"a": 1}


# --- socket events ------------------------------------------------------------------------


def test_an_event_takes_one_object_or_nothing():
    assert check_payload(()) is None
    assert check_payload(({"thread_id": 1},)) == {"thread_id": 1}
    for args in (([1],), ("x",), (1,), ({"a": 1}, {"b": 2}), ({"a": "\ud800"},)):
        with pytest.raises(InvalidInput):
            check_payload(args)


def test_the_rate_limiter_allows_a_burst_then_the_refill_rate():
    now = [100.0]
    limiter = EventRateLimiter(burst=3, rate=2.0, clock=lambda: now[0])
    for _ in range(3):
        limiter.take("a")
    with pytest.raises(TooManyRequests):
        limiter.take("a")
    limiter.take("b")  # per connection
    now[0] += 0.5  # one token back
    limiter.take("a")
    with pytest.raises(TooManyRequests):
        limiter.take("a")
    now[0] += 60  # never more than the burst
    for _ in range(3):
        limiter.take("a")
    with pytest.raises(TooManyRequests):
        limiter.take("a")


def test_a_forgotten_connection_starts_with_a_full_bucket():
    limiter = EventRateLimiter(burst=1, rate=0.0, clock=lambda: 0.0)
    limiter.take("a")
    limiter.forget("a")
    limiter.take("a")


def test_a_library_traceback_for_a_malformed_packet_becomes_one_warning_line():
    try:
        raise ValueError("Unknown packet type.")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "hallway.realtime.socketio", logging.ERROR, __file__, 1,
            "message handler error", None, sys.exc_info(),
        )
    assert MalformedPacketFilter().filter(record) is True
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert record.getMessage() == (
        "Dropped a malformed Socket.IO packet (ValueError: Unknown packet type.)"
    )


def test_other_library_errors_keep_their_level_and_traceback():
    record = logging.LogRecord(
        "hallway.realtime.engineio", logging.ERROR, __file__, 1, "connect handler error", None,
        (ValueError, ValueError("boom"), None),
    )
    MalformedPacketFilter().filter(record)
    assert record.levelno == logging.ERROR and record.exc_info is not None
