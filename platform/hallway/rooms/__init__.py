"""Live meetup rooms: the hallway track of an event, in real time."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Pages, JSON API, socket handlers, notification kinds and moderation subjects."""
