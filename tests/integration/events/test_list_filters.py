"""The /events page and GET /api/v1/events take the same filters (one schema, one
service call): network, city, region, country, the page's "place" box, format and
dates. Every query below must find the same events through both."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from hallway.db import utcnow
from tests.unit.events.factories import make_event, make_organiser

TITLES = ("Toronto Meetup", "Vancouver Workshop", "London Summit", "Online Hour")


@pytest.fixture
def events(session):
    organiser = make_organiser(session)
    soon = utcnow().replace(microsecond=0)
    make_event(
        session, owner=organiser, title="Toronto Meetup", country="CA", region="CA-ON",
        networks=["CNIE"], starts_at=soon + timedelta(days=5),
    )  # fmt: skip
    make_event(
        session, owner=organiser, title="Vancouver Workshop", city="Vancouver", country="CA",
        region="CA-BC", format="hybrid", networks=["ETUG"], starts_at=soon + timedelta(days=10),
        time_zone="America/Vancouver",
    )  # fmt: skip
    make_event(
        session, owner=organiser, title="London Summit", city="London", country="GB",
        networks=["ALT"], starts_at=soon + timedelta(days=40), time_zone="Europe/London",
    )  # fmt: skip
    make_event(
        session, owner=organiser, title="Online Hour", format="online", city="",
        online_url="https://example.org/hour", starts_at=soon + timedelta(days=50),
    )  # fmt: skip
    session.commit()


def _day(days: int) -> str:
    return (utcnow() + timedelta(days=days)).strftime("%Y-%m-%d")


def from_page(client, query: str) -> list[str]:
    response = client.get(f"/events?{query}")
    assert response.status_code == 200, query
    html = unescape(response.get_data(as_text=True))
    listed = html.split('class="ui-list event-list"', 1)
    if len(listed) == 1:
        return []
    return [title for title in TITLES if re.search(re.escape(title), listed[1])]


def from_api(client, query: str) -> list[str]:
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


CASES = [
    ("", list(TITLES)),
    ("country=CA", ["Toronto Meetup", "Vancouver Workshop"]),
    ("country=gb", ["London Summit"]),
    ("region=CA-BC", ["Vancouver Workshop"]),
    ("place=ca-on", ["Toronto Meetup"]),
    ("place=london", ["London Summit"]),
    ("city=VANCOUVER", ["Vancouver Workshop"]),
    ("place=london&city=toronto", ["Toronto Meetup"]),  # the explicit field wins
    ("network=etug", ["Vancouver Workshop"]),
    ("format=online", ["Online Hour"]),
    ("country=CA&format=hybrid", ["Vancouver Workshop"]),
    (f"from={_day(20)}", ["London Summit", "Online Hour"]),
    (f"to={_day(20)}", ["Toronto Meetup", "Vancouver Workshop"]),
    (f"from={_day(7)}&to={_day(45)}", ["Vancouver Workshop", "London Summit"]),
    ("country=FR", []),
]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_the_page_and_the_api_filter_alike(client, events, query, expected):
    assert from_api(client, query) == expected
    assert from_page(client, query) == expected


def test_the_page_offers_the_countries_events_are_in(client, events):
    html = client.get("/events?country=ca").get_data(as_text=True)
    select = html.split('id="filter-country"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="([A-Z]*)"', select)
    assert options == ["", "CA", "GB"]  # Canada, United Kingdom: by name
    assert '<option value="CA" selected>' in select


def test_a_bad_country_is_a_field_error_and_the_list_still_shows(client, events):
    response = client.get("/events?country=CAN&format=online")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="filter-country-error"' in html
    assert from_page(client, "format=online") == ["Online Hour"]
    listed = html.split('class="ui-list event-list"', 1)[1]
    assert "Online Hour" in listed and "Toronto Meetup" not in listed  # format still applies
    assert client.get("/api/v1/events?country=CAN").status_code == 422
