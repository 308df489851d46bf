"""Rendered HTML kept between requests, valid as long as the data it shows is unchanged.

A page part that many readers see the same way (the directory's results, the thread
list) is rendered once per *content version* and reused. A content version is a
counter per name ("directory", "threads", ...) stored in the database: a service that
changes what such a part shows calls ``bump(session, name)`` inside its transaction, so
the new number becomes visible exactly when the change does, to every process.

Readers call ``cached_html`` with the versions the part depends on, read **before** the
data (``current_versions`` first, then render): a change committed in between makes the
stored copy's version stale at once, never the other way round. The key must name
everything else the HTML depends on (the page's filters, whether the reader is logged
in, the language, ...) but nothing personal: personal parts are added per request.

Each process keeps its own copies in a bounded LRU (entries and bytes), so memory stays
flat whatever is asked for.
"""

from __future__ import annotations

import functools
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import render_template
from markupsafe import Markup
from sqlalchemy import BigInteger, Select, String, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from hallway.db import Base


class ContentVersion(Base):
    """How many times the content behind cached HTML called ``name`` has changed."""

    __tablename__ = "content_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


def _bump_statement(insert: Callable[..., Any]) -> Any:
    statement = insert(ContentVersion).values(name=bindparam("name"), version=1)
    return statement.on_conflict_do_update(
        index_elements=[ContentVersion.name], set_={"version": ContentVersion.version + 1}
    )


#: Built once per dialect: building the statement costs more than running it.
_BUMPS = {
    "postgresql": _bump_statement(postgresql_insert),
    "sqlite": _bump_statement(sqlite_insert),
}


def bump(session: Session, *names: str) -> None:
    """Mark what each name covers as changed, in the caller's transaction.

    One upsert (``INSERT ... ON CONFLICT DO UPDATE``, on SQLite and PostgreSQL alike)
    run for each name, in the order given: the first change of a name inserts its row,
    later ones add one, and two first changes at once wait for each other on the key
    instead of one failing. Names bumped together are named in the same order
    everywhere, so concurrent writers on PostgreSQL queue instead of deadlocking.
    """
    if names:
        statement = _BUMPS[session.get_bind().dialect.name]
        session.execute(statement, [{"name": name} for name in names])


@functools.cache
def _versions_statement(count: int) -> Select[str, int]:
    """The statement reading ``count`` versions, built once per count (building one
    costs more than running it). One parameter per name: a list ("expanding") parameter
    would be rendered into the SQL again on every execution."""
    names = [bindparam(f"name_{index}", type_=String) for index in range(count)]
    return select(ContentVersion.name, ContentVersion.version).where(ContentVersion.name.in_(names))


def version_of(name: Any) -> Any:
    """The content version called ``name`` (a value, a bind parameter or a SQL
    expression) as a scalar subquery, to read in the statement a page reads anyway
    (NULL for a name never bumped)."""
    return select(ContentVersion.version).where(ContentVersion.name == name).scalar_subquery()


def current_versions(session: Session, names: Iterable[str]) -> tuple[int, ...]:
    """The current version of each name, in the order given (0 for one never bumped)."""
    wanted = list(names)
    if not wanted:
        return ()
    parameters = {f"name_{index}": name for index, name in enumerate(wanted)}
    statement = _versions_statement(len(wanted))
    # Through the session's connection: plain columns need none of the ORM's loading,
    # which doubled this statement's cost (versions are written by statements too, so
    # there is nothing pending to flush first).
    rows = {name: version for name, version in session.connection().execute(statement, parameters)}
    return tuple(rows.get(name, 0) for name in wanted)


class FragmentCache:
    """A least-recently-used store of rendered HTML, bounded by entries and bytes."""

    def __init__(self, max_entries: int = 512, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        #: key -> (versions, value, size)
        self._entries: OrderedDict[Hashable, tuple[tuple[int, ...], Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, versions: tuple[int, ...]) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != versions:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(
        self, key: Hashable, versions: tuple[int, ...], html: Any, size: int | None = None
    ) -> None:
        """Keep ``html`` (a str; or any value, with ``size``: about the bytes it holds)."""
        size = len(html) if size is None else size
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[2]
            self._entries[key] = (versions, html, size)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _key, (_versions, _evicted, evicted_size) = self._entries.popitem(last=False)
                self._bytes -= evicted_size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


#: One store per process; tests clear it between tests.
fragments = FragmentCache()


def cached_html(
    session: Session,
    key: Hashable,
    depends_on: Iterable[str],
    render: Callable[[], str],
) -> Markup:
    """``render()``'s HTML for ``key``, reused while the named content versions hold."""
    versions = current_versions(session, depends_on)
    html = fragments.get(key, versions)
    if html is None:
        html = str(render())
        fragments.put(key, versions, html)
    return Markup(html)


# --- Slots: the per-request parts of kept HTML -------------------------------------------


@dataclass(frozen=True)
class SlottedHtml:
    """Kept HTML taken apart at its slots: the text around them and each slot's name."""

    texts: tuple[str, ...]  # one more than ``names``
    names: tuple[str, ...]

    def fill(self, values: Mapping[str, str]) -> Markup:
        """The HTML with each slot replaced by ``values[its name]``."""
        out = [self.texts[0]]
        for name, text in zip(self.names, self.texts[1:], strict=True):
            out.append(values[name])
            out.append(text)
        return Markup("".join(out))

    def __len__(self) -> int:
        return sum(len(text) for text in self.texts)


class SlotMarks:
    """Marks for where per-request values go in HTML rendered to be kept (a CSRF token,
    the reader's own parts). Random per process, so no member's text can hold one."""

    def __init__(self, *names: str) -> None:
        token = secrets.token_hex(8)
        self._marks = {name: Markup(f"\ue000{token}:{name}\ue000") for name in names}
        self._pattern = re.compile(f"\ue000{token}:([a-z_]+)\ue000")

    def __getitem__(self, name: str) -> Markup:
        return self._marks[name]

    def split(self, html: str) -> SlottedHtml:
        pieces = self._pattern.split(html)  # text, name, text, name, ..., text
        return SlottedHtml(tuple(pieces[0::2]), tuple(pieces[1::2]))


def render_kept(
    template: str,
    *,
    store: FragmentCache,
    key: Hashable,
    versions: tuple[int, ...],
    marks: SlotMarks,
    values: Mapping[str, str],
    context: Callable[[], Mapping[str, Any]],
) -> Markup:
    """``template`` rendered with ``context()`` once per ``key`` while ``versions`` hold,
    and kept in ``store``: each of ``values`` is given to the template as its mark, and
    put in per call. A "csrf" value stands for the template's ``csrf_token()``."""
    kept = store.get(key, versions)
    if kept is None:
        slots: dict[str, Any] = {name: marks[name] for name in values if name != "csrf"}
        if "csrf" in values:
            slots["csrf_token"] = lambda: marks["csrf"]
        kept = marks.split(render_template(template, **context(), **slots))
        store.put(key, versions, kept, size=len(kept))
    return kept.fill(values)
