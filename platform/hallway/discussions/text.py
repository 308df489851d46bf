"""Small text rules for discussions: lengths, slugs, tags and comment paths. No database here.

The lengths are checked by the input schemas (``discussions.schemas``), which the pages
and the JSON API both load their input with.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from flask_babel import gettext

from hallway.discussions.models import PATH_SEGMENT_WIDTH, PATH_SEPARATOR

TITLE_MIN_LENGTH = 5
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 10_000
CATEGORY_NAME_MAX_LENGTH = 80
CATEGORY_DESCRIPTION_MAX_LENGTH = 300
SLUG_MAX_LENGTH = 80
TAG_MAX_LENGTH = 30
TAG_MIN_LENGTH = 2
MAX_TAGS = 5


def too_many_tags() -> str:
    return gettext("Use at most %(number)s tags.", number=MAX_TAGS)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = re.compile(r"['’]")
#: Letters of any language (« pédagogie », « médiatisation »), digits, and + # . - inside.
_TAG_PATTERN = re.compile(r"^[^\W_](?:[^\W_]|[+#.-])*$")


def _ascii_lower(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return folded.lower()


def slugify(title: str) -> str:
    """'Who's going? Tools & tips' -> 'whos-going-tools-and-tips'.

    Only for readable URLs: threads are found by id, so slugs need not be unique.
    """
    words = _APOSTROPHES.sub("", title.replace("&", " and "))
    slug = _NOT_SLUG.sub("-", _ascii_lower(words)).strip("-")
    if len(slug) > SLUG_MAX_LENGTH:
        slug = slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0] or slug[:SLUG_MAX_LENGTH]
    return slug or "discussion"


def normalise_tag(raw: str) -> str:
    """Lowercase, spaces and underscores become hyphens: 'Career Change' -> 'career-change'."""
    tag = unicodedata.normalize("NFC", raw).strip().lstrip("#").strip().lower()
    return re.sub(r"[\s_]+", "-", tag).strip("-")


def split_tags(raw: str | Iterable[str] | None) -> list[str]:
    """Tags from a comma-separated string (forms) or a list (the API), before checks."""
    if raw is None:
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return [item for item in items if isinstance(item, str) and item.strip()]


def parse_tags(raw: str | Iterable[str] | None) -> list[str]:
    """Normalised tags, each once, in the order given."""
    return [tag for tag in unique_in_order(normalise_tag(tag) for tag in split_tags(raw)) if tag]


def tag_problems(tags: list[str]) -> list[str]:
    """What is wrong with already normalised tags, in words a member understands."""
    problems = []
    if len(tags) > MAX_TAGS:
        problems.append(too_many_tags())
    for tag in tags:
        # A long one is quoted by its start: the message need not repeat all of it.
        shown = tag if len(tag) <= 2 * TAG_MAX_LENGTH else tag[:TAG_MAX_LENGTH] + "…"
        if not TAG_MIN_LENGTH <= len(tag) <= TAG_MAX_LENGTH:
            problems.append(
                gettext(
                    "“%(tag)s”: tags are %(shortest)s to %(longest)s characters long.",
                    tag=shown,
                    shortest=TAG_MIN_LENGTH,
                    longest=TAG_MAX_LENGTH,
                )
            )
        elif not _TAG_PATTERN.match(tag):
            problems.append(gettext("“%(tag)s”: use letters, digits and hyphens.", tag=shown))
    return problems


def unique_in_order(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def path_segment(comment_id: int) -> str:
    return f"{comment_id:0{PATH_SEGMENT_WIDTH}d}"


def child_path(parent_path: str | None, comment_id: int) -> str:
    """The materialised path of a comment: its parent's path plus its own padded id."""
    segment = path_segment(comment_id)
    return f"{parent_path}{PATH_SEPARATOR}{segment}" if parent_path else segment


def quote_markdown(body: str, *, author_handle: str | None, permalink: str) -> str:
    """A reply box's opening: '@ana [wrote](/t/1/x#comment-5):' and the text as '> ' lines.

    The @mention tells the quoted member; the link goes back to what was said.
    """
    attribution = (
        f"@{author_handle} [wrote]({permalink}):"
        if author_handle
        else (f"[Someone wrote]({permalink}):")
    )
    quoted = "\n".join(f"> {line}".rstrip() for line in body.strip().splitlines())
    return f"{attribution}\n{quoted}\n\n"
