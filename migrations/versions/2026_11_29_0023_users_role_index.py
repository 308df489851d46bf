"""Index users.role

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-29 19:20:00

The home page counts the community's organisers (``role IN ('organiser', 'admin')``)
on every view: a few rows found through the index instead of a scan of every member.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_users_role", "users", ["role"])


def downgrade() -> None:
    op.drop_index("ix_users_role", table_name="users")
