"""Discussions: tags, reactions, edit history, comment paths and full-text search.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-29 04:53:40.849444

Full-text search is made by hand, per dialect, and left out of the models (its names
start with "fts_", see hallway.models.include_object):
- SQLite: FTS5 external-content tables over threads and comments, kept in step by
  triggers, so every writer (moderation, the seed, the shell) keeps the index right.
- PostgreSQL: GIN indexes on to_tsvector('english', ...) expressions; the search
  query repeats the same expressions so the planner uses them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hallway.core.markdown import render_markdown
from hallway.core.urls import profile_path
from hallway.discussions.text import child_path, slugify

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"

SQLITE_SEARCH = [
    f"""CREATE VIRTUAL TABLE fts_threads USING fts5(
        title, body, content='threads', content_rowid='id', tokenize='{FTS5_TOKENIZER}')""",
    f"""CREATE VIRTUAL TABLE fts_comments USING fts5(
        body, content='comments', content_rowid='id', tokenize='{FTS5_TOKENIZER}')""",
    "INSERT INTO fts_threads(fts_threads) VALUES ('rebuild')",
    "INSERT INTO fts_comments(fts_comments) VALUES ('rebuild')",
    """CREATE TRIGGER fts_threads_after_insert AFTER INSERT ON threads BEGIN
        INSERT INTO fts_threads(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER fts_threads_after_delete AFTER DELETE ON threads BEGIN
        INSERT INTO fts_threads(fts_threads, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER fts_threads_after_update AFTER UPDATE OF title, body ON threads BEGIN
        INSERT INTO fts_threads(fts_threads, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO fts_threads(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER fts_comments_after_insert AFTER INSERT ON comments BEGIN
        INSERT INTO fts_comments(rowid, body) VALUES (new.id, new.body);
    END""",
    """CREATE TRIGGER fts_comments_after_delete AFTER DELETE ON comments BEGIN
        INSERT INTO fts_comments(fts_comments, rowid, body) VALUES ('delete', old.id, old.body);
    END""",
    """CREATE TRIGGER fts_comments_after_update AFTER UPDATE OF body ON comments BEGIN
        INSERT INTO fts_comments(fts_comments, rowid, body) VALUES ('delete', old.id, old.body);
        INSERT INTO fts_comments(rowid, body) VALUES (new.id, new.body);
    END""",
]

SQLITE_SEARCH_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS fts_{table}_after_{action}"
        for table in ("threads", "comments")
        for action in ("insert", "delete", "update")
    ),
    "DROP TABLE IF EXISTS fts_threads",
    "DROP TABLE IF EXISTS fts_comments",
]

POSTGRESQL_SEARCH = [
    "CREATE INDEX fts_threads_document ON threads "
    "USING gin (to_tsvector('english', title || ' ' || body))",
    "CREATE INDEX fts_comments_document ON comments USING gin (to_tsvector('english', body))",
]

POSTGRESQL_SEARCH_DROP = [
    "DROP INDEX IF EXISTS fts_threads_document",
    "DROP INDEX IF EXISTS fts_comments_document",
]

NEW_THREAD_COLUMNS = [
    "slug", "body_html", "reaction_count", "edited_at", "pinned_at", "locked_at",
    "hidden_at", "deleted_at",
]  # fmt: skip
NEW_COMMENT_COLUMNS = [
    "depth", "path", "body_html", "reaction_count", "edited_at", "deleted_at", "hidden_at",
]  # fmt: skip


def _backfill_existing_posts(bind: sa.engine.Connection) -> None:
    """Give rows made before this revision their slug, rendered HTML, path and depth."""
    users = sa.table("users", sa.column("handle"))
    handles = set(bind.execute(sa.select(users.c.handle)).scalars())

    def mention_url(handle: str) -> str | None:
        return profile_path(handle) if handle in handles else None

    threads = sa.table(
        "threads", sa.column("id"), sa.column("title"), sa.column("body"),
        sa.column("slug"), sa.column("body_html"),
    )  # fmt: skip
    for thread_id, title, body in bind.execute(
        sa.select(threads.c.id, threads.c.title, threads.c.body)
    ).all():
        bind.execute(
            threads.update()
            .where(threads.c.id == thread_id)
            .values(
                slug=slugify(title), body_html=str(render_markdown(body, mention_url=mention_url))
            )
        )

    comments = sa.table(
        "comments", sa.column("id"), sa.column("parent_id"), sa.column("body"),
        sa.column("path"), sa.column("depth"), sa.column("body_html"),
    )  # fmt: skip
    rows = bind.execute(
        sa.select(comments.c.id, comments.c.parent_id, comments.c.body).order_by(comments.c.id)
    ).all()
    parents = {row.id: row.parent_id for row in rows}
    paths: dict[int, tuple[str, int]] = {}

    def path_of(comment_id: int) -> tuple[str, int]:
        if comment_id not in paths:
            parent_id = parents[comment_id]
            if parent_id is None:
                paths[comment_id] = (child_path(None, comment_id), 0)
            else:
                parent_path, parent_depth = path_of(parent_id)
                paths[comment_id] = (child_path(parent_path, comment_id), parent_depth + 1)
        return paths[comment_id]

    for row in rows:
        path, depth = path_of(row.id)
        bind.execute(
            comments.update()
            .where(comments.c.id == row.id)
            .values(
                path=path,
                depth=depth,
                body_html=str(render_markdown(row.body, mention_url=mention_url)),
            )
        )


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
    )
    op.create_table(
        "thread_reactions",
        sa.Column("thread_id", sa.Integer(), nullable=False),
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
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_thread_reactions_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_thread_reactions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("thread_id", "user_id", "kind", name=op.f("pk_thread_reactions")),
    )
    with op.batch_alter_table("thread_reactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_thread_reactions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "thread_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["editor_id"],
            ["users.id"],
            name=op.f("fk_thread_revisions_editor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_thread_revisions_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_revisions")),
    )
    with op.batch_alter_table("thread_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_thread_revisions_editor_id"), ["editor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_thread_revisions_thread_id"), ["thread_id"], unique=False
        )

    op.create_table(
        "thread_tags",
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_thread_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_thread_tags_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("thread_id", "tag_id", name=op.f("pk_thread_tags")),
    )
    with op.batch_alter_table("thread_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_thread_tags_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "comment_reactions",
        sa.Column("comment_id", sa.Integer(), nullable=False),
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
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_reactions_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_comment_reactions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("comment_id", "user_id", "kind", name=op.f("pk_comment_reactions")),
    )
    with op.batch_alter_table("comment_reactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_reactions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "comment_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_revisions_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["editor_id"],
            ["users.id"],
            name=op.f("fk_comment_revisions_editor_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_revisions")),
    )
    with op.batch_alter_table("comment_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_comment_revisions_comment_id"), ["comment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_comment_revisions_editor_id"), ["editor_id"], unique=False
        )

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("depth", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("path", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("body_html", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("reaction_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_comments_thread_id_path", ["thread_id", "path"], unique=False)

    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("slug", sa.String(length=80), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("body_html", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("reaction_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))

    bind = op.get_bind()
    _backfill_existing_posts(bind)
    for statement in SQLITE_SEARCH if bind.dialect.name == "sqlite" else POSTGRESQL_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in (
        SQLITE_SEARCH_DROP if bind.dialect.name == "sqlite" else POSTGRESQL_SEARCH_DROP
    ):
        op.execute(statement)
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch copy of threads would
    # cascade-delete every comment on SQLite, where foreign keys are on.
    op.drop_index("ix_comments_thread_id_path", table_name="comments")
    for column in NEW_COMMENT_COLUMNS:
        op.execute(f"ALTER TABLE comments DROP COLUMN {column}")
    for column in NEW_THREAD_COLUMNS:
        op.execute(f"ALTER TABLE threads DROP COLUMN {column}")
    with op.batch_alter_table("comment_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_revisions_editor_id"))
        batch_op.drop_index(batch_op.f("ix_comment_revisions_comment_id"))

    op.drop_table("comment_revisions")
    with op.batch_alter_table("comment_reactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_reactions_user_id"))

    op.drop_table("comment_reactions")
    with op.batch_alter_table("thread_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thread_tags_tag_id"))

    op.drop_table("thread_tags")
    with op.batch_alter_table("thread_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thread_revisions_thread_id"))
        batch_op.drop_index(batch_op.f("ix_thread_revisions_editor_id"))

    op.drop_table("thread_revisions")
    with op.batch_alter_table("thread_reactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_thread_reactions_user_id"))

    op.drop_table("thread_reactions")
    op.drop_table("tags")
