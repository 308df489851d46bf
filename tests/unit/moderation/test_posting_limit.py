"""New members may post only so often during their first day; nobody else is limited."""

from datetime import timedelta

import pytest

from hallway.accounts.models import Role
from hallway.db import utcnow
from hallway.moderation.service import (
    PostingLimits,
    PostingTooFast,
    check_can_post,
    posting_allowance,
)
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


# --- What remains, shown before the limit is hit ------------------------------------------


def test_a_new_member_who_has_not_posted_has_the_whole_allowance(session, now):
    user = newcomer(session, now)
    allowance = posting_allowance(session, user, limits=LIMITS, now=now)
    assert (allowance.remaining, allowance.limit, allowance.wait_minutes) == (3, 3, 0)
    assert not allowance.exhausted
    assert allowance.message == "You can post 3 more times in the next 10 minutes."
    assert allowance.rule == "New members can post 3 times per 10 minutes during their first day."


def test_each_post_in_the_window_uses_one_up(session, now):
    user = newcomer(session, now)
    post_at(session, user, now - timedelta(minutes=4))
    assert posting_allowance(session, user, limits=LIMITS, now=now).remaining == 2
    make_comment(session, thread=make_thread(session, author=user), author=user, at=now)
    allowance = posting_allowance(session, user, limits=LIMITS, now=now)
    assert allowance.remaining == 0  # the thread made just now counts too
    assert allowance.exhausted


def test_one_post_left_is_said_in_the_singular(session, now):
    user = newcomer(session, now)
    post_at(session, user, now - timedelta(minutes=2), now - timedelta(minutes=1))
    allowance = posting_allowance(session, user, limits=LIMITS, now=now)
    assert allowance.remaining == 1
    assert allowance.message == "You can post 1 more time in the next 10 minutes."
    check_can_post(session, user, limits=LIMITS, now=now)  # the last one is allowed


def test_a_post_exactly_one_window_ago_no_longer_counts(session, now):
    user = newcomer(session, now)
    post_at(session, user, now - timedelta(minutes=10), now - timedelta(minutes=9, seconds=59))
    assert posting_allowance(session, user, limits=LIMITS, now=now).remaining == 2


def test_when_nothing_remains_it_says_when_the_next_post_is_allowed(session, now):
    user = newcomer(session, now)
    post_at(session, user, now - timedelta(minutes=3), now - timedelta(minutes=2), now)
    allowance = posting_allowance(session, user, limits=LIMITS, now=now)
    assert (allowance.remaining, allowance.wait_minutes) == (0, 7)
    assert allowance.message == "You can post again in 7 minutes."
    with pytest.raises(PostingTooFast) as refused:
        check_can_post(session, user, limits=LIMITS, now=now)
    assert refused.value.message == f"{allowance.rule} {allowance.message}"


def test_the_wait_is_rounded_up_to_a_whole_minute(session, now):
    user = newcomer(session, now)
    first = now - timedelta(minutes=9, seconds=59)
    post_at(session, user, first, now - timedelta(minutes=1), now)
    allowance = posting_allowance(session, user, limits=LIMITS, now=now)
    assert allowance.wait_minutes == 1
    assert allowance.message == "You can post again in 1 minute."


def test_the_allowance_ends_with_the_first_day(session, now):
    day = LIMITS.new_member_period
    almost = newcomer(session, now, joined_ago=day - timedelta(seconds=1))
    assert posting_allowance(session, almost, limits=LIMITS, now=now) is not None
    done = newcomer(session, now, joined_ago=day)
    post_at(session, done, now - timedelta(minutes=1), now, now)
    assert posting_allowance(session, done, limits=LIMITS, now=now) is None
    check_can_post(session, done, limits=LIMITS, now=now)


@pytest.mark.parametrize("role", [Role.organiser, Role.admin])
def test_organisers_and_admins_have_no_allowance_to_show(session, now, role):
    user = newcomer(session, now, role=role)
    assert posting_allowance(session, user, limits=LIMITS, now=now) is None


def test_no_allowance_is_shown_when_the_limit_is_off(session, now):
    user = newcomer(session, now)
    off = PostingLimits(posts=0, window=LIMITS.window, new_member_period=LIMITS.new_member_period)
    assert posting_allowance(session, user, limits=off, now=now) is None


@pytest.mark.parametrize(
    ("posts", "window", "period", "rule"),
    [
        (1, 30, 24, "New members can post once per 30 minutes during their first day."),
        (2, 1, 48, "New members can post twice per minute during their first 2 days."),
        (5, 10, 1, "New members can post 5 times per 10 minutes during their first hour."),
        (3, 10, 12, "New members can post 3 times per 10 minutes during their first 12 hours."),
    ],
)
def test_the_rule_is_worded_from_the_limits(session, now, posts, window, period, rule):
    user = newcomer(session, now, joined_ago=timedelta(minutes=30))
    limits = PostingLimits(
        posts=posts, window=timedelta(minutes=window), new_member_period=timedelta(hours=period)
    )
    assert posting_allowance(session, user, limits=limits, now=now).rule == rule


def test_a_one_minute_window_reads_in_the_singular(session, now):
    user = newcomer(session, now)
    limits = PostingLimits(posts=2, window=timedelta(minutes=1), new_member_period=timedelta(1))
    message = posting_allowance(session, user, limits=limits, now=now).message
    assert message == "You can post 2 more times in the next minute."
