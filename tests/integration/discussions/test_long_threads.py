"""Long threads: a page shows a window of the conversation, links lead to the rest,
permalinks open at their comment, and each comment's HTML is rendered once."""

import html as htmllib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from hallway.core import markdown
from hallway.db import utcnow
from hallway.discussions import fragments, windows
from hallway.discussions.models import Comment
from tests.factories import grow_thread, make_comment, make_thread, make_user
from tests.integration.discussions.conftest import comment_ids_in_order, post_on_page

#: The links a page gives to what it leaves out: "Show 3 more replies", "Next top-level
#: comments", "Continue this conversation".
NAVIGATION = re.compile(
    r'<a href="([^"#]+)[^"]*" data-load-more|class="continue-thread"><a href="([^"#]+)'
)


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def navigation_links(page: str) -> list[str]:
    return [htmllib.unescape(first or second) for first, second in NAVIGATION.findall(page)]


@pytest.fixture
def people(session):
    made = [make_user(session) for _ in range(5)]
    session.commit()
    return made


@pytest.fixture
def long_thread(session, category, people):
    """2,000 comments; ``long_thread.ids`` in the order they were written."""
    thread = make_thread(session, category=category, author=people[0], title="A long one")
    thread.ids = grow_thread(session, thread, 2_000, authors=people, seed=2026)
    session.commit()
    return thread


def test_every_comment_of_2000_is_reachable_from_the_first_page_by_plain_links(
    logged_in, long_thread
):
    first = f"/t/{long_thread.id}/{long_thread.slug}"
    to_visit, visited, seen = [first], set(), set()
    while to_visit:
        address = to_visit.pop()
        if address in visited:
            continue
        visited.add(address)
        page = html_of(logged_in.client.get(address))
        seen.update(comment_ids_in_order(page))
        to_visit.extend(link for link in navigation_links(page) if link not in visited)
    assert seen == set(long_thread.ids)


def test_the_first_view_of_2000_comments_is_small_and_links_to_the_rest(logged_in, long_thread):
    response = logged_in.client.get(f"/t/{long_thread.id}/{long_thread.slug}")
    page = html_of(response)
    assert len(response.data) < 150_000
    shown = comment_ids_in_order(page)
    assert 20 <= len(shown) <= windows.SHAPE.budget
    # The first twenty top-level comments, oldest first, then the way on.
    top_level = top_level_ids(page)
    assert top_level == sorted(top_level) and len(top_level) == windows.SHAPE.siblings
    next_link = f'href="/t/{long_thread.id}/{long_thread.slug}?after={top_level[-1]}"'
    assert next_link in page and "Next top-level comments" in page
    assert re.search(r"Show \d+ (more )?repl(y|ies)", page)


def top_level_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'id="comment-(\d+)" data-level="0"', page)]


def test_a_permalink_deep_in_a_long_thread_opens_at_that_comment(session, logged_in, long_thread):
    deepest = session.scalars(
        select(Comment)
        .where(Comment.thread_id == long_thread.id)
        .order_by(Comment.depth.desc(), Comment.id)
    ).first()
    assert deepest.depth > 10
    first_page = html_of(logged_in.client.get(f"/t/{long_thread.id}/{long_thread.slug}"))
    assert f'id="comment-{deepest.id}"' not in first_page

    permalink = fragments.permalink(long_thread.id, deepest.id)
    assert permalink.endswith(f"#comment-{deepest.id}")
    response = logged_in.client.get(permalink)
    page = html_of(response)
    marked = f'<li class="comment-node is-target" aria-current="true" id="comment-{deepest.id}"'
    assert marked in page and f"Reply number {long_thread.ids.index(deepest.id)}<" in page
    # Its conversation above it, as context; the way further up; the opening post as
    # one line (no full article above the comment).
    for ancestor_id in deepest.ancestor_ids[-windows.SHAPE.context :]:
        assert f'id="context-{ancestor_id}"' in page
    assert "Earlier in this conversation" in page
    assert 'id="thread-summary"' in page and 'id="post"' not in page
    assert page.index('id="thread-summary"') < page.index(marked)
    assert len(response.data) < 60_000


def test_next_windows_keep_each_order_without_gaps_or_repeats(session, logged_in, category):
    author = make_user(session)
    thread = make_thread(session, category=category, author=author)
    ids = grow_thread(session, thread, 400, authors=[author], seed=5)
    # Reactions for "top": every fifth comment gets some (the count is what sorts).
    for number, comment_id in enumerate(ids[::5]):
        session.execute(
            update(Comment).where(Comment.id == comment_id).values(reaction_count=number % 4)
        )
    session.commit()
    rows = session.execute(
        select(Comment.id, Comment.reaction_count, Comment.descendant_count).where(
            Comment.thread_id == thread.id, Comment.depth == 0
        )
    ).all()
    expected = {
        "oldest": sorted(row.id for row in rows),
        "newest": sorted((row.id for row in rows), reverse=True),
        "top": [
            row.id
            for row in sorted(rows, key=lambda r: (-r.reaction_count, -r.descendant_count, r.id))
        ],
    }
    for sort, order in expected.items():
        address, top_level = f"/t/{thread.id}/{thread.slug}?sort={sort}", []
        while address:
            page = html_of(logged_in.client.get(address))
            top_level += top_level_ids(page)
            following = [
                link for link in navigation_links(page) if "/comments/" not in link.split("?")[0]
            ]
            address = following[0] if following else None
        assert top_level == order, sort


def test_more_replies_load_as_a_fragment_at_their_level(session, logged_in, category):
    author = make_user(session)
    thread = make_thread(session, category=category, author=author)
    early = utcnow() - timedelta(days=2)  # before the others: first on the page
    busy = make_comment(session, thread=thread, author=author, body="Busy comment", at=early)
    replies = [
        make_comment(
            session, thread=thread, author=author, parent=busy, at=early + timedelta(minutes=n)
        )
        for n in range(1, 31)
    ]
    grow_thread(session, thread, 100, authors=[author], seed=1)  # past the page's budget
    session.commit()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    shown = [r.id for r in replies if f'id="comment-{r.id}"' in page]
    assert shown == [r.id for r in replies[: len(shown)]] and 0 < len(shown) < 30
    more = f"/t/{thread.id}/comments/{busy.id}?after={shown[-1]}"
    assert f'<a href="{more}" data-load-more data-level="1">Show {30 - len(shown)} more' in page

    # The page's script asks for the same address as a fragment, at the level it shows.
    fragment = html_of(logged_in.client.get(f"{more}&fragment=1&level=1"))
    assert not fragment.startswith("<!doctype") and "<header" not in fragment.split("<li")[0]
    loaded = comment_ids_in_order(fragment)
    assert loaded[0] == replies[len(shown)].id
    assert set(loaded) <= {r.id for r in replies} and 'data-level="1"' in fragment
    # Without the script: the same address is the comment's page with those replies.
    plain = html_of(logged_in.client.get(more))
    assert f'id="comment-{busy.id}"' in plain and "Show the first replies" in plain
    assert comment_ids_in_order(plain)[1:] == loaded


def test_an_unknown_starting_point_shows_nothing_rather_than_failing(logged_in, thread, session):
    other = make_comment(session, thread=make_thread(session))
    session.commit()
    response = logged_in.client.get(f"/t/{thread.id}/{thread.slug}?after={other.id}")
    assert response.status_code == 200
    assert comment_ids_in_order(response.get_data(as_text=True)) == []
    assert logged_in.client.get(f"/t/{thread.id}/{thread.slug}?after=x").status_code == 422
    assert (
        logged_in.client.get(f"/t/{thread.id}/{thread.slug}?level=9&fragment=1").status_code == 422
    )


# --- rendered once ----------------------------------------------------------------------


@pytest.fixture
def markdown_calls(monkeypatch):
    calls = []
    render = markdown._markdown.render

    def counting(text, env=None):
        calls.append(text)
        return render(text, env)

    monkeypatch.setattr(markdown._markdown, "render", counting)
    return calls


def test_a_comment_is_rendered_when_written_and_pages_reuse_it(
    session, logged_in, member, thread, markdown_calls, monkeypatch
):
    page = f"/t/{thread.id}/{thread.slug}"
    post_on_page(logged_in, page, f"/t/{thread.id}/comments", {"body": "Keep **the old LMS**."})
    comment = session.scalar(select(Comment).where(Comment.thread_id == thread.id))
    assert "Keep **the old LMS**." in markdown_calls  # when it is written
    assert "<strong>the old LMS</strong>" in comment.rendered_html
    # Stored language-neutral: no UI words (they are added in the reader's language).
    assert "Link to this comment" not in comment.rendered_html
    assert "<time" not in comment.rendered_html

    markdown_calls.clear()
    fragment_renders = []
    original = fragments.comment_fragment
    monkeypatch.setattr(
        fragments, "comment_fragment", lambda c: fragment_renders.append(c.id) or original(c)
    )
    first = html_of(logged_in.client.get(page))
    second = html_of(logged_in.client.get(page))
    assert "<strong>the old LMS</strong>" in first and first.count("the old LMS") == 1
    assert f'href="/t/{thread.id}/comments/{comment.id}#comment-{comment.id}"' in first
    assert markdown_calls == [] and fragment_renders == []  # nor when it is read
    assert second.count("the old LMS") == 1

    edit = f"/t/{thread.id}/comments/{comment.id}/edit"
    post_on_page(logged_in, edit, edit, {"body": "Keep *the new* one."})
    session.expire_all()
    stored = session.get(Comment, comment.id).rendered_html
    assert "<em>the new</em>" in stored and "the old LMS" not in stored
    assert len(stored.partition("</header>")[0].split()) == 2  # written and edited times
    assert fragment_renders == [comment.id]  # the edit, once
    assert "<em>the new</em>" in html_of(logged_in.client.get(page))
    assert "Keep *the new* one." in markdown_calls and fragment_renders == [comment.id]


def test_the_author_and_reader_parts_are_not_stored(session, logged_in, log_in_as, thread):
    writer = make_user(session, display_name="Old Name", handle="writer")
    comment = make_comment(session, thread=thread, author=writer, body="Hello there")
    session.commit()
    assert "Old Name" not in comment.rendered_html and "reaction" not in comment.rendered_html
    writer.display_name = "New Name"  # a rename re-renders nothing and shows at once
    session.commit()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    assert "New Name" in page and "Old Name" not in page
    mine = html_of(log_in_as(writer).client.get(f"/t/{thread.id}/{thread.slug}"))
    assert f'href="/t/{thread.id}/comments/{comment.id}/edit"' in mine
    assert f'href="/t/{thread.id}/comments/{comment.id}/edit"' not in page


def test_deleting_a_comment_takes_its_text_out_of_the_stored_html(app, session, thread):
    author = make_user(session)
    comment = make_comment(session, thread=thread, author=author, body="Regrettable")
    assert "Regrettable" in comment.rendered_html
    from hallway.discussions import service

    with app.app_context():
        service.delete_comment(session, actor=author, comment=comment)
    assert comment.rendered_html == ""


def test_comments_written_before_html_was_stored_are_rendered_once_on_first_view(
    session, logged_in, thread, markdown_calls, monkeypatch
):
    old = make_comment(session, thread=thread, body="From **before**")
    session.execute(update(Comment).where(Comment.id == old.id).values(rendered_html=""))
    session.commit()
    markdown_calls.clear()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    assert "From <strong>before</strong>" in page
    session.expire_all()
    assert "From <strong>before</strong>" in session.get(Comment, old.id).rendered_html
    assert markdown_calls == []  # from its stored body_html, not its Markdown
    renders = []
    monkeypatch.setattr(fragments, "comment_fragment", lambda c: renders.append(c) or "")
    html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    assert renders == []


def test_reply_counts_follow_each_reply(session, thread):
    top = make_comment(session, thread=thread)
    middle = make_comment(session, thread=thread, parent=top)
    make_comment(session, thread=thread, parent=middle)
    make_comment(session, thread=thread, parent=top)
    session.expire_all()
    top, middle = session.get(Comment, top.id), session.get(Comment, middle.id)
    assert (top.reply_count, top.descendant_count) == (2, 3)
    assert (middle.reply_count, middle.descendant_count) == (1, 1)


def test_what_a_page_leaves_out_is_one_labelled_link_away(session, logged_in, thread, monkeypatch):
    monkeypatch.setattr(
        windows, "SHAPE", windows.PageShape(siblings=2, replies_each=1, branch=1, budget=5)
    )
    first, second, third = (make_comment(session, thread=thread) for _ in range(3))
    answers = [make_comment(session, thread=thread, parent=first) for _ in range(3)]
    deeper = make_comment(session, thread=thread, parent=answers[0])
    only = make_comment(session, thread=thread, parent=second)
    make_comment(session, thread=thread, parent=only)
    session.commit()
    base = f"/t/{thread.id}"
    page = html_of(logged_in.client.get(f"{base}/{thread.slug}"))
    assert comment_ids_in_order(page) == [first.id, answers[0].id, second.id, only.id]
    assert navigation_links(page) == [
        f"{base}/comments/{answers[0].id}",  # its one reply, none shown yet
        f"{base}/comments/{first.id}?after={answers[0].id}",  # the two after the first
        f"{base}/comments/{only.id}",
        f"{base}/{thread.slug}?after={second.id}",  # the third top-level comment
    ]
    assert page.count(">Show 1 reply</a>") == 2 and ">Show 2 more replies</a>" in page
    later = html_of(logged_in.client.get(f"{base}/{thread.slug}?after={second.id}"))
    assert comment_ids_in_order(later) == [third.id] and "Back to the first comments" in later
    replies = html_of(logged_in.client.get(f"{base}/comments/{first.id}?after={answers[0].id}"))
    assert comment_ids_in_order(replies) == [first.id, answers[1].id, answers[2].id]
    # Sorted newest first, the windows follow that order.
    newest = html_of(logged_in.client.get(f"{base}/{thread.slug}?sort=newest"))
    assert comment_ids_in_order(newest)[0] == third.id
    assert f"?after={second.id}&amp;sort=newest" in newest
    assert deeper.id not in comment_ids_in_order(page)


def test_a_locked_thread_offers_replies_to_moderators_only(session, logged_in, log_in_as, thread):
    from hallway.accounts.models import Role

    comment = make_comment(session, thread=thread)
    thread.locked_at = utcnow()
    admin = make_user(session, role=Role.admin)
    session.commit()
    reply_link = f'href="/t/{thread.id}/reply?to={comment.id}"'
    assert reply_link not in html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    moderator = html_of(log_in_as(admin).client.get(f"/t/{thread.id}/{thread.slug}"))
    assert reply_link in moderator
