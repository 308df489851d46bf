"""Categories, threads, nested comments, tags, reactions and edit history.

Comments form a tree. Besides ``parent_id`` each comment stores its ``depth`` (0 for a
reply to the thread) and a materialised ``path``: the zero-padded ids of its ancestors
and itself, joined by dots ("0000000012.0000000045"). Ordering by path gives the whole
tree depth-first, oldest first at each level, in ONE query; a sub-tree is a path prefix.

``body_html`` is rendered once, when the text is written (mentions resolved then), so a
page never renders Markdown or looks up handles while it is being read. A comment also
keeps ``rendered_html``: the part of its article that is the same for every reader (its
permalink, time, edited mark and body), rendered when it is written, edited or deleted
(``discussions.fragments``). Pages add the rest around it (the author's name and link,
reactions, actions, the mark moderators see on hidden comments). ``reply_count`` (direct
replies) and ``descendant_count`` (everything below it, deleted ones included) are kept
as replies arrive, so a page can sort and say "3 more replies" without loading them.

Moderation sets ``hidden_at`` / ``locked_at`` / ``category_id`` on these rows; every
page and query here honours them.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hallway.db import Base, utcnow

if TYPE_CHECKING:  # relationships name it by string; accounts is core, imported anywhere
    from hallway.accounts.models import User

#: Width of one id in ``Comment.path``: any 32-bit id fits, so paths sort as text.
PATH_SEGMENT_WIDTH = 10
PATH_SEPARATOR = "."

#: Tables and indexes the migration makes by hand for full-text search (FTS5 on
#: SQLite, GIN expression indexes on PostgreSQL). They are not modelled; schema
#: comparison leaves out every object whose name starts with this.
SEARCH_OBJECT_PREFIX = "fts_"


class ReactionKind(enum.StrEnum):
    like = "like"
    helpful = "helpful"
    insightful = "insightful"
    celebrate = "celebrate"

    @property
    def emoji(self) -> str:
        return _REACTION_EMOJI[self]

    @property
    def label(self) -> str:
        return _REACTION_LABEL[self]


_REACTION_LABEL = {kind: kind.value.capitalize() for kind in ReactionKind}
_REACTION_EMOJI = {
    ReactionKind.like: "👍",
    ReactionKind.helpful: "🙌",
    ReactionKind.insightful: "💡",
    ReactionKind.celebrate: "🎉",
}


def _reaction_kind_type() -> Enum:
    return Enum(ReactionKind, native_enum=False, length=16, name="reaction_kind")


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)


class Tag(Base):
    """A free label on threads, normalised to lowercase words joined by hyphens."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)


class ThreadTag(Base):
    __tablename__ = "thread_tags"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Thread(Base):
    """A discussion: a titled opening post in a category, and the comments under it."""

    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), default="", server_default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: Comments that are not deleted.
    comment_count: Mapped[int] = mapped_column(default=0)
    #: Reactions on the opening post.
    reaction_count: Mapped[int] = mapped_column(default=0, server_default="0")
    edited_at: Mapped[datetime | None]
    pinned_at: Mapped[datetime | None]
    locked_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    category: Mapped[Category] = relationship()
    author: Mapped[User | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(
        secondary="thread_tags", order_by="Tag.name", lazy="selectin"
    )

    @property
    def is_pinned(self) -> bool:
        return self.pinned_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.slug}>"


class Comment(Base):
    """A reply to a thread (parent_id empty, depth 0) or to another comment."""

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_thread_id_path", "thread_id", "path"),
        # A thread's top-level comments in order, without reading the replies.
        Index("ix_comments_thread_id_depth_created_at", "thread_id", "depth", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    depth: Mapped[int] = mapped_column(default=0, server_default="0")
    path: Mapped[str] = mapped_column(Text, default="", server_default="")
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The reader-independent part of its article; "" until rendered (then on first read).
    rendered_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reaction_count: Mapped[int] = mapped_column(default=0, server_default="0")
    reply_count: Mapped[int] = mapped_column(default=0, server_default="0")
    descendant_count: Mapped[int] = mapped_column(default=0, server_default="0")
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship()
    thread: Mapped[Thread] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the top-level comment down to this one's parent, read off the path."""
        return [int(segment) for segment in self.path.split(PATH_SEPARATOR)[:-1]]

    def __repr__(self) -> str:
        return f"<Comment {self.id} in thread {self.thread_id}>"


class ThreadRevision(Base):
    """What a thread's title and body were before one edit."""

    __tablename__ = "thread_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship()


class CommentRevision(Base):
    """What a comment's body was before one edit."""

    __tablename__ = "comment_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship()


class ThreadReaction(Base):
    """One member's reaction of one kind to a thread's opening post."""

    __tablename__ = "thread_reactions"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[ReactionKind] = mapped_column(_reaction_kind_type(), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentReaction(Base):
    """One member's reaction of one kind to a comment."""

    __tablename__ = "comment_reactions"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[ReactionKind] = mapped_column(_reaction_kind_type(), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
