"""Counting the SQL statements a request sends, for "the cost does not grow with the data"."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from hallway.db import db


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    """Every statement sent to the app's engine inside the block, in order."""
    engine = app.extensions[db.extension_key]["engine"]
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(app: Flask, client, path: str) -> list[str]:
    """The statements one GET of ``path`` sends (after a first GET warms any caches)."""
    assert client.get(path).status_code == 200
    with counting_queries(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return statements
