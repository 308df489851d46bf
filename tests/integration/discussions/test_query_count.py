"""A thread page costs the same number of SQL queries however many comments it has."""

import random
from contextlib import contextmanager

from sqlalchemy import event, select

from hallway.db import db
from hallway.discussions import service
from hallway.discussions.models import Comment
from tests.factories import make_comment, make_thread, make_user


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


def queries_for_page(app, person, thread, sort="oldest") -> list[str]:
    with counting_queries(app) as statements:
        response = person.client.get(f"/t/{thread.id}/{thread.slug}?sort={sort}")
    assert response.status_code == 200
    return statements


def test_thread_page_queries_do_not_grow_with_comments(app, session, logged_in, category):
    small = build_thread(app, session, category, 5)
    large = build_thread(app, session, category, 200)
    queries_for_page(app, logged_in, small)  # warm caches (templates, the login's user)
    for sort in ("oldest", "top"):
        few = queries_for_page(app, logged_in, small, sort)
        many = queries_for_page(app, logged_in, large, sort)
        assert len(few) == len(many), "\n".join(many)
        # user, thread, tags, blocks, the live sequence number, comments, reactions (2),
        # and whatever the nav needs
        assert len([q for q in many if q.lstrip().startswith("SELECT")]) <= 11, "\n".join(many)


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
