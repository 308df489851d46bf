"""The JSON API: every feature's api.py blueprint, and the OpenAPI document.

flask-smorest validates input with the marshmallow schemas given to
``@bp.arguments`` (unknown fields are refused with 422 and field messages) and
documents every route at /api/openapi.json.
"""

from flask import Flask
from flask_smorest import Api

API_SETTINGS = {
    "API_TITLE": "Hallway API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Hallway's JSON API. Authenticate with the session cookie; "
            "send the page's CSRF token in the X-CSRFToken header on writes."
        }
    },
}


def register_api(app: Flask) -> Api:
    """Mount each feature's API blueprint. Add new features' api modules here."""
    from hallway.accounts import api as accounts_api
    from hallway.discussions import api as discussions_api
    from hallway.members import api as members_api
    from hallway.notifications import api as notifications_api

    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    api = Api(app)
    for module in (accounts_api, discussions_api, members_api, notifications_api):
        api.register_blueprint(module.bp)
    return api
