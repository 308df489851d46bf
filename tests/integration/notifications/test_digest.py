"""`flask notifications digest`: one email per member per day, never twice."""

from datetime import timedelta

import pytest

from hallway.db import utcnow
from hallway.notifications import mail, service
from hallway.notifications.models import Notification
from tests.factories import make_notification, make_user


@pytest.fixture
def digest_reader(session):
    user = make_user(session, handle="daily", display_name="Dana Daily")
    service.update_preferences(session, actor=user, digest="daily")
    return user


def run_digest(app):
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    return result.output


def test_digest_sends_unread_notifications_of_the_last_day_once(
    app, session, digest_reader, mail_log
):
    now = utcnow()
    fresh = make_notification(session, recipient=digest_reader, summary="Fresh reply")
    make_notification(session, recipient=digest_reader, summary="Already read", read=True)
    make_notification(
        session, recipient=digest_reader, summary="Too old", at=now - timedelta(hours=25)
    )
    someone_else = make_user(session)  # no digest chosen
    make_notification(session, recipient=someone_else, summary="Not for a digest")
    session.commit()

    assert "Sent 1 digest." in run_digest(app)
    text = mail_log.read_text()
    assert f"To: {digest_reader.email}" in text
    assert "Subject: Your Hallway digest: 1 unread notification" in text
    assert "* Fresh reply" in text
    assert "Already read" not in text and "Too old" not in text
    assert "Not for a digest" not in text
    assert "/notifications/preferences" in text
    session.expire_all()
    assert session.get(Notification, fresh.id).digested_at is not None

    assert "Sent 0 digests." in run_digest(app)
    assert mail_log.read_text() == text


def test_a_new_notification_goes_into_the_next_digest_alone(app, session, digest_reader, mail_log):
    make_notification(session, recipient=digest_reader, summary="First")
    session.commit()
    run_digest(app)
    make_notification(session, recipient=digest_reader, summary="Second")
    session.commit()
    run_digest(app)
    second_email = mail_log.read_text().split("=" * 72)[1]
    assert "* Second" in second_email and "* First" not in second_email


def test_a_digest_that_fails_to_send_is_retried_next_time(
    app, session, digest_reader, monkeypatch, mail_log
):
    note = make_notification(session, recipient=digest_reader)
    session.commit()
    monkeypatch.setattr(mail, "deliver", lambda app, emails: list(emails))
    output = run_digest(app)
    assert "1 could not be sent; they will be retried on the next run." in output
    session.expire_all()
    assert session.get(Notification, note.id).digested_at is None
    monkeypatch.undo()
    assert "Sent 1 digest." in run_digest(app)
