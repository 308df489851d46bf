"""The thread page as a reader meets it: deleted comments that leave nothing, focus views
that open at the comment, headings in the page's outline, the posting limit said before
it is hit, the danger of deleting, and comments in the reader's language."""

from __future__ import annotations

import re

from hallway.discussions import service
from hallway.discussions.models import Comment
from tests.factories import make_comment, make_thread
from tests.integration.discussions.conftest import comment_ids_in_order, post_on_page


def page_of(person, thread) -> str:
    return person.client.get(f"/t/{thread.id}/{thread.slug}").get_data(as_text=True)


def delete(app, session, actor, comment) -> None:
    with app.test_request_context():
        service.delete_comment(session, actor=actor, comment=comment)
        session.commit()


def test_a_deleted_comment_without_replies_leaves_no_stub_and_no_count(
    app, session, logged_in, thread, author
):
    top = make_comment(session, thread=thread, author=author, body="Top comment")
    kept = make_comment(session, thread=thread, parent=top, body="Kept answer")
    gone = make_comment(session, thread=thread, author=author, parent=top, body="Gone answer")
    session.commit()

    delete(app, session, author, gone)
    html = page_of(logged_in, thread)
    assert comment_ids_in_order(html) == [top.id, kept.id]
    assert "[deleted]" not in html and "Gone answer" not in html
    session.refresh(top)
    assert (top.reply_count, top.descendant_count) == (1, 1)
    assert thread.comment_count == 2


def test_a_placeholder_left_without_replies_goes_too(app, session, logged_in, thread, author):
    top = make_comment(session, thread=thread, author=author, body="Top comment")
    middle = make_comment(session, thread=thread, author=author, parent=top, body="Middle")
    last = make_comment(session, thread=thread, author=author, parent=middle, body="Last")
    session.commit()

    delete(app, session, author, middle)
    html = page_of(logged_in, thread)
    assert comment_ids_in_order(html) == [top.id, middle.id, last.id]
    assert html.count("[deleted]") == 1  # it has a reply: its place stays

    delete(app, session, author, last)
    html = page_of(logged_in, thread)
    assert comment_ids_in_order(html) == [top.id]
    assert "[deleted]" not in html
    session.refresh(top)
    assert (top.reply_count, top.descendant_count) == (0, 0)


def test_a_comment_permalink_opens_at_the_comment(session, logged_in, thread, author):
    first = make_comment(session, thread=thread, author=author, body="First thoughts")
    focused = make_comment(session, thread=thread, parent=first, body="The focused one")
    session.commit()
    response = logged_in.client.get(f"/t/{thread.id}/comments/{focused.id}")
    html = response.get_data(as_text=True)
    # The opening post is a one-line summary with the way back, not the whole post.
    assert 'class="thread-summary"' in html and "Brightspace" not in html
    summary = html.split('class="thread-summary"', 1)[1].split("</header>", 1)[0]
    assert f'href="/t/{thread.id}/{thread.slug}"' in summary
    assert "Read the opening post and the whole discussion" in summary
    # The focused comment is marked and is the fragment permalinks scroll to.
    assert re.search(
        rf'<li class="comment-node is-target" aria-current="true" id="comment-{focused.id}"', html
    )
    assert f'href="/t/{thread.id}/comments/{focused.id}#comment-{focused.id}"' in html
    assert 'id="post"' not in html  # no full opening post above it


def test_post_headings_follow_the_page_outline(session, logged_in, category, author):
    thread = make_thread(
        session,
        author=author,
        category=category,
        title="Headings",
        body="## Context\n\n#### Detail",
    )
    make_comment(session, thread=thread, author=author, body="## My answer\n\n#### Why")
    session.commit()
    html = page_of(logged_in, thread)
    post = html.split('id="post"', 1)[1].split("</article>", 1)[0]
    assert "<h2>Context</h2>" in post and "<h3>Detail</h3>" in post  # under the page's h1
    tree = html.split('id="comment-tree"', 1)[1]
    assert "<h3>My answer</h3>" in tree and "<h4>Why</h4>" in tree  # under "N replies" (h2)


def test_the_posting_limit_is_said_near_the_reply_box(app, monkeypatch, logged_in, thread):
    monkeypatch.setitem(app.config, "NEW_MEMBER_POST_LIMIT", 3)
    monkeypatch.setitem(app.config, "NEW_MEMBER_POST_WINDOW_MINUTES", 10)
    html = page_of(logged_in, thread)
    reply_box = html.split('id="reply"', 1)[1]
    assert "You can post 3 more times in the next 10 minutes." in reply_box
    page = f"/t/{thread.id}/{thread.slug}"
    post_on_page(logged_in, page, f"/t/{thread.id}/comments", {"body": "One"})
    assert "You can post 2 more times in the next 10 minutes." in page_of(logged_in, thread)


def test_no_posting_limit_no_notice(logged_in, thread):
    assert 'id="posting-allowance"' not in page_of(logged_in, thread)


def test_the_delete_confirmation_reads_as_dangerous(session, logged_in, member, thread):
    mine = make_comment(session, thread=thread, author=member, body="Hot take")
    session.commit()
    html = logged_in.client.get(f"/t/{thread.id}/comments/{mine.id}/delete").get_data(as_text=True)
    assert re.search(r'<button class="btn btn-danger" type="submit">Delete</button>', html)
    assert "This cannot be undone." in html


def test_comment_words_are_not_stored_and_the_window_is_kept_per_language(
    session, logged_in, thread, author
):
    comment = make_comment(session, thread=thread, author=author, body="Bonjour à tous")
    session.commit()
    stored = session.get(Comment, comment.id).rendered_html
    assert "Link to this comment" not in stored and "<time" not in stored

    def comment_time(language: str) -> str:
        html = logged_in.client.get(
            f"/t/{thread.id}/{thread.slug}", headers={"Accept-Language": language}
        ).get_data(as_text=True)
        article = html.split(f'id="comment-{comment.id}"', 1)[1]
        return re.search(r"<time [^>]*>([^<]+)</time>", article).group(1)

    english = comment_time("en")
    french = comment_time("fr-CA")  # the same window, another language: not the cached one
    assert english != french
    assert comment_time("en") == english
