"""The thread list reads like a forum's: per row the opener, the latest repliers, the
replies and the last activity; an empty list says what to do; the new-thread form makes
people choose a category."""

from __future__ import annotations

import re
from datetime import timedelta

from hallway.accounts.models import Role
from hallway.db import utcnow
from hallway.discussions.participants import MAX_PARTICIPANTS
from tests.factories import make_category, make_comment, make_thread, make_user
from tests.querycount import statements_for


def list_html(person, path: str = "/discussions") -> str:
    response = person.client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row_of(html: str, title: str) -> str:
    """The <li> of the thread with this title."""
    end = html.index(f">{title}</a>")
    start = html.rindex('<li class="list-row thread-row', 0, end)
    return html[start : html.index("</li>\n", end)]


def participants_of(row: str) -> list[str]:
    """The repliers' names the row lists, in order."""
    column = row.split('class="thread-participants"', 1)[1].split('class="thread-replies"', 1)[0]
    return re.findall(r'<li title="([^"]+)">', column)


def test_a_row_shows_the_opener_the_latest_repliers_replies_and_activity(
    session, logged_in, category
):
    opener = make_user(session, display_name="Olive Opener")
    thread = make_thread(session, category=category, author=opener, title="Rubrics that work")
    start = utcnow() - timedelta(hours=8)
    people = [make_user(session, display_name=f"Replier {n}") for n in range(7)]
    for number, person in enumerate(people):
        make_comment(session, thread=thread, author=person, at=start + timedelta(minutes=number))
    # Replier 0 replies again, last: they move to the front, and appear once.
    make_comment(session, thread=thread, author=people[0], at=start + timedelta(hours=1))
    session.commit()

    row = row_of(list_html(logged_in), "Rubrics that work")
    assert participants_of(row) == ["Replier 0", "Replier 6", "Replier 5", "Replier 4", "Replier 3"]
    assert len(participants_of(row)) == MAX_PARTICIPANTS
    assert "by Olive Opener" in row
    assert 'aria-hidden="true">OO</span>' in row  # the opener's avatar (initials)
    assert "8 replies" in row
    activity = row.split('class="thread-activity"', 1)[1]
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', activity)


def test_removed_replies_do_not_make_their_authors_participants(session, logged_in, category):
    thread = make_thread(session, category=category, title="Quiet thread")
    kept = make_user(session, display_name="Kept Voice")
    hidden = make_user(session, display_name="Hidden Voice")
    gone = make_user(session, display_name="Deleted Voice")
    make_comment(session, thread=thread, author=kept)
    make_comment(session, thread=thread, author=hidden).hidden_at = utcnow()
    make_comment(session, thread=thread, author=gone).deleted_at = utcnow()
    session.commit()
    assert participants_of(row_of(list_html(logged_in), "Quiet thread")) == ["Kept Voice"]


def test_participants_cost_one_statement_for_the_whole_page(app, session, logged_in, category):
    """Rows with many repliers cost what rows with none cost: no query per row."""
    for number in range(3):
        make_thread(session, category=category, title=f"Lonely {number}")
    session.commit()
    without = statements_for(app, logged_in.client, "/discussions")
    for number in range(12):
        thread = make_thread(session, category=category, title=f"Busy {number}")
        for _ in range(4):
            make_comment(session, thread=thread, author=make_user(session))
    session.commit()
    busy = statements_for(app, logged_in.client, "/discussions")
    assert len(busy) == len(without)


def test_an_empty_list_says_what_to_do(session, logged_in):
    make_category(session, name="Field notes", slug="field-notes")
    session.commit()
    html = list_html(logged_in, "/c/field-notes")
    empty = html.split('class="empty-state"', 1)[1]
    assert "No discussions here yet" in empty
    assert 'href="/discussions/new?category=field-notes"' in empty


def test_the_category_select_starts_with_an_empty_placeholder(session, logged_in, category):
    html = list_html(logged_in, "/discussions/new")
    select = html.split("<select", 1)[1].split("</select>", 1)[0]
    first = re.findall(r"<option[^>]*>[^<]*</option>", select)[0]
    assert 'value=""' in first and "Choose a category" in first
    assert "selected" in first  # nothing chosen for the member


def test_a_thread_without_a_category_is_refused_under_its_field(session, logged_in, category):
    response = logged_in.post_form(
        "/discussions/new",
        {"title": "Where does this go?", "category_id": "", "body": "Somewhere, I hope."},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    field = html.split('<label for="category_id"', 1)[1].split('<label for="body"', 1)[0]
    assert 'aria-invalid="true"' in field
    assert 'id="category_id-error"' in field


def test_the_category_admin_page_repeats_no_id(session, log_in_as):
    """Each category's heading once had the id of its own name field."""
    make_category(session, name="Tools", slug="tools")
    make_category(session, name="Careers", slug="careers")
    user = make_user(session, email="admin@example.org", role=Role.admin)
    session.commit()
    admin = log_in_as(user)
    html = admin.client.get("/admin/categories").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
