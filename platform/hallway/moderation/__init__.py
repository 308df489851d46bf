"""Flags, hiding, blocking, posting limits and the audit log.

Features plug the things that can be flagged and hidden in (``subjects.register_subject``)
and where their posts are counted for the posting limit
(``service.register_posting_source``); this package never imports a feature.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from hallway.core.export import register_export_part
    from hallway.core.shell import register_badge
    from hallway.moderation import service, views

    app.register_blueprint(views.bp)
    service.register_blocks_with_user()  # whom the reader blocked, read with the member
    register_export_part("flags", service.export_flags)
    register_badge("flagged", views.flagged_badge)
    register_export_part("blocks", service.export_blocks)
