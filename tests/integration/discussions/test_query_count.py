"""A thread's first view costs the same whatever its length: the same SQL statements,
the same number of comments on the page (the rest is a link away)."""

import random
import re
from contextlib import contextmanager

from sqlalchemy import event, select

from hallway.core.fragment_cache import fragments
from hallway.db import db
from hallway.discussions import service, windows
from hallway.discussions.models import Comment
from tests.factories import grow_thread, make_comment, make_thread, make_user
from tests.integration.discussions.conftest import comment_ids_in_order


@contextmanager
def counting_queries(app):
    engine = app.extensions[db.extension_key]["engine"]
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def build_thread(app, session, category, comments: int):
    """Nested replies by several people, with reactions, like a real conversation."""
    rng = random.Random(comments)
    people = [make_user(session) for _ in range(6)]
    thread = make_thread(session, category=category, author=people[0])
    made = []
    for _ in range(comments):
        parent = rng.choice(made) if made and rng.random() < 0.7 else None
        made.append(make_comment(session, thread=thread, author=rng.choice(people), parent=parent))
    with app.app_context():  # the service publishes each reaction to open pages
        for comment in rng.sample(made, k=min(len(made), 40)):
            service.toggle_reaction(
                session, actor=rng.choice(people), thread=thread, comment=comment, kind="like"
            )
        service.toggle_reaction(session, actor=people[1], thread=thread, kind="helpful")
    session.commit()
    return thread


def grown_thread(app, session, category, comments: int):
    """A thread of ``comments`` comments (written in bulk), some with reactions."""
    people = [make_user(session) for _ in range(6)]
    thread = make_thread(session, category=category, author=people[0])
    ids = grow_thread(session, thread, comments, authors=people, seed=8)
    with app.app_context():
        for number, comment_id in enumerate(ids[:60:3]):
            comment = session.get(Comment, comment_id)
            service.toggle_reaction(
                session, actor=people[number % 6], thread=thread, comment=comment, kind="like"
            )
    session.commit()
    return thread


def first_view(app, person, thread, sort="oldest") -> tuple[list[str], str]:
    with counting_queries(app) as statements:
        response = person.client.get(f"/t/{thread.id}/{thread.slug}?sort={sort}")
    assert response.status_code == 200
    return statements, response.get_data(as_text=True)


def tree(page: str) -> str:
    return page.split('id="comment-tree">', 1)[1].split("</ol>\n", 1)[0]


def test_the_first_view_of_2000_comments_costs_what_20_cost(app, session, logged_in, category):
    short = grown_thread(app, session, category, 20)
    medium = grown_thread(app, session, category, 200)
    long = grown_thread(app, session, category, 2_000)
    first_view(app, logged_in, short)  # warm caches (templates, the login's user)
    fragments.clear()  # the views below read and keep each window once
    for sort in ("oldest", "newest", "top"):
        few, short_page = first_view(app, logged_in, short, sort)
        some, medium_page = first_view(app, logged_in, medium, sort)
        many, long_page = first_view(app, logged_in, long, sort)
        assert len(few) == len(some) == len(many), "\n".join(many)
        # user, thread, tags, blocks, the live sequence number, the content versions,
        # the window of comments, their reactions, the authors' privacy (the window
        # is kept from here on), the reader's own reactions, the opening post's
        # reactions, and whatever the shell needs (nav, time zone)
        assert len([q for q in many if q.lstrip().startswith(("SELECT", "WITH"))]) <= 14
        # Seen again, the kept opening post and window: the user, the page's state
        # (versions, live sequence, subscription level), the thread, the reader's blocks
        # and own reactions; not the window, its reactions, the authors' privacy, the
        # opening post's author, tags, text and reactions.
        again = [first_view(app, logged_in, each, sort) for each in (short, medium, long)]
        assert len({len(statements) for statements, _ in again}) == 1
        kept = [q for q in again[2][0] if q.lstrip().startswith(("SELECT", "WITH"))]
        assert len(kept) <= 5, "\n".join(kept)
        assert [tree(page) for _, page in again] == [
            tree(short_page),
            tree(medium_page),
            tree(long_page),
        ]
        # A short thread is shown whole; a long one within the page's budget, whatever
        # its length (oldest first, the 200 and 2,000 comment threads start alike).
        assert len(comment_ids_in_order(short_page)) == 20
        rendered = len(comment_ids_in_order(long_page))
        assert rendered <= windows.SHAPE.budget
        if sort == "oldest":
            assert rendered == len(comment_ids_in_order(medium_page))
        assert "Next top-level comments" in long_page


def test_a_thread_page_with_reactions_is_constant_too(app, session, logged_in, category):
    small = build_thread(app, session, category, 5)
    large = build_thread(app, session, category, 200)
    first_view(app, logged_in, small)
    fragments.clear()
    for sort in ("oldest", "top"):
        for _view in ("first", "again"):
            few, _ = first_view(app, logged_in, small, sort)
            many, _ = first_view(app, logged_in, large, sort)
            assert len(few) == len(many), "\n".join(many)


def test_a_focused_view_is_constant_too(app, session, logged_in, category):
    thread = build_thread(app, session, category, 120)
    comments = session.scalars(select(Comment).where(Comment.thread_id == thread.id)).all()
    deepest = max(comments, key=lambda comment: comment.depth)
    top = session.get(Comment, deepest.ancestor_ids[0]) if deepest.ancestor_ids else deepest
    with counting_queries(app) as near_leaf:
        logged_in.client.get(f"/t/{thread.id}/comments/{deepest.id}")
    with counting_queries(app) as whole_branch:
        logged_in.client.get(f"/t/{thread.id}/comments/{top.id}")
    assert len(near_leaf) == len(whole_branch)


def test_the_page_reads_no_markdown_source_and_no_whole_member_rows(
    app, session, logged_in, category
):
    thread = grown_thread(app, session, category, 200)
    statements, _ = first_view(app, logged_in, thread)
    window = next(q for q in statements if "replies_1" in q)
    start = window.index("SELECT comments.id, comments.thread_id")
    selected = window[start : window.index("FROM comments", start)]
    assert "comments.body," not in selected and "comments.body " not in selected
    assert "email" not in window and "password_hash" not in window
    assert re.search(r"author\.handle", selected) and re.search(r"author\.display_name", selected)
