"""New members may post only so often during their first day; nobody else is limited."""

from datetime import timedelta

import pytest

from hallway.accounts.models import Role
from hallway.db import utcnow
from hallway.moderation.service import PostingLimits, PostingTooFast, check_can_post
from tests.factories import make_comment, make_thread, make_user

pytestmark = pytest.mark.usefixtures("app_context")

LIMITS = PostingLimits(posts=3, window=timedelta(minutes=10), new_member_period=timedelta(hours=24))


@pytest.fixture
def now():
    return utcnow()


def newcomer(session, now, *, joined_ago=timedelta(hours=1), role=Role.member):
    user = make_user(session, role=role)
    user.created_at = now - joined_ago
    return user


def post_at(session, author, *moments):
    """One thread, then comments on it, each at the given moment."""
    thread = make_thread(session, author=author, at=moments[0])
    for moment in moments[1:]:
        make_comment(session, thread=thread, author=author, at=moment)


def test_a_new_member_is_told_how_long_to_wait(session, now):
    user = newcomer(session, now)
    post_at(session, user, now - timedelta(minutes=3), now - timedelta(minutes=2), now)
    with pytest.raises(PostingTooFast) as refused:
        check_can_post(session, user, limits=LIMITS, now=now)
    assert refused.value.message == (
        "New members can post 3 times per 10 minutes during their first day. "
        "You can post again in 7 minutes."
    )
    assert refused.value.status_code == 429


def test_a_new_member_may_post_up_to_the_limit(session, now):
    user = newcomer(session, now)
    post_at(session, user, now - timedelta(minutes=2), now - timedelta(minutes=1))
    check_can_post(session, user, limits=LIMITS, now=now)


def test_posts_older_than_the_window_do_not_count(session, now):
    user = newcomer(session, now)
    post_at(session, user, now - timedelta(minutes=30), now - timedelta(minutes=11), now)
    check_can_post(session, user, limits=LIMITS, now=now)


def test_the_wait_is_counted_from_the_oldest_post_that_must_leave_the_window(session, now):
    user = newcomer(session, now)
    moments = [now - timedelta(minutes=minutes) for minutes in (9, 8, 5, 1)]
    post_at(session, user, *moments)
    with pytest.raises(PostingTooFast, match="again in 2 minutes"):
        check_can_post(session, user, limits=LIMITS, now=now)


def test_the_wait_never_runs_past_the_end_of_the_first_day(session, now):
    user = newcomer(session, now, joined_ago=timedelta(hours=23, minutes=59))
    post_at(session, user, now - timedelta(minutes=2), now - timedelta(minutes=1), now)
    with pytest.raises(PostingTooFast, match="again in 1 minute\\.$"):
        check_can_post(session, user, limits=LIMITS, now=now)


def test_members_older_than_a_day_are_not_limited(session, now):
    user = newcomer(session, now, joined_ago=timedelta(days=2))
    post_at(session, user, *(now - timedelta(seconds=seconds) for seconds in range(5)))
    check_can_post(session, user, limits=LIMITS, now=now)


@pytest.mark.parametrize("role", [Role.organiser, Role.admin])
def test_organisers_and_admins_are_not_limited(session, now, role):
    user = newcomer(session, now, role=role)
    post_at(session, user, *(now - timedelta(seconds=seconds) for seconds in range(5)))
    check_can_post(session, user, limits=LIMITS, now=now)


def test_the_limits_come_from_the_configuration(app, session, now, monkeypatch):
    monkeypatch.setitem(app.config, "NEW_MEMBER_POST_LIMIT", 1)
    monkeypatch.setitem(app.config, "NEW_MEMBER_POST_WINDOW_MINUTES", 30)
    user = newcomer(session, now)
    post_at(session, user, now - timedelta(minutes=5))
    with pytest.raises(PostingTooFast) as refused:
        check_can_post(session, user)
    assert refused.value.message.startswith("New members can post once per 30 minutes")
    monkeypatch.setitem(app.config, "NEW_MEMBER_POST_LIMIT", 0)
    check_can_post(session, user)  # 0 turns the limit off
