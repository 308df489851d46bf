"""Rooms tests: an event with its organiser, a co-organiser, members going and not,
and helpers to make rooms and send messages through the service.

Service tests call ``hallway.rooms.service`` directly with the test's ``session`` (in
the rolled-back transaction) inside ``app_context`` (``pytestmark`` in each module: the
fixture is not autouse here, since socket and page tests must not share it); what is
published is read back from the realtime package's stored events (``published``).
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from hallway.db import utcnow
from hallway.events import service as events_service
from hallway.events.models import RsvpStatus
from hallway.realtime.models import TopicEvent
from hallway.rooms import service
from tests.factories import make_user
from tests.unit.events.factories import make_event, make_organiser

_client_ids = itertools.count(1)


def new_client_id() -> str:
    return f"client-{next(_client_ids)}"


def published(session, room_id, event=None):
    """What was published on the room's topic, in order: [(event, payload), ...]."""
    statement = (
        select(TopicEvent)
        .where(TopicEvent.topic == service.room_topic(room_id))
        .order_by(TopicEvent.seq)
    )
    rows = session.scalars(statement)
    return [(row.event, row.payload) for row in rows if event is None or row.event == event]


def go(session, event, user):
    return events_service.set_rsvp(session, actor=user, event=event, status=RsvpStatus.going)


def send(session, user, room, body="Hello room", client_id=None, **kwargs):
    message, _created = service.send_message(
        session, user, room.id, body, client_id or new_client_id(), **kwargs
    )
    return message


@pytest.fixture
def organiser(session):
    return make_organiser(session, handle="olu", display_name="Olu Organiser")


@pytest.fixture
def event(session, organiser):
    return make_event(session, owner=organiser, title="Open Ed Meetup")


@pytest.fixture
def co_organiser(session, event, organiser):
    user = make_user(session, handle="cora", display_name="Cora Co")
    events_service.add_co_organiser(session, actor=organiser, event=event, user_id=user.id)
    return user


@pytest.fixture
def alice(session, event):
    user = make_user(session, handle="alice", display_name="Alice Adams")
    go(session, event, user)
    return user


@pytest.fixture
def bob(session, event):
    user = make_user(session, handle="bobby", display_name="Bob Brown")
    go(session, event, user)
    return user


@pytest.fixture
def outsider(session):
    """A logged-in member who is not going to the event."""
    return make_user(session, handle="otto", display_name="Otto Outside")


@pytest.fixture
def room(session, organiser, event):
    return service.create_room(
        session, organiser, event.id, {"name": "Hallway", "topic": "Say hello"}
    )


@pytest.fixture
def seated(session, room, alice, bob):
    """Alice and Bob have joined ``room``."""
    service.join_room(session, alice, room.id)
    service.join_room(session, bob, room.id)
    return room


@pytest.fixture
def now():
    return utcnow().replace(microsecond=0)


@pytest.fixture
def later(now):
    return lambda seconds: now + timedelta(seconds=seconds)
