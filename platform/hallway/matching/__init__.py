"""Matching: who to meet and why, for each member and each event."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Pages, JSON API, index jobs and commands."""
