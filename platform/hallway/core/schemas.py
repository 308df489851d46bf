"""Schemas and fields every JSON API shares.

``Id`` and ``PageNumber`` are the only way input names a row or a page: a number
beyond the 64-bit range would otherwise reach the database driver and fail there
(an OverflowError, a 500) instead of being refused with the field's message.
"""

from typing import Any

from marshmallow import Schema, fields, validate

from hallway.core.converters import MAX_ID
from hallway.core.pagination import MAX_PAGE


class Id(fields.Integer):
    """A row's id in input: a whole number (not "12", not 12.0) from 1 to MAX_ID (2**31-1)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strict", True)
        super().__init__(**kwargs)
        self.validators.insert(
            0, validate.Range(min=1, max=MAX_ID, error="That is not a valid id.")
        )


class Text(fields.String):
    """Text a member typed: the spaces and blank lines around it do not count."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


class PageNumber(fields.Integer):
    """A page number in a query string: 1 (the default) to ``max`` (at most MAX_PAGE)."""

    def __init__(self, *, max: int = MAX_PAGE, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", 1)
        super().__init__(**kwargs)
        self.validators.insert(0, validate.Range(min=1, max=min(max, MAX_PAGE)))


class PageSchema(Schema):
    """The paging fields of a list response; subclasses add ``items``."""

    page = fields.Integer(dump_only=True)
    per_page = fields.Integer(dump_only=True)
    total = fields.Integer(dump_only=True)
    pages = fields.Integer(dump_only=True)
