"""Live meetup rooms: the hallway track of an event, in real time."""

from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from hallway.core import signals


def _on_event_cancelled(session: Session, *, event_id: int, actor_id: int, **_: Any) -> None:
    """A cancelled event's rooms are archived: history stays readable, nothing new."""
    from hallway.rooms import service

    service.archive_rooms_of_cancelled_event(session, event_id=event_id, actor_id=actor_id)


def init_app(app: Flask) -> None:
    """Pages, JSON API, socket handlers, notification kinds and moderation subjects."""
    from hallway.demo import register_seeder
    from hallway.rooms import demo, service

    service.register_with_app()
    from hallway.api import register_api_blueprint
    from hallway.rooms import api, sockets, views  # C: pages, JSON API, socket handlers

    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
    sockets.register()
    register_seeder("rooms", demo.seed_rooms, order=demo.ORDER)
    signals.event_cancelled.connect(_on_event_cancelled)
