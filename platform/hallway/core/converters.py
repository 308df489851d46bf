"""URL converters: ids in paths stay within what the database can store.

Flask's ``int`` converter accepts any number of digits; an id of 2**64 then fails
deep in the database driver (OverflowError) and a 5,000-digit one in ``int()`` itself
(Python's limit on digits in a string). Ours matches the same digits but treats a
value above what an id column holds as "no such page": a 404, before any view runs.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map, ValidationError

#: The largest id: primary keys are INTEGER, 32-bit on PostgreSQL (SQLite's hold more,
#: but both databases must answer the same).
MAX_ID = 2**31 - 1
#: The largest value a BIGINT column holds (sequence numbers).
MAX_BIGINT = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))


class BoundedIntegerConverter(IntegerConverter):
    """``<int:thread_id>`` limited to 0..MAX_ID (or a narrower ``max`` given in the rule)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.max = MAX_ID if self.max is None else min(self.max, MAX_ID)

    def to_python(self, value: str) -> Any:
        # Checked before int(): it refuses strings of more than 4,300 digits with a ValueError.
        if len(value.lstrip("-").lstrip("0")) > _MAX_DIGITS:
            raise ValidationError()
        return super().to_python(value)


def register_converters(app: Flask) -> None:
    """Before any blueprint: rules pick their converters when they are added."""
    app.url_map.converters["int"] = BoundedIntegerConverter
