"""Factories for events tests: an event made the way an organiser makes one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from hallway.accounts.models import Role, User
from hallway.db import utcnow
from hallway.events import service
from hallway.events.models import Event, RsvpStatus
from tests.factories import make_user


def make_organiser(session: Session, **kwargs: Any) -> User:
    return make_user(session, role=Role.organiser, **kwargs)


def make_event(session: Session, *, owner: User | None = None, **fields: Any) -> Event:
    """A future event (in a week, three hours long, in Toronto) through the service."""
    owner = owner or make_organiser(session)
    starts_at = fields.pop("starts_at", utcnow().replace(microsecond=0) + timedelta(days=7))
    data = {
        "title": "Open Ed Meetup",
        "summary": "Coffee and open textbooks",
        "description": "We meet **in person**.",
        "starts_at": starts_at,
        "ends_at": fields.pop("ends_at", starts_at + timedelta(hours=3)),
        "time_zone": "America/Toronto",
        "format": "in_person",
        "venue": "Library, room 2",
        "city": "Toronto",
        **fields,
    }
    return service.create_event(session, actor=owner, data=data)


def make_past_event(session: Session, *, owner: User | None = None, **fields: Any) -> Event:
    event = make_event(session, owner=owner, **fields)
    event.starts_at = utcnow() - timedelta(days=10)
    event.ends_at = event.starts_at + timedelta(hours=2)
    session.flush()
    return event


def rsvp(session: Session, event: Event, user: User, status: str = "going"):
    return service.set_rsvp(session, actor=user, event=event, status=RsvpStatus(status))
