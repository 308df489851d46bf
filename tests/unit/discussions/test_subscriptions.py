"""Watching, following normally and muting threads and categories."""

import pytest

from hallway.core.errors import InvalidInput, NotFound
from hallway.db import utcnow
from hallway.discussions import subscriptions
from tests.factories import make_thread, make_user

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def maya(session):
    return make_user(session, handle="maya")


def test_subscription_levels_are_checked(session, maya):
    thread = make_thread(session)
    with pytest.raises(InvalidInput) as refused:
        subscriptions.set_thread_level(session, actor=maya, thread_id=thread.id, level="loud")
    assert "level" in refused.value.field_errors
    with pytest.raises(NotFound):
        subscriptions.watch_thread(session, actor=maya, thread_id=thread.id + 1000)
    with pytest.raises(NotFound):
        subscriptions.watch_category(session, actor=maya, category_id=thread.category_id + 1000)


def test_members_cannot_subscribe_to_a_hidden_thread(session, maya):
    thread = make_thread(session)
    thread.hidden_at = utcnow()
    with pytest.raises(NotFound):
        subscriptions.watch_thread(session, actor=maya, thread_id=thread.id)


def test_choosing_a_level_again_replaces_the_old_one(session, maya):
    thread = make_thread(session)
    subscriptions.watch_thread(session, actor=maya, thread_id=thread.id)
    subscriptions.mute_thread(session, actor=maya, thread_id=thread.id)
    level_of = subscriptions.subscription_level
    assert level_of(session, maya.id, "thread", thread.id).value == "muted"
    assert level_of(session, maya.id, "category", thread.category_id).value == "normal"
