"""The living style guide: every component of templates/_ui.html on one page.

For people building pages, so only in development and tests: a production app
(HALLWAY_ENV=production) does not register the route, and /styleguide is a 404.
"""

from flask import Flask


def is_enabled(app: Flask) -> bool:
    """On unless the app runs in production (``STYLEGUIDE_ENABLED`` overrides)."""
    default = app.config.get("ENVIRONMENT", "development") != "production"
    return bool(app.config.get("STYLEGUIDE_ENABLED", default))


def init_app(app: Flask) -> None:
    if not is_enabled(app):
        return
    from hallway.styleguide import views

    app.register_blueprint(views.bp)
