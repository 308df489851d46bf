"""Features register the notification kinds they send; nothing else gets through."""

import pytest

from hallway.notifications import kinds, service
from hallway.notifications.models import Notification
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture(autouse=True)
def own_registry(monkeypatch):
    """Kinds registered here do not outlive the test."""
    monkeypatch.setattr(kinds, "_kinds", dict(kinds._kinds))


def send(session, recipients, **extra):
    return service.notify(
        session,
        recipients=recipients,
        actor_id=None,
        subject_type="event",
        subject_id=7,
        url="/events/7",
        summary="The meetup moved to room B",
        **extra,
    )


def test_an_unregistered_kind_is_refused_and_stores_nothing(session):
    maya = make_user(session)
    with pytest.raises(kinds.UnknownKind):
        send(session, {maya.id: "event_moved"})
    assert session.query(Notification).count() == 0


def test_a_registered_kind_is_stored_for_each_existing_recipient(session):
    kinds.register_kind("event_moved", label="Changes to events you go to")
    maya, sam = make_user(session), make_user(session)
    sent = send(session, {maya.id: "event_moved", sam.id: "event_moved", 999_999: "event_moved"})
    assert sorted(n.recipient_id for n in sent) == sorted([maya.id, sam.id])
    assert {(n.kind, n.summary, n.url) for n in sent} == {
        ("event_moved", "The meetup moved to room B", "/events/7")
    }
    assert service.unread_count(session, maya.id) == 1


def test_discussions_registered_its_kinds_with_their_email_switches():
    assert kinds.get_kind("reply").email_preference == "email_on_reply"
    assert kinds.get_kind("mention").email_preference == "email_on_mention"
    assert not kinds.get_kind("watched_activity").emailed


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("", {}),
        ("x" * 33, {}),
        ("odd", {"email_preference": "email_on_weather", "email_reason": "Because."}),
        ("silent_reason", {"email_preference": "email_on_reply"}),
    ],
)
def test_a_kind_must_name_itself_and_a_real_email_switch(name, options):
    with pytest.raises(ValueError):
        kinds.register_kind(name, label="Something", **options)
