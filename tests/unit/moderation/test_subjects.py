"""The subject registry: moderation flags, queues, hides and audits whatever a feature
registers, through that feature's functions, and knows nothing of threads."""

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from hallway.accounts.models import Role
from hallway.core.errors import Conflict, InvalidInput, NotFound
from hallway.db import utcnow
from hallway.moderation import service, subjects
from hallway.moderation.models import AuditEntry, Flag, FlagStatus
from hallway.moderation.subjects import Subject, SubjectType, register_subject
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("app_context")


@dataclass
class Note:
    """A stand-in for a future feature's row (a room message, say): no thread at all."""

    id: int
    author_id: int
    text: str
    room_id: int = 7
    hidden: bool = False
    deleted: bool = False
    created_at: datetime = field(default_factory=utcnow)


class NoteFeature:
    def __init__(self) -> None:
        self.notes: dict[int, Note] = {}
        self.calls: list[tuple[str, int, int]] = []

    def find(self, session, note_id):
        note = self.notes.get(note_id)
        if note is None:
            return None
        return Subject(
            type="room_note",
            id=note.id,
            author_id=note.author_id,
            author_name="Someone",
            heading="A note in room 7",
            text=note.text,
            created_at=note.created_at,
            hidden=note.hidden,
            visible=not (note.hidden or note.deleted),
            audit_details={"room_id": note.room_id},
            row=note,
            link=lambda: f"/rooms/{note.room_id}#note-{note.id}",
        )

    def hide(self, session, actor, subject):
        self.calls.append(("hide", actor.id, subject.id))
        subject.row.hidden = True

    def restore(self, session, actor, subject):
        self.calls.append(("restore", actor.id, subject.id))
        subject.row.hidden = False


@pytest.fixture
def feature(monkeypatch):
    """Register "room_note" for one test only."""
    monkeypatch.setattr(subjects, "_types", dict(subjects._types))
    feature = NoteFeature()
    register_subject(
        SubjectType(
            name="room_note",
            label="room note",
            find=feature.find,
            hide=feature.hide,
            restore=feature.restore,
        )
    )
    return feature


@pytest.fixture
def admin(session):
    return make_user(session, handle="admin", role=Role.admin)


@pytest.fixture
def people(session):
    return make_user(session, handle="author"), make_user(session, handle="reporter")


def audit_log(session):
    return [
        (entry.action, entry.subject_type, entry.subject_id, entry.details)
        for entry in session.query(AuditEntry).order_by(AuditEntry.id)
    ]


def test_a_registered_subject_is_flagged_queued_hidden_and_restored(
    session, feature, admin, people
):
    author, reporter = people
    feature.notes[5] = Note(5, author.id, "Buy my course")
    flag = service.flag_post(
        session, actor=reporter, subject_type="room_note", subject_id=5, reason="spam"
    )
    assert (flag.subject_type, flag.subject_id) == ("room_note", 5)
    [group] = service.moderation_queue(session, actor=admin)
    assert (group.subject.heading, group.subject.text) == ("A note in room 7", "Buy my course")
    assert group.subject.url == "/rooms/7#note-5"
    assert service.open_flag_count(session) == 1

    service.hide_post(session, actor=admin, subject_type="room_note", subject_id=5, note=" Ad ")
    assert feature.notes[5].hidden
    with pytest.raises(Conflict, match="already hidden"):
        service.hide_post(session, actor=admin, subject_type="room_note", subject_id=5)
    service.restore_post(session, actor=admin, subject_type="room_note", subject_id=5)
    assert not feature.notes[5].hidden
    with pytest.raises(Conflict, match="not hidden"):
        service.restore_post(session, actor=admin, subject_type="room_note", subject_id=5)

    assert feature.calls == [("hide", admin.id, 5), ("restore", admin.id, 5)]
    assert session.get(Flag, flag.id).status is FlagStatus.resolved
    assert audit_log(session) == [
        ("hide", "room_note", 5, {"room_id": 7, "resolved_flags": 1, "note": "Ad"}),
        ("restore", "room_note", 5, {"room_id": 7}),
    ]


def test_the_feature_decides_what_members_may_flag(session, feature, admin, people):
    author, reporter = people
    feature.notes[1] = Note(1, author.id, "Mine")
    feature.notes[2] = Note(2, author.id, "Gone", deleted=True)
    with pytest.raises(InvalidInput, match="your own post"):
        service.flag_post(
            session, actor=author, subject_type="room_note", subject_id=1, reason="spam"
        )
    with pytest.raises(NotFound):
        service.flag_post(
            session, actor=reporter, subject_type="room_note", subject_id=2, reason="spam"
        )
    with pytest.raises(NotFound):
        service.find_visible_subject(session, reporter, "room_note", 2)
    assert service.find_visible_subject(session, admin, "room_note", 2).text == "Gone"
    with pytest.raises(NotFound):
        service.flag_post(
            session, actor=reporter, subject_type="room_note", subject_id=3, reason="spam"
        )


def test_a_subject_type_may_have_its_own_viewing_rule(session, feature, monkeypatch, people):
    author, reporter = people
    feature.notes[1] = Note(1, author.id, "Members of room 7 only")
    registered = subjects.subject_type("room_note")
    members_of_room = {author.id}
    register_subject(
        SubjectType(
            name="room_note",
            label="room note",
            find=registered.find,
            hide=registered.hide,
            restore=registered.restore,
            can_view=lambda viewer, subject: viewer.id in members_of_room,
        )
    )
    assert service.find_visible_subject(session, author, "room_note", 1).id == 1
    with pytest.raises(NotFound):
        service.find_visible_subject(session, reporter, "room_note", 1)


@pytest.mark.parametrize(
    "call",
    [
        lambda s, a, r: service.flag_post(
            s, actor=r, subject_type="poll", subject_id=1, reason="spam"
        ),
        lambda s, a, r: service.hide_post(s, actor=a, subject_type="poll", subject_id=1),
        lambda s, a, r: service.restore_post(s, actor=a, subject_type="poll", subject_id=1),
        lambda s, a, r: service.dismiss_flags(s, actor=a, subject_type="poll", subject_id=1),
        lambda s, a, r: service.find_visible_subject(s, a, "poll", 1),
        lambda s, a, r: service.find_visible_subject(s, a, "", 1),
    ],
)
def test_an_unregistered_subject_type_is_not_found(session, admin, people, call):
    with pytest.raises(NotFound, match="does not exist"):
        call(session, admin, people[1])
    assert audit_log(session) == []


def test_flags_on_a_type_no_feature_registers_any_more_leave_the_queue(
    session, feature, admin, people
):
    author, reporter = people
    feature.notes[5] = Note(5, author.id, "Spam")
    service.flag_post(
        session, actor=reporter, subject_type="room_note", subject_id=5, reason="spam"
    )
    assert service.open_flag_count(session) == 1
    del subjects._types["room_note"]
    assert service.moderation_queue(session, actor=admin) == []
    assert service.open_flag_count(session) == 0
    assert not service.has_open_flag(
        session, actor=reporter, subject_type="room_note", subject_id=5
    )


def test_discussions_register_threads_and_comments():
    assert {"thread", "comment"} <= set(subjects.registered_names())
    assert (subjects.label_of("thread"), subjects.label_of("comment")) == ("discussion", "comment")
    assert subjects.label_of("poll") == "poll"


@pytest.mark.parametrize("name", ["", "Room", "room-note", "1st", "x" * 33, "room note"])
def test_subject_type_names_fit_the_columns(name, monkeypatch):
    monkeypatch.setattr(subjects, "_types", dict(subjects._types))
    with pytest.raises(ValueError):
        register_subject(SubjectType(name=name, label="x", find=None, hide=None, restore=None))
    assert name not in subjects.registered_names()
