"""Member profiles by career stage, the directory, privacy and the data export."""

from flask import Flask


def init_app(app: Flask) -> None:
    from hallway.api import register_api_blueprint
    from hallway.members import api, views

    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
    _register_demo_seeder()


def _register_demo_seeder() -> None:
    from hallway.demo import register_seeder
    from hallway.members import demo

    register_seeder("members", demo.seed_members, order=demo.ORDER, logins=demo.demo_logins)
