"""The one shape every client sees of a message (built from rows, no database here)."""

from __future__ import annotations

from datetime import UTC, datetime

from hallway.discussions.models import ReactionKind
from hallway.rooms import service
from hallway.rooms.models import RoomMessage, RoomReaction

WHEN = datetime(2026, 11, 29, 16, 0, tzinfo=UTC)
ANA = {"id": 7, "name": "Ana", "handle": "ana", "career_stage": "novice", "avatar_url": None}
BEN = {"id": 8, "name": "Ben", "handle": "ben", "career_stage": None, "avatar_url": None}
PEOPLE = {7: ANA, 8: BEN}


def message(**fields):
    values = {
        "id": 1, "seq": 4, "room_id": 2, "author_id": 7, "client_id": "c-1",
        "body": "Hello **all**", "body_html": "<p>Hello <strong>all</strong></p>",
        "created_at": WHEN,
    }  # fmt: skip
    values.update(fields)
    return RoomMessage(**values)


def test_a_message_as_clients_see_it():
    assert service.message_payload(message(), PEOPLE) == {
        "id": 1,
        "seq": 4,
        "message_seq": 4,
        "room_id": 2,
        "client_id": "c-1",
        "author": ANA,
        "body": "Hello **all**",
        "body_html": "<p>Hello <strong>all</strong></p>",
        "reply_to": None,
        "reactions": [],
        "edited": False,
        "edited_at": None,
        "deleted": False,
        "removed": False,
        "pinned": False,
        "thread_id": None,
        "created_at": "2026-11-29T16:00:00+00:00",
    }


def test_a_former_members_message_has_no_author():
    assert service.message_payload(message(author_id=None), PEOPLE)["author"] is None


def test_deleted_and_removed_messages_show_no_text_and_no_reactions():
    for gone in ({"deleted_at": WHEN}, {"removed_at": WHEN}):
        row = message(**gone)
        row.reactions = [RoomReaction(user_id=8, kind=ReactionKind.like)]
        payload = service.message_payload(row, PEOPLE)
        assert payload["body"] == payload["body_html"] == ""
        assert payload["reactions"] == []
    assert service.message_payload(message(deleted_at=WHEN), PEOPLE)["deleted"] is True
    assert service.message_payload(message(removed_at=WHEN), PEOPLE)["removed"] is True


def test_reactions_are_grouped_in_the_fixed_order_with_who_reacted():
    row = message()
    row.reactions = [
        RoomReaction(user_id=8, kind=ReactionKind.celebrate),
        RoomReaction(user_id=9, kind=ReactionKind.like),
        RoomReaction(user_id=7, kind=ReactionKind.like),
    ]
    assert service.message_payload(row, PEOPLE)["reactions"] == [
        {"kind": "like", "emoji": "👍", "count": 2, "user_ids": [7, 9]},
        {"kind": "celebrate", "emoji": "🎉", "count": 1, "user_ids": [8]},
    ]


def test_edited_pinned_and_promoted_are_shown():
    payload = service.message_payload(message(edited_at=WHEN, pinned_at=WHEN, thread_id=12), PEOPLE)
    assert payload["edited"] is True and payload["edited_at"] == "2026-11-29T16:00:00+00:00"
    assert payload["pinned"] is True and payload["thread_id"] == 12


def test_a_reply_summarises_what_it_answers_in_plain_text():
    question = message(id=1, seq=3, author_id=8, body="Is **H5P** any good? " + "x" * 200)
    answer = message(id=2, seq=5, reply_to=question)
    summary = service.message_payload(answer, PEOPLE)["reply_to"]
    assert summary["id"] == 1 and summary["seq"] == 3 and summary["author_name"] == "Ben"
    assert summary["excerpt"].startswith("Is H5P any good?")
    assert len(summary["excerpt"]) <= 141 and summary["gone"] is False
    question.deleted_at = WHEN
    gone = service.message_payload(answer, PEOPLE)["reply_to"]
    assert gone["gone"] is True and gone["excerpt"] == ""
