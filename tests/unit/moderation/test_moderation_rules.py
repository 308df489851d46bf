"""Flags, moderator actions with their audit entries, and blocking."""

import pytest

from hallway.accounts.models import Role
from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.core.validation import load_or_refuse
from hallway.moderation import service
from hallway.moderation.models import AuditEntry, FlagReason, FlagStatus
from hallway.moderation.schemas import BlockSchema, FlagSchema
from tests.factories import (
    make_block,
    make_comment,
    make_flag,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def admin(session):
    return make_user(session, handle="admin", role=Role.admin)


@pytest.fixture
def member(session):
    return make_user(session, handle="reporter")


@pytest.fixture
def comment(session):
    return make_comment(session, thread=make_thread(session))


def audit_log(session):
    return session.query(AuditEntry).order_by(AuditEntry.id).all()


def test_only_admins_moderate(session, admin, member):
    assert service.can_moderate(admin)
    assert not service.can_moderate(member)
    assert not service.can_moderate(make_user(session, role=Role.organiser))
    assert not service.can_moderate(None)


def test_a_member_flags_a_post_once_while_the_flag_is_open(session, member, comment):
    flag = make_flag(session, reporter=member, post=comment, reason="harassment")
    assert (flag.status, flag.reason.label) == (FlagStatus.open, "Harassment")
    with pytest.raises(Conflict, match="already flagged"):
        make_flag(session, reporter=member, post=comment)


def test_a_flag_needs_a_known_reason_and_a_short_note():
    # What a member sends is loaded by FlagSchema (the flag page loads its form with it).
    with pytest.raises(InvalidInput) as refused:
        load_or_refuse(FlagSchema(), {"reason": "boring", "note": "x" * 501})
    assert refused.value.field_errors == {
        "reason": ["Choose a reason."],
        "note": ["Keep the note under 500 characters."],
    }
    assert load_or_refuse(FlagSchema(), {"reason": "spam", "note": "  ok  "}) == {
        "reason": FlagReason.spam,
        "note": "ok",
    }


def test_members_cannot_flag_their_own_or_a_hidden_post(session, member, comment):
    own = make_comment(session, thread=comment.thread, author=member)
    with pytest.raises(InvalidInput, match="your own post"):
        make_flag(session, reporter=member, post=own)
    comment.hidden_at = comment.created_at
    with pytest.raises(NotFound):
        make_flag(session, reporter=member, post=comment)
    with pytest.raises(NotFound):
        service.flag_post(session, actor=member, subject_type="poll", subject_id=1, reason="spam")


def test_the_queue_groups_open_flags_by_post(session, admin, member, comment):
    other = make_user(session)
    make_flag(session, reporter=member, post=comment, reason="spam")
    make_flag(session, reporter=other, post=comment, reason="off_topic")
    make_flag(session, reporter=member, post=comment.thread, reason="other")
    queue = service.moderation_queue(session, actor=admin)
    assert [(group.subject.type, len(group.flags)) for group in queue] == [
        ("comment", 2),
        ("thread", 1),
    ]
    assert service.open_flag_count(session) == 2
    with pytest.raises(NotAllowed):
        service.moderation_queue(session, actor=member)


def test_hiding_resolves_the_flags_and_is_audited(session, admin, member, comment):
    make_flag(session, reporter=member, post=comment)
    service.hide_post(session, actor=admin, subject_type="comment", subject_id=comment.id)
    assert comment.hidden_at is not None
    assert service.moderation_queue(session, actor=admin) == []
    entry = audit_log(session)[-1]
    assert (entry.actor_id, entry.action, entry.subject_type, entry.subject_id) == (
        admin.id,
        "hide",
        "comment",
        comment.id,
    )
    assert entry.details == {"thread_id": comment.thread_id, "resolved_flags": 1}
    with pytest.raises(Conflict):
        service.hide_post(session, actor=admin, subject_type="comment", subject_id=comment.id)


def test_restoring_shows_the_post_again(session, admin, comment):
    service.hide_post(session, actor=admin, subject_type="comment", subject_id=comment.id)
    service.restore_post(session, actor=admin, subject_type="comment", subject_id=comment.id)
    assert comment.hidden_at is None
    assert [entry.action for entry in audit_log(session)] == ["hide", "restore"]


def test_dismissing_keeps_the_post_and_closes_its_flags(session, admin, member, comment):
    make_flag(session, reporter=member, post=comment)
    assert (
        service.dismiss_flags(session, actor=admin, subject_type="comment", subject_id=comment.id)
        == 1
    )
    assert comment.hidden_at is None
    assert audit_log(session)[-1].action == "dismiss_flags"
    # The member may flag it again later: their earlier flag is closed.
    make_flag(session, reporter=member, post=comment)
    with pytest.raises(Conflict):
        service.dismiss_flags(
            session, actor=admin, subject_type="thread", subject_id=comment.thread_id
        )


@pytest.mark.parametrize(
    "action",
    [
        lambda s, m, c: service.hide_post(s, actor=m, subject_type="comment", subject_id=c.id),
        lambda s, m, c: service.restore_post(s, actor=m, subject_type="comment", subject_id=c.id),
        lambda s, m, c: service.dismiss_flags(s, actor=m, subject_type="comment", subject_id=c.id),
        lambda s, m, c: service.audit_entries(s, actor=m),
    ],
)
def test_members_may_not_moderate(session, member, comment, action):
    with pytest.raises(NotAllowed):
        action(session, member, comment)
    assert audit_log(session) == []


def test_record_audit_keeps_details_and_allows_the_system_as_actor(session, member):
    entry = service.record_audit(
        session,
        actor=None,
        action="delete",
        subject_type="comment",
        subject_id=7,
        details={"reason": "cleanup"},
    )
    session.expire_all()
    assert (entry.actor_id, entry.details) == (None, {"reason": "cleanup"})


def test_blocking_is_one_way_idempotent_and_undoable(session, member):
    troll = make_user(session, handle="troll")
    make_block(session, blocker=member, blocked=troll)
    make_block(session, blocker=member, blocked=troll)
    assert service.blocked_user_ids(session, member.id) == {troll.id}
    assert service.blocked_user_ids(session, troll.id) == set()
    assert service.blockers_of(session, troll.id, [member.id, troll.id]) == {member.id}
    service.unblock_member(session, actor=member, user_id=troll.id)
    assert service.blocked_user_ids(session, member.id) == set()
    with pytest.raises(NotFound):
        service.unblock_member(session, actor=member, user_id=troll.id)


@pytest.mark.parametrize(
    ("handle", "message"),
    [("", "Give the member's username."), ("   ", "Give the member's username."),
     ("@nobody", "No member is called @nobody."), ("reporter", "You can't block yourself.")],
)  # fmt: skip
def test_blocking_refuses_bad_handles_with_a_field_message(session, member, handle, message):
    with pytest.raises(InvalidInput) as refused:  # BlockSchema first, then the service
        values = load_or_refuse(BlockSchema(), {"handle": handle})
        service.block_member(session, actor=member, **values)
    assert refused.value.field_errors == {"handle": [message]}
