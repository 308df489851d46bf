"""Events: conferences and meetups that organisers run."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Events only have their table so far (the events feature comes next), and a demo seeder."""
    from hallway.demo import register_seeder
    from hallway.events import demo

    register_seeder("events", demo.seed_events, order=demo.ORDER)
