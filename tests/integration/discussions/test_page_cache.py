"""The thread list and a thread's window of comments are kept between requests
(``core.fragment_cache``). What a reader notices: every change shows at once, on the
thread page and in the list, and no reader gets another reader's own parts (pressed
reactions, edit links, folded-away authors) from the shared copy.

Each test looks at the page first, so the copy exists, then changes something the way
the site does (the services, as the routes call them) and looks again.
"""

from __future__ import annotations

import re

import pytest

from hallway.accounts.models import Role
from hallway.discussions import service
from hallway.discussions.models import ReactionKind, Thread
from tests.factories import make_block, make_category, make_comment, make_thread, make_user


@pytest.fixture
def moderator(session):
    user = make_user(session, display_name="Mo Derator", handle="moder", role=Role.admin)
    session.commit()
    return user


def thread_page(person, thread: Thread) -> str:
    session_thread = f"/t/{thread.id}/{thread.slug}"
    response = person.client.get(session_thread)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def list_page(person, path: str = "/discussions") -> str:
    response = person.client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def article(html: str, comment_id: int) -> str:
    """One comment's <article> on a page."""
    found = re.search(rf'id="comment-{comment_id}"[^>]*>(<article.*?</article>)', html, re.S)
    assert found, f"comment {comment_id} is not on the page"
    return found.group(1)


def pressed(html: str, comment_id: int) -> list[str]:
    """The reaction kinds shown pressed on a comment."""
    return re.findall(
        r'value="(\w+)@' + str(comment_id) + r'" class="reaction" aria-pressed="true"', html
    )


def changed(app, session, action):
    """Run a service the way a request does: then commit."""
    with app.app_context():
        result = action()
    session.commit()
    return result


# --- Changes show at once ---------------------------------------------------------------


def test_a_new_comment_shows_at_once_on_the_page_and_in_the_list(
    app, session, logged_in, thread, author
):
    assert "0 replies" in list_page(logged_in)
    assert "No replies yet" in thread_page(logged_in, thread)
    changed(
        app,
        session,
        lambda: service.reply(session, actor=author, thread=thread, body="Fresh tip: export first"),
    )
    assert "Fresh tip: export first" in thread_page(logged_in, thread)
    assert "1 reply" in list_page(logged_in)


def test_an_edited_comment_shows_its_new_text_at_once(app, session, logged_in, thread, author):
    comment = make_comment(session, thread=thread, author=author, body="First draft")
    session.commit()
    assert "First draft" in thread_page(logged_in, thread)
    changed(
        app,
        session,
        lambda: service.edit_comment(session, actor=author, comment=comment, body="Second go"),
    )
    page = thread_page(logged_in, thread)
    assert "Second go" in page
    assert "First draft" not in page


def test_a_deleted_comment_leaves_its_placeholder_at_once(app, session, logged_in, thread, author):
    comment = make_comment(session, thread=thread, author=author, body="Regrettable")
    make_comment(session, thread=thread, parent=comment, body="An answer")
    session.commit()
    assert "Regrettable" in thread_page(logged_in, thread)
    assert "2 replies" in list_page(logged_in)
    changed(app, session, lambda: service.delete_comment(session, actor=author, comment=comment))
    assert "[deleted]" in article(thread_page(logged_in, thread), comment.id)
    assert "1 reply" in list_page(logged_in)


def test_a_deleted_comment_without_replies_leaves_the_page_at_once(
    app, session, logged_in, thread, author
):
    comment = make_comment(session, thread=thread, author=author, body="Regrettable")
    session.commit()
    assert "Regrettable" in thread_page(logged_in, thread)
    changed(app, session, lambda: service.delete_comment(session, actor=author, comment=comment))
    page = thread_page(logged_in, thread)
    assert f'id="comment-{comment.id}"' not in page and "[deleted]" not in page
    assert "0 replies" in list_page(logged_in)


def test_a_hidden_comment_disappears_for_members_at_once_and_comes_back(
    app, session, logged_in, thread, author, moderator
):
    comment = make_comment(session, thread=thread, author=author, body="Borderline remark")
    session.commit()
    assert "Borderline remark" in thread_page(logged_in, thread)
    changed(app, session, lambda: service.hide_post(session, actor=moderator, post=comment))
    assert "[hidden by a moderator]" in article(thread_page(logged_in, thread), comment.id)
    changed(app, session, lambda: service.restore_post(session, actor=moderator, post=comment))
    assert "Borderline remark" in article(thread_page(logged_in, thread), comment.id)


def test_a_reaction_counts_at_once(app, session, logged_in, thread, author):
    comment = make_comment(session, thread=thread, author=author)
    session.commit()
    before = article(thread_page(logged_in, thread), comment.id)
    assert re.search(r'value="like@\d+"[^>]*>.*?class="reaction-count"></span>', before, re.S)
    changed(
        app,
        session,
        lambda: service.toggle_reaction(
            session, actor=author, thread=thread, comment=comment, kind=ReactionKind.like
        ),
    )
    after = article(thread_page(logged_in, thread), comment.id)
    assert re.search(r'value="like@\d+"[^>]*>.*?class="reaction-count">1</span>', after, re.S)


def test_locking_takes_the_reply_links_away_at_once(
    app, session, logged_in, thread, author, moderator
):
    comment = make_comment(session, thread=thread, author=author)
    session.commit()
    assert 'class="reply-link"' in article(thread_page(logged_in, thread), comment.id)
    changed(
        app,
        session,
        lambda: service.set_locked(session, actor=moderator, thread=thread, locked=True),
    )
    assert 'class="reply-link"' not in article(thread_page(logged_in, thread), comment.id)
    assert "Locked" in list_page(logged_in)


def test_a_renamed_thread_shows_its_new_title_in_the_list_at_once(
    app, session, logged_in, thread, author
):
    assert "Surviving an LMS migration" in list_page(logged_in)
    changed(
        app,
        session,
        lambda: service.edit_thread(session, actor=author, thread=thread, title="Moving LMS"),
    )
    page = list_page(logged_in)
    assert "Moving LMS" in page
    assert "Surviving an LMS migration" not in page


def test_after_a_rename_the_comments_flag_links_lead_back_to_the_new_address(
    app, session, logged_in, thread, author
):
    comment = make_comment(session, thread=thread, author=author)
    session.commit()
    before = article(thread_page(logged_in, thread), comment.id)
    assert f"next=/t/{thread.id}/surviving-an-lms-migration" in before
    changed(
        app,
        session,
        lambda: service.edit_thread(session, actor=author, thread=thread, title="Moving LMS"),
    )
    after = article(thread_page(logged_in, thread), comment.id)
    assert f"next=/t/{thread.id}/moving-lms" in after


def test_a_new_thread_shows_in_the_list_at_once(app, session, logged_in, category, author):
    assert "Brand new question" not in list_page(logged_in)
    make_thread(session, category=category, author=author, title="Brand new question")
    session.commit()
    assert "Brand new question" in list_page(logged_in)


def test_pinning_moving_and_deleting_show_in_the_lists_at_once(
    app, session, logged_in, thread, category, moderator
):
    other = make_category(session, name="Elsewhere", slug="elsewhere")
    session.commit()
    assert "Pinned" not in list_page(logged_in)
    changed(
        app,
        session,
        lambda: service.set_pinned(session, actor=moderator, thread=thread, pinned=True),
    )
    assert "Pinned" in list_page(logged_in)
    assert "Surviving an LMS migration" not in list_page(logged_in, "/c/elsewhere")
    changed(
        app,
        session,
        lambda: service.move_thread(session, actor=moderator, thread=thread, category_id=other.id),
    )
    assert "Surviving an LMS migration" in list_page(logged_in, "/c/elsewhere")
    assert "Surviving an LMS migration" not in list_page(logged_in, f"/c/{category.slug}")
    changed(app, session, lambda: service.delete_thread(session, actor=moderator, thread=thread))
    assert "Surviving an LMS migration" not in list_page(logged_in, "/c/elsewhere")


def test_a_hidden_thread_leaves_the_members_list_at_once(
    app, session, logged_in, thread, moderator
):
    assert "Surviving an LMS migration" in list_page(logged_in)
    changed(app, session, lambda: service.hide_post(session, actor=moderator, post=thread))
    assert "Surviving an LMS migration" not in list_page(logged_in)


def test_a_renamed_category_shows_in_the_list_at_once(app, session, logged_in, category, moderator):
    assert "Tools &amp; practice" in list_page(logged_in)
    changed(
        app,
        session,
        lambda: service.update_category(
            session, actor=moderator, category=category, name="Tooling", description=""
        ),
    )
    assert "Tooling" in list_page(logged_in)


# --- Each reader's own parts --------------------------------------------------------------


def test_a_reader_never_sees_another_readers_pressed_reactions_or_edit_links(
    app, session, thread, author, log_in_as
):
    comment = make_comment(session, thread=thread, author=author, body="Mine to edit")
    session.commit()
    changed(
        app,
        session,
        lambda: service.toggle_reaction(
            session, actor=author, thread=thread, comment=comment, kind=ReactionKind.like
        ),
    )
    writer = log_in_as(author)
    reader = log_in_as(make_user(session))
    session.commit()
    own = article(thread_page(writer, thread), comment.id)  # the writer fills the copy
    assert pressed(own, comment.id) == ["like"]
    assert f"/comments/{comment.id}/edit" in own
    theirs = article(thread_page(reader, thread), comment.id)
    assert pressed(theirs, comment.id) == []
    assert "/edit" not in theirs
    assert 'class="reaction-count">1<' in theirs  # the count is everyone's
    again = article(thread_page(writer, thread), comment.id)  # and back: still their own
    assert pressed(again, comment.id) == ["like"]
    assert f"/comments/{comment.id}/edit" in again


def test_a_blocked_author_stays_folded_away_for_the_blocker_only(
    app, session, thread, author, log_in_as
):
    comment = make_comment(session, thread=thread, author=author, body="Loud opinion")
    blocker = make_user(session)
    make_block(session, blocker=blocker, blocked=author)
    other = make_user(session)
    session.commit()
    blocking, reading = log_in_as(blocker), log_in_as(other)
    folded = article(thread_page(blocking, thread), comment.id)
    assert 'class="blocked-post"' in folded
    assert "Loud opinion" in folded  # a click away
    assert 'class="blocked-post"' not in article(thread_page(reading, thread), comment.id)
    assert 'class="blocked-post"' in article(thread_page(blocking, thread), comment.id)


def test_a_private_author_sees_their_own_name_linked_and_others_do_not(
    app, session, thread, log_in_as
):
    from tests.factories import make_profile

    private = make_user(session, display_name="Pri Vate", handle="private")
    make_profile(session, user=private, visibility="private")
    comment = make_comment(session, thread=thread, author=private)
    other = make_user(session)
    session.commit()
    them, someone = log_in_as(private), log_in_as(other)
    assert '<a class="author" href="/members/private">Pri Vate</a>' in article(
        thread_page(them, thread), comment.id
    )
    assert '<span class="author">Pri Vate</span>' in article(
        thread_page(someone, thread), comment.id
    )


def test_moderators_see_hidden_comments_and_members_after_them_do_not(
    app, session, thread, author, moderator, log_in_as
):
    comment = make_comment(session, thread=thread, author=author, body="Out of line")
    session.commit()
    changed(app, session, lambda: service.hide_post(session, actor=moderator, post=comment))
    moderating, reading = log_in_as(moderator), log_in_as(make_user(session))
    session.commit()
    seen = article(thread_page(moderating, thread), comment.id)
    assert "Out of line" in seen
    assert "hidden from members" in seen
    assert "Out of line" not in article(thread_page(reading, thread), comment.id)


def test_a_second_view_reads_no_comment_rows(app, session, logged_in, thread, author):
    """The copy is used: the window's statement is not run again."""
    from tests.integration.discussions.test_query_count import counting_queries

    make_comment(session, thread=thread, author=author)
    session.commit()
    with counting_queries(app) as first:
        thread_page(logged_in, thread)
    with counting_queries(app) as second:
        thread_page(logged_in, thread)
    assert any(statement.lstrip().startswith("WITH") for statement in first)
    assert not any(statement.lstrip().startswith("WITH") for statement in second)
    assert not any("FROM comments" in statement for statement in second)


def test_a_new_or_reordered_category_shows_in_the_list_at_once(
    app, session, logged_in, category, moderator
):
    assert "Field notes" not in list_page(logged_in)
    added = changed(
        app,
        session,
        lambda: service.create_category(session, actor=moderator, name="Field notes"),
    )
    page = list_page(logged_in)
    assert page.index("Tools &amp; practice") < page.index("Field notes")
    changed(
        app,
        session,
        lambda: service.move_category(session, actor=moderator, category=added, offset=-1),
    )
    page = list_page(logged_in)
    assert page.index("Field notes") < page.index("Tools &amp; practice")


# --- The opening post is kept too ---------------------------------------------------------


def opening_post(html: str) -> str:
    found = re.search(r'<article class="thread-post".*?</article>', html, re.S)
    assert found, "the opening post is not on the page"
    return found.group(0)


def post_pressed(html: str) -> list[str]:
    return re.findall(r'value="(\w+)" class="reaction" aria-pressed="true"', opening_post(html))


def test_an_edited_or_pinned_opening_post_shows_at_once(
    app, session, logged_in, thread, author, moderator
):
    assert "Brightspace" in opening_post(thread_page(logged_in, thread))
    changed(
        app,
        session,
        lambda: service.edit_thread(
            session, actor=author, thread=thread, title=thread.title, body="Now **Moodle**."
        ),
    )
    post = opening_post(thread_page(logged_in, thread))
    assert "Moodle" in post and "Brightspace" not in post
    assert 'class="edited"' in post
    changed(
        app,
        session,
        lambda: service.set_pinned(session, actor=moderator, thread=thread, pinned=True),
    )
    assert "Pinned" in opening_post(thread_page(logged_in, thread))


def test_each_reader_gets_their_own_parts_of_the_kept_opening_post(
    app, session, thread, author, log_in_as, blocker_and_reader
):
    blocker, reader = blocker_and_reader
    changed(
        app,
        session,
        lambda: service.toggle_reaction(
            session, actor=reader, thread=thread, kind=ReactionKind.like
        ),
    )
    writing, blocking, reading = log_in_as(author), log_in_as(blocker), log_in_as(reader)
    session.commit()
    own = thread_page(writing, thread)  # the author fills the copy
    assert f'href="/t/{thread.id}/edit"' in opening_post(own)
    assert post_pressed(own) == []
    assert 'class="blocked-post"' not in opening_post(own)
    theirs = thread_page(reading, thread)
    assert post_pressed(theirs) == ["like"]
    assert "/edit" not in opening_post(theirs)
    assert 'class="reaction-count">1<' in opening_post(theirs)  # the count is everyone's
    folded = opening_post(thread_page(blocking, thread))
    assert 'class="blocked-post"' in folded and "Brightspace" in folded
    assert f'href="/t/{thread.id}/edit"' in opening_post(thread_page(writing, thread))


def test_each_reader_sees_their_own_subscription_level(app, session, thread, log_in_as):
    from hallway.discussions import subscriptions

    watcher, other = make_user(session), make_user(session)
    session.commit()
    watching, reading = log_in_as(watcher), log_in_as(other)
    checked = r'value="(\w+)"\s+aria-describedby="[^"]*"\s+checked'
    assert re.findall(checked, thread_page(reading, thread)) == ["normal"]
    changed(
        app,
        session,
        lambda: subscriptions.watch_thread(session, actor=watcher, thread_id=thread.id),
    )
    assert re.findall(checked, thread_page(watching, thread)) == ["watching"]
    assert re.findall(checked, thread_page(reading, thread)) == ["normal"]
