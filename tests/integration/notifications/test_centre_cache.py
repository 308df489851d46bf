"""The notification centre's list is kept as HTML between visits; whatever changes the
member's notices, or an actor's name or picture, shows on the next visit. The kept HTML
is one member's: another never sees it, and each visit has its own form token."""

from __future__ import annotations

import re
from datetime import timedelta

from hallway.accounts.models import User
from hallway.core import unit_of_work
from hallway.core.fragment_cache import current_versions
from hallway.db import db, utcnow
from hallway.members import service as members_service
from hallway.notifications import service, views
from tests.conftest import Browserless
from tests.factories import make_notification, make_user
from tests.querycount import counting_queries, statements_for


def centre(logged_in, path: str = "/notifications") -> str:
    return logged_in.client.get(path).get_data(as_text=True)


def test_a_new_notice_shows_on_the_next_visit(poster, logged_in, member, replier):
    thread = poster.thread(member, title="Caching notices")
    assert "Sam Rivera" not in centre(logged_in)
    poster.reply(thread, replier)
    assert "Sam Rivera replied to you" in centre(logged_in)


def test_marking_read_shows_on_the_next_visit(session, logged_in, member):
    notice = make_notification(session, recipient=member, summary="Read me later")
    session.commit()
    assert "unread-marker" in centre(logged_in)
    response = logged_in.post_form(f"/notifications/{notice.id}/read", {"next": "/notifications"})
    assert response.status_code == 302
    html = centre(logged_in)
    assert "Read me later" in html and "unread-marker" not in html


def test_a_removed_post_is_removed_from_a_list_seen_before(poster, logged_in, member, replier):
    thread = poster.thread(member, title="Oversharing")
    comment, _ = poster.reply(thread, replier, body="My salary is 61k")
    assert "My salary is 61k" in centre(logged_in)
    service.update_subject(poster.session, "comment", comment.id, removed=True)
    poster.session.commit()
    html = centre(logged_in)
    assert "My salary is 61k" not in html and "This post was removed." in html


def test_a_new_name_of_the_actor_shows_in_their_avatar(app, session, logged_in, member):
    actor = make_user(session, display_name="Ada Lovelace")
    make_notification(session, recipient=member, actor=actor)
    session.commit()
    assert ">AL</span>" in centre(logged_in)
    with app.test_request_context():
        user = db.session.get(User, actor.id)
        members_service.update_profile(db.session, user, {"display_name": "Grace Hopper"})
        unit_of_work.commit(db.session)
    assert ">GH</span>" in centre(logged_in)


def test_the_forms_carry_the_visits_token_and_the_list_is_one_members(
    app, session, logged_in, member
):
    make_notification(session, recipient=member, summary="For the member only")
    session.commit()
    centre(logged_in)
    html = centre(logged_in)  # from the kept list
    tokens = re.findall(r'name="csrf_token"[^>]*value="([^"]*)"', html)
    assert len(set(tokens)) == 1 and tokens[0]  # the list's, the toolbar's and the shell's
    assert "\x00" not in html
    other = make_user(session, handle="other")
    session.commit()
    someone = Browserless(app.test_client())
    assert someone.log_in(other.email).status_code == 302
    assert "For the member only" not in someone.client.get("/notifications").get_data(as_text=True)


def test_recent_times_stay_relative_while_old_ones_are_dates(session, logged_in, member):
    make_notification(session, recipient=member, at=utcnow() - timedelta(minutes=5))
    make_notification(session, recipient=member, at=utcnow() - timedelta(days=30))
    session.commit()
    html = centre(logged_in)
    texts = re.findall(r'data-local-time="relative">([^<]+)</time>', html)
    assert texts[0] == "5 min. ago"
    assert "ago" not in texts[1]


def test_a_changed_list_costs_the_same_statements_for_5_and_50(app, logged_in, member, session):
    """The statements of a visit after a change (the list rendered again)."""

    def after_a_change(count: int) -> int:
        for _ in range(count):
            make_notification(session, recipient=member, actor=make_user(session))
        session.commit()
        with counting_queries(app) as statements:
            assert logged_in.client.get("/notifications").status_code == 200
        return len(statements)

    assert after_a_change(5) == after_a_change(45)
    assert len(statements_for(app, logged_in.client, "/notifications")) <= 4


def test_the_avatars_version_is_the_directorys():
    assert views.AVATARS_VERSION == members_service.DIRECTORY


def test_notify_bumps_each_recipients_version_in_one_statement(app, session, member, replier):
    before = current_versions(session, [service.version_name(member.id)])
    with counting_queries(app) as statements:
        service.notices_changed(session, [member.id, replier.id, member.id])
    assert sum(s.startswith("INSERT INTO content_versions") for s in statements) == 1
    after = current_versions(session, [service.version_name(member.id)])
    assert after[0] == before[0] + 1


def test_a_notice_to_many_members_bumps_them_all_in_a_few_statements(app, session):
    ids = list(range(10_000, 11_200))
    with counting_queries(app) as statements:
        service.notices_changed(session, ids)
    assert sum(s.startswith("INSERT INTO content_versions") for s in statements) == 3  # 500 each
    names = [service.version_name(user_id) for user_id in (ids[0], ids[700], ids[-1])]
    assert current_versions(session, names) == (1, 1, 1)
