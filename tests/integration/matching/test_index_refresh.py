"""The index follows the database: a profile change, an RSVP, a block or a dismissal queues
the refresh job after the commit; the job logs the members and bumps the version; every
process's next query re-reads just those members."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from hallway.core import unit_of_work
from hallway.core.fragment_cache import current_versions
from hallway.core.tasks import job_name
from hallway.matching import jobs, service
from hallway.matching.models import MatchIndexChange
from hallway.members import service as members_service
from hallway.moderation import service as moderation_service
from tests.integration.matching._e_helpers import going, maggie, make_event, member, nia

pytestmark = pytest.mark.usefixtures("app_context")


def logged(session) -> list[int]:
    return list(session.scalars(select(MatchIndexChange.user_id).order_by(MatchIndexChange.id)))


def version(session) -> int:
    return current_versions(session, [jobs.INDEX_VERSION])[0]


def suggested(session, viewer, **options) -> list[int]:
    return [s.user_id for s in service.suggestions(session, viewer, **options)]


@pytest.fixture
def pair(session):
    novice, mentor = nia(session), maggie(session)
    unit_of_work.commit(session)
    assert suggested(session, novice) == [mentor.id]
    return novice, mentor


def test_a_profile_change_reaches_the_index_through_the_job(session, pair):
    novice, mentor = pair
    index = service.current_index(session)
    before = version(session)
    logged_before = len(logged(session))
    members_service.update_profile(
        session, mentor, {"offering": [], "interests": ["podcasting"], "bio": ""}
    )
    # Not committed yet: the job has not run, the index is as it was.
    assert len(logged(session)) == logged_before
    assert suggested(session, novice) == [mentor.id]
    unit_of_work.commit(session)
    assert logged(session)[logged_before:] == [mentor.id]
    assert version(session) == before + 1
    assert suggested(session, novice) == []
    assert service.current_index(session) is index  # patched in place, not rebuilt


def test_opting_out_and_back_in(session, pair):
    novice, mentor = pair
    members_service.update_profile(session, mentor, {"matchable": False})
    unit_of_work.commit(session)
    assert suggested(session, novice) == []
    assert (
        mentor.id not in service.current_index(session).row_of
        or not (
            service.current_index(session).active[service.current_index(session).row_of[mentor.id]]
        )
    )
    members_service.update_profile(session, mentor, {"matchable": True})
    unit_of_work.commit(session)
    assert suggested(session, novice) == [mentor.id]


def test_a_new_member_appears_after_the_commit(session, pair):
    novice, _mentor = pair
    newcomer = maggie(session, "newbie", "New Mentor")
    unit_of_work.commit(session)
    assert newcomer.id in suggested(session, novice)


def test_an_rsvp_reaches_the_event_filter(session, pair):
    novice, mentor = pair
    event = make_event(session)
    going(session, event, novice)
    unit_of_work.commit(session)
    assert suggested(session, novice, event_id=event.id) == []
    going(session, event, mentor)
    unit_of_work.commit(session)
    assert suggested(session, novice, event_id=event.id) == [mentor.id]
    assert mentor.id in logged(session)


def test_a_block_is_logged_for_both_members(session, pair):
    novice, mentor = pair
    logged_before = len(logged(session))
    moderation_service.block_member(session, actor=novice, handle=mentor.handle)
    unit_of_work.commit(session)
    assert sorted(logged(session)[logged_before:]) == sorted([novice.id, mentor.id])
    assert suggested(session, mentor) == []


def test_a_dismissal_is_logged(session, pair):
    novice, mentor = pair
    before = version(session)
    service.dismiss(session, actor=novice, other_id=mentor.id)
    unit_of_work.commit(session)
    assert version(session) == before + 1
    assert logged(session)[-1] == novice.id


def test_many_changes_in_one_transaction_make_one_job(session, pair):
    _novice, _mentor = pair
    before = version(session)
    logged_before = len(logged(session))
    people = [member(session, f"batch{i}", f"Batch {i}", interests=["OER"]) for i in range(3)]
    unit_of_work.commit(session)
    assert version(session) == before + 1
    assert sorted(set(logged(session)[logged_before:])) == sorted(p.id for p in people)


def test_a_rolled_back_change_queues_nothing(session, pair):
    _novice, mentor = pair
    before = version(session)
    members_service.update_profile(session, mentor, {"bio": "changed"})
    unit_of_work.rollback(session)
    members_service.update_profile(session, mentor, {"headline": "Mentor"})
    unit_of_work.commit(session)
    assert version(session) == before + 1


def test_an_index_from_another_database_is_not_reused(session, pair):
    novice, mentor = pair
    index = service.current_index(session)
    key = service._cache_key(session)
    service._cache[key].version += 10_000_000  # as if built for another database
    assert service.current_index(session) is not index
    assert suggested(session, novice) == [mentor.id]


def test_a_process_far_behind_rebuilds(session, pair):
    novice, mentor = pair
    index = service.current_index(session)
    service._cache[service._cache_key(session)].version -= 5000
    assert service.current_index(session) is not index


def test_the_nightly_job_makes_every_process_rebuild(app, session, pair):
    novice, mentor = pair
    index = service.current_index(session)
    before = version(session)
    unit_of_work.commit(session)
    app.extensions["hallway.tasks"]["tasks"][job_name(jobs.rebuild_everywhere)]()
    assert version(session) > before + jobs.MAX_INCREMENTAL_VERSIONS
    assert service.current_index(session) is not index
    assert suggested(session, novice) == [mentor.id]


def test_an_index_whose_build_was_rolled_back_is_not_reused(session, pair):
    # The version alone can match after a rollback (or a reset database): the row the
    # build wrote is what proves the index was built from this database.
    novice, mentor = pair
    index = service.current_index(session)
    cached = service._cache[service._cache_key(session)]
    assert session.get(MatchIndexChange, cached.marker).user_id == service.BUILD_MARKER
    session.execute(delete(MatchIndexChange).where(MatchIndexChange.id == cached.marker))
    assert service.current_index(session) is not index
    assert service.current_index(session) is service.current_index(session)
