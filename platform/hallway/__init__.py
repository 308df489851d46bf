"""Hallway: the community and hallway track for educational technologists."""

from __future__ import annotations

from typing import Any

from flask import Flask

from hallway.config import Config, config_for_environment, project_root


def create_app(config: Config | dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, features, API, socket server. Nothing else.

    ``config`` may be a Config object, or a dict of overrides on top of the
    environment's settings (handy in tests). Each feature plugs itself in with its
    own ``init_app``: blueprints, API, socket handlers, notification kinds,
    moderation subjects, export parts and demo seeders. The core never names them.
    """
    from hallway import (  # noqa: F401
        accounts,
        cli,
        discussions,
        events,
        home,
        matching,
        meetings,
        members,
        models,
        moderation,
        notifications,
        rooms,
        styleguide,
    )
    from hallway.api import register_api
    from hallway.core import i18n, unit_of_work
    from hallway.core.compression import register_compression
    from hallway.core.errors import register_error_handlers
    from hallway.core.http import register_http_core
    from hallway.core.static_assets import register_static_assets
    from hallway.core.tasks import build_queue
    from hallway.core.templating import register_template_helpers
    from hallway.db import db
    from hallway.extensions import csrf, limiter
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
    register_http_core(app)  # bounded <int:> ids, JSON body checks, security headers
    register_compression(app)  # br/gzip pages; static files are compressed once, below
    register_static_assets(app)  # url_for('static') gives content-hashed, year-long URLs

    db.init_app(app)
    unit_of_work.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)  # Flask-Babel: the page's language and the reader's time zone

    # The core first (accounts: everyone refers to User), then the features.
    for feature in (
        accounts,
        notifications,
        moderation,
        home,
        members,
        discussions,
        events,
        rooms,
        matching,
        meetings,
        styleguide,
    ):
        feature.init_app(app)

    register_api(app)
    register_error_handlers(app)  # after the API, so ours win for HTML pages
    register_template_helpers(app)
    cli.register(app)
    build_queue(app)
    create_socketio(app)
    if app.config.get("TRUSTED_PROXIES"):
        # Outermost, so pages and Socket.IO both see the client's address and scheme.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app
