"""The discussions' part of the demo: categories, threads, replies and reactions.

Categories come from ``hallway/demo/data/categories.toml``; each thread is a Markdown
file in ``hallway/demo/data/threads/`` with its replies after it (see the README there).
The seeder goes through the discussions service, as members would post; the replies
notify the people they answer or mention, dated when they were written (no e-mail).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallway.accounts.models import Role, User
from hallway.core.markdown import extract_mentions
from hallway.demo import DemoContext, DemoData, DemoDataError
from hallway.demo.loader import MarkdownDocument, Record, check_choice
from hallway.discussions import notify as discussions_notify
from hallway.discussions import service as discussions_service
from hallway.discussions.models import Comment, ReactionKind, Thread
from hallway.discussions.text import parse_tags, tag_problems

ORDER = 20  # after the members who write them
CATEGORIES_FILE = "categories.toml"
THREADS_FOLDER = "threads"
#: A reply starts with a line such as "+++ 1.2 @maggie-doucet": reply 2 to reply 1.
_REPLY_HEADER = re.compile(r"^(?P<number>\d+(?:\.\d+)*)\s+@(?P<handle>[a-z0-9_-]{3,30})$")
REPLY_SPACING = timedelta(minutes=37)


@dataclass(frozen=True)
class DemoCategory:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class DemoComment:
    author_handle: str
    body: str
    replies: list[DemoComment] = field(default_factory=list)
    number: str = ""


@dataclass(frozen=True)
class DemoThread:
    file: str
    slug: str
    category_slug: str
    author_handle: str
    title: str
    body: str
    tags: tuple[str, ...]
    days_ago: float
    pinned: bool = False
    comments: list[DemoComment] = field(default_factory=list)


def walk_comments(
    comments: Sequence[DemoComment], depth: int = 1
) -> Iterator[tuple[int, DemoComment]]:
    """Depth-first ``(depth, comment)`` pairs; top-level comments have depth 1."""
    for comment in comments:
        yield depth, comment
        yield from walk_comments(comment.replies, depth + 1)


def load_categories(data: DemoData) -> list[DemoCategory]:
    file = data.toml(CATEGORIES_FILE)
    categories: list[DemoCategory] = []
    for item in file.records("categories"):
        category = DemoCategory(item.text("slug"), item.text("name"), item.text("description"))
        item.finish()
        if not re.fullmatch(r"[a-z0-9-]+", category.slug):
            raise item.error("slug", "use lowercase letters, digits and '-'")
        if any(category.slug == other.slug for other in categories):
            raise item.error("slug", f"{category.slug!r} is used by another category")
        categories.append(category)
    file.finish()
    return categories


def _check_mentions(record: Record, field_name: str, body: str, handles: Collection[str]) -> None:
    for handle in extract_mentions(body):
        if handle not in handles:
            raise record.error(field_name, f"mentions @{handle}, who is not a demo member")


def _thread(
    document: MarkdownDocument, categories: Sequence[str], handles: Sequence[str]
) -> DemoThread:
    meta, file = document.meta, document.file
    thread = DemoThread(
        file=file,
        slug=file.rsplit("/", 1)[-1].removesuffix(".md"),
        title=meta.text("title"),
        category_slug=meta.choice("category", categories),
        author_handle=meta.choice("author", handles),
        # As members' tags are loaded (ThreadCreateSchema): normalised, then checked below.
        tags=tuple(parse_tags(meta.texts("tags", ()))),
        days_ago=meta.number("days_ago"),
        pinned=meta.boolean("pinned", False),
        body=document.body,
    )
    meta.finish()
    if problems := tag_problems(list(thread.tags)):
        raise meta.error("tags", " ".join(problems))
    if thread.days_ago <= 0:
        raise meta.error("days_ago", "should be more than 0: threads are in the past")
    if not thread.body:
        raise DemoDataError(file, "body", "the thread has no text after its front matter")
    _check_mentions(meta, "body", thread.body, handles)

    by_number: dict[str, DemoComment] = {}
    for section in document.sections:
        where = f"reply on line {section.line}"
        match = _REPLY_HEADER.match(section.header)
        if not match:
            raise DemoDataError(
                file, where, f"'+++ {section.header}' should read '+++ <number> @<handle>'"
            )
        number, handle = match["number"], match["handle"]
        where = f"reply {number} (line {section.line})"
        record = Record(file, {}, where)
        check_choice(record, "author", handle, handles)
        if number in by_number:
            raise record.error(None, f"the number {number} is used twice")
        if not section.body:
            raise record.error(None, "is empty")
        _check_mentions(record, "body", section.body, handles)
        comment = DemoComment(handle, section.body, number=number)
        parent_number = number.rpartition(".")[0]
        if not parent_number:
            thread.comments.append(comment)
        elif parent_number in by_number:
            by_number[parent_number].replies.append(comment)
        else:
            raise record.error(
                None, f"answers reply {parent_number}, which comes nowhere before it"
            )
        by_number[number] = comment
    return thread


def load_threads(
    data: DemoData, *, categories: Sequence[str], handles: Collection[str]
) -> list[DemoThread]:
    """Every thread, oldest first. Categories, authors and @mentions must exist."""
    known = sorted(handles)
    threads = [
        _thread(document, categories, known) for document in data.markdown_files(THREADS_FOLDER)
    ]
    return sorted(threads, key=lambda thread: -thread.days_ago)


# --------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------


def _joined_before(thread: DemoThread, user: User, when: datetime) -> None:
    if user.created_at > when:
        raise DemoDataError(
            thread.file,
            "days_ago",
            f"@{user.handle} would post before joining ({user.created_at:%Y-%m-%d})",
        )


def _notify_as_if_live(session: Session, comment: Comment, users: dict[str, User]) -> None:
    """Imported replies notify nobody; the demo's do, dated when they were written,
    so demo members find replies and mentions waiting (no email is sent)."""
    mentioned = {users[handle].id for handle in extract_mentions(comment.body) if handle in users}
    discussions_notify.notify_new_post(
        session, post=comment, mentioned_user_ids=mentioned, as_of=comment.created_at
    )


def _add_comments(
    context: DemoContext,
    demo_thread: DemoThread,
    thread: Thread,
    comments: list[DemoComment],
    parent: Comment | None,
    clock: datetime,
    spacing: timedelta,
) -> datetime:
    """Replies through the discussions service (rendered HTML, path and depth), in order."""
    for demo_comment in comments:
        clock += spacing
        author = context.users[demo_comment.author_handle]
        _joined_before(demo_thread, author, clock)
        posted = discussions_service.reply(
            context.session,
            actor=author,
            thread=thread,
            body=demo_comment.body,
            parent_id=parent.id if parent else None,
            imported_at=clock,
        )
        comment = cast(Comment, posted.post)
        _notify_as_if_live(context.session, comment, context.users)
        clock = _add_comments(
            context, demo_thread, thread, demo_comment.replies, comment, clock, spacing
        )
    return clock


def _add_reactions(context: DemoContext, thread: Thread) -> None:
    """A few members react to the opening post and to about half of the replies."""
    rng, readers = context.rng, list(context.users.values())
    comments = context.session.scalars(select(Comment).where(Comment.thread_id == thread.id)).all()
    posts: list[tuple[Comment | None, int]] = [(None, rng.randint(3, 12))]
    posts += [(comment, rng.randint(1, 5)) for comment in comments if rng.random() < 0.5]
    for comment, how_many in posts:
        for reader in rng.sample(readers, min(how_many, len(readers))):
            discussions_service.toggle_reaction(
                context.session,
                actor=reader,
                thread=thread,
                comment=comment,
                kind=rng.choice(list(ReactionKind)),
            )


def seed_discussions(context: DemoContext) -> None:
    """Categories (made by the admin), then each thread with its replies and reactions,
    as members would post them; threads marked ``pinned`` are pinned."""
    session, users = context.session, context.users
    admin = next(user for user in users.values() if user.role is Role.admin)
    categories = {
        demo_category.slug: discussions_service.create_category(
            session, actor=admin, name=demo_category.name, description=demo_category.description
        )
        for demo_category in load_categories(context.data)
    }
    demo_threads = load_threads(context.data, categories=list(categories), handles=users)
    with Progress(transient=True) as progress:
        task = progress.add_task("Starting discussions", total=len(demo_threads))
        for demo_thread in demo_threads:
            started = context.now - timedelta(days=demo_thread.days_ago)
            author = users[demo_thread.author_handle]
            _joined_before(demo_thread, author, started)
            posted = discussions_service.start_thread(
                session,
                actor=author,
                category_id=categories[demo_thread.category_slug].id,
                title=demo_thread.title,
                body=demo_thread.body,
                tags=demo_thread.tags,
                imported_at=started,
            )
            thread = cast(Thread, posted.post)
            replies = sum(1 for _ in walk_comments(demo_thread.comments))
            # Replies follow one another, and all of them before now.
            spacing = min(REPLY_SPACING, (context.now - started) / (replies + 1))
            _add_comments(
                context, demo_thread, thread, demo_thread.comments, None, started, spacing
            )
            _add_reactions(context, thread)
            if demo_thread.pinned:
                discussions_service.set_pinned(session, actor=admin, thread=thread, pinned=True)
            progress.advance(task)
