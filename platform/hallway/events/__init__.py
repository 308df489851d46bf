"""Events: conferences and meetups that organisers run."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to plug in yet: events only have their table (the events feature comes next)."""
