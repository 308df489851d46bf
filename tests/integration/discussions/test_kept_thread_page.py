"""A thread page's whole body is kept between requests with what the page reads of the
thread (``rendering.shared_thread_page``, ``thread_facts``): a repeat view reads the
page's state and nothing of the thread. What a reader notices: a change to the thread
shows at once (its title, its address, its being hidden or locked), and each reader
gets their own parts (their token, the members they blocked, their reactions), never
those of the reader who filled the copy.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from hallway.accounts.models import Role
from hallway.discussions import service
from hallway.discussions.models import ReactionKind
from tests.factories import make_comment, make_user
from tests.integration.discussions.test_page_cache import changed, opening_post, thread_page
from tests.integration.discussions.test_query_count import counting_queries, grown_thread


@pytest.fixture
def moderator(session):
    user = make_user(session, display_name="Mo Derator", handle="moder", role=Role.admin)
    session.commit()
    return user


def repeat_view(app, person, thread) -> list[str]:
    thread_page(person, thread)
    with counting_queries(app) as statements:
        thread_page(person, thread)
    return statements


def test_a_repeat_view_reads_nothing_of_the_thread_whatever_its_length(
    app, session, logged_in, category, thread, author
):
    make_comment(session, thread=thread, author=author)
    session.commit()
    short = repeat_view(app, logged_in, thread)
    assert not any("FROM threads" in statement for statement in short)
    assert not any("FROM comments" in statement for statement in short)
    long = repeat_view(app, logged_in, grown_thread(app, session, category, 300))
    assert len(long) == len(short)


def test_a_hidden_thread_is_gone_for_members_at_once_and_kept_for_moderators(
    app, session, logged_in, thread, moderator, log_in_as
):
    moderating = log_in_as(moderator)
    thread_page(logged_in, thread)  # both copies exist
    thread_page(moderating, thread)
    changed(app, session, lambda: service.hide_post(session, actor=moderator, post=thread))
    assert logged_in.client.get(f"/t/{thread.id}/{thread.slug}").status_code == 404
    seen = thread_page(moderating, thread)
    assert "A moderator hid this discussion" in seen
    assert logged_in.client.get(f"/t/{thread.id}/{thread.slug}").status_code == 404


def test_a_renamed_thread_shows_its_title_and_moves_its_address_at_once(
    app, session, logged_in, thread, author
):
    old_address = f"/t/{thread.id}/{thread.slug}"
    thread_page(logged_in, thread)
    changed(
        app,
        session,
        lambda: service.edit_thread(
            session, actor=author, thread=thread, title="Leaving Blackboard", body=thread.body
        ),
    )
    moved = logged_in.client.get(old_address)
    assert moved.status_code == 301
    page = logged_in.client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "<title>Leaving Blackboard · Hallway</title>" in page
    assert '<h1 id="thread-title">Leaving Blackboard</h1>' in page


def test_locking_shows_members_the_notice_and_moderators_the_reply_box(
    app, session, logged_in, thread, moderator, log_in_as
):
    moderating = log_in_as(moderator)
    thread_page(logged_in, thread)
    changed(
        app,
        session,
        lambda: service.set_locked(session, actor=moderator, thread=thread, locked=True),
    )
    member_page = thread_page(logged_in, thread)  # the members' copy is filled first
    assert "it no longer takes new replies" in member_page
    assert 'id="reply-form"' not in member_page
    moderator_page = thread_page(moderating, thread)
    assert "as a moderator you can still reply" in moderator_page
    assert 'id="reply-form"' in moderator_page


def tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def test_each_reader_gets_their_own_token_blocks_and_reactions(
    app, session, thread, author, log_in_as, blocker_and_reader
):
    comment = make_comment(session, thread=thread, author=author, body="Loud opinion")
    blocker, reader = blocker_and_reader
    changed(
        app,
        session,
        lambda: service.toggle_reaction(
            session, actor=blocker, thread=thread, comment=comment, kind=ReactionKind.helpful
        ),
    )
    changed(
        app,
        session,
        lambda: service.toggle_reaction(
            session, actor=blocker, thread=thread, kind=ReactionKind.celebrate
        ),
    )
    blocking, reading = log_in_as(blocker), log_in_as(reader)
    session.commit()
    first = thread_page(blocking, thread)  # the blocker fills the copy
    second = thread_page(reading, thread)
    assert f'data-blocked-ids="{author.id}"' in first
    assert 'data-blocked-ids=""' in second
    assert 'class="blocked-post"' not in second
    mine, theirs = tokens(first), tokens(second)
    assert len(mine) == 1 and len(theirs) == 1 and mine != theirs
    assert f'value="helpful@{comment.id}" class="reaction" aria-pressed="true"' in first
    assert 'value="celebrate" class="reaction" aria-pressed="true"' in opening_post(first)
    assert 'aria-pressed="true"' not in second


def test_the_live_sequence_is_the_current_one_on_every_view(
    app, session, logged_in, thread, author
):
    from hallway.discussions import live
    from hallway.realtime import current_seq

    thread_page(logged_in, thread)
    make_comment(session, thread=thread, author=author)
    with app.app_context():
        live.publish_thread_changed(session, thread)  # an event only, no version bump
    session.commit()
    seq = current_seq(session, live.thread_topic(thread.id))
    assert seq > 0
    assert f'data-live-seq="{seq}"' in thread_page(logged_in, thread)


def test_reaction_buttons_show_their_emoji(session, thread, author, log_in_as):
    """Written as character references (the page stays narrow in Python's memory), the
    buttons of the opening post and of each comment show the emoji themselves."""
    make_comment(session, thread=thread, author=author, body="An answer")
    reading = log_in_as(author)
    session.commit()
    page = thread_page(reading, thread)
    emoji = re.findall(r'class="reaction"[^>]*><span aria-hidden="true">([^<]+)</span>', page)
    assert len(emoji) == 2 * len(ReactionKind)  # the opening post's and the comment's
    assert [unescape(each) for each in emoji] == [kind.emoji for kind in ReactionKind] * 2
    assert max(map(ord, page)) < 0x10000
