"""The members' front page is kept rendered between requests (home/page.py member_body).
What a member notices: every change shows at once, each member reads their own name,
language and zone, and an event that ends leaves the list when it ends.

Each test looks at the page first, so the kept copy exists, then changes something the
way the site does (the services, or a new account) and looks again.
"""

from __future__ import annotations

import re
from datetime import timedelta

from hallway.accounts.models import Role
from hallway.core.i18n import LANGUAGE_COOKIE
from hallway.db import utcnow
from hallway.discussions import service as discussions
from hallway.members import service as members
from tests.factories import make_category, make_profile, make_thread, make_user
from tests.integration.events.conftest import logged_in_as
from tests.querycount import statements_for
from tests.unit.events.factories import make_event


def main_of(person) -> str:
    page = person.client.get("/").get_data(as_text=True)
    return page[page.index('<main id="main"') : page.index("</main>")]


def test_each_member_is_welcomed_by_their_own_name(app, session, logged_in):
    other = make_user(session, display_name="<b>Ben</b> & co", handle="ben")
    session.commit()
    assert "Welcome, Maya Okafor" in main_of(logged_in)
    theirs = main_of(logged_in_as(app, other))
    assert "Welcome, &lt;b&gt;Ben&lt;/b&gt; &amp; co" in theirs
    assert "Maya Okafor" not in theirs
    assert "Welcome, Maya Okafor" in main_of(logged_in)


def test_new_threads_replies_and_renamed_authors_show_at_once(
    app, session, logged_in, member, monkeypatch
):
    monkeypatch.setitem(app.config, "NEW_MEMBER_POST_LIMIT", 0)
    category = make_category(session, name="Tools")
    author = make_user(session, display_name="Dee Kowalski", handle="dee")
    session.commit()
    assert "No discussions yet" in main_of(logged_in)

    with app.test_request_context():
        thread = discussions.start_thread(
            session, actor=author, category_id=category.id, title="Captions on a budget", body="?"
        ).post
    session.commit()
    main = main_of(logged_in)
    assert "Captions on a budget" in main and "0 replies" in main and "by Dee Kowalski" in main

    with app.test_request_context():
        discussions.reply(session, actor=member, thread=thread, body="Use the auto captions")
    session.commit()
    assert "1 reply" in main_of(logged_in)

    with app.test_request_context():
        members.update_profile(session, author, {"display_name": "Dee K."})
    session.commit()
    main = main_of(logged_in)
    assert "by Dee K." in main and "Dee Kowalski" not in main


def test_new_members_and_organisers_are_counted_at_once(session, logged_in):
    assert "<strong>1</strong> member" in main_of(logged_in)
    make_user(session)
    make_user(session, role=Role.organiser)
    session.commit()
    main = main_of(logged_in)
    assert "<strong>3</strong> members" in main
    assert "<strong>1</strong> organiser" in main


def test_a_new_event_shows_at_once_and_an_ended_one_leaves_when_it_ends(
    session, logged_in, monkeypatch
):
    assert "No upcoming events" in main_of(logged_in)
    soon = make_event(session, title="Short webinar", starts_at=utcnow() + timedelta(hours=1))
    make_event(session, title="Later meetup", starts_at=utcnow() + timedelta(days=3))
    session.commit()
    main = main_of(logged_in)
    assert "Short webinar" in main and "Later meetup" in main

    after_the_webinar = soon.ends_at + timedelta(minutes=1)
    monkeypatch.setattr("hallway.home.page.utcnow", lambda: after_the_webinar)
    monkeypatch.setattr("hallway.home.service.utcnow", lambda: after_the_webinar)
    main = main_of(logged_in)
    assert "Short webinar" not in main and "Later meetup" in main


def test_each_member_reads_the_page_in_their_language_and_zone(app, session, logged_in):
    starts = (utcnow() + timedelta(days=20)).replace(hour=15, minute=30, second=0, microsecond=0)
    make_event(session, starts_at=starts, time_zone="America/Vancouver")
    make_thread(session, category=make_category(session, name="Outils"), title="Sous-titres")
    tokyo = make_user(session, display_name="Kenji", handle="kenji")
    make_profile(session, tokyo, time_zone="Asia/Tokyo")
    session.commit()

    def reader_time(main: str) -> str:
        return re.search(r'<time [^>]*title="([^"]+)"', main).group(1)

    assert "UTC" in reader_time(main_of(logged_in))
    in_tokyo = main_of(logged_in_as(app, tokyo))
    assert "Welcome, Kenji" in in_tokyo
    assert "UTC" not in reader_time(in_tokyo)  # 15:30 UTC is 00:30 the next day in Tokyo
    assert "12:30" in reader_time(in_tokyo) or "0:30" in reader_time(in_tokyo)

    logged_in.client.set_cookie(LANGUAGE_COOKIE, "fr_CA")
    french = main_of(logged_in)
    assert "dans Outils" in french and "Maya Okafor" in french
    assert "Welcome" not in french
    logged_in.client.set_cookie(LANGUAGE_COOKIE, "en")
    assert "Welcome, Maya Okafor" in main_of(logged_in)


def test_a_repeat_view_sends_two_statements_however_much_there_is(app, session, logged_in):
    for number in range(8):
        make_thread(session, title=f"Question {number}")
        make_event(session, title=f"Meetup {number}")
    session.commit()
    logged_in.client.get("/")
    # The member with their facts, then the page's versions and counts.
    sent = statements_for(app, logged_in.client, "/")
    assert len([statement for statement in sent if statement.startswith("SELECT")]) == 2
