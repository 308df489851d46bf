"""An email switch for events: notification_preferences.email_on_event

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 15:10:00

Event announcements, promotions off the waitlist and cancellations followed "email me
when someone mentions me"; they now have their own switch, on by default (existing rows
keep getting event emails).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notification_preferences") as batch:
        batch.add_column(
            sa.Column("email_on_event", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("notification_preferences") as batch:
        batch.drop_column("email_on_event")
