"""The directory and profiles are kept as rendered HTML, yet every change shows at once
and no reader ever sees what another audience may see."""

from __future__ import annotations

import pytest

from hallway.accounts.models import Role
from hallway.members import service
from tests.conftest import Browserless, csrf_token_from
from tests.factories import DEFAULT_PASSWORD, make_picture, make_profile, make_user


def page(client, path: str = "/members") -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def change(session, user, **changes) -> None:
    """A member's own edit, committed as a request would."""
    service.update_profile(session, user, changes)
    session.commit()


@pytest.fixture
def dana(session):
    user = make_user(session, display_name="Dana Reyes", handle="dana")
    make_profile(session, user, headline="Builds H5P quizzes", visibility="members")
    session.commit()
    return user


@pytest.fixture
def visitor(app) -> Browserless:
    return Browserless(app.test_client())


# --- the directory -------------------------------------------------------------------


def test_a_profile_edit_shows_in_the_directory_at_once(logged_in, dana, session):
    assert "Builds H5P quizzes" in page(logged_in.client)
    change(session, dana, headline="Now running the media team", display_name="Dana R. Reyes")
    html = page(logged_in.client)
    assert "Now running the media team" in html
    assert "Dana R. Reyes" in html
    assert "Builds H5P quizzes" not in html


def test_a_new_picture_shows_in_the_directory_at_once(logged_in, dana, session):
    assert "/members/dana/avatar?v=" not in page(logged_in.client)
    service.update_profile(session, dana, {}, avatar_upload=make_picture())
    session.commit()
    assert "/members/dana/avatar?v=" in page(logged_in.client)


def test_going_private_leaves_the_directory_at_once(logged_in, dana, session):
    assert "Dana Reyes" in page(logged_in.client)
    change(session, dana, visibility="private")
    assert "Dana Reyes" not in page(logged_in.client)


def test_leaving_the_directory_takes_effect_at_once(logged_in, dana, session):
    assert "Dana Reyes" in page(logged_in.client)
    change(session, dana, in_directory=False)
    assert "Dana Reyes" not in page(logged_in.client)


def test_a_new_profile_joins_the_directory_at_once(logged_in, session):
    newcomer = make_user(session, display_name="Noor Newcomer", handle="noor")
    session.commit()
    assert "Noor Newcomer" not in page(logged_in.client)  # no profile yet
    service.skip_welcome(session, newcomer)  # the profile row, with the defaults
    session.commit()
    assert "Noor Newcomer" in page(logged_in.client)


def test_a_deleted_account_leaves_the_directory_at_once(app, logged_in, dana):
    assert "Dana Reyes" in page(logged_in.client)
    leaving = Browserless(app.test_client())
    assert leaving.log_in(dana.email).status_code == 302
    response = leaving.post_form("/account/delete", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert "Dana Reyes" not in page(logged_in.client)


def test_an_import_shows_in_the_directory_at_once(logged_in, session):
    organiser = make_user(session, role=Role.organiser)
    session.commit()
    assert "Imogen Imported" not in page(logged_in.client)
    service.import_members(
        session, organiser, [{"email": "imogen@example.org", "name": "Imogen Imported"}]
    )
    session.commit()
    assert "Imogen Imported" in page(logged_in.client)


def test_a_visitor_never_gets_the_members_list(logged_in, visitor, dana, session):
    public = make_user(session, display_name="Pat Public", handle="pat")
    make_profile(session, public, visibility="public")
    session.commit()
    members_view = page(logged_in.client)  # cached for members first
    assert "Dana Reyes" in members_view and "Pat Public" in members_view
    html = page(visitor.client)
    assert "Pat Public" in html
    assert "Dana Reyes" not in html
    assert "log in</a> to see everyone" in html
    # And the other way round: the visitors' copy is not served to members.
    assert "Dana Reyes" in page(logged_in.client)
    assert "log in</a> to see everyone" not in page(logged_in.client)


def test_a_visitor_first_does_not_hide_members_from_members(logged_in, visitor, dana):
    assert "Dana Reyes" not in page(visitor.client)
    assert "Dana Reyes" in page(logged_in.client)


def test_a_listed_private_profile_is_found_only_by_its_owner(app, logged_in, session):
    hidden = make_user(session, display_name="Harper Hidden", handle="harper")
    make_profile(session, hidden, visibility="private", in_directory=True)
    session.commit()
    card = '<a href="/members/harper">Harper Hidden</a>'  # not the owner's own menu
    assert card not in page(logged_in.client)
    owner = Browserless(app.test_client())
    assert owner.log_in(hidden.email).status_code == 302
    assert card in page(owner.client)
    assert card not in page(logged_in.client)


def test_admins_see_private_profiles_that_members_do_not(app, logged_in, session):
    hidden = make_user(session, display_name="Harper Hidden", handle="harper")
    make_profile(session, hidden, visibility="private", in_directory=False)
    admin_user = make_user(session, role=Role.admin)
    session.commit()
    admin = Browserless(app.test_client())
    assert admin.log_in(admin_user.email).status_code == 302
    assert "Harper Hidden" in page(admin.client)
    assert "Harper Hidden" not in page(logged_in.client)


def test_each_filter_and_page_has_its_own_results(logged_in, dana, session):
    other = make_user(session, display_name="Kai Lee", handle="kai")
    make_profile(session, other, headline="Moodle admin", visibility="members")
    session.commit()
    assert "Kai Lee" in page(logged_in.client, "/members")
    html = page(logged_in.client, "/members?q=H5P")
    assert "Dana Reyes" in html and "Kai Lee" not in html
    assert 'value="H5P"' in html  # the search box keeps what was typed
    html = page(logged_in.client, "/members?q=Moodle")
    assert "Kai Lee" in html and "Dana Reyes" not in html


# --- profiles ------------------------------------------------------------------------


def test_a_profile_edit_shows_on_the_profile_at_once(logged_in, dana, session):
    assert "Builds H5P quizzes" in page(logged_in.client, "/members/dana")
    change(session, dana, headline="Now running the media team", bio="I *love* captions.")
    html = page(logged_in.client, "/members/dana")
    assert "Now running the media team" in html
    assert "<em>love</em>" in html
    assert "Builds H5P quizzes" not in html


def test_the_owners_view_is_never_served_to_others(app, logged_in, dana, session):
    owner = Browserless(app.test_client())
    assert owner.log_in(dana.email).status_code == 302
    own = page(owner.client, "/members/dana")
    assert "This is your profile" in own and "privacy-heading" in own
    other = page(logged_in.client, "/members/dana")
    assert "This is your profile" not in other and "privacy-heading" not in other
    assert "This is your profile" in page(owner.client, "/members/dana")


def test_hidden_links_show_only_to_their_owner_whoever_looked_first(app, logged_in, session):
    pat = make_user(session, display_name="Pat Public", handle="pat")
    make_profile(
        session, pat, visibility="public", show_contact_links=False,
        links=("https://example.org/pat",),
    )  # fmt: skip
    session.commit()
    assert "https://example.org/pat" not in page(logged_in.client, "/members/pat")
    owner = Browserless(app.test_client())
    assert owner.log_in(pat.email).status_code == 302
    assert "https://example.org/pat" in page(owner.client, "/members/pat")
    assert "https://example.org/pat" not in page(logged_in.client, "/members/pat")
    change(session, pat, show_contact_links=True)
    assert "https://example.org/pat" in page(logged_in.client, "/members/pat")


def test_each_viewer_gets_their_own_block_button(app, logged_in, dana, session):
    blocker = Browserless(app.test_client())
    blocker_user = make_user(session, handle="blocker")
    session.commit()
    assert blocker.log_in(blocker_user.email).status_code == 302
    assert ">Block<" in page(blocker.client, "/members/dana")
    response = blocker.post_form("/moderation/blocks", {"handle": "dana", "next": "/"})
    assert response.status_code == 302
    blocker_view = page(blocker.client, "/members/dana")
    assert ">Unblock<" in blocker_view
    others_view = page(logged_in.client, "/members/dana")
    assert ">Block<" in others_view and ">Unblock<" not in others_view
    # The button's form carries its reader's own CSRF token: it works for them too.
    response = logged_in.client.post(
        "/moderation/blocks",
        data={"csrf_token": csrf_token_from(others_view), "handle": "dana", "next": "/"},
    )
    assert response.status_code == 302
    assert ">Unblock<" in page(logged_in.client, "/members/dana")


def test_a_refused_filter_is_refused_every_time(logged_in, dana):
    for _ in range(2):
        response = logged_in.client.get("/members?country=ZZ")
        assert response.status_code == 400
        assert "Some filters could not be used" in response.get_data(as_text=True)
    assert "Dana Reyes" in page(logged_in.client, "/members?country=")
