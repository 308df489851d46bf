"""Accounts: sign-up, log-in, sessions, password resets and roles.

Part of the core: every feature refers to ``User``.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_login import user_loaded_from_cookie

    from hallway.accounts import api, views
    from hallway.accounts.service import load_user_from_cookie_id
    from hallway.api import register_api_blueprint
    from hallway.db import db
    from hallway.extensions import login_manager

    login_manager.init_app(app)
    login_manager.unauthorized_handler(views.on_login_required)
    login_manager.session_protection = "basic"
    login_manager.user_loader(lambda cookie_id: load_user_from_cookie_id(db.session, cookie_id))
    user_loaded_from_cookie.connect(views.on_remembered_user, app)
    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
