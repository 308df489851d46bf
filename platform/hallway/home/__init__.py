"""The front door: the landing page, and health checks for operators."""

from flask import Flask


def init_app(app: Flask) -> None:
    from hallway.home import views

    app.register_blueprint(views.bp)
