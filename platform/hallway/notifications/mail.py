"""Sending email: SMTP when HALLWAY_SMTP_HOST is set, otherwise the log.

Only ever called after the commit. A message that can't be sent is logged and
dropped; it never breaks the request that caused it.
"""

from __future__ import annotations

import smtplib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import Flask, current_app

_background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="hallway-mail")
_log_file_lock = threading.Lock()

MAIL_LOG_NAME = "mail.log"


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


def send_emails(emails: list[Email]) -> None:
    """Send after the response when configured to, else now; failures are logged."""
    if not emails:
        return
    app = current_app._get_current_object()
    if app.config.get("MAIL_IN_BACKGROUND"):
        _background.submit(deliver, app, emails)
    else:
        deliver(app, emails)


def deliver(app: Flask, emails: list[Email]) -> list[Email]:
    """Send now over one SMTP connection (or to the log); returns those that failed."""
    if not emails:
        return []
    try:
        if not app.config.get("SMTP_HOST"):
            for email in emails:
                _write_to_log(app, email)
            return []
        return _send_over_smtp(app, emails)
    except Exception:
        app.logger.exception("Could not send %d email(s)", len(emails))
        return list(emails)


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


def _send_over_smtp(app: Flask, emails: list[Email]) -> list[Email]:
    config = app.config
    failed: list[Email] = []
    with smtplib.SMTP(
        config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT_SECONDS"]
    ) as smtp:
        if config.get("SMTP_USE_TLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        for email in emails:
            try:
                smtp.send_message(_as_message(app, email))
            except smtplib.SMTPRecipientsRefused:
                app.logger.warning("The mail server refused the recipient %s", email.to)
                failed.append(email)
    return failed


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
