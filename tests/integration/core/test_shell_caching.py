"""The page shell's shortcuts (issue 8) never show a reader a stale or someone else's page.

Every page pays for its shell: translated labels, fixed URLs, the #i18n block, the
reader and their unread count. Those are now looked up once per request or per process,
or read with the reader in one statement; these tests hold each shortcut to what a
reader sees when the thing behind it changes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask, render_template_string
from flask_babel import force_locale
from flask_login import login_user

from hallway.core import catalogue, unit_of_work
from hallway.core.i18n import LANGUAGE_COOKIE
from hallway.core.static_assets import StaticAssets
from hallway.core.templating import fixed_url_for
from hallway.db import db
from hallway.notifications import service as notifications
from tests.conftest import Browserless, csrf_token_from
from tests.factories import make_profile, make_thread, make_user


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues() -> None:
    catalogue.compile_catalogues()


def nav_unread(html: str) -> str:
    badge = re.search(r"<span class=\"count-badge\" data-unread-count[^>]*>(\d+)</span>", html)
    assert badge, "the page has no unread badge"
    return badge.group(1)


def i18n_block(html: str) -> dict:
    return json.loads(re.search(r'id="i18n">(.*?)</script>', html).group(1))


# --- Translations: found once per request, for the request's language -----------------


def test_switching_language_changes_the_shell_on_the_next_page(logged_in: Browserless):
    client = logged_in.client
    english = client.get("/discussions").get_data(as_text=True)
    assert "Change language" in english and '<html lang="en"' in english

    token = csrf_token_from(english)
    client.post("/language", data={"csrf_token": token, "language": "fr_CA", "next": "/"})
    french = client.get("/discussions").get_data(as_text=True)

    assert "Changer de langue" in french and "Change language" not in french
    assert '<html lang="fr-CA"' in french
    assert i18n_block(french)["locale"] == "fr-CA"

    client.post(
        "/language",
        data={"csrf_token": csrf_token_from(french), "language": "en", "next": "/"},
    )
    assert "Change language" in client.get("/discussions").get_data(as_text=True)


def test_two_readers_in_turn_each_get_their_own_language(client):
    client.set_cookie(LANGUAGE_COOKIE, "fr_CA")
    assert "Changer de langue" in client.get("/").get_data(as_text=True)
    client.set_cookie(LANGUAGE_COOKIE, "en")
    assert "Change language" in client.get("/").get_data(as_text=True)
    client.set_cookie(LANGUAGE_COOKIE, "fr_CA")
    assert "Changer de langue" in client.get("/").get_data(as_text=True)


def test_a_forced_language_inside_a_request_translates_templates_in_it(app: Flask):
    """Emails are rendered in their recipient's language in the middle of a request."""
    source = "{{ _('Change language') }}|{% trans %}Change language{% endtrans %}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(source) == "Change language|Change language"
        with force_locale("fr_CA"):
            assert render_template_string(source) == "Changer de langue|Changer de langue"
        assert render_template_string(source) == "Change language|Change language"


def test_template_translations_still_escape_their_variables(app: Flask):
    source = "{{ _('Notifications, %(count)s unread', count=name) }}"
    with app.test_request_context("/"):
        html = render_template_string(source, name="<b>")
    assert "&lt;b&gt;" in html and "<b>" not in html


# --- The #i18n block: built once per language and zone ---------------------------------


def test_each_reader_gets_the_time_zone_on_their_own_profile(app: Flask, session):
    halifax = make_user(session)
    make_profile(session, halifax, time_zone="America/Halifax")
    vancouver = make_user(session)
    make_profile(session, vancouver, time_zone="America/Vancouver")

    zones = []
    for user in (halifax, vancouver, halifax, None):
        with app.test_request_context("/", headers={"Accept-Language": "en"}):
            if user is not None:
                login_user(user)
            zones.append(i18n_block(render_template_string("{{ i18n_script() }}"))["timeZone"])

    assert zones == ["America/Halifax", "America/Vancouver", "America/Halifax", None]


# --- Fixed URLs: built once per process, except an edited static file in debug ----------


def _static_app(folder: Path, *, debug: bool) -> tuple[Flask, StaticAssets]:
    app = Flask(__name__, static_folder=str(folder), static_url_path="/static")
    app.debug = debug
    from hallway.core.static_assets import register_static_assets

    register_static_assets(app)
    return app, app.extensions["hallway_static_assets"]


def test_an_edited_static_file_gets_its_new_url_at_once_in_debug(tmp_path: Path):
    (tmp_path / "site.css").write_text("body { color: black }")
    app, assets = _static_app(tmp_path, debug=True)
    url_for = fixed_url_for(watch_static=assets.watch)

    with app.test_request_context("/"):
        before = url_for("static", filename="site.css")
        (tmp_path / "site.css").write_text("body { color: darkslategray; margin: 0 }")
        after = url_for("static", filename="site.css")

    assert re.fullmatch(r"/static/site\.[0-9a-f]{12}\.css", before)
    assert after != before


def test_fixed_urls_follow_the_path_the_app_is_mounted_at(tmp_path: Path):
    (tmp_path / "site.css").write_text("body { color: black }")
    app, assets = _static_app(tmp_path, debug=False)
    app.add_url_rule("/about", "about", lambda: "about")
    url_for = fixed_url_for(watch_static=assets.watch)

    with app.test_request_context("/"):
        plain = (url_for("about"), url_for("static", filename="site.css"))
    with app.test_request_context("/", base_url="http://localhost/hallway/"):
        mounted = (url_for("about"), url_for("static", filename="site.css"))

    assert plain[0] == "/about" and mounted[0] == "/hallway/about"
    assert mounted[1] == "/hallway" + plain[1]


def test_urls_with_arguments_are_built_for_each_call(app: Flask):
    with app.test_request_context("/"):
        url_for = app.jinja_env.globals["url_for"]
        assert url_for("members.profile", handle="ana") == "/members/ana"
        assert url_for("members.profile", handle="bo") == "/members/bo"
        assert url_for("discussions.index", page=2) == "/discussions?page=2"


# --- The reader and their unread count: one statement, still live ----------------------


def test_the_nav_counts_notifications_that_arrive_between_pages(app, session, logged_in, member):
    assert nav_unread(logged_in.client.get("/discussions").get_data(as_text=True)) == "0"

    other = make_user(session)
    session.commit()
    with app.test_request_context("/"):
        notifications.notify(
            db.session,
            recipients={member.id: "reply"},
            actor_id=other.id,
            subject_type="thread",
            subject_id=1,
            url="/t/1",
            summary="Someone replied",
        )
        unit_of_work.commit(db.session)

    assert nav_unread(logged_in.client.get("/discussions").get_data(as_text=True)) == "1"

    page = logged_in.client.get("/notifications").get_data(as_text=True)
    logged_in.client.post(
        "/notifications/read-all", data={"csrf_token": csrf_token_from(page), "next": "/"}
    )
    assert nav_unread(logged_in.client.get("/discussions").get_data(as_text=True)) == "0"


def test_a_count_read_with_the_reader_is_forgotten_when_this_request_changes_it(
    app, session, member
):
    other = make_user(session)
    session.commit()
    with app.test_request_context("/"):
        login_user(member)
        reader = app.login_manager._user_callback(f"{member.id}.{member.session_generation}")
        assert reader is not None
        assert notifications.unread_count_at_load(db.session, member.id) == 0

        notifications.notify(
            db.session,
            recipients={member.id: "reply"},
            actor_id=other.id,
            subject_type="thread",
            subject_id=1,
            url="/t/1",
            summary="Someone replied",
        )
        assert notifications.unread_count_at_load(db.session, member.id) is None
        html = render_template_string("{{ site_header() }}")
        assert nav_unread(html) == "1"
        db.session.rollback()


# --- The header and footer: rendered once per look, with this request's parts put in ---


def user_menu_name(html: str) -> str:
    return re.search(r'<span class="menu-label">([^<]*)</span>', html).group(1)


def switcher_next(html: str) -> str:
    return re.search(r'<input type="hidden" name="next" value="([^"]*)">', html).group(1)


def test_the_header_shows_a_renamed_member_under_their_new_name_at_once(session, logged_in, member):
    assert user_menu_name(logged_in.client.get("/discussions").get_data(as_text=True)) == (
        "Maya Okafor"
    )
    member.display_name = "Maya O. Okafor"
    session.commit()

    html = logged_in.client.get("/discussions").get_data(as_text=True)
    assert user_menu_name(html) == "Maya O. Okafor"
    assert "Maya Okafor<" not in html


def test_two_members_on_the_same_page_each_see_their_own_menu(app, session, logged_in):
    logged_in.client.get("/discussions")  # the first reader's header is now kept
    other = make_user(session, display_name="Jonas Berg", handle="jonas")
    session.commit()
    second = Browserless(app.test_client())
    assert second.log_in(other.email).status_code == 302

    html = second.client.get("/discussions").get_data(as_text=True)
    assert user_menu_name(html) == "Jonas Berg"
    assert 'href="/members/jonas"' in html and 'href="/members/maya"' not in html


def test_the_log_out_form_in_a_kept_header_carries_this_sessions_token(app, session, logged_in):
    logged_in.client.get("/discussions")
    other = make_user(session, display_name="Jonas Berg", handle="jonas")
    session.commit()
    second = Browserless(app.test_client())
    second.log_in(other.email)
    html = second.client.get("/discussions").get_data(as_text=True)
    logout_form = re.search(r'action="/logout".*?name="csrf_token" value="([^"]+)"', html, re.S)

    answer = second.client.post("/logout", data={"csrf_token": logout_form.group(1)})

    assert answer.status_code == 302
    assert "menu-label" not in second.client.get("/discussions").get_data(as_text=True)


def test_the_language_switcher_comes_back_to_the_page_it_is_on(logged_in: Browserless):
    client = logged_in.client
    assert switcher_next(client.get("/discussions").get_data(as_text=True)) == "/discussions"
    assert switcher_next(client.get("/members?q=ada&stage=novice").get_data(as_text=True)) == (
        "/members?q=ada&amp;stage=novice"
    )
    assert switcher_next(client.get("/events").get_data(as_text=True)) == "/events"


def test_the_current_section_is_marked_in_the_navigation(logged_in: Browserless):
    def current(path: str) -> list[str]:
        html = logged_in.client.get(path).get_data(as_text=True)
        header = html[html.index('<header class="site-header">') : html.index("</header>")]
        return re.findall(r'<a href="([^"]+)"[^>]*aria-current="page"', header)

    assert current("/discussions") == ["/discussions"]
    assert current("/events") == ["/events"]
    assert current("/members") == ["/members"]
    assert current("/notifications") == ["/notifications"]
    assert current("/notifications/preferences") == []
    assert current("/") == []


def test_no_placeholder_of_the_kept_shell_reaches_a_page(client, logged_in: Browserless):
    from hallway.core.shell import CSRF_MARKER, NEXT_MARKER

    for page in (logged_in.client.get("/discussions"), client.get("/members")):
        html = page.get_data(as_text=True)
        assert CSRF_MARKER not in html and NEXT_MARKER not in html
        assert html.count(csrf_token_from(html)) >= 2  # the meta tag and the forms agree


# --- Whole shells: pages whose own part is HTML already keep head, header and footer ---


def test_kept_page_shells_show_each_page_its_title_address_and_readers_token(
    app, session, member, logged_in: Browserless
):
    from tests.unit.events.factories import make_event

    event = make_event(session, title="Open <Ed> Meetup")
    thread = make_thread(session, title="Captions & transcripts")
    make_profile(session, member, visibility="members")
    session.commit()
    thread_path = f"/t/{thread.id}/{thread.slug}"
    titles = {
        "/": "Home · Hallway",
        thread_path: "Captions &amp; transcripts · Hallway",
        "/members/maya": "Maya Okafor · Hallway",
        "/notifications": "Notifications · Hallway",
        "/discussions": "Discussions · Hallway",
        f"/c/{thread.category.slug}": f"{thread.category.name} · Hallway",
        "/events": "Events · Hallway",
        "/events?when=past": "Past events · Hallway",
        f"/events/{event.id}": "Open &lt;Ed&gt; Meetup · Hallway",
        "/members": "Members · Hallway",
        "/members?q=ada": "Members · Hallway",
    }
    other = make_user(session, display_name="Jonas Berg", handle="jonas")
    session.commit()
    second = Browserless(app.test_client())
    second.log_in(other.email)
    for reader, name in ((logged_in, "Maya Okafor"), (second, "Jonas Berg")):
        for path, title in titles.items():
            html = reader.client.get(path).get_data(as_text=True)
            assert re.search(r"<title>([^<]*)</title>", html).group(1) == title
            assert user_menu_name(html) == name
            assert switcher_next(html) == path.replace("&", "&amp;")
            tokens = set(re.findall(r'csrf[-_]token"?[^>]*(?:content|value)="([^"]+)"', html))
            assert len(tokens) == 1
