"""A member's "Download my data": each feature contributes its own part.

Features register a part when they plug in; the members feature assembles the
download. ``part(session, user)`` returns JSON-ready data (dicts, lists, strings,
numbers; datetimes as ISO strings) shown under ``name``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

ExportPart = Callable[[Session, Any], Any]

_parts: dict[str, ExportPart] = {}


def register_export_part(name: str, part: ExportPart) -> None:
    """Add ``name`` to every member's download (the same name twice replaces it)."""
    _parts[name] = part


def export_parts(session: Session, user: Any) -> dict[str, Any]:
    """Every registered part for ``user``, in registration order."""
    return {name: part(session, user) for name, part in _parts.items()}


def iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None
