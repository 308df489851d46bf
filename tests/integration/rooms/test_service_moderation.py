"""Room moderation by the event's organisers, the audit log, flags, promotion to a
discussion, and moderators acting through the moderation queue."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hallway.accounts.models import Role
from hallway.core import unit_of_work
from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.discussions.models import Thread
from hallway.moderation import service as moderation
from hallway.moderation.models import AuditEntry, Flag
from hallway.rooms import service
from tests.factories import make_user
from tests.integration.rooms.conftest import published, send

pytestmark = pytest.mark.usefixtures("app_context")


def audit(session, action):
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


@pytest.fixture
def message(session, seated, alice):
    return send(session, alice, seated, "Worth keeping")


# --- Who moderates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "act",
    [
        lambda s, actor, room, msg, other: service.pin_message(s, actor, msg.id),
        lambda s, actor, room, msg, other: service.remove_message(s, actor, msg.id),
        lambda s, actor, room, msg, other: service.mute_member(s, actor, room.id, other.id),
        lambda s, actor, room, msg, other: service.remove_member(s, actor, room.id, other.id),
        lambda s, actor, room, msg, other: service.set_slow_mode(s, actor, room.id, 10),
        lambda s, actor, room, msg, other: service.archive_room(s, actor, room.id),
    ],
    ids=["pin", "remove message", "mute", "remove member", "slow mode", "archive"],
)
def test_members_cannot_moderate(session, seated, message, alice, bob, act):
    with pytest.raises(NotAllowed) as refused:
        act(session, bob, seated, message, alice)
    assert refused.value.message == "Only this event's organisers can do that."
    assert session.scalars(select(AuditEntry)).all() == []


def test_a_table_owner_does_not_moderate_their_table(session, event, alice, bob):
    table = service.open_table(session, alice, event.id, {"name": "T", "size_limit": 4})
    service.join_room(session, bob, table.id)
    with pytest.raises(NotAllowed):
        service.mute_member(session, alice, table.id, bob.id)


def test_a_co_organiser_moderates(session, seated, message, co_organiser, bob):
    service.pin_message(session, co_organiser, message.id)
    service.mute_member(session, co_organiser, seated.id, bob.id)
    assert [entry.actor_id for entry in audit(session, "room_pin")] == [co_organiser.id]
    assert [entry.actor_id for entry in audit(session, "room_mute")] == [co_organiser.id]


# --- Pin ----------------------------------------------------------------------------------


def test_pinning_keeps_one_pinned_message_per_room(session, seated, message, organiser, bob):
    other = send(session, bob, seated, "Pin me instead")
    service.pin_message(session, organiser, message.id)
    assert service.room_payload(session, seated)["pinned"]["id"] == message.id
    service.pin_message(session, organiser, other.id)
    assert message.pinned_at is None and other.pinned_at is not None
    assert service.room_payload(session, seated)["pinned"]["id"] == other.id
    changes = [
        (payload["id"], payload["change"])
        for name, payload in published(session, seated.id, "room_message_updated")
    ]
    assert changes == [(message.id, "pinned"), (message.id, "unpinned"), (other.id, "pinned")]
    [entry, second] = audit(session, "room_pin")
    assert (entry.subject_type, entry.subject_id) == ("room_message", message.id)
    assert entry.details["room_id"] == seated.id and entry.details["event_id"] == seated.event_id


def test_unpinning_is_audited_and_published(session, seated, message, organiser):
    service.pin_message(session, organiser, message.id)
    service.unpin_message(session, organiser, message.id)
    assert message.pinned_at is None
    assert len(audit(session, "room_unpin")) == 1
    assert published(session, seated.id)[-1][0] == "room_updated"
    assert service.room_payload(session, seated)["pinned"] is None


# --- Remove a message ---------------------------------------------------------------------


def test_an_organiser_removes_a_message_for_everyone(session, seated, message, organiser, bob):
    service.remove_message(session, organiser, message.id)
    assert message.removed_by_id == organiser.id and message.body == "Worth keeping"
    name, payload = published(session, seated.id)[-1]
    assert (name, payload["change"], payload["removed"]) == (
        "room_message_updated",
        "removed",
        True,
    )
    assert payload["body"] == payload["body_html"] == ""
    [shown] = service.history(session, bob, seated.id).messages
    assert shown["removed"] is True and shown["body"] == ""
    [entry] = audit(session, "room_remove_message")
    assert (entry.actor_id, entry.subject_id) == (organiser.id, message.id)
    service.remove_message(session, organiser, message.id)  # again: nothing more
    assert len(audit(session, "room_remove_message")) == 1


# --- Mute ---------------------------------------------------------------------------------


def test_mute_and_unmute_are_audited_and_published(session, seated, organiser, alice):
    service.mute_member(session, organiser, seated.id, alice.id)
    service.mute_member(session, organiser, seated.id, alice.id)  # twice: one mute
    service.unmute_member(session, organiser, seated.id, alice.id)
    assert [e.details["user_id"] for e in audit(session, "room_mute")] == [alice.id]
    assert [e.details["user_id"] for e in audit(session, "room_unmute")] == [alice.id]
    muted = [p["muted"] for _, p in published(session, seated.id, "room_member_muted")]
    assert muted == [True, False]


def test_organisers_cannot_be_muted_or_removed_and_nobody_mutes_themselves(
    session, seated, organiser, co_organiser
):
    with pytest.raises(Conflict):
        service.mute_member(session, organiser, seated.id, co_organiser.id)
    with pytest.raises(Conflict):
        service.remove_member(session, co_organiser, seated.id, organiser.id)
    with pytest.raises(Conflict):
        service.mute_member(session, organiser, seated.id, organiser.id)
    with pytest.raises(NotFound):
        service.mute_member(session, organiser, seated.id, 999_999)


# --- Remove a member ----------------------------------------------------------------------


def test_removing_a_member_is_audited_published_and_runs_the_socket_hooks(
    session, seated, organiser, alice
):
    calls = []
    hook = lambda room_id, user_id: calls.append((room_id, user_id))  # noqa: E731
    service.register_member_removed_hook(hook)
    try:
        service.remove_member(session, organiser, seated.id, alice.id)
        assert calls == []  # not before the commit
        unit_of_work.commit(session)
        assert calls == [(seated.id, alice.id)]
    finally:
        service._member_removed_hooks.remove(hook)
    [entry] = audit(session, "room_remove_member")
    assert entry.details["user_id"] == alice.id and entry.subject_id == seated.id
    [(_, payload)] = published(session, seated.id, "room_member_removed")
    assert (payload["room_id"], payload["user_id"]) == (seated.id, alice.id)


# --- Slow mode and archive ----------------------------------------------------------------


def test_slow_mode_is_set_within_limits_and_audited(session, seated, organiser):
    service.set_slow_mode(session, organiser, seated.id, 3600)
    assert seated.slow_mode_seconds == 3600
    for wrong in (3601, -1):
        with pytest.raises(InvalidInput):
            service.set_slow_mode(session, organiser, seated.id, wrong)
    service.set_slow_mode(session, organiser, seated.id, 0)
    assert [
        (e.details["seconds"], e.details["before"]) for e in audit(session, "room_slow_mode")
    ] == [
        (3600, 0),
        (0, 3600),
    ]
    slow_modes = [p["slow_mode_seconds"] for _, p in published(session, seated.id, "room_updated")]
    assert slow_modes == [3600, 0]


def test_archiving_is_audited_once(session, seated, organiser):
    service.archive_room(session, organiser, seated.id)
    service.archive_room(session, organiser, seated.id)
    assert seated.is_archived
    assert len(audit(session, "room_archive")) == 1
    assert published(session, seated.id)[-1][1]["archived"] is True


# --- Flags and the moderation queue -------------------------------------------------------


def test_members_flag_a_message_once_and_not_their_own(session, seated, message, alice, bob):
    flag = service.flag_message(session, bob, message.id, "spam", "Selling things")
    assert (flag.subject_type, flag.subject_id, flag.reporter_id) == (
        "room_message",
        message.id,
        bob.id,
    )
    with pytest.raises(Conflict):
        service.flag_message(session, bob, message.id, "spam")
    with pytest.raises(InvalidInput):
        service.flag_message(session, alice, message.id, "spam")


def test_someone_outside_the_room_cannot_flag(session, seated, message, outsider):
    with pytest.raises(NotAllowed):
        service.flag_message(session, outsider, message.id, "spam")
    assert session.scalars(select(Flag)).all() == []


def test_a_site_moderator_hides_and_restores_a_message_from_the_queue(
    session, seated, message, bob
):
    admin = make_user(session, role=Role.admin)
    service.flag_message(session, bob, message.id, "harassment")
    moderation.hide_post(session, actor=admin, subject_type="room_message", subject_id=message.id)
    assert message.removed_at is not None
    assert published(session, seated.id)[-1][1]["change"] == "removed"
    moderation.restore_post(
        session, actor=admin, subject_type="room_message", subject_id=message.id
    )
    assert message.removed_at is None
    assert published(session, seated.id)[-1][1]["change"] == "restored"


# --- Promote to a discussion --------------------------------------------------------------


def test_the_author_promotes_a_message_to_a_lasting_discussion(session, seated, message, alice):
    thread = service.promote_to_discussion(session, alice, message.id, "Keeping this going")
    assert isinstance(thread, Thread)
    assert thread.title == "Keeping this going" and thread.author_id == alice.id
    assert thread.category.slug == "events"
    assert "> Worth keeping" in thread.body and "Hallway" in thread.body
    assert message.thread_id == thread.id
    name, payload = published(session, seated.id)[-1]
    assert (payload["change"], payload["thread_id"]) == ("promoted", thread.id)
    assert service.promote_to_discussion(session, alice, message.id).id == thread.id


def test_an_organiser_may_promote_and_other_members_may_not(
    session, seated, message, bob, organiser
):
    with pytest.raises(NotAllowed):
        service.promote_to_discussion(session, bob, message.id)
    thread = service.promote_to_discussion(session, organiser, message.id)
    assert thread.title.startswith("Hallway: ")  # a short message gets the room's name


def test_a_promoted_title_is_5_to_200_characters(session, seated, message, alice):
    with pytest.raises(InvalidInput):
        service.promote_to_discussion(session, alice, message.id, "Tiny")
    assert service.promote_to_discussion(session, alice, message.id, "Fiver").title == "Fiver"


def test_a_deleted_message_cannot_be_promoted(session, seated, message, alice):
    service.delete_message(session, alice, message.id)
    with pytest.raises(NotFound):
        service.promote_to_discussion(session, alice, message.id)
