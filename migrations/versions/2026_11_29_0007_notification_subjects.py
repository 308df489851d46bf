"""Notifications follow their subject: a "removed" mark and an index to find them by subject

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 12:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(
            sa.Column("subject_removed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_index(
        "ix_notifications_subject_type_subject_id",
        "notifications",
        ["subject_type", "subject_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_subject_type_subject_id", table_name="notifications")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("subject_removed")
