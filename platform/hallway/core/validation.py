"""Validating input that does not come through flask-smorest: socket payloads, CLI rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError

from hallway.core.errors import InvalidInput


def load_or_refuse(schema: Schema, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """Load ``data`` with ``schema`` or raise InvalidInput carrying the field messages."""
    if not isinstance(data, Mapping):
        raise InvalidInput("Expected an object.", {"_schema": ["Expected an object."]})
    try:
        return schema.load(data)
    except ValidationError as error:
        messages = error.normalized_messages()
        raise InvalidInput("Please correct the highlighted fields.", messages) from error
