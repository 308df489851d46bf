"""The message catalogues: extract the strings, update the .po files, compile the .mo files.

``python -m hallway.core.catalogue update``  extract (babel.cfg) into every .po
``python -m hallway.core.catalogue compile`` write the .mo files Flask-Babel reads

``make translations`` compiles, ``make translations-update`` updates; the catalogue
tests (tests/unit/core/test_i18n.py) extract the same way, with the same keywords.
Runs from the project root (where babel.cfg is).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from hallway.config import project_root
from hallway.core.i18n import DEFAULT_LOCALE, LANGUAGES, TRANSLATIONS_DIR

#: Babel's default keywords plus Flask-Babel's lazy ones and static/js/i18n.js's t/tn.
KEYWORDS: dict[str, object] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
    "t": None,
    "tn": (1, 2),
}
#: The only folders extraction walks (babel.cfg says which files in them).
SOURCE_FOLDERS = ("platform", "templates", "static")


def translated_locales() -> list[str]:
    return [locale for locale in LANGUAGES if locale != DEFAULT_LOCALE]


def po_path(locale: str) -> Path:
    return TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"


def extract(root: Path | None = None) -> Catalog:
    """Every translatable message in the code, templates and scripts, with locations."""
    root = root or project_root()
    with (root / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)

    def in_sources(path: str) -> bool:
        top = Path(path).relative_to(root).parts[0]
        return top in SOURCE_FOLDERS and "vendor" not in Path(path).parts

    template = Catalog(project="Hallway", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root),
        method_map,
        options_map,
        keywords=KEYWORDS,  # type: ignore[arg-type]
        comment_tags=("Translators:",),
        strip_comment_tags=True,
        directory_filter=in_sources,
    ):
        template.add(
            message,
            None,
            [(filename.replace(os.sep, "/"), lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def read_catalogue(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, project="Hallway", fuzzy=False)
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale)


def update(root: Path | None = None) -> None:
    """Bring every .po up to date with the source: new msgids added, gone ones made obsolete."""
    template = extract(root)
    for locale in translated_locales():
        catalogue = read_catalogue(locale)
        catalogue.update(template, update_header_comment=False)
        catalogue.fuzzy = False
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po_file:
            write_po(po_file, catalogue, width=100, sort_output=False, include_previous=True)


def compile_catalogues(*, force: bool = False) -> list[Path]:
    """Write each locale's .mo (fuzzy entries left out) when its .po is newer."""
    written = []
    for locale in translated_locales():
        source = po_path(locale)
        if not source.exists():
            continue
        target = source.with_suffix(".mo")
        if not force and target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        catalogue = read_catalogue(locale)
        with target.open("wb") as mo_file:
            write_mo(mo_file, catalogue, use_fuzzy=False)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_catalogues(force="--force" in argv)
    else:
        sys.stderr.write("usage: python -m hallway.core.catalogue update|compile [--force]\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
