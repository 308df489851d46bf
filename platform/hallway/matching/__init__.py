"""Matching: who to meet and why, for each member and each event."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Pages, JSON API, index jobs and commands."""
    # E: the index follows profile, RSVP and block changes; `flask matching ...`.
    from hallway.matching import jobs
    from hallway.matching.cli import matching_cli

    jobs.connect_signals()
    app.cli.add_command(matching_cli)
    # E: end
    # G: pages (People to meet, dashboard, mentoring rounds) and the JSON API.
    from hallway.api import register_api_blueprint
    from hallway.matching import api as matching_api
    from hallway.matching import views as matching_views

    app.register_blueprint(matching_views.bp)
    register_api_blueprint(matching_api.bp)
    # G: end
