"""Searches ignore accents: hallway_fold() and an accent-folding text search configuration

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 14:00:00

PostgreSQL gets the unaccent extension and:
- ``hallway_fold(text)``: lower(unaccent(...)), declared IMMUTABLE (so an index may use
  it), the SQL twin of ``hallway.db.fold``; the members directory compares with it;
- ``hallway_english``: the english text search configuration with unaccent before the
  stemmer, and the discussions' GIN indexes made again over it. Documents and queries
  fold the same way ("Montreal" finds "Montréal" and back), and ts_headline, given the
  same configuration, still marks the accented word as it was written.

SQLite has nothing to change: ``hallway_fold`` is registered on every connection
(``hallway.db``), and the FTS5 tables of 0003 already fold accents in the index and in
queries alike (``unicode61 remove_diacritics 2``), so they and their triggers stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _make_search_indexes(configuration: str) -> None:
    """The GIN indexes of 0003 over ``configuration``: hallway.discussions.search repeats
    their expressions verbatim."""
    op.execute("DROP INDEX IF EXISTS fts_threads_document")
    op.execute("DROP INDEX IF EXISTS fts_comments_document")
    op.execute(
        "CREATE INDEX fts_threads_document ON threads"
        f" USING gin (to_tsvector('{configuration}', title || ' ' || body))"
    )
    op.execute(
        "CREATE INDEX fts_comments_document ON comments"
        f" USING gin (to_tsvector('{configuration}', body))"
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    # Name the extension's schema: an IMMUTABLE function must not depend on search_path.
    schema = bind.scalar(
        sa.text(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
        )
    )
    op.execute(
        "CREATE FUNCTION hallway_fold(text) RETURNS text"
        " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
        f" AS $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$"
    )
    op.execute("CREATE TEXT SEARCH CONFIGURATION hallway_english (COPY = pg_catalog.english)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION hallway_english"
        f" ALTER MAPPING FOR hword, hword_part, word WITH {schema}.unaccent, english_stem"
    )
    _make_search_indexes("hallway_english")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _make_search_indexes("english")
    op.execute("DROP TEXT SEARCH CONFIGURATION hallway_english")
    op.execute("DROP FUNCTION hallway_fold(text)")
    op.execute("DROP EXTENSION IF EXISTS unaccent")
