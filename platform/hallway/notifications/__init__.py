"""In-app notices, real-time push and email: who hears about what, and how.

Features plug their notification kinds in (``register_kind``); this package never
imports a feature.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from hallway.api import register_api_blueprint
    from hallway.notifications import api, views

    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
