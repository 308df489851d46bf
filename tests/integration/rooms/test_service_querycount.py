"""The lobby and the history cost a fixed number of statements, however many rooms,
people and messages there are."""

from __future__ import annotations

import pytest

from hallway.rooms import service
from tests.factories import make_profile, make_user
from tests.integration.rooms.conftest import go, send
from tests.querycount import counting_queries

pytestmark = pytest.mark.usefixtures("app_context")


def lobby_statements(app, session, viewer, event, present):
    service.lobby(session, viewer, event.id, present=present)  # warms per-request caches
    session.expire_all()
    with counting_queries(app) as statements:
        entries = service.lobby(session, viewer, event.id, present=present)
        service.lobby_payloads(session, entries)
    return statements, entries


def add_rooms(session, organiser, event, people, count, start):
    for number in range(start, start + count):
        room = service.create_room(session, organiser, event.id, {"name": f"Room {number}"})
        for person in people:
            service.join_room(session, person, room.id)
        pinned = send(session, people[0], room, f"pin {number}")
        service.pin_message(session, organiser, pinned.id)


def test_the_lobby_does_not_grow_with_rooms_or_people(app, session, event, organiser, alice):
    people = [alice]
    for _ in range(3):
        person = make_user(session)
        make_profile(session, person)
        go(session, event, person)
        people.append(person)
    everyone = {person.id for person in people}
    add_rooms(session, organiser, event, people, 2, 0)
    few_statements, entries = lobby_statements(app, session, alice, event, lambda topic: everyone)
    assert len(entries) == 2
    add_rooms(session, organiser, event, people, 6, 2)
    statements, entries = lobby_statements(app, session, alice, event, lambda topic: everyone)
    assert len(entries) == 8 and all(entry.here.count == 4 for entry in entries)
    assert len(statements) == len(few_statements)


def test_history_does_not_grow_with_messages_or_authors(app, session, seated, alice, bob, event):
    question = send(session, alice, seated, "first")
    send(session, bob, seated, "reply", reply_to_id=question.id)
    session.expire_all()
    with counting_queries(app) as statements:
        service.history(session, alice, seated.id)
    few = len(statements)
    for number in range(20):
        author = make_user(session)
        go(session, event, author)
        service.join_room(session, author, seated.id)
        message = send(session, author, seated, f"m{number}", reply_to_id=question.id)
        service.toggle_reaction(session, alice, message.id, "like")
    session.expire_all()
    with counting_queries(app) as statements:
        shown = service.history(session, alice, seated.id)
    assert len(shown.messages) == 22
    assert len(statements) == few
