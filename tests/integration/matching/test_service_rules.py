"""Matching's hard rules, reasons from both sides, the event filter, load spreading and
feedback, through the service and the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hallway.core.errors import InvalidInput, NotFound
from hallway.matching import service
from hallway.matching.index import format_utc_offset, utc_offset_hours
from hallway.matching.models import MatchDismissal
from hallway.meetings.models import MeetingFeedback, MeetingStatus
from hallway.members import service as members_service
from hallway.moderation import service as moderation_service
from tests.integration.matching._e_helpers import (
    going,
    maggie,
    make_event,
    meeting_request,
    member,
    nia,
)

pytestmark = pytest.mark.usefixtures("app_context")


def suggested(session, viewer, **options) -> list[int]:
    return [s.user_id for s in service.suggestions(session, viewer, **options)]


def test_a_novice_sees_the_mentor_with_reasons_in_plain_words(session):
    novice, mentor = nia(session), maggie(session)
    found = service.suggestions(session, novice)
    assert [s.user_id for s in found] == [mentor.id]
    reasons = found[0].reasons
    assert reasons[0] == (
        "You are looking for mentoring in accessibility & UDL; Maggie Mentor offers "
        "mentoring and works on captioning"
    )
    assert "Both ALT members" in reasons
    assert "You both work in Post-secondary" in reasons
    mine = format_utc_offset(utc_offset_hours("America/Vancouver"))
    theirs = format_utc_offset(utc_offset_hours("America/Toronto"))
    assert f"Your working hours overlap ({mine} / {theirs})" in reasons


def test_the_mentor_sees_the_same_pair_from_their_side(session):
    novice, mentor = nia(session), maggie(session)
    found = service.suggestions(session, mentor)
    assert [s.user_id for s in found] == [novice.id]
    assert found[0].reasons[0] == "Nia Novice is looking for mentoring; you offer mentoring"
    assert found[0].reasons == service.pair_reasons(session, mentor, novice.id)
    mine = format_utc_offset(utc_offset_hours("America/Toronto"))
    theirs = format_utc_offset(utc_offset_hours("America/Vancouver"))
    assert f"Your working hours overlap ({mine} / {theirs})" in found[0].reasons


def test_pair_reasons_work_for_a_profile_even_without_matching_consent(session):
    novice = nia(session)
    mentor = maggie(session, matchable=False)
    assert service.pair_reasons(session, novice, mentor.id)[0].startswith(
        "You are looking for mentoring in accessibility & UDL"
    )
    assert service.pair_reasons(session, novice, novice.id) == []


def test_factors_are_given_with_each_suggestion(session):
    novice, _mentor = nia(session), maggie(session)
    (found,) = service.suggestions(session, novice)
    for name in (
        "need_met",
        "need_met_reverse",
        "topics",
        "text",
        "reciprocal",
        "events",
        "networks",
        "sector",
        "time_zone",
        "load",
        "score",
    ):
        assert name in found.factors
    assert found.factors["need_met"] == 1.0
    assert found.factors["networks"] == 0.5
    assert found.factors["score"] == found.score > 0


def test_members_who_did_not_opt_in_neither_get_nor_appear_in_suggestions(session):
    novice = nia(session, matchable=False)
    mentor = maggie(session)
    assert suggested(session, novice) == []
    assert suggested(session, mentor) == []
    members_service.update_profile(session, novice, {"matchable": True})
    service.forget_cached_index()
    assert suggested(session, mentor) == [novice.id]


def test_private_profiles_never_appear(session):
    novice = nia(session)
    mentor = maggie(session, visibility="private")
    assert suggested(session, novice) == []
    assert suggested(session, mentor) == []


def test_never_oneself(session):
    novice, mentor = nia(session), maggie(session)
    assert novice.id not in suggested(session, novice)
    assert mentor.id not in suggested(session, mentor)


@pytest.mark.parametrize("who_blocks", ["novice", "mentor"])
def test_a_block_either_way_removes_the_pair_at_once(session, who_blocks):
    novice, mentor = nia(session), maggie(session)
    assert suggested(session, novice) == [mentor.id]
    blocker, blocked = (novice, mentor) if who_blocks == "novice" else (mentor, novice)
    moderation_service.block_member(session, actor=blocker, handle=blocked.handle)
    assert suggested(session, novice) == []
    assert suggested(session, mentor) == []
    moderation_service.unblock_member(session, actor=blocker, user_id=blocked.id)
    assert suggested(session, novice) == [mentor.id]


def test_not_for_me_removes_the_person_for_that_viewer_only(session):
    novice, mentor = nia(session), maggie(session)
    other = member(
        session,
        "noor",
        "Noor",
        stage="novice",
        interests=["Accessibility"],
        looking_for=["mentoring"],
    )
    service.dismiss(session, actor=novice, other_id=mentor.id, reason="not_relevant", note="  ")
    assert mentor.id not in suggested(session, novice)
    assert mentor.id in suggested(session, other)
    stored = session.get(MatchDismissal, (novice.id, mentor.id))
    assert (stored.reason, stored.note) == ("not_relevant", "")
    assert service.dismissed_ids(session, novice.id) == {mentor.id}
    # Saying it again updates the reason; taking it back brings the person back.
    service.dismiss(session, actor=novice, other_id=mentor.id, reason=None, note="later")
    assert session.get(MatchDismissal, (novice.id, mentor.id)).reason is None
    assert [d.dismissed_id for d in service.dismissals(session, actor=novice)] == [mentor.id]
    service.undismiss(session, actor=novice, other_id=mentor.id)
    assert suggested(session, novice)[0] == mentor.id
    with pytest.raises(NotFound):
        service.undismiss(session, actor=novice, other_id=mentor.id)


def test_not_for_me_refuses_bad_input(session):
    novice, mentor = nia(session), maggie(session)
    with pytest.raises(InvalidInput) as error:
        service.dismiss(session, actor=novice, other_id=mentor.id, reason="boring")
    assert "reason" in error.value.field_errors
    with pytest.raises(InvalidInput) as error:
        service.dismiss(session, actor=novice, other_id=novice.id)
    assert "other_id" in error.value.field_errors
    with pytest.raises(InvalidInput) as error:
        service.dismiss(session, actor=novice, other_id=mentor.id, note="x" * 301)
    assert "note" in error.value.field_errors
    service.dismiss(session, actor=novice, other_id=mentor.id, note="x" * 300)
    with pytest.raises(NotFound):
        service.dismiss(session, actor=novice, other_id=mentor.id + 999)
    assert (
        session.scalar(select(MatchDismissal).where(MatchDismissal.dismissed_id == novice.id))
        is None
    )


def test_novices_reach_only_people_who_accept_novice_requests(session):
    novice = nia(session)
    mentor = maggie(session, novices_may_request=False)
    peer = member(
        session,
        "cam",
        "Cam",
        stage="career",
        interests=["Accessibility"],
        looking_for=["mentoring"],
    )
    assert mentor.id not in suggested(session, novice)
    assert novice.id not in suggested(session, mentor)
    assert mentor.id in suggested(session, peer)


def test_people_already_in_touch_are_not_suggested_again(session):
    novice, mentor = nia(session), maggie(session)
    request = meeting_request(session, novice, mentor)
    assert suggested(session, novice) == []
    assert suggested(session, mentor) == []
    request.status = MeetingStatus.declined
    session.flush()
    assert suggested(session, novice) == [mentor.id]


def test_people_with_many_pending_requests_sink(session):
    novice = nia(session)
    busy = maggie(session, "busy", "Busy Mentor")
    free = maggie(session, "free", "Free Mentor")
    first = suggested(session, novice)
    assert first == sorted(first)  # equal scores: the older account first
    for handle in ("asker1", "asker2", "asker3"):
        meeting_request(session, member(session, handle, handle, matchable=False), busy)
    found = service.suggestions(session, novice)
    assert [s.user_id for s in found] == [free.id, busy.id]
    assert found[1].score < found[0].score


def test_useful_meetings_feed_back(session):
    novice = nia(
        session,
        interests=["Accessibility", "podcasting"],
        looking_for=["mentoring", "peer_support"],
    )
    met = maggie(session, "met", "Met Before", interests=["podcasting"], bio="")
    like_met = maggie(session, "like", "Like Met", interests=["podcasting"], bio="")
    request = meeting_request(session, novice, met, MeetingStatus.accepted)
    before = {s.user_id: s.score for s in service.suggestions(session, novice)}
    assert met.id not in before
    session.add(
        MeetingFeedback(request_id=request.id, author_id=novice.id, about_id=met.id, useful=True)
    )
    session.flush()
    after = {s.user_id: s.score for s in service.suggestions(session, novice)}
    assert after[like_met.id] > before[like_met.id]


def test_an_event_lists_only_people_going(session):
    novice = nia(session)
    mentor = maggie(session)
    other_mentor = maggie(session, "otto", "Otto Mentor")
    event = make_event(session)
    going(session, event, novice, mentor)
    service.forget_cached_index()
    found = service.suggestions(session, novice, event_id=event.id)
    assert [s.user_id for s in found] == [mentor.id]
    assert "Both going to ETUG Spring Workshop" in found[0].reasons
    assert set(suggested(session, novice)) == {mentor.id, other_mentor.id}


def test_limit(session):
    novice = nia(session)
    for handle in ("mentor1", "mentor2", "mentor3"):
        maggie(session, handle, handle)
    assert len(service.suggestions(session, novice, limit=2)) == 2
    assert service.suggestions(session, novice, limit=0) == []


def test_pair_scores_for_a_round(session):
    novice = nia(session)
    quiet = member(
        session,
        "quiet",
        "Quiet",
        stage="novice",
        matchable=False,
        interests=["Accessibility"],
        looking_for=["mentoring"],
    )
    mentor = maggie(session)
    closed = maggie(session, "closed", "Closed", novices_may_request=False)
    scores = service.pair_scores(session, [novice.id, quiet.id], [mentor.id, closed.id])
    assert scores.shape == (2, 2)
    assert scores[0, 0] > 0 and scores[1, 0] > 0  # consent to suggestions is not needed here
    assert scores[0, 1] == 0 and scores[1, 1] == 0
    moderation_service.block_member(session, actor=mentor, handle=quiet.handle)
    blocked = service.pair_scores(session, [novice.id, quiet.id], [mentor.id, closed.id])
    assert blocked[1, 0] == 0 and blocked[0, 0] == pytest.approx(scores[0, 0])


def test_what_members_post_counts_as_their_words(session):
    from tests.factories import make_thread

    novice = nia(session)
    writer = maggie(session, "writer", "Wren Writer", bio="", interests=["podcasting"])
    silent = maggie(session, "silent", "Sam Silent", bio="", interests=["podcasting"])
    make_thread(
        session, author=writer, title="Our transcripts workflow", body="How we do alt text."
    )
    service.forget_cached_index()
    found = service.suggestions(session, novice)
    assert [s.user_id for s in found] == [writer.id, silent.id]
    assert found[0].reasons[0] == (
        "You are looking for mentoring in accessibility & UDL; Wren Writer offers "
        "mentoring and works on transcripts"
    )


def test_pair_reasons_say_nothing_about_private_or_blocked_members(session):
    novice = nia(session)
    hidden = maggie(session, "hidden", "Hidden Mentor", visibility="private")
    mentor = maggie(session)
    assert service.pair_reasons(session, novice, hidden.id) == []
    assert service.pair_reasons(session, novice, mentor.id) != []
    moderation_service.block_member(session, actor=mentor, handle=novice.handle)
    assert service.pair_reasons(session, novice, mentor.id) == []
    assert service.pair_reasons(session, mentor, novice.id) == []


def test_platforms_are_recognised_as_lms_administration(session):
    admin = member(
        session, "lee", "Lee Admin", interests=["LMS administration"], looking_for=["peer_support"]
    )
    moodler = member(
        session, "moe", "Moe Moodler", interests=["Moodle"], offering=["peer_support"], bio=""
    )
    (found,) = service.suggestions(session, admin)
    assert found.user_id == moodler.id
    assert found.reasons[0] == (
        "You are looking for peer support in LMS administration; Moe Moodler offers peer "
        "support and works on Moodle"
    )
    captioner = member(session, "cat", "Cat Captioner", bio="Captioning lead", interests=[])
    service.forget_cached_index()
    reasons = service.pair_reasons(session, nia(session), captioner.id)
    assert "You work on accessibility & UDL; Cat Captioner writes about Captioning" in reasons


def test_withdrawn_consent_applies_before_the_index_catches_up(session):
    novice, mentor = nia(session), maggie(session)
    other = maggie(session, "other", "Other Mentor")
    assert set(suggested(session, novice)) == {mentor.id, other.id}
    # Not committed: the refresh job has not run, the index still has the mentor.
    members_service.update_profile(session, mentor, {"matchable": False})
    assert suggested(session, novice) == [other.id]
    assert len(service.suggestions(session, novice, limit=1)) == 1
    members_service.update_profile(session, mentor, {"matchable": True, "visibility": "private"})
    assert suggested(session, novice) == [other.id]
