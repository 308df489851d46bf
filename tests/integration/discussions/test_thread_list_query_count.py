"""The discussions list costs the same SQL statements for 5 or 50 threads by as many
authors in as many categories (one page at a time, the rest a link away)."""

from __future__ import annotations

from tests.factories import make_category, make_thread, make_user
from tests.querycount import statements_for


def add_threads(session, count: int, start: int) -> None:
    for number in range(start, start + count):
        make_thread(
            session,
            author=make_user(session, display_name=f"Author {number}"),
            category=make_category(session, name=f"Room {number}"),
            title=f"Question number {number}",
            tags=[f"tag{number}", "common"],
        )
    session.commit()


def test_discussions_list_sends_the_same_statements_for_5_and_50_threads(app, logged_in, session):
    add_threads(session, 5, start=0)
    with_5 = statements_for(app, logged_in.client, "/discussions")
    add_threads(session, 45, start=5)
    with_50 = statements_for(app, logged_in.client, "/discussions")
    assert len(with_50) == len(with_5)

    html = logged_in.client.get("/discussions").get_data(as_text=True)
    assert html.count('class="thread-title"') == 20
    assert "Question number 49" in html and "by Author 49" in html
    assert "Question number 0<" not in html  # on a later page
    assert "page=2" in html
