"""matching (filled in by its feature)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _upgrade_matching()  # E: dismissals and the index change log
    # (E's matching tables go above this line.)
    _upgrade_rounds()  # G: mentoring rounds


def downgrade() -> None:
    _downgrade_rounds()  # G: mentoring rounds
    # (E's matching tables are dropped below this line.)
    _downgrade_matching()  # E


# --- E: dismissals and the index change log (matching/models.py) ---------------------------


def _upgrade_matching() -> None:
    op.create_table(
        "match_dismissals",
        sa.Column("viewer_id", sa.Integer(), nullable=False),
        sa.Column("dismissed_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dismissed_id"],
            ["users.id"],
            name=op.f("fk_match_dismissals_dismissed_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"],
            ["users.id"],
            name=op.f("fk_match_dismissals_viewer_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("viewer_id", "dismissed_id", name=op.f("pk_match_dismissals")),
    )
    with op.batch_alter_table("match_dismissals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_dismissals_dismissed_id"), ["dismissed_id"], unique=False
        )

    op.create_table(
        "matching_index_changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_index_changes")),
    )
    with op.batch_alter_table("matching_index_changes", schema=None) as batch_op:
        batch_op.create_index("ix_matching_index_changes_user_id", ["user_id"], unique=False)


def _downgrade_matching() -> None:
    op.drop_table("matching_index_changes")
    op.drop_table("match_dismissals")


# --- G: mentoring rounds (matching/round_models.py) ----------------------------------------


def _upgrade_rounds() -> None:
    op.create_table(
        "mentoring_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                name="mentoring_round_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_mentoring_rounds_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_mentoring_rounds_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_rounds")),
    )
    with op.batch_alter_table("mentoring_rounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentoring_rounds_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mentoring_rounds_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "mentoring_round_people",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("mentee", "mentor", name="mentoring_round_role", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["mentoring_rounds.id"],
            name=op.f("fk_mentoring_round_people_round_id_mentoring_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mentoring_round_people_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "user_id", name=op.f("pk_mentoring_round_people")),
    )
    with op.batch_alter_table("mentoring_round_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mentoring_round_people_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "mentoring_round_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("meeting_request_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_request_id"],
            ["meeting_requests.id"],
            name=op.f("fk_mentoring_round_pairs_meeting_request_id_meeting_requests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["users.id"],
            name=op.f("fk_mentoring_round_pairs_mentee_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["users.id"],
            name=op.f("fk_mentoring_round_pairs_mentor_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["mentoring_rounds.id"],
            name=op.f("fk_mentoring_round_pairs_round_id_mentoring_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_round_pairs")),
        sa.UniqueConstraint(
            "round_id", "mentee_id", name=op.f("uq_mentoring_round_pairs_round_id")
        ),
    )
    with op.batch_alter_table("mentoring_round_pairs", schema=None) as batch_op:
        for column in ("meeting_request_id", "mentee_id", "mentor_id", "round_id"):
            batch_op.create_index(
                batch_op.f(f"ix_mentoring_round_pairs_{column}"), [column], unique=False
            )


def _downgrade_rounds() -> None:
    op.drop_table("mentoring_round_pairs")
    op.drop_table("mentoring_round_people")
    op.drop_table("mentoring_rounds")
