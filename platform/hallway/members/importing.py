"""Reading an organiser's registration export (CSV) into validated rows.

Spreadsheets name columns in many ways ("E-mail", "Organization", "Career stage"); the
header is mapped onto ImportRowSchema's fields, unknown columns are reported and ignored,
and every row is checked before anything is written. Errors carry the file's line number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError

from hallway.members.schemas import ImportRowSchema

REQUIRED_COLUMNS = ("name", "email", "career_stage")

_COLUMN_ALIASES = {
    "full_name": "name",
    "display_name": "name",
    "e_mail": "email",
    "email_address": "email",
    "organization": "organisation",
    "employer": "organisation",
    "institution": "organisation",
    "job_title": "role",
    "title": "role",
    "position": "role",
    "stage": "career_stage",
    "timezone": "time_zone",
    "province": "region",
    "state": "region",
    "province_state": "region",
    "province_or_state": "region",
    "interest": "interests",
    "network": "networks",
    "associations": "networks",
    "networks_and_associations": "networks",
    "qualification": "qualifications",
    "looking": "looking_for",
    "offers": "offering",
    "offer": "offering",
}


@dataclass
class CheckedFile:
    """Rows that passed (line number, data) and every problem found (line number, text)."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    row_count: int = 0


def column_name(header: str) -> str:
    """ "Career stage" -> "career_stage"; "Organization" -> "organisation"."""
    key = re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")
    return _COLUMN_ALIASES.get(key, key)


def _messages(found: Any, prefix: str = "") -> list[str]:
    if isinstance(found, dict):
        return [
            text
            for key, value in found.items()
            for text in _messages(value, f"{prefix}{key}: " if key != "_schema" else prefix)
        ]
    if isinstance(found, list):
        return [text for value in found for text in _messages(value, prefix)]
    return [f"{prefix}{found}"]


def check_csv(text: str, *, on_row: Callable[[], None] | None = None) -> CheckedFile:
    """Parse and validate a whole file; nothing here touches the database."""
    result = CheckedFile()
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        result.errors.append((1, "The file is empty; the first line must name the columns."))
        return result
    columns = [column_name(name) for name in header]
    known = set(ImportRowSchema().fields)
    result.ignored_columns = [
        name for name, column in zip(header, columns, strict=True) if column not in known
    ]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        wanted = ", ".join(name.replace("_", " ") for name in missing)
        result.errors.append((1, f"Missing column(s): {wanted}."))
        return result

    schema = ImportRowSchema()
    first_line_of_email: dict[str, int] = {}
    line = reader.line_num + 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            result.row_count += 1
            _check_row(result, schema, line, columns, cells, known, first_line_of_email)
            if on_row:
                on_row()
        line = reader.line_num + 1
    return result


def _check_row(
    result: CheckedFile,
    schema: ImportRowSchema,
    line: int,
    columns: list[str],
    cells: list[str],
    known: set[str],
    first_line_of_email: dict[str, int],
) -> None:
    if len(cells) > len(columns):
        result.errors.append((line, f"{len(cells)} cells but only {len(columns)} columns."))
        return
    raw = {column: cell for column, cell in zip(columns, cells, strict=False) if column in known}
    try:
        data = schema.load(raw)
    except ValidationError as error:
        result.errors.extend((line, text) for text in _messages(error.normalized_messages()))
        return
    earlier = first_line_of_email.setdefault(data["email"], line)
    if earlier != line:
        result.errors.append((line, f"email: {data['email']} is already on line {earlier}."))
        return
    result.rows.append((line, data))
