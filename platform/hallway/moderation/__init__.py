"""Flags, hiding, locking, moving, blocking, posting limits and the audit log.

Features plug the things that can be flagged and hidden in (``register_subject``);
this package never imports a feature.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from hallway.moderation import views

    app.register_blueprint(views.bp)
