"""The directory searches a folded column: member_profiles.search_text

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 14:30:00

The directory's text search compared ``hallway_fold(column)`` for seven columns of every
row; on PostgreSQL that SQL function cannot be inlined, which made a search about five
times slower. Each profile now keeps its searchable words already folded (by
``hallway.db.fold``, in Python, on both databases) in one column that the search reads
with a plain LIKE. Existing rows are filled here, in Python, with the same function the
members service uses on every change (``search_text_of``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hallway.db import fold

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 500

_profiles = sa.table(
    "member_profiles",
    sa.column("user_id", sa.Integer),
    sa.column("headline", sa.String),
    sa.column("role", sa.String),
    sa.column("organisation", sa.String),
    sa.column("bio", sa.Text),
    sa.column("city", sa.String),
    sa.column("search_text", sa.Text),
)
_users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("display_name", sa.String),
    sa.column("handle", sa.String),
)


def _search_text(*values: str | None) -> str:
    # The same as hallway.members.service.search_text_of, frozen here.
    return "\n".join(fold(value) for value in values if value)


def upgrade() -> None:
    with op.batch_alter_table("member_profiles") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _profiles.c.user_id,
            _users.c.display_name,
            _users.c.handle,
            _profiles.c.headline,
            _profiles.c.role,
            _profiles.c.organisation,
            _profiles.c.bio,
            _profiles.c.city,
        )
        .join(_users, _users.c.id == _profiles.c.user_id)
        .order_by(_profiles.c.user_id)
    ).all()
    update = (
        _profiles.update()
        .where(_profiles.c.user_id == sa.bindparam("key"))
        .values(search_text=sa.bindparam("text"))
    )
    for start in range(0, len(rows), _BATCH):
        batch_rows = rows[start : start + _BATCH]
        bind.execute(
            update, [{"key": row[0], "text": _search_text(*row[1:])} for row in batch_rows]
        )


def downgrade() -> None:
    with op.batch_alter_table("member_profiles") as batch:
        batch.drop_column("search_text")
