"""Flags name any registered moderation subject type, not only thread or comment

``moderation_flags.subject_type`` was an Enum("thread", "comment") stored as
VARCHAR(16); features now register their own subject types, so it becomes a plain
VARCHAR(32), like ``moderation_audit_log.subject_type``. The indexes that use the
column are dropped and made again around the change (SQLite rebuilds the table).

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-29 11:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _change_subject_type(old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> None:
    with op.batch_alter_table("moderation_flags", schema=None) as batch_op:
        batch_op.drop_index("uq_moderation_flags_open_per_reporter")
        batch_op.drop_index("ix_moderation_flags_subject")
        batch_op.alter_column("subject_type", existing_type=old, type_=new, existing_nullable=False)
        batch_op.create_index(
            "ix_moderation_flags_subject", ["subject_type", "subject_id", "status"], unique=False
        )
        batch_op.create_index(
            "uq_moderation_flags_open_per_reporter",
            ["reporter_id", "subject_type", "subject_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )


def upgrade() -> None:
    _change_subject_type(sa.String(length=16), sa.String(length=32))


def downgrade() -> None:
    # Flags on subject types the old schema did not know cannot be kept.
    op.execute("DELETE FROM moderation_flags WHERE subject_type NOT IN ('thread', 'comment')")
    _change_subject_type(
        sa.String(length=32),
        sa.Enum("thread", "comment", name="post_type", native_enum=False, length=16),
    )
