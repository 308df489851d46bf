"""Which language a page speaks, the language switcher, and times for each reader."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from flask import render_template_string
from flask_login import login_user

from hallway.accounts.models import User
from hallway.core import catalogue
from hallway.core.i18n import LANGUAGE_COOKIE
from tests.conftest import Browserless, csrf_token_from
from tests.factories import make_profile, make_user


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues() -> None:
    """What `make test` does first: the .mo files Flask-Babel reads."""
    catalogue.compile_catalogues()


def page_language(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page has no <html lang>"
    return match.group(1)


def switch_language(client, language: str, next_path: str = "/discussions", **extra):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client.post(
        "/language",
        data={"csrf_token": token, "language": language, "next": next_path, **extra},
    )


# --- Choosing the language --------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        ("fr-CA", "fr-CA"),
        ("fr", "fr-CA"),
        ("fr-FR,fr;q=0.9", "fr-CA"),
        ("de-DE, fr;q=0.5, en;q=0.3", "fr-CA"),
        ("en-US,en;q=0.9,fr;q=0.8", "en"),
        ("fr;q=0, en", "en"),
        ("de", "en"),
        ("", "en"),
    ],
)
def test_visitors_get_the_language_their_browser_asks_for(client, accept_language, lang):
    response = client.get("/", headers={"Accept-Language": accept_language})
    assert response.status_code == 200
    assert page_language(response) == lang


def test_a_visitors_chosen_language_beats_the_browsers(client):
    client.set_cookie(LANGUAGE_COOKIE, "en")
    assert page_language(client.get("/", headers={"Accept-Language": "fr-CA"})) == "en"
    client.set_cookie(LANGUAGE_COOKIE, "fr_CA")
    assert page_language(client.get("/", headers={"Accept-Language": "en"})) == "fr-CA"


def test_an_unknown_cookie_value_is_ignored(client):
    client.set_cookie(LANGUAGE_COOKIE, "klingon")
    assert page_language(client.get("/", headers={"Accept-Language": "fr"})) == "fr-CA"


def test_a_members_saved_language_beats_cookie_and_browser(logged_in, member, session):
    member.language = "fr_CA"
    session.commit()
    logged_in.client.set_cookie(LANGUAGE_COOKIE, "en")
    response = logged_in.client.get("/discussions", headers={"Accept-Language": "en"})
    assert page_language(response) == "fr-CA"


def test_a_member_without_a_saved_language_gets_the_cookie_then_the_browser(logged_in, member):
    assert member.language is None
    assert page_language(logged_in.client.get("/", headers={"Accept-Language": "fr"})) == "fr-CA"
    logged_in.client.set_cookie(LANGUAGE_COOKIE, "en")
    assert page_language(logged_in.client.get("/", headers={"Accept-Language": "fr"})) == "en"


def test_french_pages_use_the_french_catalogue(client):
    client.set_cookie(LANGUAGE_COOKIE, "fr_CA")
    html = client.get("/").get_data(as_text=True)
    assert "Changer de langue" in html  # the switcher in the footer
    client.set_cookie(LANGUAGE_COOKIE, "en")
    assert "Change language" in client.get("/").get_data(as_text=True)


# --- The switcher -----------------------------------------------------------------------


def test_switching_language_remembers_it_and_goes_back(client):
    response = switch_language(client, "fr_CA", "/discussions?page=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/discussions?page=2"
    assert page_language(client.get("/", headers={"Accept-Language": "en"})) == "fr-CA"
    cookie = client.get_cookie(LANGUAGE_COOKIE)
    assert cookie is not None and cookie.value == "fr_CA"
    assert cookie.http_only and cookie.same_site == "Lax"


@pytest.mark.parametrize("language", ["de", "", "fr_CA; drop table", "EN"])
def test_an_unknown_language_is_refused(client, language):
    response = switch_language(client, language)
    assert response.status_code == 400
    assert client.get_cookie(LANGUAGE_COOKIE) is None


def test_switching_needs_the_forms_csrf_token(client):
    response = client.post("/language", data={"language": "fr_CA", "next": "/"})
    assert response.status_code == 400
    assert client.get_cookie(LANGUAGE_COOKIE) is None


@pytest.mark.parametrize(
    "next_path",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_switching_never_redirects_off_the_site(client, next_path):
    response = switch_language(client, "fr_CA", next_path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_member_switching_saves_their_preference(logged_in, member, session):
    response = switch_language(logged_in.client, "fr_CA")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, member.id).language == "fr_CA"
    # Another device, no cookie, an English browser: still French.
    other = Browserless(logged_in.client.application.test_client())
    other.log_in(member.email)
    assert page_language(other.client.get("/", headers={"Accept-Language": "en"})) == "fr-CA"


def test_the_settings_page_offers_the_language_with_the_current_one_selected(
    logged_in, member, session
):
    member.language = "fr_CA"
    session.commit()
    html = logged_in.client.get("/notifications/preferences").get_data(as_text=True)
    assert 'id="settings-language"' in html
    assert re.search(r'<option value="fr_CA" lang="fr-CA" selected>Français</option>', html)
    assert "Langue" in html


def test_sign_up_saves_the_language_it_was_made_in(client, session):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr-CA,fr;q=0.9"
    Browserless(client).sign_up(
        {
            "display_name": "Élise Cormier",
            "handle": "elise",
            "email": "elise@example.org",
            "password": "correct horse battery",
            "confirm": "correct horse battery",
        }
    )
    session.expire_all()
    user = session.query(User).filter_by(handle="elise").one()
    assert user.language == "fr_CA"


# --- Times for each reader --------------------------------------------------------------

MOMENT = datetime(2026, 11, 15, 3, 30, tzinfo=UTC)  # the evening of the 14th in Toronto


def render_as(app, user, source: str, **context) -> str:
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        if user is not None:
            login_user(user)
        return render_template_string(source, **context)


def test_a_members_times_are_in_the_zone_on_their_profile(app, session):
    user = make_user(session)
    make_profile(session, user, time_zone="America/Toronto")
    html = render_as(app, user, "{{ time_tag(moment) }}", moment=MOMENT)
    assert 'datetime="2026-11-15T03:30:00Z"' in html
    assert ">Nov 14, 2026</time>" in html
    assert "November 14, 2026, 10:30" in html and "EST" in html


def test_a_visitors_times_are_utc_for_the_browser_to_convert(app):
    html = render_as(app, None, "{{ time_tag(moment) }}", moment=MOMENT)
    assert ">Nov 15, 2026</time>" in html
    assert 'data-local-time="relative"' in html


def test_recent_times_read_relative(app):
    recent = datetime.now(UTC).replace(microsecond=0)
    html = render_as(app, None, "{{ time_tag(moment) }}", moment=recent)
    assert ">just now</time>" in html


def test_the_shared_time_element_is_the_same_for_every_reader(app, session):
    toronto = make_user(session)
    make_profile(session, toronto, time_zone="America/Toronto")
    vancouver = make_user(session)
    make_profile(session, vancouver, time_zone="America/Vancouver")
    source = "{{ time_tag_shared(moment) }}"
    shared = {render_as(app, user, source, moment=MOMENT) for user in (toronto, vancouver, None)}
    assert len(shared) == 1
    (html,) = shared
    assert 'datetime="2026-11-15T03:30:00Z"' in html and "UTC</time>" in html


def test_the_i18n_block_gives_scripts_the_language_zone_and_translations(app, session):
    user = make_user(session)
    make_profile(session, user, time_zone="America/Halifax")
    user.language = "fr_CA"
    html = render_as(app, user, "{{ i18n_script() }}")
    payload = json.loads(re.search(r'id="i18n">(.*)</script>', html).group(1))
    assert payload["locale"] == "fr-CA"
    assert payload["timeZone"] == "America/Halifax"
    assert payload["messages"]["just now"] == "à l’instant"
    visitor = json.loads(
        re.search(r'id="i18n">(.*)</script>', render_as(app, None, "{{ i18n_script() }}")).group(1)
    )
    assert visitor == {"locale": "en", "timeZone": None, "messages": {}}


def test_the_i18n_block_cannot_be_closed_by_its_content(app):
    html = render_as(app, None, "{{ i18n_script() }}")
    assert html.count("</script>") == 1
    assert html.startswith('<script type="application/json" id="i18n">')
