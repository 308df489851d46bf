"""Notifications, subscriptions, preferences; flags, blocks and the moderation audit log

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-29 04:57:46.327086

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "category_subscriptions",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "watching",
                "normal",
                "muted",
                name="subscription_level",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_category_subscriptions_category_id_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_category_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "category_id", name=op.f("pk_category_subscriptions")),
    )
    with op.batch_alter_table("category_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_category_subscriptions_category_id"), ["category_id"], unique=False
        )

    op.create_table(
        "member_blocks",
        sa.Column("blocker_id", sa.Integer(), nullable=False),
        sa.Column("blocked_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["blocked_id"],
            ["users.id"],
            name=op.f("fk_member_blocks_blocked_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["blocker_id"],
            ["users.id"],
            name=op.f("fk_member_blocks_blocker_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("blocker_id", "blocked_id", name=op.f("pk_member_blocks")),
    )
    with op.batch_alter_table("member_blocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_blocks_blocked_id"), ["blocked_id"], unique=False
        )

    op.create_table(
        "moderation_audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_moderation_audit_log_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_audit_log")),
    )
    with op.batch_alter_table("moderation_audit_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderation_audit_log_action"), ["action"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_moderation_audit_log_actor_id"), ["actor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_moderation_audit_log_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            "ix_moderation_audit_log_subject", ["subject_type", "subject_id"], unique=False
        )

    op.create_table(
        "moderation_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column(
            "subject_type",
            sa.Enum("thread", "comment", name="post_type", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "spam",
                "harassment",
                "off_topic",
                "other",
                name="flag_reason",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "resolved", "dismissed", name="flag_status", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["users.id"],
            name=op.f("fk_moderation_flags_closed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["users.id"],
            name=op.f("fk_moderation_flags_reporter_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_flags")),
    )
    with op.batch_alter_table("moderation_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderation_flags_closed_by_id"), ["closed_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_moderation_flags_status"), ["status"], unique=False)
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

    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email_on_reply", sa.Boolean(), nullable=False),
        sa.Column("email_on_mention", sa.Boolean(), nullable=False),
        sa.Column(
            "digest",
            sa.Enum("off", "daily", name="digest_frequency", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digested_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_notifications_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_notifications_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(
            "ix_notifications_recipient_id_created_at", ["recipient_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_recipient_id_read_at", ["recipient_id", "read_at"], unique=False
        )

    op.create_table(
        "thread_subscriptions",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "watching",
                "normal",
                "muted",
                name="subscription_level",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_thread_subscriptions_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_thread_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "thread_id", name=op.f("pk_thread_subscriptions")),
    )
    with op.batch_alter_table("thread_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_thread_subscriptions_thread_id"), ["thread_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("thread_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thread_subscriptions_thread_id"))

    op.drop_table("thread_subscriptions")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_recipient_id_read_at")
        batch_op.drop_index("ix_notifications_recipient_id_created_at")
        batch_op.drop_index(batch_op.f("ix_notifications_actor_id"))

    op.drop_table("notifications")
    op.drop_table("notification_preferences")
    with op.batch_alter_table("moderation_flags", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_moderation_flags_open_per_reporter",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index("ix_moderation_flags_subject")
        batch_op.drop_index(batch_op.f("ix_moderation_flags_status"))
        batch_op.drop_index(batch_op.f("ix_moderation_flags_closed_by_id"))

    op.drop_table("moderation_flags")
    with op.batch_alter_table("moderation_audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_audit_log_subject")
        batch_op.drop_index(batch_op.f("ix_moderation_audit_log_created_at"))
        batch_op.drop_index(batch_op.f("ix_moderation_audit_log_actor_id"))
        batch_op.drop_index(batch_op.f("ix_moderation_audit_log_action"))

    op.drop_table("moderation_audit_log")
    with op.batch_alter_table("member_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_blocks_blocked_id"))

    op.drop_table("member_blocks")
    with op.batch_alter_table("category_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_category_subscriptions_category_id"))

    op.drop_table("category_subscriptions")
