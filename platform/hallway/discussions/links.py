"""Addresses of threads and comments.

``ThreadUrls`` asks Flask for a thread's base address once and builds the rest by
joining strings: a page of comments would otherwise call url_for hundreds of times.
A comment's permalink is its own page (``fragments.permalink``), which shows it
whatever the thread's length.
"""

from __future__ import annotations

from functools import cached_property

from flask import url_for

from hallway.discussions import fragments
from hallway.discussions.models import Comment, Thread


class ThreadUrls:
    @classmethod
    def of(cls, thread: Thread) -> ThreadUrls:
        return cls(thread.id, thread.slug)

    def __init__(self, thread_id: int, slug: str) -> None:
        self.thread_id = thread_id
        self.slug = slug

    # Each asked of Flask once, when first used (a kept page may use none of them).

    @cached_property
    def base(self) -> str:
        return url_for("discussions.thread_short", thread_id=self.thread_id)

    @cached_property
    def page(self) -> str:
        slug = self.slug or "discussion"
        return url_for("discussions.thread_detail", thread_id=self.thread_id, slug=slug)

    @cached_property
    def react(self) -> str:
        return self.base + "/reactions"

    @cached_property
    def comments(self) -> str:
        return self.base + "/comments"

    @cached_property
    def reply(self) -> str:
        return self.base + "/reply"

    @cached_property
    def _flag_prefix(self) -> str:
        flag = url_for("moderation.flag", subject_type="thread", subject_id=self.thread_id)
        return flag.rsplit("/thread/", 1)[0]

    def flag(self, subject_type: str, subject_id: int) -> str:
        """The flag form for a post here (/moderation/flag/<type>/<id>), then back here."""
        return f"{self._flag_prefix}/{subject_type}/{subject_id}?next={self.page}"

    def comment(self, comment_id: int, action: str = "") -> str:
        """/t/<id>/comments/<comment_id>[/<action>]: the comment's own page (with its
        replies), or its edit, delete... pages."""
        return f"{self.comments}/{comment_id}" + (f"/{action}" if action else "")

    def permalink(self, comment: Comment) -> str:
        """The comment's own page, scrolled to it."""
        return fragments.permalink(self.thread_id, comment.id)

    def reply_to(self, comment_id: int | None = None, *, quote: bool = False) -> str:
        target = f"?to={comment_id}" if comment_id is not None else "?"
        if quote:
            target += ("&" if comment_id is not None else "") + "quote=1"
        return self.reply + (target if target != "?" else "")


def thread_path(thread: Thread) -> str:
    return url_for(
        "discussions.thread_detail", thread_id=thread.id, slug=thread.slug or "discussion"
    )


def comment_permalink(comment: Comment, thread: Thread) -> str:
    return ThreadUrls.of(thread).permalink(comment)
