"""A new comment's notices come from a task-queue job run after the commit: the comment
reaches open thread pages first, and a comment that is rolled back notifies nobody."""

import pytest
from huey.signals import SIGNAL_COMPLETE
from sqlalchemy import func, select

from hallway.accounts.models import User
from hallway.core import tasks, unit_of_work
from hallway.db import db
from hallway.discussions import notify
from hallway.discussions import service as discussions
from hallway.discussions.models import Comment, Thread
from hallway.notifications import service
from hallway.notifications.models import Notification
from tests.conftest import Browserless

NOTICES_JOB = tasks.job_name(notify.deliver_comment_notices)


@pytest.fixture
def jobs_run(app):
    """The names of the jobs the queue completes during the test."""
    names: list[str] = []
    huey = tasks.queue(app)

    def completed(signal, task, *args, **kwargs):
        names.append(task.name)

    huey.signal(SIGNAL_COMPLETE)(completed)
    yield names
    huey.disconnect_signal(completed, SIGNAL_COMPLETE)


def received(socket_client):
    return [(p["name"], p["args"][0]) for p in socket_client.get_received()]


def test_a_reply_reaches_the_thread_first_and_its_notice_comes_from_the_job(
    app, session, socket_client, poster, member, replier, mail_log, jobs_run
):
    thread = poster.thread(member, title="Captioning lecture videos")
    assert socket_client.emit("join_thread", {"thread_id": thread.id}, callback=True)["ok"]
    socket_client.get_received()
    sam = Browserless(app.test_client())
    sam.log_in(replier.email)
    token = sam.csrf_token("/")
    answer = sam.client.post(
        f"/t/{thread.id}/comments", data={"csrf_token": token, "body": "Try auto-captions first."}
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    names = [name for name, _data in received(socket_client)]
    assert names.index("comment_created") < names.index("notification")
    assert NOTICES_JOB in jobs_run
    assert service.unread_count(session, member.id) == 1
    assert f"To: {member.email}" in mail_log.read_text()


def test_a_rolled_back_reply_notifies_nobody(
    app, session, socket_client, poster, member, replier, mail_log, jobs_run
):
    thread = poster.thread(member, title="Rubrics for group work")
    socket_client.get_received()
    with app.test_request_context():
        discussions.reply(
            db.session,
            actor=db.session.get(User, replier.id),
            thread=db.session.get(Thread, thread.id),
            body="Thanks @maya, this helps.",
        )
        unit_of_work.rollback(db.session)
    assert NOTICES_JOB not in jobs_run
    assert received(socket_client) == []
    session.expire_all()
    assert service.unread_count(session, member.id) == 0
    assert not mail_log.exists() or member.email not in mail_log.read_text()


def test_a_comment_removed_before_its_job_runs_notifies_nobody(
    app, session, poster, member, replier
):
    thread = poster.thread(member)
    comment, _sent = poster.reply(thread, replier, body="A reply")  # notified once
    before = notices_for(session, member.id)
    with app.test_request_context():
        loaded = db.session.get(Comment, comment.id)
        discussions.delete_comment(
            db.session, actor=db.session.get(User, replier.id), comment=loaded
        )
        unit_of_work.commit(db.session)
        notify.deliver_comment_notices(comment.id, [member.id])
        unit_of_work.commit(db.session)
    assert notices_for(session, member.id) == before


def notices_for(session, user_id):
    session.expire_all()
    return session.scalar(
        select(func.count()).select_from(Notification).where(Notification.recipient_id == user_id)
    )
