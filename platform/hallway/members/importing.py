"""Reading an organiser's registration export (CSV) into validated rows, and the parts
of a registration the members import itself does not write.

Spreadsheets name columns in many ways ("E-mail", "Organization", "Career stage"); the
header is mapped onto ImportRowSchema's fields, unknown columns are reported and ignored,
and every row is checked before anything is written. Errors carry the file's line number.

A conference's registration export has three more columns (``REGISTRATION_COLUMNS``):
``bio`` (stored on the profile), ``matching_opt_in`` (yes/no: the matching consent the
registration form asked for) and ``events`` (titles of the events the member is going
to, separated by ";"). Interests outside the vocabulary stay free tags, and the curated
topics a synonym maps them to are added beside them ("captioning" also gives
"accessibility & UDL").

Events are another feature (events import members, not the other way round), so they
plug in here: ``events.init_app`` registers how titles are checked and how members are
registered (``register_event_registrar``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from marshmallow import ValidationError
from sqlalchemy.orm import Session

from hallway.accounts import service as accounts_service
from hallway.accounts.models import User
from hallway.members import service as members_service
from hallway.members import vocabulary
from hallway.members.models import MemberProfile
from hallway.members.schemas import MAX_BIO_LENGTH, MAX_TAGS, ImportRowSchema

#: A registration export may leave the rest out (the career stage too: the member
#: chooses it when they first log in).
REQUIRED_COLUMNS = ("name", "email")
#: A registration export's columns beyond the profile's (checked here, not by the schema).
REGISTRATION_COLUMNS = ("bio", "events", "matching_opt_in")
MAX_EVENT_TITLE_LENGTH = 200
_YES = frozenset({"yes", "y", "true", "1", "oui", "o", "x"})
_NO = frozenset({"no", "n", "false", "0", "non"})

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
    "biography": "bio",
    "about": "bio",
    "about_me": "bio",
    "event": "events",
    "events_attending": "events",
    "matching": "matching_opt_in",
    "matching_consent": "matching_opt_in",
    "opt_in_matching": "matching_opt_in",
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
    known = set(ImportRowSchema().fields) | set(REGISTRATION_COLUMNS)
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
    extras = {name: raw.pop(name).strip() for name in REGISTRATION_COLUMNS if name in raw}
    problems: list[str] = []
    try:
        data = schema.load(raw)
    except ValidationError as error:
        problems += _messages(error.normalized_messages())
        data = {}
    problems += _read_extras(extras, data)
    if problems:
        result.errors.extend((line, text) for text in problems)
        return
    if raw.get("interests"):
        data["interests"] = with_mapped_topics(raw["interests"], data["interests"])
    earlier = first_line_of_email.setdefault(data["email"], line)
    if earlier != line:
        result.errors.append((line, f"email: {data['email']} is already on line {earlier}."))
        return
    result.rows.append((line, data))


def _read_extras(extras: dict[str, str], data: dict[str, Any]) -> list[str]:
    """The registration columns into ``data`` ("bio", "matchable", "events"); blank
    cells are not given (an update leaves them alone). Returns the problems found."""
    problems = []
    if extras.get("bio"):
        if len(extras["bio"]) > MAX_BIO_LENGTH:
            problems.append(f"bio: at most {MAX_BIO_LENGTH:,} characters.")
        else:
            data["bio"] = extras["bio"]
    answer = extras.get("matching_opt_in", "").casefold()
    if answer in _YES or answer in _NO:
        data["matchable"] = answer in _YES
    elif answer:
        problems.append(f"matching_opt_in: answer yes or no, not {extras['matching_opt_in']}.")
    titles: dict[str, str] = {}
    for title in (part.strip() for part in extras.get("events", "").split(";")):
        if len(title) > MAX_EVENT_TITLE_LENGTH:
            problems.append(f"events: {title[:40]}…: titles have at most 200 characters.")
        elif title:
            titles.setdefault(title.casefold(), title)
    if titles:
        data["events"] = list(titles.values())
    return problems


def with_mapped_topics(cell: str, tags: list[str]) -> list[str]:
    """The interests as read, then the curated topics their free phrases map to
    ("captioning" -> "accessibility & UDL"), without repeats, at most MAX_TAGS."""
    found = list(tags)
    seen = {tag.casefold() for tag in found}
    for phrase in (part.strip() for part in cell.replace(";", ",").split(",")):
        if not phrase or vocabulary.is_curated_tag(vocabulary.normalise_tag(phrase)):
            continue
        for topic in vocabulary.topics_for_phrase(phrase):
            if vocabulary.is_curated_tag(topic) and topic.casefold() not in seen:
                seen.add(topic.casefold())
                found.append(topic)
    return found[:MAX_TAGS]


# --- Writing what the members import does not: bio, consent, events -------------------


def apply_registration_details(session: Session, rows: Iterable[Mapping[str, Any]]) -> None:
    """Store each row's bio and matching consent, after ``service.import_members`` made
    or found the accounts. As with the rest of the import, once a member has logged in
    their own words win: the bio only fills an empty one, and the consent they set
    themselves is never changed by a file."""
    for row in rows:
        if "bio" not in row and "matchable" not in row:
            continue
        user = accounts_service.find_user_by_email(session, row["email"])
        if user is None:
            continue
        changes: dict[str, Any] = {}
        own = user.last_login_at is not None
        profile = session.get(MemberProfile, user.id)
        if "bio" in row and not (own and profile is not None and profile.bio):
            changes["bio"] = row["bio"]
        if "matchable" in row and not own:
            changes["matchable"] = row["matchable"]
        if changes:
            members_service.update_profile(session, user, changes)


class EventRegistrar(Protocol):
    """How the events feature checks event titles and registers members (see
    ``events.service``)."""

    def check(
        self, session: Session, organiser: User, titles: Sequence[str], *, create: bool
    ) -> dict[str, str]:
        """Problems by title (folded with str.casefold); a title not named is fine."""
        ...

    def register(
        self, session: Session, organiser: User, user: User, titles: Sequence[str],
        *, create: bool,
    ) -> list[tuple[str, str]]:  # fmt: skip
        """Registers ``user`` as going to each title: (title, what happened)."""
        ...


_registrar: EventRegistrar | None = None


def register_event_registrar(registrar: EventRegistrar) -> None:
    """Called by ``events.init_app``."""
    global _registrar
    _registrar = registrar


def check_event_titles(
    session: Session, organiser: User, checked: CheckedFile, *, create: bool
) -> None:
    """Move the rows naming an event that cannot be used (unknown without ``create``,
    cancelled, over, organised by someone else) from ``checked.rows`` to its errors."""
    titles = {
        title.casefold(): title for _line, row in checked.rows for title in row.get("events", ())
    }
    if not titles:
        return
    if _registrar is None:
        problems = dict.fromkeys(titles, "events are not available here.")
    else:
        problems = _registrar.check(session, organiser, list(titles.values()), create=create)
    kept = []
    for line, row in checked.rows:
        found = [
            f"events: {problems[title.casefold()]}"
            for title in row.get("events", ())
            if title.casefold() in problems
        ]
        if found:
            checked.errors.extend((line, text) for text in found)
        else:
            kept.append((line, row))
    checked.rows = kept
    checked.errors.sort(key=lambda error: error[0])


@dataclass
class Registrations:
    """What registering the rows for their events did: (email, title, outcome)."""

    done: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for _email, _title, each in self.done if each == outcome)

    @property
    def created_events(self) -> list[str]:
        return sorted({title for _email, title, each in self.done if each == "created"})


def register_for_events(
    session: Session, organiser: User, rows: Iterable[Mapping[str, Any]], *, create: bool
) -> Registrations:
    """Each row's member going to the events it names (checked first with
    ``check_event_titles``); a second run finds them registered already."""
    report = Registrations()
    if _registrar is None:
        return report
    for row in rows:
        if not row.get("events"):
            continue
        user = accounts_service.find_user_by_email(session, row["email"])
        if user is None:
            continue
        for title, outcome in _registrar.register(
            session, organiser, user, row["events"], create=create
        ):
            report.done.append((user.email, title, outcome))
    return report
