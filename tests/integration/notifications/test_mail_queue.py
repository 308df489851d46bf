"""Mail goes out from the task queue: after the commit, retried when the server fails,
logged when it never succeeds; a rolled-back change publishes and mails nothing."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from hallway.core import mail, tasks, unit_of_work
from hallway.db import db
from hallway.discussions import notify
from hallway.notifications import service
from tests.conftest import _free_port, csrf_token_from
from tests.factories import make_comment, make_thread

DELIVER = "hallway.core.mail.deliver_email"


class Worker:
    """Drives the app's queue the way ``flask worker`` does, with a clock we can move."""

    def __init__(self, huey):
        self.huey = huey
        self.clock = huey._get_timestamp()

    def run_ready(self) -> int:
        """Run what is queued now, and what was scheduled (retries) until the clock."""
        ran = 0
        for task in self.huey.read_schedule(self.clock):
            self.huey.enqueue(task)
        while (task := self.huey.dequeue()) is not None:
            self.huey.execute(task, timestamp=self.clock)
            ran += 1
        return ran

    def wait(self, seconds: float) -> None:
        self.clock += timedelta(seconds=seconds)


@pytest.fixture
def worker(app, monkeypatch) -> Worker:
    """The queue as in production: jobs wait for a worker instead of running inline."""
    huey = tasks.queue(app)
    monkeypatch.setattr(huey, "immediate", False)  # a fresh in-memory queue, restored after
    return Worker(huey)


class FlakyInbox:
    """An SMTP server that answers "try again later" to the first ``refusals`` messages."""

    def __init__(self, refusals: int):
        self.refusals = refusals
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(app, monkeypatch):
    """Start an SMTP server refusing the first N messages and point the app at it."""
    controllers = []

    def start(refusals: int) -> FlakyInbox:
        inbox = FlakyInbox(refusals)
        controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
        controller.start()
        controllers.append(controller)
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", controller.port)
        monkeypatch.setitem(app.config, "SMTP_USE_TLS", False)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


def test_a_reply_email_that_fails_twice_is_retried_and_delivered_once(
    worker, smtp, poster, member, replier, caplog
):
    inbox = smtp(refusals=2)
    thread = poster.thread(member, title="Alt text at scale")
    poster.reply(thread, replier, body="We batch them in the LMS.")
    assert inbox.messages == []  # queued after the commit, waiting for a worker

    assert worker.run_ready() == 1  # first try: refused
    assert worker.run_ready() == 0  # the retry waits its delay
    worker.wait(mail.MAIL_RETRY_DELAY_SECONDS + 1)
    assert worker.run_ready() == 1  # second try: refused
    worker.wait(mail.MAIL_RETRY_DELAY_SECONDS + 1)
    assert worker.run_ready() == 1  # third try: delivered
    worker.wait(mail.MAIL_RETRY_DELAY_SECONDS + 1)
    assert worker.run_ready() == 0

    [envelope] = inbox.messages
    assert envelope.rcpt_tos == [member.email]
    assert "We batch them in the LMS." in envelope.content.decode()
    assert f"Job {DELIVER} failed; 3 tries left" in caplog.text
    assert f"Job {DELIVER} failed; 2 tries left" in caplog.text
    assert "failed for good" not in caplog.text


def test_a_mail_job_that_always_fails_ends_with_an_error_naming_it(
    worker, smtp, poster, member, replier, caplog
):
    inbox = smtp(refusals=99)
    thread = poster.thread(member)
    poster.reply(thread, replier)
    tries = worker.run_ready()
    for _ in range(mail.MAIL_RETRIES + 2):
        worker.wait(mail.MAIL_RETRY_DELAY_SECONDS + 1)
        tries += worker.run_ready()
    assert tries == 1 + mail.MAIL_RETRIES
    assert inbox.messages == []
    final = [r for r in caplog.records if "failed for good" in r.getMessage()]
    assert len(final) == 1
    assert final[0].levelno == logging.ERROR
    assert DELIVER in final[0].getMessage()
    assert member.email in final[0].getMessage()  # its arguments, to send it by hand


def test_a_rolled_back_post_publishes_nothing_and_mails_nothing(
    app, session, socket_client, member, replier, mail_log
):
    thread = make_thread(session, author=member, title="Never posted")
    session.commit()
    socket_client.get_received()
    with app.test_request_context():
        comment = make_comment(
            db.session, thread=db.session.merge(thread), author=db.session.merge(replier)
        )
        sent = notify.notify_new_post(db.session, post=comment, mentioned_user_ids=set())
        assert [n.kind for n in sent] == ["reply"]  # the rows were added...
        unit_of_work.rollback(db.session)  # ...and the change refused
    assert socket_client.get_received() == []
    assert not mail_log.exists()
    assert service.unread_count(session, member.id) == 0


def test_a_committed_post_publishes_and_mails_only_after_the_commit(
    app, session, socket_client, member, replier, mail_log
):
    thread = make_thread(session, author=member)
    session.commit()
    socket_client.get_received()
    with app.test_request_context():
        comment = make_comment(
            db.session, thread=db.session.merge(thread), author=db.session.merge(replier)
        )
        notify.notify_new_post(db.session, post=comment, mentioned_user_ids=set())
        assert socket_client.get_received() == [] and not mail_log.exists()
        unit_of_work.commit(db.session)
    assert [e["name"] for e in socket_client.get_received()] == ["notification"]
    assert f"To: {member.email}" in mail_log.read_text()


def test_the_password_reset_email_goes_through_the_queue(worker, client, member, mail_log):
    response = client.get("/password/forgot")
    assert response.status_code == 200
    token = csrf_token_from(response.get_data(as_text=True))
    client.post("/password/forgot", data={"csrf_token": token, "email": member.email})
    assert not mail_log.exists()  # queued, not sent during the request
    assert worker.run_ready() == 1
    assert "Choose a new Hallway password" in mail_log.read_text()
