"""Member profiles by career stage, the directory, privacy and the data export."""

from flask import Flask


def init_app(app: Flask) -> None:
    from hallway.api import register_api_blueprint
    from hallway.members import api, views

    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
