"""The matching index without a database: factors, hard rules, reciprocity, stage direction,
load spreading, dismissals and feedback, updates, and the vectorised ranking against a
pair-by-pair recomputation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hallway.matching.index import (
    _RELATED,
    MemberRecord,
    build_index,
    format_utc_offset,
    utc_offset_hours,
)
from hallway.members.vocabulary import TopicMatcher


def record(user_id: int, **fields) -> MemberRecord:
    values = {"name": f"M{user_id}", "career_stage": "career"}
    values.update(fields)
    return MemberRecord(user_id=user_id, **values)


NOVICE = record(
    1,
    name="Nia",
    career_stage="novice",
    interests=("accessibility & UDL",),
    looking_for=("mentoring",),
)
MENTOR = record(
    2,
    name="Maggie",
    career_stage="advanced",
    interests=("accessibility & UDL",),
    offering=("mentoring",),
)


def ids(matches):
    return [user_id for user_id, _score in matches]


def test_a_two_sided_pair_ranks_above_a_one_sided_one():
    # Both mentors answer the novice equally; only the first is answered back: the
    # second wants four things the novice does not offer.
    one_sided = record(
        3,
        career_stage="advanced",
        interests=("accessibility & UDL",),
        offering=("mentoring",),
        looking_for=("hiring", "speaking", "job_leads", "course_feedback"),
    )
    index = build_index([NOVICE, MENTOR, one_sided], exposure_sample=0)
    two = index.factors(1, 2)
    one = index.factors(1, 3)
    assert two["need_met"] == pytest.approx(one["need_met"]) == pytest.approx(1.0)
    assert one["need_met_reverse"] < two["need_met_reverse"]
    assert one["reciprocal"] < two["reciprocal"]
    assert ids(index.top_matches(1)) == [2, 3]


def test_reciprocal_is_the_geometric_mean_of_both_directions():
    index = build_index([NOVICE, MENTOR], exposure_sample=0, text_dimensions=0)
    f = index.factors(1, 2)
    fit_viewer = 0.5 * f["need_met"] + 0.3 * _covered(index, 1, 2) + 0.2 * f["text"]
    fit_other = 0.5 * f["need_met_reverse"] + 0.3 * _covered(index, 2, 1) + 0.2 * f["text"]
    assert f["reciprocal"] == pytest.approx(math.sqrt(fit_viewer * fit_other), rel=1e-5)
    # The same pair seen from the other side has the same reciprocal score.
    assert index.factors(2, 1)["reciprocal"] == pytest.approx(f["reciprocal"], rel=1e-5)


def _covered(index, a, b):
    """How much of a's topics b covers: b's topics, related ones a quarter, against a's."""
    share = index.topics_share[index.row_of[a]]
    smoothed_b = index.topics[index.row_of[b]] @ (np.eye(len(share)) + 0.25 * _RELATED)
    return min(1.0, float(smoothed_b @ share))


def test_related_topics_are_spread_the_same_way_on_both_sides():
    viewer = record(1, interests=("Moodle", "OER"))
    other = record(2, interests=("Canvas", "podcasting"))
    index = build_index([viewer, other], exposure_sample=0, text_dimensions=0)
    both_ways = index.factors(1, 2)["topics"]
    assert both_ways == pytest.approx((_covered(index, 1, 2) + _covered(index, 2, 1)) / 2)
    assert index.factors(2, 1)["topics"] == pytest.approx(both_ways)


def test_nothing_in_common_is_not_suggested():
    stranger = record(3, career_stage="advanced", interests=("podcasting",))
    index = build_index([NOVICE, stranger], exposure_sample=0, text_dimensions=0)
    assert index.top_matches(1) == []


def test_sharing_only_context_is_not_enough():
    viewer = record(1, interests=("OER",), networks=("ALT",), sector="k12", events=(4,))
    context_only = record(
        2, interests=("podcasting",), networks=("ALT",), sector="k12", events=(4,)
    )
    index = build_index([viewer, context_only], exposure_sample=0, text_dimensions=0)
    assert index.factors(1, 2)["base"] > 0.1
    assert index.factors(1, 2)["reciprocal"] == 0
    assert index.top_matches(1) == []
    assert index.top_matches(1, event_id=4) == []


def test_mentoring_flows_from_more_senior_to_less_senior():
    peer_mentor = record(
        3, career_stage="novice", interests=("accessibility & UDL",), offering=("mentoring",)
    )
    mid = record(
        4, career_stage="career", interests=("accessibility & UDL",), offering=("mentoring",)
    )
    index = build_index([NOVICE, MENTOR, peer_mentor, mid], exposure_sample=0, text_dimensions=0)
    assert ids(index.top_matches(1)) == [2, 4, 3]
    # And a senior looking for mentoring is not well answered by a novice offering it.
    senior = record(5, career_stage="advanced", looking_for=("mentoring",))
    index.update([senior])
    assert index.factors(5, 3)["need_met"] < 0.1


def test_collaborators_are_found_among_peers():
    viewer = record(1, career_stage="advanced", interests=("OER",), looking_for=("collaborators",))
    peer = record(2, career_stage="advanced", interests=("OER",), offering=("collaborators",))
    novice = record(3, career_stage="novice", interests=("OER",), offering=("collaborators",))
    mid = record(4, career_stage="career", interests=("OER",), offering=("collaborators",))
    index = build_index([viewer, peer, novice, mid], exposure_sample=0, text_dimensions=0)
    assert ids(index.top_matches(1)) == [2, 4, 3]


def test_never_oneself_and_never_the_excluded():
    index = build_index([NOVICE, MENTOR], exposure_sample=0)
    assert 1 not in ids(index.top_matches(1))
    assert index.top_matches(1, exclude=[2]) == []
    assert ids(index.top_matches(2)) == [1]


def test_novices_reach_only_people_who_accept_novice_requests():
    closed = record(
        3,
        career_stage="advanced",
        interests=("accessibility & UDL",),
        offering=("mentoring",),
        novices_may_request=False,
    )
    index = build_index([NOVICE, MENTOR, closed], exposure_sample=0)
    assert ids(index.top_matches(1)) == [2]
    # Nor is the novice suggested to them.
    assert 1 not in ids(index.top_matches(3))
    # A mid-career member still reaches them.
    mid = record(
        4, career_stage="career", interests=("accessibility & UDL",), looking_for=("mentoring",)
    )
    index.update([mid])
    assert 3 in ids(index.top_matches(4))


def test_dismissed_people_never_come_back_and_people_like_them_sink():
    video_a = record(3, interests=("video production",), offering=("collaborators",))
    video_b = record(4, interests=("video production",), offering=("collaborators",))
    oer = record(5, interests=("OER",), offering=("peer_support",))
    viewer = record(
        1, interests=("video production", "OER"), looking_for=("collaborators", "peer_support")
    )
    index = build_index([viewer, video_a, video_b, oer], exposure_sample=0, text_dimensions=0)
    before = dict(index.top_matches(1))
    assert before[4] == pytest.approx(before[5])
    after = dict(index.top_matches(1, dismissed={3: "not_relevant"}))
    assert 3 not in after
    assert after[4] < before[4]
    assert after[5] == pytest.approx(before[5])
    # "We already know each other" says nothing about the others.
    known = dict(index.top_matches(1, dismissed={3: "already_know"}))
    assert 3 not in known
    assert known[4] == pytest.approx(before[4])


def test_wrong_stage_dismissal_lowers_that_stage():
    viewer = record(1, interests=("OER",), looking_for=("collaborators",))
    novice_a = record(2, career_stage="novice", interests=("OER",), offering=("collaborators",))
    novice_b = record(3, career_stage="novice", interests=("OER",), offering=("collaborators",))
    advanced = record(4, career_stage="advanced", interests=("OER",), offering=("collaborators",))
    index = build_index(
        [viewer, novice_a, novice_b, advanced], exposure_sample=0, text_dimensions=0
    )
    before = dict(index.top_matches(1))
    after = dict(index.top_matches(1, dismissed={2: "wrong_stage"}))
    assert after[3] == pytest.approx(before[3] * 0.6, rel=1e-4)
    assert after[4] == pytest.approx(before[4])


def test_useful_meetings_lift_similar_people_and_useless_ones_lower_them():
    viewer = record(
        1, interests=("podcasting", "OER"), looking_for=("collaborators", "peer_support")
    )
    met = record(2, interests=("podcasting",), offering=("collaborators",))
    like_met = record(3, interests=("podcasting",), offering=("collaborators",))
    other = record(4, interests=("OER",), offering=("peer_support",))
    index = build_index([viewer, met, like_met, other], exposure_sample=0, text_dimensions=0)
    before = dict(index.top_matches(1, exclude=[2]))
    liked = dict(index.top_matches(1, exclude=[2], feedback={2: True}))
    disliked = dict(index.top_matches(1, exclude=[2], feedback={2: False}))
    assert disliked[3] < before[3] < liked[3]
    assert liked[4] == pytest.approx(before[4]) == pytest.approx(disliked[4])


def test_people_with_many_pending_requests_sink():
    twin_a = record(
        3, career_stage="advanced", interests=("accessibility & UDL",), offering=("mentoring",)
    )
    index = build_index([NOVICE, MENTOR, twin_a], exposure_sample=0, text_dimensions=0)
    plain = index.top_matches(1)
    assert plain[0][1] == pytest.approx(plain[1][1])
    busy = index.top_matches(1, pending_counts=lambda ids: {2: 4})
    assert ids(busy) == [3, 2]
    assert busy[1][1] == pytest.approx(busy[0][1] / (1 + 0.25 * 4))


def test_nobody_is_suggested_to_everyone():
    # A hub who answers every novice, and specialists who each answer a few.
    topics = ("OER", "podcasting", "assessment", "video production", "H5P")
    novices = [
        record(
            10 + i,
            career_stage="novice",
            interests=(topics[i % 5],),
            looking_for=("mentoring",),
        )
        for i in range(40)
    ]
    hub = record(1, career_stage="advanced", interests=topics, offering=("mentoring",))
    specialists = [
        record(100 + i, career_stage="advanced", interests=(t,), offering=("mentoring",))
        for i, t in enumerate(topics)
    ]
    index = build_index([hub, *specialists, *novices], exposure_k=3, text_dimensions=0)
    hub_load = index.exposure_load[index.row_of[1]]
    assert hub_load < 1.0
    assert index.exposure_load[index.row_of[10]] == pytest.approx(1.0)
    top = dict(index.top_matches(10))
    assert top[1] == pytest.approx(index.factors(10, 1)["base"] * hub_load, rel=1e-5)
    without = build_index([hub, *specialists, *novices], exposure_sample=0, text_dimensions=0)
    assert without.exposure_load[without.row_of[1]] == 1.0


def test_event_filter_keeps_only_people_going():
    going = record(
        3,
        career_stage="advanced",
        interests=("accessibility & UDL",),
        offering=("mentoring",),
        events=(7,),
    )
    viewer = record(
        1,
        career_stage="novice",
        interests=("accessibility & UDL",),
        looking_for=("mentoring",),
        events=(7,),
    )
    index = build_index([viewer, MENTOR, going], exposure_sample=0)
    assert ids(index.top_matches(1, event_id=7)) == [3]
    assert set(ids(index.top_matches(1))) == {2, 3}
    assert index.top_matches(1, event_id=8) == []
    assert index.factors(1, 3)["events"] == pytest.approx(0.5)
    assert index.factors(1, 2)["events"] == 0.0


def test_context_networks_sector_and_time_zones():
    viewer = record(
        1, interests=("OER",), networks=("ALT", "ETUG"), sector="k12", time_zone="America/Vancouver"
    )
    near = record(
        2, interests=("OER",), networks=("ALT", "ETUG"), sector="k12", time_zone="America/Toronto"
    )
    far = record(
        3, interests=("OER",), networks=("WCET",), sector="corporate", time_zone="Asia/Kolkata"
    )
    index = build_index(
        [viewer, near, far],
        exposure_sample=0,
        text_dimensions=0,
    )
    f_near, f_far = index.factors(1, 2), index.factors(1, 3)
    assert f_near["networks"] == pytest.approx(0.75)  # two shared
    assert f_far["networks"] == 0.0
    assert f_near["sector"] == 1.0 and f_far["sector"] == 0.0
    assert f_near["time_zone"] == pytest.approx(5 / 8)  # three hours apart
    assert f_far["time_zone"] == 0.0
    assert ids(index.top_matches(1)) == [2, 3]


def test_unknown_time_zones_give_no_bonus():
    a = record(1, interests=("OER",), time_zone=None)
    b = record(2, interests=("OER",), time_zone="Europe/Paris")
    index = build_index([a, b], exposure_sample=0, text_dimensions=0)
    assert index.factors(1, 2)["time_zone"] == 0.0
    assert index.factors(2, 1)["time_zone"] == 0.0


def test_topics_written_in_other_words_count():
    viewer = record(1, interests=("accessibility & UDL",), looking_for=("collaborators",))
    captions = record(
        2, text="I caption lecture videos and write alt text.", offering=("collaborators",)
    )
    podcasts = record(3, text="I record podcasts about teaching.", offering=("collaborators",))
    index = build_index([viewer, captions, podcasts], exposure_sample=0, text_dimensions=0)
    assert index.factors(1, 2)["topics"] > 0
    assert index.factors(1, 3)["topics"] == 0
    assert ids(index.top_matches(1)) == [2, 3]
    assert index.evidence[index.row_of[2]].word_for("accessibility & UDL") == "caption"


def test_holding_phrases_out_of_the_matcher_loses_those_links():
    viewer = record(1, interests=("LMS administration",), looking_for=("collaborators",))
    moodler = record(2, text="I look after our Moodle site.", offering=("collaborators",))
    full = build_index([viewer, moodler], exposure_sample=0, text_dimensions=0)
    assert full.factors(1, 2)["topics"] > 0
    bare = TopicMatcher({"LMS administration": ()})
    held_out = build_index([viewer, moodler], matcher=bare, exposure_sample=0, text_dimensions=0)
    assert held_out.factors(1, 2)["topics"] == 0


def test_related_topics_count_a_little():
    viewer = record(1, interests=("Moodle",))
    related = record(2, interests=("Canvas",))  # same group: platforms
    unrelated = record(3, interests=("podcasting",))
    index = build_index([viewer, related, unrelated], exposure_sample=0, text_dimensions=0)
    same = record(4, interests=("Moodle",))
    index.update([same])
    assert 0 < index.factors(1, 2)["topics"] < index.factors(1, 4)["topics"]
    assert index.factors(1, 3)["topics"] == 0


def test_the_text_model_finds_people_who_write_alike():
    texts = [
        "rubrics grading feedback assessment of student writing",
        "grading rubrics and feedback on student writing",
        "podcast audio editing microphones",
        "audio editing for podcast episodes with microphones",
        "campus parking and cafeteria menus",
        "cafeteria menus and campus parking permits",
    ]
    records = [record(i + 1, text=text) for i, text in enumerate(texts)]
    index = build_index(records, exposure_sample=0, text_dimensions=4)
    assert index.text_model.size > 0
    assert index.factors(1, 2)["text"] > index.factors(1, 3)["text"]
    assert index.factors(3, 4)["text"] > index.factors(3, 5)["text"]


def test_ranking_matches_a_pair_by_pair_recomputation():
    rng = np.random.default_rng(3)
    stages = ["novice", "career", "advanced", None]
    intents = ["mentoring", "career_chat", "collaborators", "job_leads", "hiring", "peer_support"]
    topics = ["OER", "podcasting", "assessment", "Moodle", "Canvas", "H5P", "xAPI"]
    records = []
    for user_id in range(1, 61):
        records.append(
            record(
                user_id,
                career_stage=stages[rng.integers(4)],
                interests=tuple(rng.choice(topics, 2, replace=False)),
                looking_for=tuple(rng.choice(intents, int(rng.integers(0, 3)), replace=False)),
                offering=tuple(rng.choice(intents, int(rng.integers(0, 3)), replace=False)),
                networks=("ALT",) if user_id % 3 == 0 else (),
                events=(5,) if user_id % 4 == 0 else (),
                time_zone=["America/Toronto", "Europe/Paris", None][user_id % 3],
                novices_may_request=bool(user_id % 5),
            )
        )
    index = build_index(records, exposure_k=5, text_dimensions=0)
    for viewer in (1, 4, 17, 33):
        got = index.top_matches(viewer, limit=8)
        expected = []
        for other in records:
            if other.user_id == viewer:
                continue
            me = records[viewer - 1]
            if me.career_stage == "novice" and not other.novices_may_request:
                continue
            if not me.novices_may_request and other.career_stage == "novice":
                continue
            f = index.factors(viewer, other.user_id)
            score = f["base"] * f["load"]
            if score >= 0.02 and f["reciprocal"] >= 0.05:
                expected.append((-score, other.user_id))
        expected.sort()
        assert [user_id for _s, user_id in expected[:8]] == ids(got)


def test_an_events_ranking_scores_only_its_people_and_equals_the_filtered_whole():
    """Scoring an event's slice gives what scoring everyone and keeping those going
    gives, dismissals, exclusions and pending requests included."""
    rng = np.random.default_rng(11)
    intents = ["mentoring", "career_chat", "collaborators", "peer_support"]
    topics = ["OER", "podcasting", "assessment", "Moodle", "H5P"]
    records = [
        record(
            user_id,
            career_stage=["novice", "career", "advanced"][user_id % 3],
            interests=tuple(rng.choice(topics, 2, replace=False)),
            looking_for=tuple(rng.choice(intents, 2, replace=False)),
            offering=tuple(rng.choice(intents, 2, replace=False)),
            events=(5,) if user_id % 2 == 0 else (),
        )
        for user_id in range(1, 81)
    ]
    index = build_index(records, exposure_k=5, text_dimensions=0)
    not_going = [r.user_id for r in records if 5 not in r.events]
    for viewer in (2, 3, 10):
        options = dict(
            dismissed={4: "not_relevant"},
            exclude=(6,),
            feedback={8: True},
            pending_counts=lambda ids: {user_id: user_id % 3 for user_id in ids},
        )
        sliced = index.top_matches(viewer, limit=7, event_id=5, **options)
        whole = index.top_matches(viewer, limit=7, **{**options, "exclude": (6, *not_going)})
        assert ids(sliced) == ids(whole)
        assert [score for _id, score in sliced] == pytest.approx(
            [score for _id, score in whole], rel=1e-5
        )
        assert all(user_id % 2 == 0 for user_id in ids(sliced))


def test_updates_replace_add_and_remove_rows():
    index = build_index([NOVICE, MENTOR], exposure_sample=0)
    assert ids(index.top_matches(1)) == [2]
    index.update([record(2, career_stage="advanced", interests=("podcasting",))])
    assert index.top_matches(1) == []
    index.update(
        [
            record(
                3,
                career_stage="advanced",
                interests=("accessibility & UDL",),
                offering=("mentoring",),
            )
        ]
    )
    assert ids(index.top_matches(1)) == [3]
    assert index.size == 3
    index.remove([3])
    assert index.top_matches(1) == []
    assert index.size == 2
    with pytest.raises(KeyError):
        index.top_matches(3)


def test_updates_move_event_membership():
    viewer = record(
        1,
        career_stage="novice",
        interests=("accessibility & UDL",),
        looking_for=("mentoring",),
        events=(7,),
    )
    index = build_index([viewer, MENTOR], exposure_sample=0)
    assert index.top_matches(1, event_id=7) == []
    index.update(
        [
            record(
                2,
                career_stage="advanced",
                interests=("accessibility & UDL",),
                offering=("mentoring",),
                events=(7,),
            )
        ]
    )
    assert ids(index.top_matches(1, event_id=7)) == [2]
    index.update([MENTOR])
    assert index.top_matches(1, event_id=7) == []


def test_pair_scores_for_a_mentoring_round():
    closed = record(
        3,
        career_stage="advanced",
        interests=("accessibility & UDL",),
        offering=("mentoring",),
        novices_may_request=False,
    )
    index = build_index([NOVICE, MENTOR, closed], exposure_sample=0)
    scores = index.pair_scores([1, 2, 99], [2, 3, 1])
    assert scores.shape == (3, 3)
    assert scores[0, 0] == pytest.approx(index.factors(1, 2)["base"])
    assert scores[0, 1] == 0.0  # a novice and someone who does not accept novices
    assert scores[1, 0] == 0.0  # the same person
    assert scores[2].tolist() == [0.0, 0.0, 0.0]  # not in the index


def test_limit_and_ties_are_ordered_by_score_then_id():
    twins = [
        record(
            i, career_stage="advanced", interests=("accessibility & UDL",), offering=("mentoring",)
        )
        for i in (5, 3, 4)
    ]
    index = build_index([NOVICE, *twins], exposure_sample=0, text_dimensions=0)
    assert ids(index.top_matches(1, limit=2)) == [3, 4]
    assert index.top_matches(1, limit=0) == []


def test_utc_offsets():
    assert format_utc_offset(-8) == "UTC\u22128"
    assert format_utc_offset(5.5) == "UTC+5:30"
    assert format_utc_offset(0) == "UTC"
    assert utc_offset_hours(None) is None
    assert utc_offset_hours("Not/AZone") is None
    assert utc_offset_hours("Asia/Kolkata") == 5.5


def test_what_a_member_offers_counts_as_what_they_look_for_a_little_less():
    # The mentor looks for speaking and offers mentoring: the novice answers the outlet
    # (0.7 of one) out of 1 + 0.7.
    mentor = record(2, career_stage="advanced", offering=("mentoring",), looking_for=("speaking",))
    index = build_index([NOVICE, mentor], exposure_sample=0, text_dimensions=0)
    assert index.factors(1, 2)["need_met"] == pytest.approx(1.0)
    assert index.factors(1, 2)["need_met_reverse"] == pytest.approx(0.7 / 1.7, rel=1e-5)
    assert index.factors(2, 1)["need_met"] == pytest.approx(0.7 / 1.7, rel=1e-5)


def test_near_answers_between_intents():
    seeker = record(1, looking_for=("job_leads",))
    hiring = record(2, offering=("hiring",))
    chat = record(3, career_stage="novice", looking_for=("career_chat",))
    mentor = record(4, career_stage="advanced", offering=("mentoring",))
    index = build_index([seeker, hiring, chat, mentor], exposure_sample=0, text_dimensions=0)
    assert index.factors(1, 2)["need_met"] == pytest.approx(1.0)
    assert index.factors(3, 4)["need_met"] == pytest.approx(0.7)
    assert index.factors(1, 4)["need_met"] == 0.0


def test_members_who_say_nothing_they_want_are_judged_on_topics():
    quiet = record(1, interests=("OER", "podcasting"))
    other = record(2, interests=("OER",))
    index = build_index([quiet, other], exposure_sample=0, text_dimensions=0)
    f = index.factors(1, 2)
    assert f["need_met"] == pytest.approx(0.5)  # half of the quiet member's topics covered
    assert f["need_met_reverse"] == pytest.approx(1.0)
