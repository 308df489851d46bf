"""The directory and a profile cost the same number of SQL statements however many
members there are, and the directory shows one page of cards at a time."""

from __future__ import annotations

import re

from hallway.core.fragment_cache import fragments
from hallway.members import service
from tests.factories import make_picture, make_profile
from tests.querycount import counting_queries, statements_for


def add_members(session, count: int, start: int) -> None:
    for number in range(start, start + count):
        user = make_profile(
            session,
            headline=f"Learning designer number {number}",
            role="Learning designer",
            organisation=f"College {number}",
            country="CA",
            region="CA-BC",
            city="Victoria",
            interests=["OER", "accessibility", f"topic {number}"],
            offering=["mentoring"],
            looking_for=["peer_support"],
            links=(f"https://example.org/{number}",),
        )
        if number % 3 == 0:  # some have pictures, the rest initials
            profile = service.update_profile(session, user.user, {}, avatar_upload=make_picture())
            assert profile.avatar is not None
    session.commit()


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="list-row member-row">', html)


def test_directory_sends_the_same_statements_for_10_and_100_members(app, logged_in, session):
    add_members(session, 10, start=0)
    with_10 = statements_for(app, logged_in.client, "/members")
    add_members(session, 90, start=10)
    with_100 = statements_for(app, logged_in.client, "/members")
    assert len(with_100) == len(with_10)

    html = logged_in.client.get("/members").get_data(as_text=True)
    assert len(cards(html)) == 24  # one page of cards, the rest a link away
    assert "100 members" in html
    assert "page=2" in html
    assert "Learning designer at College" in html
    assert "Victoria, British Columbia, Canada" in html


def test_directory_filters_keep_the_chosen_options_selected(logged_in, session):
    add_members(session, 2, start=0)
    html = logged_in.client.get("/members?country=ca&time_zone=Europe/Paris").get_data(as_text=True)
    assert '<option value="CA" selected>Canada</option>' in html
    assert '<option value="Europe/Paris" selected>Europe/Paris</option>' in html
    assert '<option value="FR">France</option>' in html
    filters = html[html.index('class="directory-filters"') :]
    filters = filters[: filters.index("</form>")]
    assert filters.count(" selected>") == 2
    # The country's provinces are offered for the region filter.
    assert '<option value="CA-BC">British Columbia</option>' in html


def test_profile_sends_the_same_statements_however_many_tags_and_links(app, logged_in, session):
    short = make_profile(
        session,
        headline="Short",
        interests=["OER"],
        links=("https://example.org/only",),
        show_contact_links=True,
    )
    full = make_profile(
        session,
        headline="Full",
        interests=["OER", "accessibility", "video", "H5P", "Moodle", "UDL"],
        offering=["mentoring", "peer_support"],
        looking_for=["course_feedback"],
        links=("https://example.org/a", "https://example.org/b", "https://example.org/c"),
        show_contact_links=True,
    )
    session.commit()
    short_statements = statements_for(app, logged_in.client, f"/members/{short.user.handle}")
    full_statements = statements_for(app, logged_in.client, f"/members/{full.user.handle}")
    assert len(full_statements) == len(short_statements)


def rendered_statements(app, client, path: str) -> list[str]:
    """The statements of a GET that renders afresh (nothing cached yet)."""
    fragments.clear()
    with counting_queries(app) as statements:
        assert client.get(path).status_code == 200
    return statements


def test_a_fresh_directory_page_sends_the_same_statements_for_10_and_100_members(
    app, logged_in, session
):
    add_members(session, 10, start=0)
    with_10 = rendered_statements(app, logged_in.client, "/members")
    add_members(session, 90, start=10)
    with_100 = rendered_statements(app, logged_in.client, "/members")
    assert len(with_100) == len(with_10)
    # Served again, the kept HTML saves the search's statements.
    assert len(statements_for(app, logged_in.client, "/members")) < len(with_100)
