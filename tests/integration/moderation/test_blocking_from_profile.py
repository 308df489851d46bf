"""The block button sits on a member's profile page."""

from tests.factories import make_profile, make_user


def test_profile_page_offers_block_and_then_unblock(logged_in, session):
    other = make_user(session, display_name="Noisy Neighbour", handle="noisy")
    make_profile(session, other, visibility="members")
    session.commit()
    page = logged_in.client.get("/members/noisy").get_data(as_text=True)
    assert ">Block<" in page
    response = logged_in.post_form(
        "/moderation/blocks", {"handle": "noisy", "next": "/members/noisy"}
    )
    assert response.status_code == 302
    page = logged_in.client.get("/members/noisy").get_data(as_text=True)
    assert ">Unblock<" in page


def test_own_profile_has_no_block_button(logged_in, member, session):
    make_profile(session, member)
    session.commit()
    page = logged_in.client.get("/members/maya").get_data(as_text=True)
    assert ">Block<" not in page
