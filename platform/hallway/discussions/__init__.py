"""Categories, threads, nested comments, reactions, search; live on the page."""

from flask import Flask


def init_app(app: Flask) -> None:
    from hallway.api import register_api_blueprint
    from hallway.discussions import api, sockets, views
    from hallway.realtime import register_handler

    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
    register_handler("join_thread", sockets.join_thread)
    register_handler("leave_thread", sockets.leave_thread)
