"""The front page costs the same SQL statements however many members, threads and
authors there are, and still says who wrote what, where."""

from __future__ import annotations

from hallway.accounts.models import Role
from tests.factories import make_category, make_thread, make_user
from tests.querycount import statements_for


def add_threads(session, count: int) -> None:
    for number in range(count):
        make_thread(
            session,
            author=make_user(session, display_name=f"Author {number}"),
            category=make_category(session, name=f"Room {number}"),
            title=f"Question {number}",
            tags=[f"tag{number}"],
        )
    session.commit()


def test_home_sends_the_same_statements_for_5_and_50_threads(app, logged_in, session):
    add_threads(session, 5)
    with_5 = statements_for(app, logged_in.client, "/")
    add_threads(session, 45)
    with_50 = statements_for(app, logged_in.client, "/")
    assert len(with_50) == len(with_5)


def test_visitors_home_sends_the_same_statements_for_5_and_50_threads(app, client, session):
    add_threads(session, 5)
    with_5 = statements_for(app, client, "/")
    add_threads(session, 45)
    with_50 = statements_for(app, client, "/")
    assert len(with_50) == len(with_5)


def test_home_shows_each_recent_thread_with_its_category_author_and_replies(logged_in, session):
    make_user(session, role=Role.admin)
    make_user(session)
    thread = make_thread(
        session,
        author=make_user(session, display_name="Ada Writer"),
        category=make_category(session, name="Course design"),
        title="How long should a video be?",
    )
    orphan = make_thread(session, title="Written by someone who left")
    orphan.author_id = None
    session.commit()
    page = logged_in.client.get("/").get_data(as_text=True)
    assert "How long should a video be?" in page
    assert f'href="/t/{thread.id}/how-long-should-a-video-be"' in page
    assert "in Course design" in page
    assert "by Ada Writer" in page
    assert "by a former member" in page
    assert "0 replies" in page
    assert "<strong>1</strong> organiser" in page
    assert "<strong>5</strong> members" in page  # with the logged-in member
