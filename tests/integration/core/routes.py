"""Every route of the app with its URL arguments filled in: real ids, or generated junk."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

SKIPPED_ENDPOINTS = {"static"}
_ARGUMENT = re.compile(r"<(?:[a-z_]+(?:\([^)]*\))?:)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)>")


@dataclass(frozen=True)
class Route:
    rule: Rule
    methods: tuple[str, ...]

    def path(self, value_for: Callable[[str, Any], str]) -> str:
        """The rule's path with each ``<converter:name>`` replaced by ``value_for(name, conv)``."""
        return _ARGUMENT.sub(
            lambda match: value_for(match["name"], self.rule._converters[match["name"]]),
            self.rule.rule,
        )


def routes(app: Flask) -> Iterator[Route]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        methods = tuple(sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}))
        yield Route(rule, methods)


def is_integer(converter: Any) -> bool:
    return isinstance(converter, IntegerConverter)


def choices(converter: Any) -> list[str]:
    return sorted(converter.items) if isinstance(converter, AnyConverter) else []
