"""Meetings: meeting requests, mentoring office hours and My agenda."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Pages, JSON API, notification kinds."""
