"""Every string a reader sees is translatable, and French has a translation for each.

Two gates, each with a switch the work of issue 9 turns off as it goes:

1. ``NOT_YET_WRAPPED``: templates whose text is not wrapped yet. Every other template
   is scanned (Jinja's own lexer, then an HTML parser on the text between tags) and
   fails on text a reader sees outside ``{% trans %}`` / ``_()``: text nodes, visible
   attributes (title, alt, placeholder, aria-label, ...) and capitalised string literals
   in expressions ("Save" passed to a macro). **When you wrap a template, remove it from
   the set**: the set is also checked to hold only templates that still need it.
2. ``REQUIRE_COMPLETE_FR_CA``: while False, a msgid without a French translation (or
   with a fuzzy one) is allowed. **The lead sets it to True when the fr_CA catalogue is
   complete**; from then on every extracted message needs a reviewed translation.
   Placeholders are checked now whatever the switch: a translation that drops or renames
   ``%(name)s`` would break the page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from jinja2 import Environment

from hallway.config import project_root
from hallway.core import catalogue
from hallway.core.i18n import javascript_messages

TEMPLATES = project_root() / "templates"

#: Templates still to convert. Empty since issue 9: every page is wrapped.
NOT_YET_WRAPPED: set[str] = set()

#: Pages only developers see (never served in production), written in English on purpose.
DEVELOPER_ONLY = {"styleguide/index.html"}

#: Every extracted message needs a reviewed fr_CA translation (complete since issue 9).
REQUIRE_COMPLETE_FR_CA = True

#: Text that reads the same in every language: names, not words.
SAME_IN_EVERY_LANGUAGE = {"Hallway", "English", "Français", "GitHub", "LinkedIn", "Mastodon"}

GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
VISIBLE_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
#: Stands for a Jinja expression or tag in the text the HTML parser reads.
HOLE = "\ue000"
_PROSE_LITERAL = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ]")


_WORD = re.compile(r"[^\W\d_]{2,}")
_CAMEL_CASE_NAME = re.compile(r"^[A-Z][a-z]+[A-Z]\w*$")


def _needs_translation(text: str) -> bool:
    """Has a word of two or more letters that is not a name (lone letters: initials, marks)."""
    return any(word not in SAME_IN_EVERY_LANGUAGE for word in _WORD.findall(text))


class _VisibleText(HTMLParser):
    """Collects the text nodes and visible attribute values of an HTML skeleton."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        values = dict(attrs)
        line = self.getpos()[0]
        for name, value in attrs:
            visible = name in VISIBLE_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and (values.get("type") or "").lower() in BUTTON_INPUT_TYPES
            )
            if visible and value and _needs_translation(value):
                self.found.append((line, f'{name}="{value.strip()}"'))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._skipping -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and _needs_translation(data):
            first_letter = next(index for index, char in enumerate(data) if char.isalpha())
            line = self.getpos()[0] + data.count("\n", 0, first_letter)
            self.found.append((line, " ".join(data.replace(HOLE, "…").split())))


def unwrapped_text(source: str) -> list[tuple[int, str]]:
    """(line, text) for each piece of reader-visible text not passed through gettext."""
    environment = Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do"])
    skeleton: list[str] = []
    line = 1
    found: list[tuple[int, str]] = []
    in_trans = 0
    calls: list[str | None] = []  # the function each open parenthesis belongs to
    previous: tuple[str, str] = ("", "")
    block_words: list[str] = []
    for lineno, kind, value in environment.lex(source):
        if kind == "data":
            if in_trans:
                continue
            skeleton.append("\n" * max(0, lineno - line))
            line = max(line, lineno) + value.count("\n")
            skeleton.append(value)
            continue
        if kind in ("block_begin", "variable_begin"):
            skeleton.append(HOLE)
            block_words = []
        elif kind == "name" and previous[0] == "block_begin":
            block_words.append(value)
            if value == "trans":
                in_trans += 1
            elif value == "endtrans":
                in_trans -= 1
        elif kind == "operator" and value == "(":
            calls.append(previous[1] if previous[0] == "name" else None)
        elif kind == "operator" and value == ")":
            if calls:
                calls.pop()
        elif kind == "string":
            wrapped = bool(calls) and calls[-1] in GETTEXT_CALLS
            literal = value.strip("'\"")
            compared = previous[1] in ("==", "!=", "in", "is")
            prose = _PROSE_LITERAL.match(literal) and not _CAMEL_CASE_NAME.match(literal)
            if prose and not wrapped and not compared and _needs_translation(literal):
                found.append((lineno, f"string {value}"))
        elif kind in ("block_end", "variable_end"):
            calls = []
        if kind not in ("whitespace",):
            previous = (kind, value)
    parser = _VisibleText()
    parser.feed("".join(skeleton))
    parser.close()
    return sorted(found + parser.found)


def all_templates() -> list[str]:
    return sorted(path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html"))


def _problems(name: str) -> list[tuple[int, str]]:
    return unwrapped_text((TEMPLATES / name).read_text(encoding="utf-8"))


# --- The scanner itself -----------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "<p>Hello</p>",
        "<p>{{ count }} replies</p>",
        '<a href="/x" title="Open the thread">{{ _("Thread") }}</a>',
        '<img src="/a.png" alt="Avatar of {{ name }}">',
        '<button aria-label="Close">×</button>',
        '<input type="submit" value="Save">',
        '{{ field(form.name, hint="Your full name") }}',
        '{{ _("Hello %(name)s", name=user.name | default("Someone")) }}',
        "{% block title %}Notification preferences{% endblock %}",
        '{% set label = "Delete" %}',
        "<p>Hallway members</p>",
    ],
)
def test_scanner_finds_text_outside_gettext(source):
    assert unwrapped_text(source), source


@pytest.mark.parametrize(
    "source",
    [
        "<p>{% trans %}Hello{% endtrans %}</p>",
        "<p>{% trans count=n %}{{ count }} reply{% pluralize %}"
        "{{ count }} replies{% endtrans %}</p>",
        '<p>{{ _("Hello") }} · {{ ngettext("%(num)d reply", "%(num)d replies", n) }}</p>',
        '<a title="{{ _("Open the thread") }}" href="{{ url_for("discussions.index") }}">…</a>',
        '{% extends "base.html" %}{% from "_forms.html" import field %}',
        '<span class="Button secondary" id="x-{{ n }}">@{{ handle }} · 3</span>',
        '<script type="application/json" id="i18n">{{ data }}</script>',
        "{# A comment for developers, not readers #}",
        '<input type="hidden" name="next" value="Somewhere">',
        '<span>Hallway</span> <span lang="fr-CA">Français</span> · Hallway',
        '<span class="brand-mark" aria-hidden="true">H</span>',
        '{% if field.type == "BooleanField" %}{{ field() }}{% endif %}',
    ],
)
def test_scanner_accepts_wrapped_and_invisible_text(source):
    assert unwrapped_text(source) == [], source


def test_scanner_reports_the_line_of_the_text():
    source = (
        "{% extends 'base.html' %}\n{% block content %}\n<h1>{{ _('Hi') }}</h1>\n"
        "<p>\n  Unwrapped\n</p>\n{% endblock %}"
    )
    assert unwrapped_text(source) == [(5, "Unwrapped")]


# --- The templates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", [t for t in all_templates() if t not in NOT_YET_WRAPPED | DEVELOPER_ONLY]
)
def test_template_text_is_translatable(name):
    problems = _problems(name)
    assert not problems, (
        f"templates/{name} shows text that is not translatable; wrap it in "
        "{% trans %}…{% endtrans %} or _(…):\n"
        + "\n".join(f"  line {line}: {text}" for line, text in problems)
    )


def test_not_yet_wrapped_lists_only_templates_that_still_need_wrapping():
    existing = set(all_templates())
    gone = sorted(NOT_YET_WRAPPED - existing)
    done = sorted(name for name in NOT_YET_WRAPPED & existing if not _problems(name))
    assert not gone, f"NOT_YET_WRAPPED names templates that no longer exist: {gone}"
    assert not done, (
        f"These templates are fully wrapped now: remove them from NOT_YET_WRAPPED: {done}"
    )


# --- The catalogue ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return catalogue.extract()


@pytest.fixture(scope="module")
def french() -> Catalog:
    return catalogue.read_catalogue("fr_CA")


def test_extraction_finds_python_template_and_script_messages(extracted):
    files = {Path(filename).parts[0] for message in extracted for filename, _ in message.locations}
    assert {"platform", "templates", "static"} <= files
    assert "just now" in extracted  # core/i18n.py and static/js/time.js
    assert "Change language" in extracted  # templates/_language_switcher.html


def test_translations_keep_the_placeholders_of_their_message(french):
    problems = []
    for message in french:
        if not message.id or not message.string:
            continue
        for error in message.check(french):
            problems.append(f"{message.id!r}: {error}")
        source_names = set(re.findall(r"%\((\w+)\)", str(message.id)))
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        for string in strings:
            if string and set(re.findall(r"%\((\w+)\)", string)) != source_names:
                problems.append(f"{message.id!r}: placeholders differ in {string!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(
    not REQUIRE_COMPLETE_FR_CA,
    reason="fr_CA catalogue still being written (issue 9): the lead sets REQUIRE_COMPLETE_FR_CA",
)
def test_every_message_has_a_reviewed_french_translation(extracted, french):
    problems = []
    for message in extracted:
        if not message.id:
            continue
        translated = french.get(message.id, message.context)
        strings = (
            translated.string
            if translated is not None and isinstance(translated.string, tuple | list)
            else [translated.string if translated is not None else ""]
        )
        if translated is None:
            problems.append(f"missing from the .po (run make translations-update): {message.id!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy (review, then remove the fuzzy flag): {message.id!r}")
        elif not all(strings):
            problems.append(f"not translated: {message.id!r}")
    assert not problems, f"{len(problems)} fr_CA problems:\n" + "\n".join(problems)


def test_scripts_get_only_their_own_messages():
    messages = javascript_messages("fr_CA")
    assert messages.get("just now") == "à l’instant"  # used in static/js/time.js
    assert "Change language" not in messages  # only in a template
    assert javascript_messages("en") == {}
