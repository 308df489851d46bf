"""Hallway: the community and hallway track for educational technologists."""

from __future__ import annotations

from typing import Any

from flask import Flask

from hallway.config import Config, config_for_environment, project_root


def create_app(config: Config | dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, socket handlers. Nothing else.

    ``config`` may be a Config object, or a dict of overrides on top of the
    environment's settings (handy in tests).
    """
    from hallway import cli, models  # noqa: F401 - models registers every table
    from hallway.accounts import views as accounts_views
    from hallway.accounts.service import load_user_from_cookie_id
    from hallway.api import register_api
    from hallway.core.errors import register_error_handlers
    from hallway.core.templating import register_template_helpers
    from hallway.db import db
    from hallway.discussions import views as discussions_views
    from hallway.extensions import csrf, limiter, login_manager
    from hallway.home import views as home_views
    from hallway.members import views as members_views
    from hallway.moderation import views as moderation_views
    from hallway.notifications import views as notifications_views
    from hallway.realtime import create_socketio

    settings = config if isinstance(config, Config) else config_for_environment()
    root = project_root()
    app = Flask(
        __name__,
        instance_path=str(settings.INSTANCE_PATH),
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    app.config.from_mapping(settings.as_dict())
    if isinstance(config, dict):
        app.config.from_mapping(config)
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    app.config["RATELIMIT_KEY_PREFIX"] = "hallway"

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.unauthorized_handler(accounts_views.on_login_required)
    login_manager.session_protection = "basic"
    login_manager.user_loader(lambda cookie_id: load_user_from_cookie_id(db.session, cookie_id))

    app.register_blueprint(home_views.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(members_views.bp)
    app.register_blueprint(discussions_views.bp)
    app.register_blueprint(notifications_views.bp)
    app.register_blueprint(moderation_views.bp)
    register_api(app)
    register_error_handlers(app)  # after the API, so ours win for HTML pages
    register_template_helpers(app)
    cli.register(app)
    create_socketio(app)
    return app
