"""/styleguide: every component on one page, for developers only."""

from __future__ import annotations

import re

import pytest

from hallway import create_app


@pytest.fixture
def styleguide(client) -> str:
    response = client.get("/styleguide")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_styleguide_is_there_in_development_and_tests(client):
    response = client.get("/styleguide")
    assert response.status_code == 200
    assert "<h1>Style guide</h1>" in response.get_data(as_text=True)


def test_the_styleguide_is_not_found_in_production(app_settings, monkeypatch):
    monkeypatch.setenv("HALLWAY_ENV", "production")
    production = create_app(app_settings)
    assert production.config["ENVIRONMENT"] == "production"
    assert production.test_client().get("/styleguide").status_code == 404


def test_the_styleguide_can_be_switched_off(app_settings):
    quiet = create_app({**app_settings, "STYLEGUIDE_ENABLED": False})
    assert quiet.test_client().get("/styleguide").status_code == 404


@pytest.mark.parametrize(
    ("component", "marker"),
    [
        ("type scale", "Heading 2 · 1.4rem"),
        ("colour tokens", "<code>--hw-focus</code>"),
        ("primary button", '<button class="btn" type="button">Primary</button>'),
        ("secondary button", '<button class="btn btn-secondary" type="button">Secondary</button>'),
        ("danger button", '<button class="btn btn-danger" type="button">Delete thread</button>'),
        ("small button", '<button class="btn btn-small" type="button">Small</button>'),
        ("badge", '<span class="ui-badge">Neutral</span>'),
        ("open to requests", '<span class="ui-badge ui-badge-success">Open to requests</span>'),
        ("initials avatar", '<span class="ui-avatar ui-avatar-lg" aria-hidden="true">MO</span>'),
        ("image avatar", '<img class="ui-avatar ui-avatar-md" src="/static/favicon'),
        ("member chip", '<span class="member-chip-stage">Advanced</span>'),
        ("card", '<article class="ui-card"><header><h3>A card</h3></header>'),
        ("list row", '<li class="list-row">'),
        ("empty state", '<h4 class="empty-state-title">No threads yet</h4>'),
        ("time", "<time datetime="),
        ("pagination", '<nav class="pagination" aria-label="Pages">'),
        ("tabs", '<nav class="tabs" aria-label="Sort threads">'),
        ("menu", '<details class="menu" data-menu>'),
    ],
)
def test_the_styleguide_shows_each_component(styleguide, component, marker):
    assert marker in styleguide, component


def test_a_field_error_sits_right_under_its_own_field(styleguide):
    field = re.search(r'<input[^>]*id="email"[^>]*>', styleguide)
    assert field, "no email field"
    assert 'aria-invalid="true"' in field[0]
    assert 'aria-describedby="email-error"' in field[0]
    after = styleguide[field.end() :].lstrip()
    assert after.startswith('<small id="email-error" class="field-error">Enter an email')
    # A field without an error is neither invalid nor described by one.
    name = re.search(r'<input[^>]*id="display_name"[^>]*>', styleguide)
    assert name and "aria-invalid" not in name[0]
    assert 'aria-describedby="display_name-help"' in name[0]


def test_the_current_page_is_marked_in_pagination(client):
    html = client.get("/styleguide?page=5").get_data(as_text=True)
    assert '<a aria-current="page">5</a>' in html
    assert 'href="/styleguide?page=4" rel="prev"' in html
    assert 'href="/styleguide?page=6" rel="next"' in html


def test_the_brand_link_is_named_by_its_visible_text(styleguide):
    brand = re.search(r'<a href="/" class="brand">.*?</a>', styleguide, re.S)
    assert brand and "aria-label" not in brand[0]
    assert brand[0].endswith("Hallway</a>")


def test_every_page_starts_with_a_skip_link_to_its_content(styleguide):
    body = styleguide[styleguide.index("<body") :]
    first_link = re.search(r"<a [^>]*>", body)
    assert first_link and 'href="#main"' in first_link[0]
    assert '<main id="main"' in styleguide
