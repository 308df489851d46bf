"""The daily digest: checked every hour by the task queue (and `flask notifications
digest` by hand); one email per member per day, each notification in one digest."""

from datetime import datetime, timedelta

import pytest

from hallway.core import tasks, unit_of_work
from hallway.db import utcnow
from hallway.notifications import jobs, service
from hallway.notifications.models import Notification
from tests.factories import make_notification, make_user

DIGEST_JOB = "hallway.notifications.jobs.send_digests"


@pytest.fixture
def digest_reader(session):
    user = make_user(session, handle="daily", display_name="Dana Daily")
    service.update_preferences(session, actor=user, digest="daily")
    return user


def run_digest(app):
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    return result.output


def hours_from_now(hours: float) -> datetime:
    return utcnow() + timedelta(hours=hours)


def later(monkeypatch, hours: float) -> None:
    """Let ``hours`` pass for the digest's clock."""
    moment = utcnow() + timedelta(hours=hours)
    monkeypatch.setattr(service, "utcnow", lambda: moment)


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

    assert "Queued 1 digest." in run_digest(app)
    text = mail_log.read_text()
    assert f"To: {digest_reader.email}" in text
    assert "Subject: Your Hallway digest: 1 unread notification" in text
    assert "* Fresh reply" in text
    assert "Already read" not in text and "Too old" not in text
    assert "Not for a digest" not in text
    assert "/notifications/preferences" in text
    session.expire_all()
    assert session.get(Notification, fresh.id).digested_at is not None

    assert "Queued 0 digests." in run_digest(app)
    assert mail_log.read_text() == text


def test_a_new_notification_goes_into_the_next_days_digest_alone(
    app, session, digest_reader, mail_log, monkeypatch
):
    make_notification(session, recipient=digest_reader, summary="First")
    session.commit()
    run_digest(app)
    make_notification(session, recipient=digest_reader, summary="Second", at=hours_from_now(8))
    session.commit()
    later(monkeypatch, 24)
    assert "Queued 1 digest." in run_digest(app)
    second_email = mail_log.read_text().split("=" * 72)[1]
    assert "* Second" in second_email and "* First" not in second_email


def test_a_member_gets_at_most_one_digest_a_day(app, session, digest_reader, mail_log, monkeypatch):
    make_notification(session, recipient=digest_reader, summary="Morning reply")
    session.commit()
    run_digest(app)
    afternoon = hours_from_now(8)
    make_notification(session, recipient=digest_reader, summary="Afternoon reply", at=afternoon)
    session.commit()
    later(monkeypatch, 23)
    assert "Queued 0 digests." in run_digest(app)
    assert mail_log.read_text().count("To: ") == 1
    later(monkeypatch, 24)
    assert "Queued 1 digest." in run_digest(app)
    assert "* Afternoon reply" in mail_log.read_text().split("=" * 72)[1]


def test_the_queue_checks_for_due_digests_every_hour_on_the_hour(app):
    huey = tasks.queue(app)
    due_at_seven = [task.name for task in huey.read_periodic(datetime(2026, 12, 1, 7, 0))]
    assert DIGEST_JOB in due_at_seven
    assert DIGEST_JOB not in [t.name for t in huey.read_periodic(datetime(2026, 12, 1, 7, 30))]
    digest = app.extensions[tasks.EXTENSION_KEY]["tasks"][DIGEST_JOB].s()
    assert all(digest.validate_datetime(datetime(2026, 12, 1, hour, 0)) for hour in range(24))
    assert not digest.validate_datetime(datetime(2026, 12, 1, 7, 1))


def test_the_scheduled_job_sends_the_digests_that_are_due(app, session, digest_reader, mail_log):
    make_notification(session, recipient=digest_reader, summary="While you were out")
    session.commit()
    digest = app.extensions[tasks.EXTENSION_KEY]["tasks"][DIGEST_JOB]
    assert digest.call_local() == 1  # what the consumer runs on the hour
    assert "* While you were out" in mail_log.read_text()
    assert digest.call_local() == 0


def test_the_scheduled_digest_is_dated_on_the_hour_so_it_comes_at_the_same_hour_daily():
    assert jobs.on_the_hour(datetime(2026, 12, 1, 7, 0, 42, 5)) == datetime(2026, 12, 1, 7, 0)


def test_digest_emails_wait_for_the_commit(app, app_context, session, digest_reader, mail_log):
    make_notification(session, recipient=digest_reader)
    session.commit()
    assert service.send_due_digests(session) == 1
    assert not mail_log.exists()
    unit_of_work.rollback(session)
    assert not mail_log.exists()
    assert service.send_due_digests(session) == 1
    unit_of_work.commit(session)
    assert f"To: {digest_reader.email}" in mail_log.read_text()
