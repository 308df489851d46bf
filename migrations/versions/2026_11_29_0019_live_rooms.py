"""Live meetup rooms: rooms and tables of an event, seats, invitations, mutes,
removals, numbered messages and their reactions (issue 11)

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=False),
        sa.Column(
            "access",
            sa.Enum("going", "members", "invite", name="room_access", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("size_limit", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("organiser", "table", name="room_kind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("slow_mode_seconds", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_rooms_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_rooms_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_rooms_owner_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rooms")),
    )
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rooms_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index(
            "ix_rooms_event_id_archived_at", ["event_id", "archived_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_rooms_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "room_invites",
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_room_invites_invited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["rooms.id"],
            name=op.f("fk_room_invites_room_id_rooms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_room_invites_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("room_id", "user_id", name=op.f("pk_room_invites")),
    )
    with op.batch_alter_table("room_invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_invites_user_id"), ["user_id"], unique=False)

    op.create_table(
        "room_memberships",
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["rooms.id"],
            name=op.f("fk_room_memberships_room_id_rooms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_room_memberships_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("room_id", "user_id", name=op.f("pk_room_memberships")),
    )
    with op.batch_alter_table("room_memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_memberships_user_id"), ["user_id"], unique=False)

    op.create_table(
        "room_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("reply_to_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_room_messages_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"],
            ["users.id"],
            name=op.f("fk_room_messages_removed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reply_to_id"],
            ["room_messages.id"],
            name=op.f("fk_room_messages_reply_to_id_room_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["rooms.id"],
            name=op.f("fk_room_messages_room_id_rooms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_room_messages_thread_id_threads"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_messages")),
        sa.UniqueConstraint(
            "room_id", "author_id", "client_id", name="uq_room_messages_room_id_author_id_client_id"
        ),
        sa.UniqueConstraint("room_id", "seq", name="uq_room_messages_room_id_seq"),
    )
    with op.batch_alter_table("room_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_messages_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_room_messages_reply_to_id"), ["reply_to_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_room_messages_thread_id"), ["thread_id"], unique=False)

    op.create_table(
        "room_mutes",
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("muted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["muted_by_id"],
            ["users.id"],
            name=op.f("fk_room_mutes_muted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_room_mutes_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_room_mutes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("room_id", "user_id", name=op.f("pk_room_mutes")),
    )
    with op.batch_alter_table("room_mutes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_mutes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "room_removals",
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["removed_by_id"],
            ["users.id"],
            name=op.f("fk_room_removals_removed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["rooms.id"],
            name=op.f("fk_room_removals_room_id_rooms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_room_removals_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("room_id", "user_id", name=op.f("pk_room_removals")),
    )
    with op.batch_alter_table("room_removals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_removals_user_id"), ["user_id"], unique=False)

    op.create_table(
        "room_reactions",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "like",
                "helpful",
                "insightful",
                "celebrate",
                name="reaction_kind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["room_messages.id"],
            name=op.f("fk_room_reactions_message_id_room_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_room_reactions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", "user_id", "kind", name=op.f("pk_room_reactions")),
    )
    with op.batch_alter_table("room_reactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_reactions_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("room_reactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_reactions_user_id"))

    op.drop_table("room_reactions")
    with op.batch_alter_table("room_removals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_removals_user_id"))

    op.drop_table("room_removals")
    with op.batch_alter_table("room_mutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_mutes_user_id"))

    op.drop_table("room_mutes")
    with op.batch_alter_table("room_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_messages_thread_id"))
        batch_op.drop_index(batch_op.f("ix_room_messages_reply_to_id"))
        batch_op.drop_index(batch_op.f("ix_room_messages_author_id"))

    op.drop_table("room_messages")
    with op.batch_alter_table("room_memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_memberships_user_id"))

    op.drop_table("room_memberships")
    with op.batch_alter_table("room_invites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_invites_user_id"))

    op.drop_table("room_invites")
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rooms_owner_id"))
        batch_op.drop_index("ix_rooms_event_id_archived_at")
        batch_op.drop_index(batch_op.f("ix_rooms_created_by_id"))

    op.drop_table("rooms")
