"""Reading discussions: lists, the thread page's tree, focused views and permalinks."""

from datetime import timedelta

from hallway.accounts.models import Role
from hallway.db import utcnow
from hallway.discussions import service
from tests.factories import make_block, make_category, make_comment, make_thread, make_user
from tests.integration.discussions.conftest import comment_ids_in_order


def html_of(response) -> str:
    return response.get_data(as_text=True)


def test_discussion_pages_ask_visitors_to_log_in(client, thread):
    response = client.get(f"/t/{thread.id}/{thread.slug}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_lists_show_threads_by_latest_activity_with_pinned_first(session, logged_in, category):
    now = utcnow()
    old = make_thread(
        session, category=category, title="Old but pinned", at=now - timedelta(days=9)
    )
    make_thread(session, category=category, title="Quiet thread", at=now - timedelta(days=3))
    busy = make_thread(session, category=category, title="Busy thread", at=now - timedelta(days=5))
    make_comment(session, thread=busy, at=now - timedelta(hours=1))
    old.pinned_at = now
    session.commit()
    page = html_of(logged_in.client.get("/discussions"))
    positions = [page.index(title) for title in ("Old but pinned", "Busy thread", "Quiet thread")]
    assert positions == sorted(positions)
    newest = html_of(logged_in.client.get("/discussions?sort=newest"))
    positions = [newest.index(title) for title in ("Old but pinned", "Quiet thread", "Busy thread")]
    assert positions == sorted(positions)


def test_top_sorts_by_reactions_and_replies(session, logged_in, category):
    plain = make_thread(session, category=category, title="Plain thread")
    popular = make_thread(session, category=category, title="Popular thread")
    for _ in range(3):
        make_comment(session, thread=popular)
    session.commit()
    page = html_of(logged_in.client.get("/discussions?sort=top"))
    assert page.index("Popular thread") < page.index(plain.title)


def test_category_and_tag_pages_list_only_their_threads(session, logged_in, category):
    elsewhere = make_category(session, name="Career growth", slug="career-growth")
    make_thread(session, category=category, title="About H5P", tags=["h5p"])
    make_thread(session, category=elsewhere, title="About salaries", tags=["salary"])
    session.commit()
    in_category = html_of(logged_in.client.get("/c/tools-and-practice"))
    assert "About H5P" in in_category and "About salaries" not in in_category
    tagged = html_of(logged_in.client.get("/tags/salary"))
    assert "About salaries" in tagged and "About H5P" not in tagged
    assert logged_in.client.get("/c/no-such-category").status_code == 404


def test_lists_are_paginated(session, logged_in, category):
    for number in range(23):
        make_thread(session, category=category, title=f"Thread number {number:02d}")
    session.commit()
    first = html_of(logged_in.client.get("/c/tools-and-practice"))
    second = html_of(logged_in.client.get("/c/tools-and-practice?page=2"))
    assert first.count('class="thread-title"') == 20
    assert second.count('class="thread-title"') == 3
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert logged_in.client.get("/discussions?page=0").status_code == 422
    assert logged_in.client.get("/discussions?sort=sideways").status_code == 422


def test_the_thread_page_shows_replies_as_a_tree_in_order(session, logged_in, thread):
    first = make_comment(session, thread=thread, body="First answer")
    second = make_comment(session, thread=thread, body="Second answer")
    to_first = make_comment(session, thread=thread, parent=first, body="Reply to first")
    session.commit()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    assert comment_ids_in_order(page) == [first.id, to_first.id, second.id]
    first_block = page[
        page.index(f'id="comment-{first.id}"') : page.index(f'id="comment-{second.id}"')
    ]
    assert 'class="comment-children"' in first_block and "Reply to first" in first_block
    assert "<strong>Brightspace</strong>" in page


def test_replies_can_be_sorted_newest_or_top_at_each_level(app, session, logged_in, thread):
    first = make_comment(session, thread=thread)
    second = make_comment(session, thread=thread)
    early = make_comment(session, thread=thread, parent=first)
    late = make_comment(session, thread=thread, parent=first)
    fan = make_user(session)
    with app.app_context():  # the service publishes the reaction to open pages
        service.toggle_reaction(session, actor=fan, thread=thread, comment=late, kind="like")
    session.commit()
    base = f"/t/{thread.id}/{thread.slug}"
    newest = comment_ids_in_order(html_of(logged_in.client.get(base + "?sort=newest")))
    assert newest == [second.id, first.id, late.id, early.id]
    top = comment_ids_in_order(html_of(logged_in.client.get(base + "?sort=top")))
    assert top == [first.id, late.id, early.id, second.id]


def test_a_wrong_slug_redirects_to_the_canonical_address(logged_in, thread):
    response = logged_in.client.get(f"/t/{thread.id}/old-title")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/t/{thread.id}/{thread.slug}")
    short = logged_in.client.get(f"/t/{thread.id}?sort=newest")
    assert short.headers["Location"].endswith(f"/t/{thread.id}/{thread.slug}?sort=newest")


def make_chain(session, thread, length):
    chain = []
    for _ in range(length):
        chain.append(make_comment(session, thread=thread, parent=chain[-1] if chain else None))
    return chain


def test_past_six_levels_the_conversation_continues_in_a_focused_view(session, logged_in, thread):
    chain = make_chain(session, thread, 9)
    session.commit()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    assert comment_ids_in_order(page) == [comment.id for comment in chain[:6]]
    continue_link = f'href="/t/{thread.id}/comments/{chain[5].id}#comment-{chain[5].id}"'
    assert continue_link in page and "3 more replies" in page

    focused = html_of(logged_in.client.get(f"/t/{thread.id}/comments/{chain[5].id}"))
    assert comment_ids_in_order(focused) == [comment.id for comment in chain[5:]]
    # The ancestors come first, as context, so who answered whom stays visible.
    for ancestor in chain[:5]:
        assert f'id="context-{ancestor.id}"' in focused
    assert "Back to the whole discussion" in focused


def test_permalinks_lead_to_the_page_that_shows_the_comment(session, logged_in, thread):
    chain = make_chain(session, thread, 8)
    session.commit()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    assert f'href="/t/{thread.id}/comments/{chain[2].id}#comment-{chain[2].id}"' in page
    focused = html_of(logged_in.client.get(f"/t/{thread.id}/comments/{chain[5].id}"))
    deep_link = f'href="/t/{thread.id}/comments/{chain[7].id}#comment-{chain[7].id}"'
    assert deep_link in focused
    # Following it: the comment, marked as the one linked to, its replies under it.
    opened = html_of(logged_in.client.get(f"/t/{thread.id}/comments/{chain[7].id}"))
    assert comment_ids_in_order(opened) == [chain[7].id]
    target = f'class="comment-node is-target" aria-current="true" id="comment-{chain[7].id}"'
    assert target in opened
    for ancestor in chain[2:7]:
        assert f'id="context-{ancestor.id}"' in opened


def test_a_comment_of_another_thread_is_not_found_in_this_one(session, logged_in, thread):
    other = make_comment(session, thread=make_thread(session))
    session.commit()
    assert logged_in.client.get(f"/t/{thread.id}/comments/{other.id}").status_code == 404


def test_deleted_comments_leave_a_placeholder_and_their_replies(app, session, logged_in, thread):
    author = make_user(session)
    parent = make_comment(session, thread=thread, author=author, body="Regrettable take")
    reply = make_comment(session, thread=thread, parent=parent, body="A kind answer")
    with app.app_context():
        service.delete_comment(session, actor=author, comment=parent)
    session.commit()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    assert "[deleted]" in page and "Regrettable take" not in page
    assert "A kind answer" in page
    assert comment_ids_in_order(page) == [parent.id, reply.id]


def test_hidden_comments_show_a_placeholder_to_members_and_the_text_to_moderators(
    session, logged_in, thread, log_in_as
):
    hidden = make_comment(session, thread=thread, body="Spammy link farm")
    make_comment(session, thread=thread, parent=hidden, body="Answer under it")
    hidden.hidden_at = utcnow()
    admin = make_user(session, role=Role.admin)
    session.commit()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    assert "[hidden by a moderator]" in page and "Spammy link farm" not in page
    assert "Answer under it" in page
    moderator_page = html_of(log_in_as(admin).client.get(f"/t/{thread.id}/{thread.slug}"))
    assert "Spammy link farm" in moderator_page and "hidden from members" in moderator_page


def test_hidden_threads_are_not_found_by_members(session, logged_in, thread, log_in_as):
    thread.hidden_at = utcnow()
    admin = make_user(session, role=Role.admin)
    session.commit()
    assert logged_in.client.get(f"/t/{thread.id}/{thread.slug}").status_code == 404
    assert "Surviving an LMS migration" not in html_of(logged_in.client.get("/discussions"))
    assert log_in_as(admin).client.get(f"/t/{thread.id}/{thread.slug}").status_code == 200


def test_posts_by_blocked_members_are_collapsed(session, logged_in, member, thread):
    pest = make_user(session, display_name="Pest")
    make_comment(session, thread=thread, author=pest, body="Unwanted opinions")
    make_block(session, blocker=member, blocked=pest)
    session.commit()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    collapsed = page[page.index('<details class="blocked-post">') :]
    assert "You blocked this member. Show" in collapsed
    assert collapsed.index("Unwanted opinions") < collapsed.index("</details>")


def test_locked_threads_say_so_instead_of_offering_a_reply_box(session, logged_in, thread):
    thread.locked_at = utcnow()
    session.commit()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/{thread.slug}"))
    assert "This discussion is locked" in page
    assert 'id="reply-form"' not in page
    assert "Locked" in page


def test_the_quote_action_prefills_the_reply_with_the_quoted_text(session, logged_in, thread):
    quoted = make_comment(session, thread=thread, body="Start with a content audit.\nThen map it.")
    session.commit()
    page = html_of(logged_in.client.get(f"/t/{thread.id}/reply?to={quoted.id}&quote=1"))
    assert "&gt; Start with a content audit." in page
    assert "&gt; Then map it." in page
    assert f"#comment-{quoted.id}" in page and "wrote" in page


def test_home_page_links_thread_titles(logged_in, thread):
    page = html_of(logged_in.client.get("/"))
    assert f'href="/t/{thread.id}/{thread.slug}"' in page
    assert 'href="/discussions"' in page
