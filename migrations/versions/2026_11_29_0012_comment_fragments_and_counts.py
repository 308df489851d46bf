"""comments keep their rendered article (rendered_html) and their reply counts
(reply_count, descendant_count), so thread pages load a bounded window of the tree

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 16:00:00

Existing comments get their counts here; their ``rendered_html`` stays empty and is
rendered the first time a page shows them (``discussions.windows``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Direct replies, and every comment below (their paths start with this one's and a dot;
#: "/" is the character after "." so the range stays on the (thread_id, path) index).
_COUNTS = """
UPDATE comments SET
  reply_count = (SELECT count(*) FROM comments AS reply WHERE reply.parent_id = comments.id),
  descendant_count = (
    SELECT count(*) FROM comments AS below
    WHERE below.thread_id = comments.thread_id
      AND below.path > comments.path || '.'
      AND below.path < comments.path || '/'
  )
"""


def upgrade() -> None:
    # Plain ALTER TABLE (no batch copy on SQLite): the search triggers on comments stay.
    op.add_column(
        "comments", sa.Column("rendered_html", sa.Text(), server_default="", nullable=False)
    )
    op.add_column(
        "comments", sa.Column("reply_count", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "comments",
        sa.Column("descendant_count", sa.Integer(), server_default="0", nullable=False),
    )
    op.create_index(
        "ix_comments_thread_id_depth_created_at",
        "comments",
        ["thread_id", "depth", "created_at"],
    )
    op.execute(_COUNTS)


def downgrade() -> None:
    op.drop_index("ix_comments_thread_id_depth_created_at", table_name="comments")
    op.drop_column("comments", "descendant_count")
    op.drop_column("comments", "reply_count")
    op.drop_column("comments", "rendered_html")
