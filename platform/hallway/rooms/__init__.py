"""Live meetup rooms: the hallway track of an event, in real time."""

from flask import Flask


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
