"""Drop the unused PostgreSQL function hallway_fold()

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29 17:25:00

Migration 0015 made ``hallway_fold(text)`` for the members directory's search; the
directory now compares a folded ``search_text`` column (0017) made in Python
(``hallway.db.fold``), and nothing calls the function. The unaccent extension and the
``hallway_english`` search configuration stay (the discussions' search uses them).
SQLite has nothing to change.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS hallway_fold(text)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = op.get_bind().scalar(
        sa.text(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
        )
    )
    op.execute(
        "CREATE FUNCTION hallway_fold(text) RETURNS text"
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
        f" AS $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$"
    )
