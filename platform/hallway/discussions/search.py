"""Full-text search over threads and comments: FTS5 on SQLite, tsvector on PostgreSQL.

Both understand the same small query language (what people type into search boxes):
words (all must match), "quoted phrases", ``-word`` to leave out, and ``or``. Only
visible posts come back: never deleted or hidden ones, nor anything in a deleted or
hidden thread, nor posts by members the viewer blocked.

The index itself is made by migration 0003 (see there): triggers keep FTS5 in step on
SQLite; PostgreSQL uses GIN expression indexes, which the SQL below repeats verbatim.

Accents never matter ("Montreal" finds "Montréal", "ecole" finds "École", and back):
FTS5's tokenizer drops them (``remove_diacritics 2``) from the index and the query; on
PostgreSQL the ``hallway_english`` text search configuration (migration 0015) runs
unaccent before the english stemmer, in the indexes, the queries and ts_headline.
(FTS5 leaves letters without a combining mark as they are: only PostgreSQL also finds
"cœur" for "coeur".)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from markupsafe import Markup, escape
from sqlalchemy import BindParameter, bindparam, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from hallway.core.pagination import Page, clamp, page_of
from hallway.db import UTCDateTime
from hallway.discussions.queries import Viewer

MAX_QUERY_LENGTH = 200
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"

_TERM_PATTERN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD_PATTERN = re.compile(r"\w+")
_MARKDOWN_NOISE = re.compile(r"(\*\*|__|`+|~~|^#{1,6}\s|^>\s?|\[|\]\([^)]*\))", re.MULTILINE)


@dataclass(frozen=True)
class SearchHit:
    thread_id: int
    thread_slug: str
    thread_title: str
    comment_id: int | None
    comment_depth: int | None
    comment_path: str | None
    author_name: str | None
    created_at: datetime
    snippet: Markup

    @property
    def is_comment(self) -> bool:
        return self.comment_id is not None


@dataclass(frozen=True)
class ParsedQuery:
    """Terms as lists of words: phrases keep their words together."""

    required: list[list[str]]
    alternatives: list[list[list[str]]]  # groups joined by "or"
    excluded: list[list[str]]

    @property
    def is_searchable(self) -> bool:
        return bool(self.alternatives)


def parse_query(raw: str) -> ParsedQuery:
    """Split what someone typed into terms; punctuation never reaches the database.

    Composed first (NFC), so a letter typed as "i" + a combining diaeresis stays in
    its word instead of splitting it.
    """
    groups: list[list[list[str]]] = [[]]
    excluded: list[list[str]] = []
    for match in _TERM_PATTERN.finditer(unicodedata.normalize("NFC", raw[:MAX_QUERY_LENGTH])):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.lower() == "or":
            if groups[-1]:
                groups.append([])
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        words = _WORD_PATTERN.findall((phrase if phrase is not None else word).lower())
        if not words:
            continue
        (excluded if negated else groups[-1]).append(words)
    alternatives = [group for group in groups if group]
    required = alternatives[0] if len(alternatives) == 1 else []
    return ParsedQuery(required=required, alternatives=alternatives, excluded=excluded)


def _fts5_term(words: list[str]) -> str:
    return '"' + " ".join(words) + '"'


def fts5_expression(query: ParsedQuery) -> str:
    """The FTS5 MATCH expression: every term quoted, so no FTS5 syntax can be injected."""
    groups = ["(" + " AND ".join(_fts5_term(term) for term in group) + ")"
              for group in query.alternatives]  # fmt: skip
    expression = "(" + " OR ".join(groups) + ")"
    for term in query.excluded:
        expression += f" NOT {_fts5_term(term)}"
    return expression


def websearch_text(query: ParsedQuery) -> str:
    """The same query for PostgreSQL's websearch_to_tsquery."""

    def term(words: list[str]) -> str:
        return words[0] if len(words) == 1 else '"' + " ".join(words) + '"'

    groups = [" ".join(term(t) for t in group) for group in query.alternatives]
    return " or ".join(groups) + "".join(f" -{term(t)}" for t in query.excluded)


_VISIBLE = """
    t.deleted_at IS NULL AND t.hidden_at IS NULL
    AND (t.author_id IS NULL OR t.author_id NOT IN :blocked)
"""
_VISIBLE_COMMENT = (
    _VISIBLE
    + " AND c.deleted_at IS NULL AND c.hidden_at IS NULL"
    + " AND (c.author_id IS NULL OR c.author_id NOT IN :blocked)"
)

_SQLITE_HITS = f"""
    SELECT t.id AS thread_id, t.slug AS thread_slug, t.title AS thread_title,
           NULL AS comment_id, NULL AS comment_depth, NULL AS comment_path,
           u.display_name AS author_name, t.created_at AS created_at,
           bm25(fts_threads, 4.0, 1.0) AS rank,
           snippet(fts_threads, 1, :start, :stop, '…', 24) AS snippet
    FROM fts_threads
    JOIN threads AS t ON t.id = fts_threads.rowid
    LEFT JOIN users AS u ON u.id = t.author_id
    WHERE fts_threads MATCH :match AND {_VISIBLE}
    UNION ALL
    SELECT t.id, t.slug, t.title, c.id, c.depth, c.path, u.display_name, c.created_at,
           bm25(fts_comments), snippet(fts_comments, 0, :start, :stop, '…', 24)
    FROM fts_comments
    JOIN comments AS c ON c.id = fts_comments.rowid
    JOIN threads AS t ON t.id = c.thread_id
    LEFT JOIN users AS u ON u.id = c.author_id
    WHERE fts_comments MATCH :match AND {_VISIBLE_COMMENT}
"""

_SQLITE_PAGE = f"""
    SELECT * FROM ({_SQLITE_HITS}) ORDER BY rank, created_at DESC
    LIMIT :limit OFFSET :offset
"""

_SQLITE_COUNT = f"""
    SELECT (SELECT count(*) FROM fts_threads JOIN threads AS t ON t.id = fts_threads.rowid
            WHERE fts_threads MATCH :match AND {_VISIBLE})
         + (SELECT count(*) FROM fts_comments JOIN comments AS c ON c.id = fts_comments.rowid
            JOIN threads AS t ON t.id = c.thread_id
            WHERE fts_comments MATCH :match AND {_VISIBLE_COMMENT})
"""

# The to_tsvector(...) expressions must stay exactly those of the GIN indexes (0015).
# hallway_english: english with unaccent before the stemmer, for documents, queries and
# headlines alike, so the snippet marks "Montréal" when someone searched "montreal".
_THREAD_DOCUMENT = "to_tsvector('hallway_english', t.title || ' ' || t.body)"
_COMMENT_DOCUMENT = "to_tsvector('hallway_english', c.body)"
_HEADLINE_OPTIONS = (
    f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, MaxWords=35, MinWords=15, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)

_POSTGRESQL_HITS = f"""
    SELECT t.id AS thread_id, t.slug AS thread_slug, t.title AS thread_title,
           NULL::integer AS comment_id, NULL::integer AS comment_depth,
           NULL::text AS comment_path, u.display_name AS author_name,
           t.created_at AS created_at,
           ts_rank({_THREAD_DOCUMENT}, q.query) * 2 AS rank,
           ts_headline('hallway_english', t.body, q.query, :options) AS snippet
    FROM threads AS t
    CROSS JOIN (SELECT websearch_to_tsquery('hallway_english', :match) AS query) AS q
    LEFT JOIN users AS u ON u.id = t.author_id
    WHERE {_THREAD_DOCUMENT} @@ q.query AND {_VISIBLE}
    UNION ALL
    SELECT t.id, t.slug, t.title, c.id, c.depth, c.path, u.display_name, c.created_at,
           ts_rank({_COMMENT_DOCUMENT}, q.query),
           ts_headline('hallway_english', c.body, q.query, :options)
    FROM comments AS c
    CROSS JOIN (SELECT websearch_to_tsquery('hallway_english', :match) AS query) AS q
    JOIN threads AS t ON t.id = c.thread_id
    LEFT JOIN users AS u ON u.id = c.author_id
    WHERE {_COMMENT_DOCUMENT} @@ q.query AND {_VISIBLE_COMMENT}
"""

_POSTGRESQL_PAGE = f"""
    SELECT * FROM ({_POSTGRESQL_HITS}) AS hits ORDER BY rank DESC, created_at DESC
    LIMIT :limit OFFSET :offset
"""

_POSTGRESQL_COUNT = f"""
    SELECT
      (SELECT count(*) FROM threads AS t
         CROSS JOIN (SELECT websearch_to_tsquery('hallway_english', :match) AS query) AS q
       WHERE {_THREAD_DOCUMENT} @@ q.query AND {_VISIBLE})
    + (SELECT count(*) FROM comments AS c
         CROSS JOIN (SELECT websearch_to_tsquery('hallway_english', :match) AS query) AS q
         JOIN threads AS t ON t.id = c.thread_id
       WHERE {_COMMENT_DOCUMENT} @@ q.query AND {_VISIBLE_COMMENT})
"""


def highlight(snippet: str | None) -> Markup:
    """Escape a snippet, tidy Markdown marks away and turn the markers into <mark>."""
    plain = _MARKDOWN_NOISE.sub("", snippet or "")
    plain = " ".join(plain.split())
    out: list[str] = []
    open_mark = False
    for piece in re.split(f"([{HIGHLIGHT_START}{HIGHLIGHT_STOP}])", plain):
        if piece == HIGHLIGHT_START and not open_mark:
            out.append("<mark>")
            open_mark = True
        elif piece == HIGHLIGHT_STOP and open_mark:
            out.append("</mark>")
            open_mark = False
        elif piece not in (HIGHLIGHT_START, HIGHLIGHT_STOP):
            out.append(str(escape(piece)))
    if open_mark:
        out.append("</mark>")
    return Markup("".join(out))


def search_posts(
    session: Session, viewer: Viewer, raw_query: str, *, page: int = 1, per_page: int = 20
) -> Page[SearchHit]:
    """Visible threads and comments matching ``raw_query``, best first, one page."""
    page, per_page = clamp(page, per_page)
    parsed = parse_query(raw_query or "")
    if not parsed.is_searchable:
        return page_of([], page=page, per_page=per_page, total=0)
    if session.get_bind().dialect.name == "postgresql":
        page_sql, count_sql = _POSTGRESQL_PAGE, _POSTGRESQL_COUNT
        params: dict[str, object] = {"match": websearch_text(parsed), "options": _HEADLINE_OPTIONS}
    else:
        page_sql, count_sql = _SQLITE_PAGE, _SQLITE_COUNT
        params = {"match": fts5_expression(parsed)}
    # An empty IN () list is valid through an expanding parameter on both dialects.
    params["blocked"] = sorted(viewer.blocked_ids)
    blocked: BindParameter[int] = bindparam("blocked", expanding=True)
    total = session.scalar(text(count_sql).bindparams(blocked), params) or 0
    rows = session.execute(
        text(page_sql).bindparams(blocked),
        {
            **params,
            "start": HIGHLIGHT_START,
            "stop": HIGHLIGHT_STOP,
            "limit": per_page,
            "offset": (page - 1) * per_page,
        },
    ).mappings()
    created = UTCDateTime()
    dialect = session.get_bind().dialect
    hits = [
        SearchHit(
            thread_id=row["thread_id"],
            thread_slug=row["thread_slug"],
            thread_title=row["thread_title"],
            comment_id=row["comment_id"],
            comment_depth=row["comment_depth"],
            comment_path=row["comment_path"],
            author_name=row["author_name"],
            created_at=_as_datetime(created, row["created_at"], dialect),
            snippet=highlight(row["snippet"]),
        )
        for row in rows
    ]
    return page_of(hits, page=page, per_page=per_page, total=total)


def _as_datetime(column_type: UTCDateTime, value: object, dialect: Dialect) -> datetime:
    """Raw SQL gives SQLite timestamps back as text; read them like the ORM does."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    moment = column_type.process_result_value(cast(datetime, value), dialect)
    if moment is None:  # every post has a creation time
        raise ValueError("A search hit without a time.")
    return moment
