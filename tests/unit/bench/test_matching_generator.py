"""The labelled member generator of the matching benchmarks: its hidden truth, what
profiles reveal of it, and the reciprocal ground truth."""

from __future__ import annotations

import dataclasses

import numpy as np

from hallway.bench import member_generator as generator
from hallway.bench.member_generator import (
    ADVANCED,
    CAREER,
    NOVICE,
    GeneratedMember,
    MemberGenerator,
    Profile,
    Truth,
    TruthArrays,
    relevance,
)
from hallway.members import vocabulary


def test_the_same_seed_gives_the_same_members() -> None:
    first = MemberGenerator(3).generate(50)
    assert first == MemberGenerator(3).generate(50)
    assert first != MemberGenerator(4).generate(50)


def test_complete_profiles_show_the_same_truth_in_full() -> None:
    partial = MemberGenerator(3).generate(100)
    complete = MemberGenerator.complete_profiles(3).generate(100)
    assert [m.truth for m in partial] == [m.truth for m in complete]
    for member in complete:
        shown = set(vocabulary.normalise_tags(member.profile.interests))
        assert shown == member.truth.topics
        assert set(member.profile.looking_for) == member.truth.looking_for
        assert set(member.profile.offering) == member.truth.offering
        assert member.profile.career_stage == generator.STAGE_CODES[member.truth.stage]
        assert member.profile.time_zone is not None
    assert [m.profile.novices_may_request for m in partial] == [
        m.profile.novices_may_request for m in complete
    ]


def test_profiles_use_the_members_vocabulary() -> None:
    for member in MemberGenerator(5).generate(300):
        profile = member.profile
        assert profile.career_stage in (None, *vocabulary.CAREER_STAGES)
        assert profile.sector in (None, *vocabulary.SECTORS)
        assert profile.time_zone is None or vocabulary.is_valid_time_zone(profile.time_zone)
        assert set(profile.looking_for) <= set(vocabulary.INTENTS)
        assert set(profile.offering) <= set(vocabulary.INTENTS)
        assert all(vocabulary.normalise_tag(tag) for tag in profile.interests)
        assert set(profile.looking_for) <= member.truth.looking_for  # ticked: true
        assert set(profile.offering) <= member.truth.offering


def test_profiles_reveal_the_truth_only_in_part_and_in_other_words() -> None:
    members = MemberGenerator(6).generate(1_000)
    topics = sum(len(m.truth.topics) for m in members)
    ticked = sum(
        len(set(vocabulary.normalise_tags(m.profile.interests)) & m.truth.topics) for m in members
    )
    assert 0.3 < ticked / topics < 0.5
    intents = sum(len(m.truth.looking_for) for m in members)
    shown = sum(len(m.profile.looking_for) for m in members)
    assert 0.45 < shown / intents < 0.65
    assert 0.05 < sum(m.profile.career_stage is None for m in members) / 1_000 < 0.25
    bios = " ".join(m.profile.bio for m in members)
    paraphrases = [
        phrase
        for phrases in generator.TOPIC_PHRASES.values()
        for phrase in phrases
        if generator.phrase_kind(phrase) == generator.PARAPHRASE
    ]
    assert sum(phrase in bios for phrase in paraphrases) > len(paraphrases) / 2
    assert "captioning" in bios and "Moodle admin" in bios
    # Some ticked interests are not the member's own.
    assert any(
        set(vocabulary.normalise_tags(m.profile.interests)) - m.truth.topics for m in members
    )


def test_truth_fits_the_career_stage() -> None:
    members = MemberGenerator(7).generate(1_000)
    for member in members:
        truth = member.truth
        assert truth.need_topics | truth.expert_topics == truth.topics
        assert not truth.need_topics & truth.expert_topics
        if truth.stage == NOVICE:
            assert "mentoring" not in truth.offering
    offering_mentoring = [m.truth.stage for m in members if "mentoring" in m.truth.offering]
    assert offering_mentoring.count(ADVANCED) > offering_mentoring.count(CAREER)


def _member(user_id: int, **truth: object) -> GeneratedMember:
    base = Truth(
        stage=CAREER,
        topics=frozenset(),
        need_topics=frozenset(),
        expert_topics=frozenset(),
        looking_for=frozenset(),
        offering=frozenset(),
        utc_offset=-5,
        sector="post_secondary",
    )
    profile = Profile(user_id, "", "", "", "", None, None, None, None, [], [], [], [], "")
    return GeneratedMember(profile, dataclasses.replace(base, **truth))  # type: ignore[arg-type]


ACCESSIBILITY = frozenset({"accessibility & UDL", "video production"})


def _mentee(user_id: int = 1, offset: float = -5) -> GeneratedMember:
    return _member(
        user_id, stage=NOVICE, topics=ACCESSIBILITY, need_topics=ACCESSIBILITY,
        looking_for=frozenset({"mentoring"}), utc_offset=offset,
    )  # fmt: skip


def _mentor(user_id: int = 2, offset: float = -8, stage: int = ADVANCED) -> GeneratedMember:
    return _member(
        user_id, stage=stage, topics=ACCESSIBILITY, expert_topics=ACCESSIBILITY,
        offering=frozenset({"mentoring"}), utc_offset=offset,
    )  # fmt: skip


def test_a_senior_mentor_in_the_needed_topics_is_relevant_both_ways() -> None:
    grades = relevance(TruthArrays.of([_mentee(), _mentor(), _member(3)]))
    assert grades[0, 1] == grades[1, 0] >= 2
    assert grades[0, 2] == grades[2, 0] == 0
    assert (np.diag(grades) == 0).all()
    assert (grades == grades.T).all()


def test_mentoring_flows_from_more_senior_only() -> None:
    peer = _mentor(stage=NOVICE)
    assert relevance(TruthArrays.of([_mentee(), peer]))[0, 1] <= 1


def test_little_working_hours_overlap_costs_a_grade() -> None:
    near = relevance(TruthArrays.of([_mentee(offset=-5), _mentor(offset=-8)]))[0, 1]
    far = relevance(TruthArrays.of([_mentee(offset=-5), _mentor(offset=8)]))[0, 1]
    assert far == near - 1
    overlap = generator.working_hours_overlap(np.array([-5.0, -8.0, 8.0, 12.0]))
    assert overlap[0, 1] == 5 and overlap[0, 2] == 0 and overlap[2, 3] == 4


def test_a_novice_and_someone_refusing_novices_are_never_relevant() -> None:
    mentor = _mentor()
    mentor.profile.novices_may_request = False
    grades = relevance(TruthArrays.of([_mentee(), mentor]))
    assert grades[0, 1] == grades[1, 0] == 0


def test_generated_relevance_is_sparse_but_nobody_is_left_out() -> None:
    members = MemberGenerator(8).generate(600)
    grades = relevance(TruthArrays.of(members))
    relevant = (grades >= 2).sum(axis=1)
    assert 0.01 < relevant.mean() / 600 < 0.15  # ranking matters: most pairs are not relevant
    assert (relevant == 0).mean() < 0.1
    assert set(np.unique(grades)) == {0, 1, 2, 3}


def test_events_send_the_chosen_number_to_the_big_event() -> None:
    members = MemberGenerator(9).generate(200)
    chosen = generator.assign_events(members, 1, 50, seed=2)
    assert len(chosen) == len(set(chosen)) == 50
    going = {m.profile.user_id for m in members if 1 in m.profile.events}
    assert going == set(chosen)
    everyone = generator.assign_events(MemberGenerator(9).generate(20), 1, 50, seed=2)
    assert len(everyone) == 20
