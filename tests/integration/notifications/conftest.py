"""Helpers for notification tests: post as another member, committed like any boundary."""

from __future__ import annotations

from pathlib import Path

import pytest

from hallway.core import mail, unit_of_work
from hallway.db import db
from hallway.discussions import notify
from hallway.discussions.models import Comment, Thread
from tests.factories import make_comment, make_thread, make_user


class Poster:
    """Posts a thread or comment (rows from the factories), notifies the way the
    discussions service does for a live post, and commits through the unit of work
    (as a CLI command or job does): the notices are pushed and mailed after that."""

    def __init__(self, app, session):
        self.app = app
        self.session = session

    def deliver(self, post: Thread | Comment, mentioned: set[int] = frozenset()):
        self.session.commit()
        with self.app.test_request_context():
            loaded = db.session.get(type(post), post.id)
            notifications = notify.notify_new_post(
                db.session, post=loaded, mentioned_user_ids=set(mentioned)
            )
            sent = [(n.recipient_id, n.kind) for n in notifications]
            unit_of_work.commit(db.session)
            return sent

    def thread(self, author, **kwargs) -> Thread:
        thread = make_thread(self.session, author=author, **kwargs)
        self.deliver(thread)
        return thread

    def reply(self, thread, author, *, parent=None, body="Great point", mentioned=frozenset()):
        comment = make_comment(self.session, thread=thread, author=author, parent=parent, body=body)
        return comment, self.deliver(comment, mentioned)


@pytest.fixture
def poster(app, session) -> Poster:
    return Poster(app, session)


@pytest.fixture
def replier(session):
    user = make_user(session, handle="sam", display_name="Sam Rivera")
    session.commit()
    return user


@pytest.fixture
def mail_log(app) -> Path:
    """instance/mail.log, emptied for this test."""
    path = mail.mail_log_path(app)
    assert path.parent != Path(app.root_path).parents[1] / "instance", "a test wrote to instance/"
    path.unlink(missing_ok=True)
    return path
