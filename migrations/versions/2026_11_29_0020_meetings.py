"""Meetings: meeting requests with proposed times, per-member agenda locks, mentoring
office hours with bookings, and post-meeting feedback (issue 12)

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meeting_agenda_locks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_meeting_agenda_locks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_meeting_agenda_locks")),
    )

    op.create_table(
        "meeting_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("video_url", sa.String(length=500), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "countered",
                "accepted",
                "declined",
                "withdrawn",
                "cancelled",
                name="meeting_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_note", sa.Text(), nullable=False),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_requests_cancelled_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_requests_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_meeting_requests_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_meeting_requests_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["users.id"],
            name=op.f("fk_meeting_requests_sender_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_requests")),
    )

    with op.batch_alter_table("meeting_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_requests_cancelled_by_id"), ["cancelled_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_requests_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_requests_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_requests_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            "ix_meeting_requests_recipient_id_status", ["recipient_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_meeting_requests_sender_id_status", ["sender_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_requests_starts_at"), ["starts_at"], unique=False
        )

    op.create_table(
        "office_hour_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("booked_count", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("video_url", sa.String(length=500), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_office_hour_slots_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["users.id"],
            name=op.f("fk_office_hour_slots_host_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_hour_slots")),
    )

    with op.batch_alter_table("office_hour_slots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_office_hour_slots_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            "ix_office_hour_slots_host_id_starts_at", ["host_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_office_hour_slots_starts_at"), ["starts_at"], unique=False
        )

    op.create_table(
        "meeting_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("about_id", sa.Integer(), nullable=False),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["about_id"],
            ["users.id"],
            name=op.f("fk_meeting_feedback_about_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_meeting_feedback_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["meeting_requests.id"],
            name=op.f("fk_meeting_feedback_request_id_meeting_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_feedback")),
        sa.UniqueConstraint("request_id", "author_id", name=op.f("uq_meeting_feedback_request_id")),
    )

    with op.batch_alter_table("meeting_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_feedback_about_id"), ["about_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_feedback_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_feedback_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "meeting_proposed_times",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_proposed_times_proposed_by_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["meeting_requests.id"],
            name=op.f("fk_meeting_proposed_times_request_id_meeting_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_proposed_times")),
    )

    with op.batch_alter_table("meeting_proposed_times", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_proposed_times_proposed_by_id"), ["proposed_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_proposed_times_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "office_hour_bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "booked",
                "cancelled",
                "no_show",
                name="office_hour_booking_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("no_show_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["users.id"],
            name=op.f("fk_office_hour_bookings_member_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["office_hour_slots.id"],
            name=op.f("fk_office_hour_bookings_slot_id_office_hour_slots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_hour_bookings")),
        sa.UniqueConstraint("slot_id", "member_id", name=op.f("uq_office_hour_bookings_slot_id")),
    )

    with op.batch_alter_table("office_hour_bookings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_office_hour_bookings_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_office_hour_bookings_no_show_at"), ["no_show_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("office_hour_bookings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_office_hour_bookings_no_show_at"))
        batch_op.drop_index(batch_op.f("ix_office_hour_bookings_member_id"))

    op.drop_table("office_hour_bookings")

    with op.batch_alter_table("meeting_proposed_times", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_proposed_times_request_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_proposed_times_proposed_by_id"))

    op.drop_table("meeting_proposed_times")

    with op.batch_alter_table("meeting_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_feedback_request_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_feedback_author_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_feedback_about_id"))

    op.drop_table("meeting_feedback")

    with op.batch_alter_table("office_hour_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_office_hour_slots_starts_at"))
        batch_op.drop_index("ix_office_hour_slots_host_id_starts_at")
        batch_op.drop_index(batch_op.f("ix_office_hour_slots_event_id"))

    op.drop_table("office_hour_slots")

    with op.batch_alter_table("meeting_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_requests_starts_at"))
        batch_op.drop_index("ix_meeting_requests_sender_id_status")
        batch_op.drop_index("ix_meeting_requests_recipient_id_status")
        batch_op.drop_index(batch_op.f("ix_meeting_requests_event_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_requests_created_by_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_requests_created_at"))
        batch_op.drop_index(batch_op.f("ix_meeting_requests_cancelled_by_id"))

    op.drop_table("meeting_requests")

    op.drop_table("meeting_agenda_locks")
