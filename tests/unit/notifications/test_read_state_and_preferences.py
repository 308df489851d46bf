"""Reading notifications, marking them read, and email preferences."""

from datetime import timedelta

import pytest

from hallway.core.errors import InvalidInput, NotFound
from hallway.core.validation import load_or_refuse
from hallway.db import utcnow
from hallway.notifications import service
from hallway.notifications.models import DigestFrequency, NotificationPreference
from hallway.notifications.schemas import PreferencesSchema
from tests.factories import make_notification, make_user

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def maya(session):
    return make_user(session, handle="maya")


def test_unread_count_counts_only_the_members_unread_notifications(session, maya):
    other = make_user(session)
    make_notification(session, recipient=maya)
    make_notification(session, recipient=maya)
    make_notification(session, recipient=maya, read=True)
    make_notification(session, recipient=other)
    assert service.unread_count(session, maya.id) == 2


def test_mark_read_changes_only_the_members_own_notifications(session, maya):
    other = make_user(session)
    mine = make_notification(session, recipient=maya)
    theirs = make_notification(session, recipient=other)
    assert service.mark_read(session, actor=maya, notification_ids=[mine.id, theirs.id]) == 1
    session.expire_all()
    assert mine.read_at is not None
    assert theirs.read_at is None
    assert service.mark_read(session, actor=maya, notification_ids=[mine.id]) == 0


def test_mark_all_read_leaves_the_member_with_nothing_unread(session, maya):
    for _ in range(3):
        make_notification(session, recipient=maya)
    assert service.mark_all_read(session, actor=maya) == 3
    assert service.unread_count(session, maya.id) == 0


def test_someone_elses_notification_is_not_found(session, maya):
    theirs = make_notification(session, recipient=make_user(session))
    with pytest.raises(NotFound):
        service.get_notification(session, actor=maya, notification_id=theirs.id)


def test_list_is_newest_first_and_paginated(session, maya):
    now = utcnow()
    made = [
        make_notification(session, recipient=maya, at=now - timedelta(minutes=minutes))
        for minutes in range(25)
    ]
    first = service.list_notifications(session, actor=maya, page=1, per_page=10)
    assert [n.id for n in first] == [n.id for n in made[:10]]
    assert (first.total, first.pages) == (25, 3)
    unread_only = service.list_notifications(session, actor=maya, unread_only=True, per_page=100)
    assert len(unread_only) == 25


def test_preferences_default_to_emails_for_replies_and_mentions_without_digest(session, maya):
    preferences = service.get_preferences(session, maya.id)
    assert preferences.email_on_reply and preferences.email_on_mention
    assert preferences.digest is DigestFrequency.off
    assert session.get(NotificationPreference, maya.id) is None  # nothing stored yet


def test_updating_preferences_keeps_fields_left_out(session, maya):
    service.update_preferences(session, actor=maya, email_on_reply=False)
    service.update_preferences(session, actor=maya, digest="daily")
    stored = session.get(NotificationPreference, maya.id)
    assert (stored.email_on_reply, stored.email_on_mention, stored.digest) == (
        False,
        True,
        DigestFrequency.daily,
    )


def test_an_unknown_digest_frequency_is_refused_with_a_field_message(session, maya):
    # Preferences are loaded by PreferencesSchema, for the page and the API alike.
    with pytest.raises(InvalidInput) as refused:
        load_or_refuse(PreferencesSchema(), {"digest": "hourly"})
    assert refused.value.field_errors == {"digest": ["Choose off or daily."]}
