"""Bad input is refused by the schemas with a message on the field."""

import pytest
from marshmallow import ValidationError

from hallway.events.schemas import (
    EventCreateSchema,
    EventListArgsSchema,
    EventUpdateSchema,
    SessionCreateSchema,
)

GOOD = {
    "title": "WCET Annual Meeting",
    "starts_at": "2030-10-01T09:00:00",
    "ends_at": "2030-10-01T17:00:00",
    "time_zone": "America/Denver",
    "format": "in_person",
    "city": "Denver",
}


def errors_of(schema, data):
    with pytest.raises(ValidationError) as refused:
        schema.load(data)
    return refused.value.normalized_messages()


def test_a_good_event_loads():
    loaded = EventCreateSchema().load({**GOOD, "networks": ["wcet", "WCET", "alt"]})
    assert loaded["networks"] == ["WCET", "ALT"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "EST5EDT"}, "time_zone"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -5}, "capacity"),
        ({"capacity": "ten"}, "capacity"),
        ({"title": "x" * 2000}, "title"),
        ({"title": "   "}, "title"),
        ({"format": "telepathy"}, "format"),
        ({"visibility": "secret"}, "visibility"),
        ({"online_url": "http://insecure.example"}, "online_url"),
        ({"country": "ZZ"}, "country"),
        ({"country": "CA", "region": "US-CA"}, "region"),
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_fields_get_their_own_message(change, field):
    assert field in errors_of(EventCreateSchema(), {**GOOD, **change})


def test_two_thousand_character_titles_say_how_long_a_title_may_be():
    messages = errors_of(EventCreateSchema(), {**GOOD, "title": "x" * 2000})
    assert messages["title"] == ["Give a title of 1 to 200 characters."]


def test_an_edit_needs_no_field_but_checks_those_given():
    assert EventUpdateSchema().load({}) == {}
    assert "capacity" in errors_of(EventUpdateSchema(), {"capacity": 0})


def test_a_session_needs_a_title_and_times_and_valid_speakers():
    messages = errors_of(SessionCreateSchema(), {"speakers": [{"user_id": 1, "name": "Both"}]})
    assert {"title", "starts_at", "ends_at", "speakers"} <= set(messages)


def test_list_arguments_are_checked_but_unknown_ones_ignored():
    assert EventListArgsSchema().load({"utm_source": "x"})["when"] == "upcoming"
    assert "format" in errors_of(EventListArgsSchema(), {"format": "telepathy"})
    assert "to" in errors_of(
        EventListArgsSchema(), {"from": "2030-01-02T00:00:00", "to": "2030-01-01T00:00:00"}
    )
