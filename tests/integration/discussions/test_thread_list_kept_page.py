"""A list page's content (heading, tabs, list, categories) is kept rendered between
requests (views.py _thread_list). What a reader notices: changes show at once, each
reader gets the page of their rights and language, and a category's notification
control is their own.

Each test looks at the page first, so the kept copy exists, then changes something the
way the site does and looks again (or another reader looks).
"""

from __future__ import annotations

from hallway.accounts.models import Role
from hallway.core.i18n import LANGUAGE_COOKIE
from hallway.db import utcnow
from hallway.discussions import service, subscriptions
from tests.factories import make_thread, make_user
from tests.integration.events.conftest import logged_in_as
from tests.querycount import statements_for


def main_of(person, path: str = "/discussions") -> str:
    response = person.client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page[page.index('<main id="main"') : page.index("</main>")]


def test_admins_get_their_links_and_hidden_threads_members_do_not(app, session, logged_in, thread):
    admin = make_user(session, display_name="Ada Admin", handle="ada", role=Role.admin)
    hidden = make_thread(session, category=thread.category, title="Spam about pills")
    hidden.hidden_at = utcnow()
    session.commit()
    member_view = main_of(logged_in)
    assert "Manage categories" not in member_view and "Spam about pills" not in member_view
    admin_view = main_of(logged_in_as(app, admin))
    assert "Manage categories" in admin_view and "Spam about pills" in admin_view
    member_view = main_of(logged_in)
    assert "Manage categories" not in member_view and "Spam about pills" not in member_view


def test_a_renamed_category_and_a_new_thread_show_at_once(app, session, logged_in, thread):
    admin = make_user(session, display_name="Ada Admin", handle="ada", role=Role.admin)
    session.commit()
    path = f"/c/{thread.category.slug}"
    assert "Tools &amp; practice" in main_of(logged_in, path)
    with app.test_request_context():
        service.update_category(
            session,
            actor=admin,
            category=thread.category,
            name="Tools and practice",
            description="Software, hardware and habits.",
        )
        service.start_thread(
            session,
            actor=admin,
            category_id=thread.category.id,
            title="Which screen reader do you test with?",
            body="?",
        )
    session.commit()
    for main in (main_of(logged_in, path), main_of(logged_in)):
        assert "Tools and practice" in main and "Tools &amp; practice" not in main
        assert "Which screen reader do you test with?" in main
    assert "Software, hardware and habits." in main_of(logged_in, path)


def test_a_categorys_notification_control_is_each_readers_own(
    app, session, logged_in, member, thread
):
    other = make_user(session, display_name="Ben Other", handle="ben")
    subscriptions.watch_category(session, actor=other, category_id=thread.category.id)
    session.commit()
    path = f"/c/{thread.category.slug}"
    assert "Notifications: Normal" in main_of(logged_in, path)
    assert "Notifications: Watching" in main_of(logged_in_as(app, other), path)
    assert "Notifications: Normal" in main_of(logged_in, path)
    assert "Notifications:" not in main_of(logged_in)  # only on a category's page


def test_each_reader_reads_the_list_in_their_language(session, logged_in, thread):
    assert "Latest activity" in main_of(logged_in)
    logged_in.client.set_cookie(LANGUAGE_COOKIE, "fr_CA")
    french = main_of(logged_in)
    assert "Latest activity" not in french and "Surviving an LMS migration" in french
    logged_in.client.set_cookie(LANGUAGE_COOKIE, "en")
    assert "Latest activity" in main_of(logged_in)


def test_sorts_and_pages_are_kept_apart(session, logged_in, thread):
    for number in range(25):
        make_thread(session, category=thread.category, title=f"Question {number}")
    session.commit()
    main_of(logged_in)  # the log-in's flash message shown
    first, second = main_of(logged_in), main_of(logged_in, "/discussions?page=2")
    assert first != second
    assert 'aria-current="page">Newest' in main_of(logged_in, "/discussions?sort=newest")
    assert main_of(logged_in) == first


def test_a_repeat_view_sends_two_statements(app, session, logged_in, thread):
    for number in range(30):
        make_thread(session, category=thread.category, title=f"Question {number}")
    session.commit()
    sent = statements_for(app, logged_in.client, "/discussions")
    # The member with their facts, then the list's content versions.
    assert len([statement for statement in sent if statement.startswith("SELECT")]) == 2
