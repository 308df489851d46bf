"""People to meet (overall and per event), "Not for me" and "Why you two should talk" on
a profile, as members see them in the browser (no JavaScript)."""

from __future__ import annotations

import re

from tests.factories import make_block, make_profile, make_user
from tests.integration.matching._g_helpers import (  # noqa: F401 (fresh_match_index: autouse)
    fresh_match_index,
    going,
    log_in,
    make_event,
    mentor,
    novice,
    organiser,
)


def _page(helper, path="/people-to-meet") -> str:
    response = helper.client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def _suggested_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-suggestion="(\d+)"', html)]


def test_not_opted_in_sees_how_to_opt_in_and_nobody(app, session):
    viewer = make_user(session, handle="quiet")
    make_profile(session, viewer, career_stage="novice", matchable=False, looking_for=["mentoring"])
    mentor(session)
    session.commit()
    html = _page(log_in(app, viewer))
    assert "Suggestions are off for you" in html
    assert 'href="/profile/edit#edit-privacy"' in html
    assert _suggested_ids(html) == []


def test_novice_sees_the_mentor_with_reasons_and_a_request_link(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    html = _page(log_in(app, nia))
    assert _suggested_ids(html) == [maggie.id]
    card = html[html.index(f'id="suggestion-{maggie.id}"') :]
    assert "Maggie Mentor" in card
    assert "Accessibility lead" in card  # the role
    assert "Advanced" in card or "advanced" in card.lower()  # the career stage
    assert '<ul class="reasons">' in card
    assert f"/meetings/request?to={maggie.id}" in card
    assert "Not for me" in card


def test_reasons_are_shown_to_both_sides(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    novice_side = _page(log_in(app, nia))
    mentor_side = _page(log_in(app, maggie))
    assert _suggested_ids(mentor_side) == [nia.id]
    for html in (novice_side, mentor_side):
        reasons = re.findall(r'<ul class="reasons">(.*?)</ul>', html, re.S)
        assert reasons and "<li>" in reasons[0]


def test_not_for_me_removes_the_person_and_the_next_list_changes(app, session):
    nia, maggie = novice(session), mentor(session)
    kofi = mentor(session, handle="kofi", name="Kofi Advisor")
    session.commit()
    helper = log_in(app, nia)
    before = _suggested_ids(_page(helper))
    assert set(before) == {maggie.id, kofi.id}
    response = helper.post_form(
        f"/people-to-meet/{maggie.id}/dismiss",
        {"reason": "already_know", "note": "We work together", "next": "/people-to-meet"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/people-to-meet")
    after = _page(helper)
    assert "Maggie Mentor will not be suggested to you again." in after
    assert _suggested_ids(after) == [kofi.id]


def test_not_for_me_without_a_reason_works_and_a_bad_reason_is_refused(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    helper = log_in(app, nia)
    refused = helper.post_form(f"/people-to-meet/{maggie.id}/dismiss", {"reason": "bored"})
    assert refused.status_code == 302
    assert maggie.id in _suggested_ids(_page(helper))  # nothing dismissed
    helper.post_form(f"/people-to-meet/{maggie.id}/dismiss", {"reason": ""})
    assert _suggested_ids(_page(helper)) == []


def test_dismiss_never_redirects_off_site(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    helper = log_in(app, nia)
    response = helper.post_form(
        f"/people-to-meet/{maggie.id}/dismiss", {"next": "https://evil.example/"}
    )
    assert response.headers["Location"].endswith("/people-to-meet")


def test_event_page_suggests_only_people_going(app, session):
    owner = organiser(session)
    nia, maggie = novice(session), mentor(session)
    kofi = mentor(session, handle="kofi", name="Kofi Advisor")
    event = make_event(session, owner)
    going(session, event, nia, kofi)
    session.commit()
    helper = log_in(app, nia)
    assert set(_suggested_ids(_page(helper))) == {maggie.id, kofi.id}
    at_event = _page(helper, f"/events/{event.id}/people-to-meet")
    assert _suggested_ids(at_event) == [kofi.id]
    assert f"/meetings/request?to={kofi.id}&amp;event={event.id}" in at_event
    # The overall page offers the event as a tab.
    assert f'href="/events/{event.id}/people-to-meet"' in _page(helper)


def test_event_page_tells_someone_not_going(app, session):
    owner = organiser(session)
    nia, kofi = novice(session), mentor(session, handle="kofi", name="Kofi Advisor")
    event = make_event(session, owner)
    going(session, event, kofi)
    session.commit()
    html = _page(log_in(app, nia), f"/events/{event.id}/people-to-meet")
    assert "You are not going to this event" in html
    assert _suggested_ids(html) == [kofi.id]


def test_people_to_meet_asks_visitors_to_log_in(client):
    response = client.get("/people-to-meet")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_navigation_and_event_page_link_to_people_to_meet(app, session):
    owner = organiser(session)
    nia = novice(session)
    event = make_event(session, owner)
    session.commit()
    helper = log_in(app, nia)
    assert 'href="/people-to-meet"' in _page(helper, "/discussions")
    assert f'href="/events/{event.id}/people-to-meet"' in _page(helper, f"/events/{event.id}")


def test_profile_says_why_you_two_should_talk_to_both_sides(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    on_mentor = _page(log_in(app, nia), "/members/maggie")
    on_novice = _page(log_in(app, maggie), "/members/nia")
    for html in (on_mentor, on_novice):
        assert "Why you two should talk" in html
        section = html[html.index('id="why-talk"') :]
        assert '<ul class="reasons"><li>' in section


def test_profile_has_no_reasons_for_oneself_a_block_or_without_opt_in(app, session):
    nia, maggie = novice(session), mentor(session)
    quiet = make_user(session, handle="quiet")
    make_profile(session, quiet, career_stage="career", matchable=False, offering=["mentoring"])
    session.commit()
    helper = log_in(app, nia)
    assert "Why you two should talk" not in _page(helper, "/members/nia")
    assert "Why you two should talk" not in _page(helper, "/members/quiet")
    make_block(session, blocker=maggie, blocked=nia)
    session.commit()
    assert "Why you two should talk" not in _page(helper, "/members/maggie")


def test_a_blocked_person_is_never_suggested(app, session):
    nia, maggie = novice(session), mentor(session)
    make_block(session, blocker=nia, blocked=maggie)
    session.commit()
    assert _suggested_ids(_page(log_in(app, nia))) == []
