"""Categories, threads, nested comments, reactions, search; live on the page."""

from flask import Flask


def init_app(app: Flask) -> None:
    from hallway.api import register_api_blueprint
    from hallway.core.export import register_export_part
    from hallway.discussions import api, export, moderation, notify, participants, sockets, views
    from hallway.notifications.people import register_avatar_provider
    from hallway.realtime import register_handler

    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
    notify.register_notification_kinds()
    moderation.register(app)
    register_handler("join_thread", sockets.join_thread)
    register_handler("leave_thread", sockets.leave_thread)
    register_export_part("discussions", export.member_discussions)
    register_avatar_provider(participants.avatars_of)  # the notification centre's avatars
    _register_demo_seeder()


def _register_demo_seeder() -> None:
    from hallway.demo import register_seeder
    from hallway.discussions import demo

    register_seeder("discussions", demo.seed_discussions, order=demo.ORDER)
