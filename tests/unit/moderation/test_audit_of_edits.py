"""Edits, deletions and pins made through the discussions service land in the audit log."""

import pytest

from hallway.accounts.models import Role
from hallway.discussions import service as discussions
from hallway.moderation.models import AuditEntry
from tests.factories import make_comment, make_thread, make_user

pytestmark = pytest.mark.usefixtures("app_context")


def entries(session):
    return [
        (entry.action, entry.subject_type, entry.subject_id, entry.actor_id, entry.details)
        for entry in session.query(AuditEntry).order_by(AuditEntry.id)
    ]


def test_authors_edits_and_deletions_are_audited(session):
    author = make_user(session)
    thread = make_thread(session, author=author)
    comment = make_comment(session, thread=thread, author=author)
    discussions.edit_comment(session, actor=author, comment=comment, body="Better wording")
    discussions.edit_thread(session, actor=author, thread=thread, title="A clearer title")
    discussions.delete_comment(session, actor=author, comment=comment)
    discussions.delete_thread(session, actor=author, thread=thread)
    mine = {"thread_id": thread.id, "by_author": True}
    assert entries(session) == [
        ("edit", "comment", comment.id, author.id, mine),
        ("edit", "thread", thread.id, author.id, mine),
        ("delete", "comment", comment.id, author.id, mine),
        ("delete", "thread", thread.id, author.id, mine),
    ]


def test_a_moderators_edit_and_pin_say_who_did_them(session):
    admin = make_user(session, role=Role.admin)
    thread = make_thread(session)
    discussions.edit_thread(session, actor=admin, thread=thread, body="Removed a phone number")
    discussions.set_pinned(session, actor=admin, thread=thread, pinned=True)
    assert entries(session) == [
        ("edit", "thread", thread.id, admin.id, {"thread_id": thread.id, "by_author": False}),
        ("pin", "thread", thread.id, admin.id, {"thread_id": thread.id}),
    ]


def test_nothing_is_audited_when_nothing_changed(session):
    author = make_user(session)
    comment = make_comment(session, thread=make_thread(session), author=author)
    discussions.edit_comment(session, actor=author, comment=comment, body=comment.body)
    assert entries(session) == []
