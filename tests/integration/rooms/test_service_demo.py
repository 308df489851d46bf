"""The demo seeds rooms for the demo events, through the service, with conversations."""

from __future__ import annotations

from sqlalchemy import func, select

from hallway.events.models import Event
from hallway.notifications.models import Notification
from hallway.rooms import demo, service
from hallway.rooms.models import Room, RoomKind, RoomMessage


def test_the_demo_events_have_their_rooms_a_first_timers_table_and_messages(app, session):
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--members", "16"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    rooms = list(session.scalars(select(Room).order_by(Room.id)))
    names = {room.name for room in rooms}
    assert {"LMS admins", "Mentoring tables", "Career changers' corner"} <= names
    [table] = [room for room in rooms if room.kind is RoomKind.table]
    assert table.name == demo.FIRST_TIMERS_TABLE and table.owner_id is not None
    for room in rooms:
        event = session.get(Event, room.event_id)
        assert room.created_by_id in (event.owner_id, table.owner_id)
        seqs = list(
            session.scalars(
                select(RoomMessage.seq)
                .where(RoomMessage.room_id == room.id)
                .order_by(RoomMessage.seq)
            )
        )
        assert seqs == list(range(1, len(seqs) + 1))  # numbered by the service, in order
    assert session.scalar(select(func.count()).select_from(RoomMessage)) >= len(rooms)
    mentions = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.kind == service.KIND_MENTION)
    )
    assert session.scalar(mentions) == 0  # seeding notifies nobody
