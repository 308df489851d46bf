"""Read what people type in a spreadsheet as vocabulary codes.

Registration exports say "Mid-career", "Non-profit", "Canada", "BC" or "British Columbia";
profiles store "career", "non_profit", "CA" and "CA-BC". These functions accept a code, a
label or a common spelling (case, accents and punctuation ignored) and return the code,
or None when nothing matches. The CSV import and the demo seed use them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import pycountry

from hallway.members import vocabulary


def _key(text: str) -> str:
    """Case, accents, spacing and punctuation ignored: "Québec" and "quebec" meet."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("&", " and "))
    return "".join(char for char in folded if char.isalnum())


def _lookup(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {_key(spelling): code for spelling, code in pairs if _key(spelling)}


def _code_or_label(mapping: Mapping[str, object]) -> dict[str, str]:
    def label(value: object) -> str:
        return str(getattr(value, "label", value))  # CareerStage tuples carry a label

    return _lookup(
        [(code, code) for code in mapping] + [(str(label(v)), code) for code, v in mapping.items()]
    )


_STAGES = {
    **_code_or_label(vocabulary.CAREER_STAGES),
    **_lookup([("mid career", "career"), ("beginner", "novice"), ("senior", "advanced")]),
}
_SECTORS = {
    **_code_or_label(vocabulary.SECTORS),
    **_lookup(
        [
            ("nonprofit", "non_profit"),
            ("NGO", "non_profit"),
            ("higher education", "post_secondary"),
            ("higher ed", "post_secondary"),
            ("university", "post_secondary"),
            ("college", "post_secondary"),
            ("K12", "k12"),
            ("school", "k12"),
            ("corporate", "corporate"),
            ("continuing education", "continuing_ed"),
        ]
    ),
}
_INTENTS = {
    **_code_or_label(vocabulary.INTENTS),
    **_lookup([("career chat", "career_chat"), ("coffee chat", "career_chat")]),
}


def career_stage_code(text: str) -> str | None:
    return _STAGES.get(_key(text))


def sector_code(text: str) -> str | None:
    return _SECTORS.get(_key(text))


def intent_code(text: str) -> str | None:
    return _INTENTS.get(_key(text))


_COUNTRY_ALIASES = {"UK": "GB", "USA": "US", "U.S.": "US", "U.S.A.": "US", "U.K.": "GB"}


def country_code(text: str) -> str | None:
    """An ISO alpha-2 code from a code (any case), an everyday or an official name."""
    cleaned = _COUNTRY_ALIASES.get(text.strip().upper(), text.strip())
    if vocabulary.is_valid_country(cleaned.upper()):
        return cleaned.upper()
    key = _key(cleaned)
    for code, name in vocabulary.COUNTRIES.items():
        if _key(name) == key:
            return code
    try:
        return pycountry.countries.lookup(cleaned).alpha_2
    except LookupError:
        return None


def subdivision_code(country: str, text: str) -> str | None:
    """The top-level region of ``country`` that ``text`` names, as an ISO 3166-2 code.

    Accepts "CA-BC", "BC" or "British Columbia". A lower-level name finds its top-level
    region ("County Dublin" -> Leinster, IE-L), because profiles keep only the top level.
    """
    top_level = dict(vocabulary.subdivisions_for(country))
    if not top_level:
        return None
    cleaned = text.strip().upper()
    for candidate in (cleaned, f"{country.upper()}-{cleaned}"):
        if candidate in top_level:
            return candidate
    key = _key(text)
    for code, name in top_level.items():
        if _key(name) == key:
            return code
    # "Wellington" for "Greater Wellington", "Central Region" for "Central Singapore".
    plain = _plain_key(text)
    starting = [code for code, name in top_level.items() if _plain_key(name).startswith(plain)]
    if len(plain) >= 4 and len(starting) == 1:
        return starting[0]
    for subdivision in pycountry.subdivisions.get(country_code=country.upper()) or []:
        names = {_key(subdivision.name), _key(f"County {subdivision.name}")}
        if key in names or _key(subdivision.code) == key:
            return _top_level_of(subdivision, top_level)
    return None


_GENERIC_WORDS = ("greater", "region", "county", "province", "state", "division")


def _plain_key(text: str) -> str:
    words = [word for word in text.casefold().split() if word not in _GENERIC_WORDS]
    return _key(" ".join(words))


def _top_level_of(subdivision: Any, top_level: Mapping[str, str]) -> str | None:
    while subdivision is not None and subdivision.code not in top_level:
        parent = getattr(subdivision, "parent_code", None)
        subdivision = pycountry.subdivisions.get(code=parent) if parent else None
    return subdivision.code if subdivision is not None else None


def subdivision_name(code: str | None) -> str | None:
    """The name of a region code ("CA-BC" -> "British Columbia"), or None."""
    if not code:
        return None
    return vocabulary.subdivision_names(code.split("-", 1)[0]).get(code)
