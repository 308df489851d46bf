"""Read the demo community's data files, with errors that name the file and the field.

The files live in ``hallway/demo/data/`` (shipped with the package, found through
``importlib.resources``): TOML for tables, Markdown with TOML front matter for prose
that has a shape (a thread and its replies). This module only reads and checks their
form; each feature checks the meaning of its own part against its own vocabularies
(``<feature>/demo.py``), so this package never imports a feature.
"""

from __future__ import annotations

import re
import textwrap
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

_MISSING: Any = object()


class DemoDataError(ValueError):
    """A data file says something the demo cannot use; the message names file and field."""

    def __init__(self, file: str, field: str | None, message: str) -> None:
        self.file, self.field = file, field
        where = f"{file}: {field}" if field else file
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------------------
# Prose
# --------------------------------------------------------------------------------------

_BLOCK_START = re.compile(r"^(#{1,6} |[-*+] |> ?|\d+\. |\|)")
_FENCE = re.compile(r"^(```|~~~)")


def unwrap(text: str) -> str:
    """Markdown as a member would type it, from text hard-wrapped for easy reading.

    Writers wrap lines wherever they like; the lines of one paragraph (or one list item)
    are joined with a space. Blank lines, headings, list items, quotes, table rows and
    fenced code keep their own lines.
    """
    out: list[str] = []
    fenced = False
    for raw in textwrap.dedent(text).strip().splitlines():
        line = raw.strip()
        if _FENCE.match(line) or fenced:
            out.append(raw.rstrip())
            fenced = fenced != bool(_FENCE.match(line))
        elif not line:
            out.append("")
        elif out and out[-1] and not _BLOCK_START.match(line) and not out[-1].startswith("#"):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# One table of a data file, read field by field
# --------------------------------------------------------------------------------------


class Record:
    """One table of a data file. Each getter checks the type and names file and field
    when it is wrong; :meth:`finish` refuses fields nobody read (a typo, usually)."""

    def __init__(self, file: str, table: Any, where: str = "") -> None:
        self.file = file
        self.where = where
        if not isinstance(table, dict):
            raise DemoDataError(file, where or None, "expected a table of fields")
        self._table: dict[str, Any] = table
        self._read: set[str] = set()

    def name(self, field: str) -> str:
        return f"{self.where}.{field}" if self.where else field

    def error(self, field: str | None, message: str) -> DemoDataError:
        return DemoDataError(self.file, self.name(field) if field else self.where or None, message)

    def has(self, field: str) -> bool:
        return field in self._table

    def raw(self, field: str) -> Any:
        """The value as TOML gave it (None if absent), to tell a list from a table."""
        return self._table.get(field)

    def _get(self, field: str, kinds: tuple[type, ...], what: str, default: Any) -> Any:
        self._read.add(field)
        if field not in self._table:
            if default is _MISSING:
                raise self.error(field, "is missing")
            return default
        value = self._table[field]
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
            raise self.error(field, f"should be {what}, not {value!r}")
        return value

    def text(self, field: str, default: Any = _MISSING, *, allow_empty: bool = False) -> str:
        value: str = self._get(field, (str,), "text", default)
        if value is default:
            return value
        if not allow_empty and not value.strip():
            raise self.error(field, "is empty")
        return value.strip()

    def markdown(self, field: str, default: Any = _MISSING) -> str:
        value = self.text(field, default)
        return value if value is default else unwrap(value)

    def integer(self, field: str, default: Any = _MISSING, *, minimum: int | None = None) -> int:
        value: int = self._get(field, (int,), "a whole number", default)
        if minimum is not None and value is not default and value < minimum:
            raise self.error(field, f"should be at least {minimum}, not {value}")
        return value

    def number(self, field: str, default: Any = _MISSING, *, minimum: float | None = None) -> float:
        value = self._get(field, (int, float), "a number", default)
        if minimum is not None and value is not default and value < minimum:
            raise self.error(field, f"should be at least {minimum}, not {value}")
        return float(value) if value is not default else value

    def boolean(self, field: str, default: Any = _MISSING) -> bool:
        return self._get(field, (bool,), "true or false", default)

    def texts(self, field: str, default: Any = _MISSING) -> tuple[str, ...]:
        values = self._get(field, (list,), "a list of texts", default)
        if values is default:
            return values
        for index, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                raise self.error(f"{field}[{index}]", f"should be a non-empty text, not {value!r}")
        if len(set(values)) != len(values):
            repeated = next(value for value in values if values.count(value) > 1)
            raise self.error(field, f"lists {repeated!r} twice")
        return tuple(value.strip() for value in values)

    def choice(self, field: str, allowed: Iterable[str], default: Any = _MISSING) -> str:
        value = self.text(field, default)
        if value is not default:
            check_choice(self, field, value, allowed)
        return value

    def choices(
        self, field: str, allowed: Iterable[str], default: Any = _MISSING
    ) -> tuple[str, ...]:
        values = self.texts(field, default)
        if values is not default:
            allowed = tuple(allowed)
            for index, value in enumerate(values):
                check_choice(self, f"{field}[{index}]", value, allowed)
        return values

    def record(self, field: str) -> Record:
        self._read.add(field)
        if field not in self._table:
            raise self.error(field, "is missing")
        return Record(self.file, self._table[field], self.name(field))

    def records(self, field: str, default: Any = _MISSING) -> list[Record]:
        tables = self._get(field, (list,), "a list of tables", default)
        if tables is default:
            return tables
        return [
            Record(self.file, table, f"{self.name(field)}[{index}]")
            for index, table in enumerate(tables)
        ]

    def keys(self) -> list[str]:
        """Every field name, in file order, all counted as read (for tables keyed by code)."""
        self._read.update(self._table)
        return list(self._table)

    def finish(self) -> None:
        unknown = [field for field in self._table if field not in self._read]
        if unknown:
            raise self.error(unknown[0], "is not a field the demo knows (a typo?)")


def check_choice(record: Record, field: str, value: str, allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        shown = ", ".join(allowed) if len(allowed) <= 12 else ", ".join(allowed[:12]) + ", …"
        raise record.error(field, f"{value!r} is not one of: {shown}")


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A part of a Markdown file that starts with a ``+++ <header>`` line."""

    header: str
    body: str
    line: int


@dataclass(frozen=True)
class MarkdownDocument:
    """A Markdown file: its TOML front matter, its body, then its ``+++`` sections."""

    file: str
    meta: Record
    body: str
    sections: tuple[Section, ...]


_SECTION = re.compile(r"^\+\+\+ +(\S.*?)\s*$")


def default_root() -> Traversable:
    return resources.files("hallway.demo") / "data"


class DemoData:
    """The data folder: ``hallway/demo/data`` in the package, or another folder (tests)."""

    def __init__(self, root: Traversable | Path | None = None) -> None:
        self.root: Traversable = root if root is not None else default_root()

    def _file(self, name: str) -> Traversable:
        node = self.root
        for part in name.split("/"):
            node = node / part
        if not node.is_file():
            raise DemoDataError(name, None, "no such data file")
        return node

    def read_text(self, name: str) -> str:
        try:
            return self._file(name).read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise DemoDataError(name, None, "is not UTF-8 text") from error

    def toml(self, name: str) -> Record:
        """A TOML file, e.g. ``toml("members.toml")``."""
        return Record(name, _parse_toml(name, self.read_text(name)))

    def files(self, folder: str, suffix: str) -> list[str]:
        """File names under ``folder`` ending in ``suffix``, sorted (names starting with
        ``_`` or ``.`` and READMEs are skipped)."""
        node = self.root / folder
        if not node.is_dir():
            return []
        return sorted(
            f"{folder}/{child.name}"
            for child in node.iterdir()
            if child.is_file()
            and child.name.endswith(suffix)
            and not child.name.startswith(("_", "."))
            and not child.name.upper().startswith("README")
        )

    def toml_files(self, folder: str) -> Iterator[Record]:
        for name in self.files(folder, ".toml"):
            yield self.toml(name)

    def markdown_files(self, folder: str) -> Iterator[MarkdownDocument]:
        for name in self.files(folder, ".md"):
            yield self.markdown(name)

    def markdown(self, name: str) -> MarkdownDocument:
        """A Markdown file that opens with TOML front matter between two ``+++`` lines.

        After the body, each line ``+++ <header>`` starts a section that runs to the next
        one (a thread's replies). Bodies are unwrapped (see :func:`unwrap`).
        """
        lines = self.read_text(name).splitlines()
        if not lines or lines[0].strip() != "+++":
            raise DemoDataError(name, None, "should start with a '+++' line (the front matter)")
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
        except StopIteration:
            raise DemoDataError(name, None, "the front matter has no closing '+++' line") from None
        meta = Record(name, _parse_toml(name, "\n".join(lines[1:end])))
        starts = [i for i in range(end + 1, len(lines)) if _SECTION.match(lines[i])]
        body = unwrap("\n".join(lines[end + 1 : starts[0] if starts else len(lines)]))
        sections = []
        for index, start in enumerate(starts):
            stop = starts[index + 1] if index + 1 < len(starts) else len(lines)
            header = _SECTION.match(lines[start]).group(1)  # type: ignore[union-attr]
            sections.append(Section(header, unwrap("\n".join(lines[start + 1 : stop])), start + 1))
        return MarkdownDocument(name, meta, body, tuple(sections))


def _parse_toml(name: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(name, None, f"is not valid TOML ({error})") from error
