"""In-app notices, real-time push and email: who hears about what, and how.

Features plug their notification kinds in (``register_kind``); this package never
imports a feature.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from hallway.api import register_api_blueprint
    from hallway.core.export import register_export_part
    from hallway.core.shell import register_badge
    from hallway.notifications import api, jobs, service, views  # noqa: F401 (jobs declares)

    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
    register_export_part("notifications", service.export_notifications)
    service.register_unread_count_with_user()  # the nav's count, read with the member
    register_badge("unread", views.unread_badge)
