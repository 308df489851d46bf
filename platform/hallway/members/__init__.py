"""Member profiles by career stage, the directory, privacy and the data export."""

from flask import Flask


def init_app(app: Flask) -> None:
    from hallway.api import register_api_blueprint
    from hallway.members import api, views

    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
    _register_demo_seeder()
    _register_time_zone_provider()


def _register_time_zone_provider() -> None:
    """Times on pages are shown in the time zone on the reader's profile."""
    from hallway.core.i18n import register_time_zone_provider
    from hallway.db import db
    from hallway.members import service

    def member_time_zone(user) -> str | None:
        # The same per-request read as the privacy rules' (one query for both).
        own = service.own_profile_facts(db.session, user.id)
        return own.time_zone if own is not None else None

    register_time_zone_provider(member_time_zone)
    service.register_own_facts_with_user()  # read with the member: one statement


def _register_demo_seeder() -> None:
    from hallway.demo import register_seeder
    from hallway.members import demo

    register_seeder("members", demo.seed_members, order=demo.ORDER, logins=demo.demo_logins)
