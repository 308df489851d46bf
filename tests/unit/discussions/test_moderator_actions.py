"""Moderators lock, move, hide and restore discussions through the discussions service."""

import pytest
from marshmallow import ValidationError

from hallway.accounts.models import Role
from hallway.core.errors import Conflict, InvalidInput, NotAllowed
from hallway.discussions import service
from hallway.discussions.schemas import MoveThreadSchema
from hallway.moderation.models import AuditEntry
from tests.factories import make_category, make_comment, make_thread, make_user

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def admin(session):
    return make_user(session, handle="admin", role=Role.admin)


@pytest.fixture
def member(session):
    return make_user(session, handle="member")


@pytest.fixture
def comment(session):
    return make_comment(session, thread=make_thread(session))


def audit_log(session):
    return session.query(AuditEntry).order_by(AuditEntry.id).all()


def test_locking_unlocking_and_moving_threads_are_audited(session, admin, comment):
    thread = comment.thread
    service.set_locked(session, actor=admin, thread=thread, locked=True)
    assert thread.is_locked
    with pytest.raises(Conflict, match="already locked"):
        service.set_locked(session, actor=admin, thread=thread, locked=True)
    service.set_locked(session, actor=admin, thread=thread, locked=False)
    assert not thread.is_locked
    with pytest.raises(Conflict, match="not locked"):
        service.set_locked(session, actor=admin, thread=thread, locked=False)
    target = make_category(session, name="Elsewhere")
    previous = thread.category_id
    service.move_thread(session, actor=admin, thread=thread, category_id=target.id)
    assert (thread.category_id, thread.category.name) == (target.id, "Elsewhere")
    entries = audit_log(session)
    assert [(entry.action, entry.subject_type, entry.actor_id) for entry in entries] == [
        ("lock", "thread", admin.id),
        ("unlock", "thread", admin.id),
        ("move", "thread", admin.id),
    ]
    assert entries[0].details == {"thread_id": thread.id}
    assert entries[-1].details == {
        "thread_id": thread.id,
        "from_category_id": previous,
        "to_category_id": target.id,
    }


def test_a_locked_thread_takes_replies_from_moderators_only(session, admin, member, comment):
    thread = comment.thread
    service.set_locked(session, actor=admin, thread=thread, locked=True)
    with pytest.raises(NotAllowed, match="locked"):
        service.reply(session, actor=member, thread=thread, body="Still there?")
    service.reply(session, actor=admin, thread=thread, body="Closing note.")


@pytest.mark.parametrize("category_id", [None, "", "abc", "-1", "0", "9" * 30, 2**70, "9" * 5000])
def test_moving_needs_a_category_id(category_id):
    """What the moderation queue's form sends is loaded by MoveThreadSchema first."""
    with pytest.raises(ValidationError) as refused:
        MoveThreadSchema().load({"category_id": category_id, "csrf_token": "t"})
    assert refused.value.messages == {"category_id": ["Choose a category."]}
    assert MoveThreadSchema().load({"category_id": "12"}) == {"category_id": 12}


def test_moving_needs_an_existing_category(session, admin, comment):
    with pytest.raises(InvalidInput) as refused:
        service.move_thread(session, actor=admin, thread=comment.thread, category_id=999_999)
    assert refused.value.field_errors == {"category_id": ["Choose a category."]}
    assert audit_log(session) == []


def test_moving_to_the_same_category_is_refused(session, admin, comment):
    thread = comment.thread
    with pytest.raises(InvalidInput) as refused:
        service.move_thread(session, actor=admin, thread=thread, category_id=thread.category_id)
    assert refused.value.field_errors == {
        "category_id": ["The discussion is already in that category."]
    }


def test_hiding_and_restoring_a_post_change_only_that_post(session, admin, comment):
    thread = comment.thread
    service.hide_post(session, actor=admin, post=comment)
    assert comment.hidden_at is not None and thread.hidden_at is None
    with pytest.raises(Conflict, match="already hidden"):
        service.hide_post(session, actor=admin, post=comment)
    service.restore_post(session, actor=admin, post=comment)
    assert comment.hidden_at is None
    with pytest.raises(Conflict, match="not hidden"):
        service.restore_post(session, actor=admin, post=comment)
    service.hide_post(session, actor=admin, post=thread)
    assert thread.hidden_at is not None and comment.hidden_at is None


@pytest.mark.parametrize(
    "action",
    [
        lambda s, m, c: service.set_locked(s, actor=m, thread=c.thread, locked=True),
        lambda s, m, c: service.move_thread(
            s, actor=m, thread=c.thread, category_id=make_category(s).id
        ),
        lambda s, m, c: service.hide_post(s, actor=m, post=c),
        lambda s, m, c: service.hide_post(s, actor=m, post=c.thread),
    ],
)
def test_members_may_not_lock_move_or_hide(session, member, comment, action):
    category_id = comment.thread.category_id
    with pytest.raises(NotAllowed, match="Only moderators"):
        action(session, member, comment)
    thread = comment.thread
    assert (thread.locked_at, thread.hidden_at, comment.hidden_at) == (None, None, None)
    assert thread.category_id == category_id
    assert audit_log(session) == []


def test_members_may_not_restore(session, admin, member, comment):
    service.hide_post(session, actor=admin, post=comment)
    with pytest.raises(NotAllowed):
        service.restore_post(session, actor=member, post=comment)
    assert comment.hidden_at is not None
