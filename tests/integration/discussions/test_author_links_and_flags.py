"""Author names on posts link to profiles only where the viewer may see them."""

from tests.factories import make_comment, make_profile, make_thread, make_user


def thread_page(logged_in, thread) -> str:
    return logged_in.client.get(f"/t/{thread.id}", follow_redirects=True).get_data(as_text=True)


def test_private_authors_names_show_without_a_profile_link(logged_in, session):
    recluse = make_user(session, display_name="Quiet Quinn", handle="quinn")
    make_profile(session, recluse, visibility="private")
    sharer = make_user(session, display_name="Open Olu", handle="olu")
    make_profile(session, sharer, visibility="members")
    thread = make_thread(session, author=recluse, title="Captioning workflows")
    make_comment(session, thread=thread, author=sharer, body="We use a vendor.")
    make_comment(session, thread=thread, author=recluse, body="Thanks!")
    session.commit()
    page = thread_page(logged_in, thread)
    assert "Quiet Quinn" in page
    assert 'href="/members/quinn"' not in page
    assert 'href="/members/olu"' in page


def test_private_author_sees_their_own_link(app, session):
    from tests.conftest import Browserless

    recluse = make_user(session, display_name="Quiet Quinn", handle="quinn")
    make_profile(session, recluse, visibility="private")
    thread = make_thread(session, author=recluse, title="Captioning workflows")
    session.commit()
    own = Browserless(app.test_client())
    own.log_in(recluse.email)
    assert 'href="/members/quinn"' in thread_page(own, thread)


def test_every_post_offers_a_flag_link_back_to_the_thread(logged_in, session):
    author = make_user(session, display_name="Poster")
    thread = make_thread(session, author=author, title="Open badges")
    comment = make_comment(session, thread=thread, author=author, body="Any thoughts?")
    session.commit()
    page = thread_page(logged_in, thread)
    assert f'href="/moderation/flag/thread/{thread.id}?next=/t/{thread.id}/' in page
    assert f'href="/moderation/flag/comment/{comment.id}?next=/t/{thread.id}/' in page
    flag_form = logged_in.client.get(f"/moderation/flag/comment/{comment.id}")
    assert flag_form.status_code == 200
