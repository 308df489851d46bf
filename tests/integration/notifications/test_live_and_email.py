"""Notifications reach open pages through Socket.IO and inboxes through email."""

import logging
import re
import smtplib
import time

import pytest
import socketio
from aiosmtpd.controller import Controller

from hallway.core import mail
from hallway.db import db
from hallway.notifications import service
from tests.conftest import Browserless, _free_port
from tests.factories import make_user
from tests.integration.notifications.conftest import Poster


def notifications_received(socket_client) -> list[dict]:
    return [p["args"][0] for p in socket_client.get_received() if p["name"] == "notification"]


def test_a_reply_pushes_the_notification_and_unread_count_to_the_members_socket(
    socket_client, poster, member, replier
):
    thread = poster.thread(member, title="Moving from K-12 into instructional design")
    socket_client.get_received()
    comment, _ = poster.reply(thread, replier, body="I made that move in 2019.")
    [notice] = notifications_received(socket_client)
    assert notice["unread_count"] == 1
    assert notice["kind"] == "reply"
    assert notice["summary"] == (
        "Sam Rivera replied to you in “Moving from K-12 into instructional design”"
    )
    assert notice["excerpt"] == "I made that move in 2019."
    assert notice["url"].endswith(f"#comment-{comment.id}")
    assert notice["actor"]["handle"] == "sam"
    poster.reply(thread, replier, body="Happy to chat.")
    assert [n["unread_count"] for n in notifications_received(socket_client)] == [2]


def test_the_pushed_notice_is_the_apis_notification_and_the_unread_count(
    socket_client, logged_in, poster, member, replier
):
    thread = poster.thread(member)
    socket_client.get_received()
    poster.reply(thread, replier, body="The same words everywhere")
    [notice] = notifications_received(socket_client)
    [listed] = logged_in.client.get("/api/v1/notifications").get_json()["items"]
    assert {field: value for field, value in notice.items() if field != "unread_count"} == listed
    assert listed["excerpt"] == "The same words everywhere" and notice["unread_count"] == 1


def test_reading_elsewhere_pushes_the_new_count(socket_client, logged_in, poster, member, replier):
    thread = poster.thread(member)
    poster.reply(thread, replier)
    socket_client.get_received()
    logged_in.post_form("/notifications/read-all", {})
    counts = [
        p["args"][0] for p in socket_client.get_received() if p["name"] == "notifications_read"
    ]
    assert counts == [{"unread_count": 0}]


def test_email_goes_to_the_log_with_an_excerpt_and_ways_to_stop_it(
    app, poster, member, replier, mail_log, caplog
):
    caplog.set_level(logging.INFO, logger=app.logger.name)
    thread = poster.thread(member, title="Rubrics that students read")
    poster.reply(thread, replier, body="We use **single-point** rubrics. See @maya's post.")
    text = mail_log.read_text()
    assert f"To: {member.email}" in text
    assert "Subject: Sam Rivera replied to you in “Rubrics that students read”" in text
    assert "> We use single-point rubrics. See @maya's post." in text  # plain text, no Markdown
    assert "Choose which emails you get: http://127.0.0.1:5000/notifications/preferences" in text
    unsubscribe = re.search(r"Stop all Hallway emails: (\S+)", text).group(1)
    assert unsubscribe.startswith("http://127.0.0.1:5000/notifications/unsubscribe/")
    assert f"List-Unsubscribe: <{unsubscribe}>" in text
    assert "Email (not sent: no SMTP host configured)" in caplog.text


def test_members_who_turned_reply_emails_off_get_none(
    app, session, poster, member, replier, mail_log
):
    with app.test_request_context():
        service.update_preferences(db.session, actor=db.session.merge(member), email_on_reply=False)
        db.session.commit()
    thread = poster.thread(member)
    poster.reply(thread, replier)
    assert not mail_log.exists()
    assert service.unread_count(session, member.id) == 1  # in-app is always on


def test_mentions_email_but_watched_activity_does_not(session, poster, member, replier, mail_log):
    watcher = make_user(session, handle="watcher")
    session.commit()
    thread = poster.thread(watcher)
    poster.reply(thread, replier, mentioned={member.id})
    text = mail_log.read_text()
    assert text.count("To: ") == 2  # the thread author (reply) and maya (mention)
    assert f"To: {member.email}" in text
    assert "mentioned you" in text
    other, _ = poster.reply(thread, make_user(session, handle="third"))
    assert mail_log.read_text().count("To: ") == 3  # only the author again, as a reply


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def test_email_is_sent_over_smtp_when_a_host_is_configured(
    app, monkeypatch, smtp_server, poster, member, replier, mail_log
):
    controller, inbox = smtp_server
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", controller.port)
    monkeypatch.setitem(app.config, "SMTP_USE_TLS", False)
    thread = poster.thread(member, title="Captioning workflows")
    poster.reply(thread, replier, body="Otter, then a human pass.")
    [envelope] = inbox.messages
    assert envelope.rcpt_tos == [member.email]
    body = envelope.content.decode()
    assert "Otter, then a human pass." in body
    assert "/notifications/preferences" in body
    assert not mail_log.exists()


def test_a_mail_server_failure_is_logged_and_never_breaks_the_post(
    app, monkeypatch, session, poster, member, replier, caplog
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "try later")

    monkeypatch.setitem(app.config, "SMTP_HOST", "mail.invalid")
    monkeypatch.setattr(mail.smtplib, "SMTP", refuse)
    thread = poster.thread(member)
    poster.reply(thread, replier)
    assert "Job hallway.core.mail.deliver_email failed; 3 tries left" in caplog.text
    assert service.unread_count(session, member.id) == 1


def test_a_broken_socket_transport_is_logged_and_the_email_still_goes(
    app, monkeypatch, poster, member, replier, mail_log, caplog
):
    def broken(*args, **kwargs):
        raise ConnectionError("message queue down")

    monkeypatch.setattr(app.extensions["socketio"], "emit", broken)
    thread = poster.thread(member)
    poster.reply(thread, replier)
    assert "An after-commit effect failed" in caplog.text
    assert "message queue down" in caplog.text
    assert f"To: {member.email}" in mail_log.read_text()


# --- a real python-socketio client against a live server ----------------------


def test_a_real_client_hears_its_notification_and_count(live_server):
    app = live_server.app
    with app.app_context():
        maya = make_user(db.session, handle="livemaya")
        sam = make_user(db.session, handle="livesam", display_name="Live Sam")
        db.session.commit()
        ids = maya.id, sam.id
        email = maya.email
    helper = Browserless(app.test_client())
    assert helper.log_in(email).status_code == 302
    cookie = helper.client.get_cookie("session").value
    received = []
    client = socketio.Client(reconnection=False)
    client.on("notification", received.append)
    client.connect(
        live_server.url,
        transports=["websocket"],
        headers={"Cookie": f"session={cookie}"},
        wait_timeout=5,
    )
    try:
        with app.app_context():
            poster = Poster(app, db.session)
            thread = poster.thread(db.session.get(type(maya), ids[0]), title="Live one")
            poster.reply(thread, db.session.get(type(maya), ids[1]))
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        client.disconnect()
    assert [(n["kind"], n["unread_count"]) for n in received] == [("reply", 1)]
    assert received[0]["summary"] == "Live Sam replied to you in “Live one”"
