"""The JSON API: every feature's api.py blueprint, and the OpenAPI document.

The API is mounted once, under ``API_PREFIX`` (/api/v1): a feature's blueprint names
only its own part of the path (``url_prefix="/notifications"`` or none). flask-smorest
validates input with the marshmallow schemas given to ``@bp.arguments`` (unknown fields
are refused with 422 and field messages) and documents every route at
/api/v1/openapi.json.
"""

from flask import Flask
from flask_smorest import Api, Blueprint

#: Where the whole JSON API lives; a new version would be mounted beside it.
API_PREFIX = "/api/v1"

API_SETTINGS = {
    "API_TITLE": "Hallway API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": API_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Hallway's JSON API. Authenticate with the session cookie; "
            "send the page's CSRF token in the X-CSRFToken header on writes."
        }
    },
}


_blueprints: dict[str, Blueprint] = {}


def register_api_blueprint(blueprint: Blueprint) -> None:
    """Features plug their JSON routes in here when they are set up."""
    _blueprints[blueprint.name] = blueprint


def register_api(app: Flask) -> Api:
    """Mount every registered feature's API blueprint and the OpenAPI document."""
    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    api = Api(app)
    for blueprint in _blueprints.values():
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + (blueprint.url_prefix or ""))
    return api
