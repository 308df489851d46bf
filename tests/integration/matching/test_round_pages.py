"""The mentoring round: organisers pick mentees and mentors among people going, review
the best assignment with each pair's reasons, edit it, then publish it as meeting
requests (once)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from hallway.matching.round_models import MentoringRound, MentoringRoundPair
from hallway.meetings.models import MeetingRequest
from tests.factories import make_block
from tests.integration.matching._g_helpers import (  # noqa: F401 (fresh_match_index: autouse)
    fresh_match_index,
    going,
    log_in,
    make_event,
    mentor,
    novice,
    organiser,
)


def _local_start(event) -> str:
    from zoneinfo import ZoneInfo

    return event.starts_at.astimezone(ZoneInfo(event.time_zone)).strftime("%Y-%m-%dT%H:%M")


def _create(helper, event, roles: dict, *, capacities=None, expect=302, **fields):
    data = {
        "title": "Speed mentoring",
        "starts_at": _local_start(event),
        "duration_minutes": "30",
        "place": "Table 4",
        "message": "Say hello!",
        **fields,
    }
    for user, role in roles.items():
        data[f"role-{user.id}"] = role
    for user, capacity in (capacities or {}).items():
        data[f"capacity-{user.id}"] = str(capacity)
    response = helper.post_form(f"/events/{event.id}/matching/rounds/new", data)
    assert response.status_code == expect, response.get_data(as_text=True)
    return response


def _pairs(session, round_id) -> dict[int, int]:
    session.expire_all()
    rows = session.execute(
        select(MentoringRoundPair.mentee_id, MentoringRoundPair.mentor_id).where(
            MentoringRoundPair.round_id == round_id
        )
    )
    return {mentee: mentor for mentee, mentor in rows}


def _round_id(response) -> int:
    return int(re.search(r"/rounds/(\d+)", response.headers["Location"]).group(1))


def _setup(session, mentees=2, mentors=1):
    owner = organiser(session)
    event = make_event(session, owner)
    novices = [novice(session, handle=f"nov{n}", name=f"Novice {n}") for n in range(mentees)]
    seniors = [mentor(session, handle=f"men{n}", name=f"Mentor {n}") for n in range(mentors)]
    going(session, event, *novices, *seniors)
    session.commit()
    return owner, event, novices, seniors


def test_new_round_form_lists_people_going_with_first_guesses(app, session):
    owner, event, novices, seniors = _setup(session)
    html = (
        log_in(app, owner)
        .client.get(f"/events/{event.id}/matching/rounds/new")
        .get_data(as_text=True)
    )
    assert f'name="role-{novices[0].id}"' in html
    mentee_select = html[html.index(f'id="role-{novices[0].id}"') :]
    assert '<option value="mentee" selected>' in mentee_select[: mentee_select.index("</select>")]
    mentor_select = html[html.index(f'id="role-{seniors[0].id}"') :]
    assert '<option value="mentor" selected>' in mentor_select[: mentor_select.index("</select>")]


def test_round_assigns_within_capacity_and_shows_reasons(app, session):
    owner, event, novices, seniors = _setup(session, mentees=3, mentors=2)
    helper = log_in(app, owner)
    roles = {**dict.fromkeys(novices, "mentee"), **dict.fromkeys(seniors, "mentor")}
    response = _create(helper, event, roles, capacities={seniors[0]: 2, seniors[1]: 1})
    round_id = _round_id(response)
    pairs = _pairs(session, round_id)
    assert set(pairs) == {user.id for user in novices}
    assert list(pairs.values()).count(seniors[0].id) == 2
    assert list(pairs.values()).count(seniors[1].id) == 1
    html = helper.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 of 3 mentees have a mentor." in html
    assert '<ul class="reasons"><li>' in html
    assert "Publish: send 3 meeting requests" in html


def test_capacity_leaves_the_extra_mentee_without_a_mentor(app, session):
    owner, event, novices, seniors = _setup(session, mentees=3, mentors=1)
    roles = {**dict.fromkeys(novices, "mentee"), seniors[0]: "mentor"}
    response = _create(log_in(app, owner), event, roles, capacities={seniors[0]: 2})
    assert len(_pairs(session, _round_id(response))) == 2


def test_blocked_and_novice_refusing_pairs_are_never_assigned(app, session):
    owner = organiser(session)
    event = make_event(session, owner)
    nia = novice(session)
    noor = novice(session, handle="noor", name="Noor")
    closed = mentor(session, handle="closed", name="Closed Mentor", novices_may_request=False)
    open_mentor = mentor(session)
    going(session, event, nia, noor, closed, open_mentor)
    make_block(session, blocker=open_mentor, blocked=noor)
    session.commit()
    roles = {nia: "mentee", noor: "mentee", closed: "mentor", open_mentor: "mentor"}
    response = _create(log_in(app, owner), event, roles, capacities={closed: 5, open_mentor: 5})
    # closed refuses novices; open_mentor blocked noor: only nia gets a mentor.
    assert _pairs(session, _round_id(response)) == {nia.id: open_mentor.id}


def test_round_input_is_checked(app, session):
    owner, event, novices, seniors = _setup(session)
    helper = log_in(app, owner)
    no_mentor = _create(helper, event, {novices[0]: "mentee"}, expect=422)
    assert "Choose at least one mentor." in no_mentor.get_data(as_text=True)
    too_many = _create(
        helper, event, {novices[0]: "mentee", seniors[0]: "mentor"},
        capacities={seniors[0]: 21}, expect=422,
    )  # fmt: skip
    assert "A mentor takes between 1 and 20 mentees." in too_many.get_data(as_text=True)
    bad_time = _create(
        helper, event, {novices[0]: "mentee", seniors[0]: "mentor"},
        starts_at="2001-01-01T10:00", expect=422,
    )  # fmt: skip
    assert "The meetings must start during the event." in bad_time.get_data(as_text=True)
    no_title = _create(
        helper, event, {novices[0]: "mentee", seniors[0]: "mentor"}, title="", expect=422
    )
    assert "Give the round a title" in no_title.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(MentoringRound)) == 0


def test_edit_swaps_removes_and_refuses_over_capacity(app, session):
    owner, event, novices, seniors = _setup(session, mentees=2, mentors=2)
    helper = log_in(app, owner)
    roles = {**dict.fromkeys(novices, "mentee"), **dict.fromkeys(seniors, "mentor")}
    response = _create(helper, event, roles, capacities={seniors[0]: 1, seniors[1]: 1})
    round_id = _round_id(response)
    path = response.headers["Location"]
    first = _pairs(session, round_id)
    a, b = novices
    swapped = {a.id: first[b.id], b.id: first[a.id]}
    saved = helper.post_form(
        path, {f"mentor-{a.id}": swapped[a.id], f"mentor-{b.id}": swapped[b.id]}
    )
    assert saved.status_code == 302
    assert _pairs(session, round_id) == swapped
    # Both on one mentor with one seat: refused, nothing changes.
    refused = helper.post_form(
        path, {f"mentor-{a.id}": seniors[0].id, f"mentor-{b.id}": seniors[0].id}
    )
    assert refused.status_code == 422
    assert "This mentor has no seat left in this round." in refused.get_data(as_text=True)
    assert _pairs(session, round_id) == swapped
    # Nobody for a: removed.
    helper.post_form(path, {f"mentor-{a.id}": ""})
    assert _pairs(session, round_id) == {b.id: swapped[b.id]}


def test_edit_refuses_a_forbidden_pair(app, session):
    owner, event, novices, seniors = _setup(session, mentees=1, mentors=2)
    helper = log_in(app, owner)
    make_block(session, blocker=seniors[1], blocked=novices[0])
    session.commit()
    roles = {novices[0]: "mentee", seniors[0]: "mentor", seniors[1]: "mentor"}
    response = _create(helper, event, roles)
    round_id = _round_id(response)
    assert _pairs(session, round_id) == {novices[0].id: seniors[0].id}
    refused = helper.post_form(
        response.headers["Location"], {f"mentor-{novices[0].id}": seniors[1].id}
    )
    assert refused.status_code == 422
    assert "These two cannot be paired" in refused.get_data(as_text=True)
    assert _pairs(session, round_id) == {novices[0].id: seniors[0].id}


def test_publish_sends_each_pair_once(app, session):
    owner, event, novices, seniors = _setup(session, mentees=2, mentors=1)
    helper = log_in(app, owner)
    roles = {**dict.fromkeys(novices, "mentee"), seniors[0]: "mentor"}
    response = _create(helper, event, roles, capacities={seniors[0]: 2})
    round_id = _round_id(response)
    publish = f"/events/{event.id}/matching/rounds/{round_id}/publish"
    assert helper.post_form(publish, {}).status_code == 302
    session.expire_all()
    requests = list(
        session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == event.id))
    )
    assert sorted(r.sender_id for r in requests) == sorted(u.id for u in novices)
    assert {r.recipient_id for r in requests} == {seniors[0].id}
    assert {r.source for r in requests} == {"mentoring_round"}
    assert {r.created_by_id for r in requests} == {owner.id}
    # One mentor, two mentees: one after the other, not at once.
    starts = sorted(r.proposed_times[0].starts_at for r in requests)
    assert (starts[1] - starts[0]).total_seconds() == 30 * 60
    helper.post_form(publish, {})
    page = helper.client.get(f"/events/{event.id}/matching/rounds/{round_id}")
    assert "Request sent" in page.get_data(as_text=True)
    session.expire_all()
    assert (
        session.scalar(
            select(func.count())
            .select_from(MeetingRequest)
            .where(MeetingRequest.event_id == event.id)
        )
        == 2
    )
    assert session.get(MentoringRound, round_id).status == "published"


def test_only_organisers_reach_rounds(app, session):
    owner, event, novices, seniors = _setup(session)
    helper = log_in(app, owner)
    roles = {novices[0]: "mentee", seniors[0]: "mentor"}
    round_id = _round_id(_create(helper, event, roles))
    member = log_in(app, novices[0])
    assert member.client.get(f"/events/{event.id}/matching/rounds/new").status_code == 403
    assert member.client.get(f"/events/{event.id}/matching/rounds/{round_id}").status_code == 403
    published = member.post_form(f"/events/{event.id}/matching/rounds/{round_id}/publish", {})
    assert published.status_code == 403
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(MeetingRequest)) == 0
    other_event = make_event(session, owner, title="Another")
    session.commit()
    assert (
        helper.client.get(f"/events/{other_event.id}/matching/rounds/{round_id}").status_code == 404
    )


def test_a_draft_can_be_deleted(app, session):
    owner, event, novices, seniors = _setup(session)
    helper = log_in(app, owner)
    round_id = _round_id(_create(helper, event, {novices[0]: "mentee", seniors[0]: "mentor"}))
    helper.post_form(f"/events/{event.id}/matching/rounds/{round_id}/delete", {})
    session.expire_all()
    assert session.get(MentoringRound, round_id) is None
