"""Searches that ignore case and accents: "Montreal" finds "Montréal" and back.

Both databases fold text with one SQL function of the same name, ``hallway_fold(text)``:
on SQLite it is :func:`fold` itself, registered on every connection (``hallway.db``); on
PostgreSQL migration 0015 makes it an IMMUTABLE ``lower(unaccent(...))``, usable in
indexes. The two agree on accented letters and common ligatures; on rarer symbols they
may not, so :func:`any_contains_folded` folds what was typed with the database's own
function too: both sides of a comparison always go through the same one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Text, func, or_

from hallway.db import fold

__all__ = ["LIKE_ESCAPE", "any_contains_folded", "fold"]

#: The escape character of the LIKE patterns below.
LIKE_ESCAPE = "\\"


def any_contains_folded(columns: Iterable[Any], word: str) -> ColumnElement[bool]:
    """SQL: one of ``columns`` contains ``word``, whatever the case and accents of either.

    ``hallway_fold(column) LIKE '%' || <hallway_fold(word), escaped> || '%'``: the word
    is escaped after it is folded, in SQL (folding can turn a full-width "％" into "%"),
    so it matches itself and nothing else. The folded word is one expression, computed
    once by the database whatever the number of columns.
    """
    pattern: Any = func.hallway_fold(word, type_=Text)
    for special in (LIKE_ESCAPE, "%", "_"):
        pattern = func.replace(pattern, special, LIKE_ESCAPE + special, type_=Text)
    return or_(
        *(func.hallway_fold(column, type_=Text).contains(pattern, escape=LIKE_ESCAPE)
          for column in columns)
    )  # fmt: skip
