"""Room messages in the site moderators' pages: the queue, the flag form, the audit log."""

from __future__ import annotations

from hallway.accounts.models import Role
from hallway.rooms import service
from tests.conftest import Browserless
from tests.factories import make_user
from tests.integration.rooms.conftest import go
from tests.unit.events.factories import make_event, make_organiser


def logged_in(app, user) -> Browserless:
    helper = Browserless(app.test_client())
    assert helper.log_in(user.email).status_code == 302
    return helper


def test_a_flagged_room_message_reaches_the_queue_and_its_removal_the_audit_log(app, session):
    with app.app_context():
        organiser = make_organiser(session)
        event = make_event(session, owner=organiser)
        room = service.create_room(session, organiser, event.id, {"name": "Hallway"})
        author, reader = make_user(session), make_user(session)
        for person in (author, reader):
            go(session, event, person)
            service.join_room(session, person, room.id)
        message, _ = service.send_message(session, author, room.id, "Buy my course now", "c1")
        service.flag_message(session, reader, message.id, "spam")
        service.remove_message(session, organiser, message.id)
        admin = make_user(session, role=Role.admin)
        session.commit()
    moderator = logged_in(app, admin)
    queue = moderator.client.get("/moderation").get_data(as_text=True)
    assert "Buy my course now" in queue and "Hallway" in queue
    audit = moderator.client.get("/moderation/audit").get_data(as_text=True)
    assert "Removed a room message" in audit


def test_a_member_opens_the_flag_form_of_a_message_in_their_room_only(app, session):
    with app.app_context():
        organiser = make_organiser(session)
        event = make_event(session, owner=organiser)
        room = service.create_room(session, organiser, event.id, {"name": "Hallway"})
        author, reader, stranger = make_user(session), make_user(session), make_user(session)
        for person in (author, reader):
            go(session, event, person)
            service.join_room(session, person, room.id)
        message, _ = service.send_message(session, author, room.id, "Hello", "c1")
        session.commit()
    path = f"/moderation/flag/room_message/{message.id}"
    assert logged_in(app, reader).client.get(path).status_code == 200
    assert logged_in(app, stranger).client.get(path).status_code == 404
