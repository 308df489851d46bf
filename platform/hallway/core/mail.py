"""Sending email on the task queue: SMTP when HALLWAY_SMTP_HOST is set, otherwise the log.

Core, so that accounts (password resets) and notifications (replies, digests) share it
without importing each other. Services never send mail themselves: ``queue_emails``
puts one ``deliver_email`` job per message on the task queue once the change that
caused it is committed (a rolled-back change mails nothing). The job sends one
message and raises when the mail server fails, so the queue retries it; after its
last try the queue logs it at ERROR. A request never waits for the mail server.
"""

from __future__ import annotations

import smtplib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.orm import Session

from hallway.core.tasks import enqueue, job

_log_file_lock = threading.Lock()

MAIL_LOG_NAME = "mail.log"
#: A failed message is tried again this many times, a minute apart, before it is logged.
MAIL_RETRIES = 3
MAIL_RETRY_DELAY_SECONDS = 60


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    #: Where the recipient stops these emails without logging in (List-Unsubscribe).
    unsubscribe_url: str | None = None


def external_url(path: str) -> str:
    """An absolute link for an email: the configured base URL and a site path."""
    return current_app.config["BASE_URL"] + path


def queue_emails(session: Session, emails: Iterable[Email]) -> None:
    """Send each email from the task queue once the session's change is committed."""
    for email in emails:
        enqueue(session, deliver_email, email.to, email.subject, email.body, email.unsubscribe_url)


@job(retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY_SECONDS)
def deliver_email(to: str, subject: str, body: str, unsubscribe_url: str | None = None) -> None:
    """Send one email now. Raises when the mail server fails, so the queue retries it."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    send_email(app, Email(to, subject, body, unsubscribe_url))


def send_email(app: Flask, email: Email) -> None:
    """Send one email over SMTP (or to the log when no SMTP host is configured).

    A recipient the server refuses for good (5xx) is logged at ERROR and not tried
    again; any other failure, a temporary refusal (4xx, e.g. greylisting) included,
    raises.
    """
    if not app.config.get("SMTP_HOST"):
        _write_to_log(app, email)
        return
    config = app.config
    with smtplib.SMTP(
        config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT_SECONDS"]
    ) as smtp:
        if config.get("SMTP_USE_TLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        try:
            smtp.send_message(_as_message(app, email))
        except smtplib.SMTPRecipientsRefused as refused:
            if any(code < 500 for code, _ in refused.recipients.values()):
                raise
            app.logger.error("The mail server refused the recipient %s for good", email.to)


def _as_message(app: Flask, email: Email) -> EmailMessage:
    message = EmailMessage()
    message["From"] = app.config["SMTP_FROM"]
    message["To"] = email.to
    # Header values must be one line: user text (titles, names) could carry breaks.
    message["Subject"] = " ".join(email.subject.split())
    message["Message-ID"] = make_msgid(domain="hallway")
    if email.unsubscribe_url:
        # RFC 8058: mail clients may POST to the link to stop emails in one click.
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.body)
    return message


def mail_log_path(app: Flask) -> Path:
    """instance/mail.log: the configured instance folder (tests set their own)."""
    return Path(app.config.get("INSTANCE_PATH") or app.instance_path) / MAIL_LOG_NAME


def _write_to_log(app: Flask, email: Email) -> None:
    """Development and tests: the app logger, and instance/mail.log to read at leisure."""
    text = "\n".join(
        [
            f"From: {app.config['SMTP_FROM']}",
            f"To: {email.to}",
            f"Subject: {' '.join(email.subject.split())}",
            *([f"List-Unsubscribe: <{email.unsubscribe_url}>"] if email.unsubscribe_url else []),
            "",
            email.body,
        ]
    )
    app.logger.info("Email (not sent: no SMTP host configured)\n%s", text)
    path = mail_log_path(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _log_file_lock, path.open("a", encoding="utf-8") as log:
        log.write(text)
        log.write("\n" + "=" * 72 + "\n")
