"""Sign-ups wait for their email address to be confirmed before the account is made

Revision ID: 0010
Revises: 0006
Create Date: 2026-11-29 14:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_sign_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("handle", sa.String(length=30), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("next_path", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_sign_ups")),
    )
    op.create_index(op.f("ix_pending_sign_ups_email"), "pending_sign_ups", ["email"])
    op.create_index(op.f("ix_pending_sign_ups_created_at"), "pending_sign_ups", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_sign_ups_created_at"), table_name="pending_sign_ups")
    op.drop_index(op.f("ix_pending_sign_ups_email"), table_name="pending_sign_ups")
    op.drop_table("pending_sign_ups")
