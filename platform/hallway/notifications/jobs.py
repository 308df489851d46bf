"""Notifications' jobs on the task queue: the email sender and the daily digest.

The email job itself, ``deliver_email``, is core (``hallway.core.mail``): accounts
sends mail too. Importing this module declares every job notifications need before
the app builds its queue.
"""

from __future__ import annotations

from datetime import datetime

from hallway.core.mail import deliver_email
from hallway.core.tasks import crontab, periodic_job
from hallway.db import db, utcnow
from hallway.notifications import service

#: Checked every hour on the hour; each member still gets at most one digest a day.
DIGEST_SCHEDULE = crontab(minute="0", hour="*")


@periodic_job(DIGEST_SCHEDULE)
def send_digests() -> int:
    """Queue the digests that are due. Each is dated on the hour, so a member's next
    digest is due at the same hour the next day however late the worker ran."""
    now = utcnow()
    return service.send_due_digests(db.session, now=now, dated=on_the_hour(now))


def on_the_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


__all__ = ["DIGEST_SCHEDULE", "deliver_email", "send_digests"]
