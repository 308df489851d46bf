"""Real-time topics: per-topic sequence numbers and the published events, for replay

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "realtime_topic_sequences",
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("topic", name=op.f("pk_realtime_topic_sequences")),
    )
    op.create_table(
        "realtime_topic_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_realtime_topic_events")),
        sa.UniqueConstraint("topic", "seq", name="uq_realtime_topic_events_topic_seq"),
        sa.UniqueConstraint(
            "topic", "client_id", name="uq_realtime_topic_events_topic_client_id"
        ),
    )
    op.create_index(
        "ix_realtime_topic_events_created_at", "realtime_topic_events", ["created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_realtime_topic_events_created_at", table_name="realtime_topic_events")
    op.drop_table("realtime_topic_events")
    op.drop_table("realtime_topic_sequences")
