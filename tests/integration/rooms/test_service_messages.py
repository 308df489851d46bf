"""Sending, resending, editing, deleting, reacting, replying, mentions and history."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.notifications.models import Notification
from hallway.realtime.models import TopicEvent
from hallway.rooms import service
from hallway.rooms.models import RoomMessage
from tests.factories import make_block, make_profile, make_user
from tests.integration.rooms.conftest import new_client_id, published, send

pytestmark = pytest.mark.usefixtures("app_context")


def count_messages(session, room):
    return session.scalar(
        select(func.count()).select_from(RoomMessage).where(RoomMessage.room_id == room.id)
    )


def count_published(session, room):
    return session.scalar(
        select(func.count())
        .select_from(TopicEvent)
        .where(TopicEvent.topic == service.room_topic(room.id))
    )


# --- Length and client ids ---------------------------------------------------------------


def test_a_message_of_exactly_4000_characters_is_sent(session, seated, alice):
    message = send(session, alice, seated, "x" * 4000)
    assert len(message.body) == 4000


def test_a_message_of_4001_characters_is_refused_with_a_clear_field_error(session, seated, alice):
    with pytest.raises(InvalidInput) as refused:
        send(session, alice, seated, "x" * 4001)
    assert "4,000" in refused.value.message and "4,001" in refused.value.message
    assert refused.value.field_errors["body"] == [refused.value.message]
    assert count_messages(session, seated) == 0
    assert count_published(session, seated) == 0


def test_spaces_around_do_not_count_and_a_blank_message_is_refused(session, seated, alice):
    assert send(session, alice, seated, "  " + "y" * 4000 + "\n ").body == "y" * 4000
    with pytest.raises(InvalidInput) as refused:
        send(session, alice, seated, " \n\t ")
    assert "body" in refused.value.field_errors


def test_client_id_up_to_40_characters(session, seated, alice):
    assert send(session, alice, seated, client_id="c" * 40).client_id == "c" * 40
    with pytest.raises(InvalidInput) as refused:
        send(session, alice, seated, client_id="c" * 41)
    assert "client_id" in refused.value.field_errors
    with pytest.raises(InvalidInput):
        service.send_message(session, alice, seated.id, "Hi", "")


# --- Numbering and publishing ------------------------------------------------------------


def test_messages_are_numbered_in_order_and_published_with_their_number(
    session, seated, alice, bob
):
    first = send(session, alice, seated, "one")
    second = send(session, bob, seated, "two")
    third = send(session, alice, seated, "three")
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    events = published(session, seated.id)
    assert [name for name, _ in events] == ["room_message"] * 3
    assert [(p["id"], p["seq"], p["message_seq"]) for _, p in events] == [
        (first.id, 1, 1),
        (second.id, 2, 2),
        (third.id, 3, 3),
    ]


def test_the_broadcast_has_the_same_shape_as_history(session, seated, alice, bob):
    message = send(session, alice, seated, "Hello **there**")
    [(_, live)] = published(session, seated.id)
    [stored] = service.history(session, bob, seated.id).messages
    assert {key: value for key, value in live.items() if key != "topic"} == stored
    assert stored["author"]["name"] == "Alice Adams"
    assert stored["body_html"] == "<p>Hello <strong>there</strong></p>\n"
    assert stored["room_id"] == seated.id and stored["id"] == message.id
    assert stored["edited"] is stored["deleted"] is stored["removed"] is stored["pinned"] is False
    assert stored["reply_to"] is None and stored["reactions"] == []
    assert stored["created_at"].startswith(message.created_at.isoformat()[:19])


def test_markdown_is_the_restricted_pipeline(session, seated, alice):
    message = send(session, alice, seated, "<script>alert(1)</script> [x](javascript:alert(1))")
    assert "<script" not in message.body_html
    assert 'href="javascript' not in message.body_html
    assert "&lt;script&gt;" in message.body_html


# --- Resends -----------------------------------------------------------------------------


def test_a_resend_with_the_same_client_id_returns_the_original_and_publishes_nothing(
    session, seated, alice
):
    original, created = service.send_message(session, alice, seated.id, "Hi", "abc-1")
    assert created is True
    before = count_published(session, seated)
    again, created_again = service.send_message(session, alice, seated.id, "Hi", "abc-1")
    assert created_again is False
    assert again.id == original.id and again.seq == original.seq
    assert count_published(session, seated) == before == 1
    assert count_messages(session, seated) == 1


def test_a_resend_is_answered_even_after_the_sender_was_muted(session, seated, alice, organiser):
    original, _ = service.send_message(session, alice, seated.id, "Hi", "abc-2")
    service.mute_member(session, organiser, seated.id, alice.id)
    again, created = service.send_message(session, alice, seated.id, "Hi", "abc-2")
    assert (again.id, created) == (original.id, False)


def test_the_same_client_id_from_another_member_is_another_message(session, seated, alice, bob):
    mine, _ = service.send_message(session, alice, seated.id, "Hi", "same")
    theirs, created = service.send_message(session, bob, seated.id, "Hi", "same")
    assert created is True and theirs.id != mine.id
    assert count_messages(session, seated) == 2


# --- Who may send --------------------------------------------------------------------------


def test_a_member_must_join_before_sending(session, room, alice):
    with pytest.raises(NotAllowed) as refused:
        send(session, alice, room)
    assert refused.value.message == "Join the room first."


def test_an_organiser_sends_without_a_seat(session, room, organiser, co_organiser):
    assert send(session, organiser, room).author_id == organiser.id
    assert send(session, co_organiser, room).author_id == co_organiser.id


def test_a_muted_member_is_refused_with_the_reason_and_can_send_once_unmuted(
    session, seated, alice, organiser
):
    service.mute_member(session, organiser, seated.id, alice.id)
    with pytest.raises(NotAllowed) as refused:
        send(session, alice, seated)
    assert "muted you" in refused.value.message
    assert count_messages(session, seated) == 0
    history = service.history(session, alice, seated.id)  # still reads
    assert history.messages == []
    service.unmute_member(session, organiser, seated.id, alice.id)
    assert send(session, alice, seated).author_id == alice.id


def test_an_archived_room_is_read_only(session, seated, alice, organiser):
    send(session, alice, seated, "before")
    service.archive_room(session, organiser, seated.id)
    with pytest.raises(Conflict) as refused:
        send(session, alice, seated, "after")
    assert "archived" in refused.value.message
    assert [m["body"] for m in service.history(session, alice, seated.id).messages] == ["before"]


def test_a_removed_member_cannot_send(session, seated, alice, organiser):
    service.remove_member(session, organiser, seated.id, alice.id)
    with pytest.raises(NotAllowed) as refused:
        send(session, alice, seated)
    assert "removed you" in refused.value.message


def test_a_member_no_longer_going_cannot_send_in_a_room_for_those_going(
    session, seated, alice, event
):
    from hallway.events import service as events_service

    events_service.set_rsvp(session, actor=alice, event=event, status="not_going")
    with pytest.raises(NotAllowed):
        send(session, alice, seated)


def test_an_unknown_room_is_not_found(session, alice):
    with pytest.raises(NotFound):
        service.send_message(session, alice, 999_999, "Hi", new_client_id())


# --- Slow mode (injectable clock) ------------------------------------------------------------


@pytest.fixture
def slow(session, seated, organiser):
    service.set_slow_mode(session, organiser, seated.id, 30)
    return seated


def test_slow_mode_refuses_a_second_message_before_n_seconds(session, slow, alice, later):
    send(session, alice, slow, "first", now=later(0))
    with pytest.raises(service.TooFast) as refused:
        send(session, alice, slow, "too soon", now=later(29))
    assert refused.value.retry_after == 1
    assert refused.value.status_code == 429
    assert "1 second" in refused.value.message
    assert refused.value.to_dict()["retry_after"] == 1
    with pytest.raises(service.TooFast) as early:
        send(session, alice, slow, "much too soon", now=later(5))
    assert early.value.retry_after == 25
    assert "25 seconds" in early.value.message


def test_slow_mode_allows_a_message_after_exactly_n_seconds(session, slow, alice, later):
    send(session, alice, slow, "first", now=later(0))
    assert send(session, alice, slow, "on time", now=later(30)).body == "on time"
    with pytest.raises(service.TooFast):
        send(session, alice, slow, "again", now=later(59))


def test_slow_mode_is_per_member(session, slow, alice, bob, later):
    send(session, alice, slow, "first", now=later(0))
    assert send(session, bob, slow, "mine", now=later(1)).author_id == bob.id


def test_organisers_are_not_slowed_down(session, slow, organiser, later):
    send(session, organiser, slow, "one", now=later(0))
    assert send(session, organiser, slow, "two", now=later(1)).body == "two"


def test_slow_mode_off_lets_messages_through_at_once(session, seated, alice, later):
    send(session, alice, seated, "one", now=later(0))
    assert send(session, alice, seated, "two", now=later(0)).body == "two"


# --- Replies ------------------------------------------------------------------------------


def test_a_reply_carries_a_summary_of_what_it_answers(session, seated, alice, bob):
    question = send(session, alice, seated, "Anyone using **H5P**?")
    answer = send(session, bob, seated, "Yes!", reply_to_id=question.id)
    payload = service.payload_of(session, answer)
    assert payload["reply_to"] == {
        "id": question.id,
        "seq": question.seq,
        "author_name": "Alice Adams",
        "excerpt": "Anyone using H5P?",
        "gone": False,
    }


def test_a_reply_to_a_deleted_message_or_another_room_is_refused(
    session, seated, alice, bob, organiser, event
):
    deleted = send(session, alice, seated, "oops")
    service.delete_message(session, alice, deleted.id)
    with pytest.raises(InvalidInput) as refused:
        send(session, bob, seated, "re", reply_to_id=deleted.id)
    assert "reply_to_id" in refused.value.field_errors
    other = service.create_room(session, organiser, event.id, {"name": "Other"})
    elsewhere = send(session, organiser, other, "elsewhere")
    with pytest.raises(InvalidInput):
        send(session, bob, seated, "re", reply_to_id=elsewhere.id)


def test_a_reply_shows_its_original_as_gone_once_deleted(session, seated, alice, bob):
    question = send(session, alice, seated, "question")
    answer = send(session, bob, seated, "answer", reply_to_id=question.id)
    service.delete_message(session, alice, question.id)
    summary = service.payload_of(session, answer)["reply_to"]
    assert summary["gone"] is True and summary["excerpt"] == ""


# --- Edit and delete -------------------------------------------------------------------------


def test_authors_edit_their_messages_and_everyone_is_told(session, seated, alice, later):
    message = send(session, alice, seated, "Helo")
    service.edit_message(session, alice, message.id, "Hello", now=later(5))
    assert message.body == "Hello" and message.body_html == "<p>Hello</p>\n"
    name, payload = published(session, seated.id)[-1]
    assert name == "room_message_updated"
    assert payload["change"] == "edited"
    assert payload["edited"] is True and payload["body"] == "Hello"
    assert payload["id"] == message.id and payload["message_seq"] == message.seq
    assert payload["seq"] == message.seq + 1  # the edit has its own number


def test_editing_to_the_same_text_publishes_nothing(session, seated, alice):
    message = send(session, alice, seated, "Same")
    service.edit_message(session, alice, message.id, "Same")
    assert message.edited_at is None
    assert count_published(session, seated) == 1


def test_nobody_edits_or_deletes_someone_elses_message(session, seated, alice, bob, organiser):
    message = send(session, alice, seated, "Mine")
    with pytest.raises(NotAllowed):
        service.edit_message(session, bob, message.id, "Yours")
    with pytest.raises(NotAllowed):
        service.delete_message(session, bob, message.id)
    with pytest.raises(NotAllowed):  # organisers remove, they do not edit
        service.edit_message(session, organiser, message.id, "Theirs")
    assert message.body == "Mine" and message.deleted_at is None


def test_edits_are_limited_to_4000_characters(session, seated, alice):
    message = send(session, alice, seated, "short")
    service.edit_message(session, alice, message.id, "z" * 4000)
    with pytest.raises(InvalidInput):
        service.edit_message(session, alice, message.id, "z" * 4001)
    assert message.body == "z" * 4000


def test_a_muted_member_cannot_edit_but_can_delete(session, seated, alice, organiser):
    message = send(session, alice, seated, "said")
    service.mute_member(session, organiser, seated.id, alice.id)
    with pytest.raises(NotAllowed):
        service.edit_message(session, alice, message.id, "unsaid")
    service.delete_message(session, alice, message.id)
    assert message.deleted_at is not None


def test_deleting_shows_a_placeholder_to_everyone(session, seated, alice, bob):
    message = send(session, alice, seated, "secret")
    service.delete_message(session, alice, message.id)
    name, payload = published(session, seated.id)[-1]
    assert (name, payload["change"]) == ("room_message_updated", "deleted")
    assert payload["deleted"] is True
    assert payload["body"] == payload["body_html"] == ""
    [listed] = service.history(session, bob, seated.id).messages
    assert listed["deleted"] is True and listed["body"] == ""
    with pytest.raises(NotFound):
        service.edit_message(session, alice, message.id, "back")
    with pytest.raises(NotFound):
        service.delete_message(session, alice, message.id)


def test_nothing_is_edited_or_deleted_in_an_archived_room(session, seated, alice, organiser):
    message = send(session, alice, seated, "kept")
    service.archive_room(session, organiser, seated.id)
    with pytest.raises(Conflict):
        service.edit_message(session, alice, message.id, "changed")
    with pytest.raises(Conflict):
        service.delete_message(session, alice, message.id)


# --- Reactions --------------------------------------------------------------------------------


def test_reactions_toggle_and_are_published(session, seated, alice, bob):
    message = send(session, alice, seated, "Great talk")
    _, active = service.toggle_reaction(session, bob, message.id, "like")
    assert active is True
    service.toggle_reaction(session, alice, message.id, "like")
    service.toggle_reaction(session, alice, message.id, "celebrate")
    payload = service.payload_of(session, message)
    assert payload["reactions"] == [
        {"kind": "like", "emoji": "👍", "count": 2, "user_ids": sorted([alice.id, bob.id])},
        {"kind": "celebrate", "emoji": "🎉", "count": 1, "user_ids": [alice.id]},
    ]
    _, active = service.toggle_reaction(session, bob, message.id, "like")
    assert active is False
    name, last = published(session, seated.id)[-1]
    assert (name, last["change"]) == ("room_message_updated", "reactions")
    assert last["reactions"][0] == {
        "kind": "like", "emoji": "👍", "count": 1, "user_ids": [alice.id]
    }  # fmt: skip


def test_an_unknown_reaction_is_refused(session, seated, alice):
    message = send(session, alice, seated)
    with pytest.raises(InvalidInput):
        service.toggle_reaction(session, alice, message.id, "angry")


def test_a_muted_member_cannot_react(session, seated, alice, bob, organiser):
    message = send(session, alice, seated)
    service.mute_member(session, organiser, seated.id, bob.id)
    with pytest.raises(NotAllowed):
        service.toggle_reaction(session, bob, message.id, "like")


# --- Mentions ---------------------------------------------------------------------------------


def mention_notices(session, user):
    return list(
        session.scalars(
            select(Notification).where(
                Notification.recipient_id == user.id, Notification.kind == service.KIND_MENTION
            )
        )
    )


def test_a_mention_notifies_the_member(session, seated, alice, bob):
    message = send(session, alice, seated, "Thanks @bobby and @alice!")
    [notice] = mention_notices(session, bob)
    assert notice.subject_type == "room_message" and notice.subject_id == message.id
    assert notice.url == f"/events/{seated.event_id}/rooms/{seated.id}#message-{message.id}"
    assert "Alice Adams" in notice.summary and "Hallway" in notice.summary
    assert mention_notices(session, alice) == []  # not yourself
    assert 'href="/members/bobby"' in message.body_html


def test_a_mention_of_someone_who_may_not_join_notifies_nobody(session, seated, alice, outsider):
    send(session, alice, seated, "Hi @otto")
    assert mention_notices(session, outsider) == []


def test_a_mention_of_someone_who_blocked_the_author_notifies_nobody(session, seated, alice, bob):
    make_block(session, blocker=bob, blocked=alice)
    send(session, alice, seated, "Hi @bobby")
    assert mention_notices(session, bob) == []


def test_an_edit_notifies_only_the_members_newly_mentioned(session, seated, alice, bob, event):
    from tests.integration.rooms.conftest import go

    carol = make_user(session, handle="carol", display_name="Carol")
    go(session, event, carol)
    message = send(session, alice, seated, "Hi @bobby")
    service.edit_message(session, alice, message.id, "Hi @bobby and @carol")
    assert len(mention_notices(session, bob)) == 1
    assert len(mention_notices(session, carol)) == 1


# --- History ----------------------------------------------------------------------------------


def test_history_is_the_last_50_then_earlier_ones(session, seated, alice):
    for number in range(1, 61):
        send(session, alice, seated, f"message {number}")
    latest = service.history(session, alice, seated.id)
    assert [m["body"] for m in latest.messages] == [f"message {n}" for n in range(11, 61)]
    assert latest.has_earlier is True
    earlier = service.history(session, alice, seated.id, before_seq=latest.messages[0]["seq"])
    assert [m["body"] for m in earlier.messages] == [f"message {n}" for n in range(1, 11)]
    assert earlier.has_earlier is False


def test_history_has_no_earlier_when_exactly_the_limit_exists(session, seated, alice):
    for number in range(3):
        send(session, alice, seated, f"m{number}")
    assert service.history(session, alice, seated.id, limit=3).has_earlier is False
    assert service.history(session, alice, seated.id, limit=2).has_earlier is True


def test_history_is_for_members_with_a_seat_and_organisers(
    session, seated, alice, outsider, organiser, event
):
    send(session, alice, seated, "inside")
    with pytest.raises(NotAllowed):
        service.history(session, outsider, seated.id)
    assert len(service.history(session, organiser, seated.id).messages) == 1


def test_the_author_shows_a_career_stage_unless_their_profile_is_private(
    session, seated, alice, bob
):
    make_profile(session, alice, career_stage="novice", visibility="members")
    make_profile(session, bob, career_stage="career", visibility="private")
    send(session, alice, seated, "a")
    send(session, bob, seated, "b")
    shown = service.history(session, alice, seated.id).messages
    assert shown[0]["author"]["career_stage"] == "novice"
    assert shown[1]["author"]["career_stage"] is None
    assert shown[1]["author"]["name"] == "Bob Brown"


def test_leaving_and_joining_again_does_not_restart_slow_mode(session, slow, alice, later):
    send(session, alice, slow, "first", now=later(0))
    service.leave_room(session, alice, slow.id)
    service.join_room(session, alice, slow.id)
    with pytest.raises(service.TooFast):
        send(session, alice, slow, "sneaky", now=later(10))
