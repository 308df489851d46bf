"""Validating input that does not come through flask-smorest: socket payloads, CLI rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext
from marshmallow import Schema, ValidationError

from hallway.core.errors import InvalidInput


def N_(message: str) -> str:  # noqa: N802 - the name the message extractor looks for
    """Mark a message for the catalogue without translating it now (module-level texts
    such as a marshmallow field's ``error_messages``, which must stay ``str``);
    ``load_or_refuse`` translates the messages of a refusal when it is raised."""
    return message


def translated_messages(messages: Any) -> Any:
    """A schema's error messages (nested dicts and lists of text) in the reader's language."""
    if isinstance(messages, dict):
        return {key: translated_messages(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [translated_messages(value) for value in messages]
    if isinstance(messages, str):
        return gettext(messages) if messages else messages
    return str(messages)  # a lazy text from a validator


def load_or_refuse(schema: Schema, data: Mapping[str, Any] | None) -> dict[str, Any]:
    """Load ``data`` with ``schema`` or raise InvalidInput carrying the field messages."""
    if not isinstance(data, Mapping):
        message = gettext("Expected an object.")
        raise InvalidInput(message, {"_schema": [message]})
    try:
        return schema.load(data)
    except ValidationError as error:
        messages = translated_messages(error.normalized_messages())
        raise InvalidInput(gettext("Please correct the highlighted fields."), messages) from error
