"""French and English: which language a page speaks, and times in the reader's zone.

**Language.** Hallway speaks ``en`` (the source language of every string) and
``fr_CA``. ``select_locale`` picks, in this order: the member's saved preference
(``current_user.language``, set on sign-up and by the language switcher), the
visitor's choice (the ``hallway_language`` cookie the switcher sets), the browser's
``Accept-Language`` (any ``fr``: fr, fr-FR, fr-CA... reads as ``fr_CA``), else ``en``.
Catalogues: ``hallway/translations/<locale>/LC_MESSAGES/messages.po`` (committed);
``make translations`` compiles the ``.mo`` files Flask-Babel reads (git-ignored) and
``make translations-update`` re-extracts the strings into the ``.po`` files
(``hallway.core.catalogue``). Jinja's ``{% trans %}`` blocks are trimmed (whitespace
collapsed), the same way in the app and in the extractor.

**Times.** Every stored time is UTC. A page shows one as ``time_tag(moment)``::

    <time datetime="2026-11-15T00:49:00Z" title="Saturday, November 14, 2026, 7:49 PM EST"
          data-local-time>3 hr. ago</time>

relative while recent (under ``RECENT``: "3 hr. ago", "il y a 3 h", "in 2 days"),
else a date, both in the reader's time zone: a member's is the one on their profile
(found through ``register_time_zone_provider``, since the core cannot import members);
a visitor has none on the server, so the server writes UTC and the browser converts.

Cached HTML (``core.fragment_cache``) is shared by every reader of a language, so it
must not hold one reader's zone or "3 hours ago" frozen at render time: cached parts
use ``time_tag_shared(moment)``, which writes the absolute UTC date and time in the
page's language. ``static/js/time.js`` rewrites every ``<time data-local-time>`` in the
browser (both variants, so texts also stay fresh on a page left open): relative while
recent, else the local date, in the member's zone (from the ``#i18n`` JSON block) or the
browser's. Without JavaScript the shared variant still reads correctly, in UTC, and says so.

**JavaScript strings.** ``i18n_script()`` renders ``<script type="application/json"
id="i18n">`` (data, not code: allowed by ``script-src 'self'``) holding the locale, the
viewer's time zone and the translations of the messages found in ``static/js/``
(``.po`` entries whose locations are there). ``static/js/i18n.js`` reads it and offers
``hallwayI18n.t(msgid, params)`` and ``hallwayI18n.tn(singular, plural, n, params)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import flask_babel
from babel import Locale
from babel import dates as babel_dates
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, gettext
from flask_login import current_user
from jinja2.runtime import Context
from jinja2.utils import htmlsafe_json_dumps, pass_context
from markupsafe import Markup, escape

#: The languages Hallway speaks, the source language first, with their own names.
LANGUAGES: dict[str, str] = {"en": "English", "fr_CA": "Français"}
DEFAULT_LOCALE = "en"
LANGUAGE_COOKIE = "hallway_language"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

#: How long a time reads as relative ("3 hr. ago") before it reads as a date.
RECENT = timedelta(days=7)
#: Closer to now than this reads "just now".
JUST_NOW = timedelta(minutes=1)

babel = Babel()

TimeZoneProvider = Callable[[Any], "str | None"]
_time_zone_provider: TimeZoneProvider | None = None


def register_time_zone_provider(provider: TimeZoneProvider) -> None:
    """Tell the core where a member's time zone is: ``provider(user) -> "Area/City" | None``.

    The members feature registers it (profiles live there); without one, times are UTC.
    """
    global _time_zone_provider
    _time_zone_provider = provider


# --- Which language -------------------------------------------------------------------


def normalise_locale(value: str | None) -> str | None:
    """The supported locale a language tag means, or None: "fr-FR", "fr_ca", "fr" → "fr_CA"."""
    if not value:
        return None
    tag = value.strip().replace("-", "_").lower()
    if len(tag) > 35:
        return None
    language = tag.split("_", 1)[0]
    if language == "fr":
        return "fr_CA"
    if language == "en":
        return "en"
    return None


def locale_from_accept_language() -> str | None:
    """The first supported language the browser asks for, best quality first."""
    for tag, quality in request.accept_languages:
        if quality > 0:
            locale = normalise_locale(tag)
            if locale is not None:
                return locale
    return None


def select_locale() -> str:
    """Member preference > visitor's cookie > Accept-Language > English."""
    if not has_request_context():
        return DEFAULT_LOCALE
    if current_user and current_user.is_authenticated:
        locale = normalise_locale(getattr(current_user, "language", None))
        if locale is not None:
            return locale
    locale = normalise_locale(request.cookies.get(LANGUAGE_COOKIE))
    if locale is not None:
        return locale
    return locale_from_accept_language() or DEFAULT_LOCALE


def _selected_locale() -> Locale:
    """``select_locale`` as the Babel ``Locale`` Flask-Babel wants: one object per language
    per process, rather than Flask-Babel parsing the name again on every request."""
    return _locale(select_locale())


def current_locale_name() -> str:
    """The page's locale as Babel names it: "en" or "fr_CA"."""
    locale = get_locale() if has_request_context() else None
    return _locale_name(locale) if locale is not None else DEFAULT_LOCALE


@lru_cache(maxsize=16)
def _locale_name(locale: Locale) -> str:
    return str(locale)


def current_locale_tag() -> str:
    """The page's language as a BCP 47 tag for ``<html lang>``: "en" or "fr-CA"."""
    return current_locale_name().replace("_", "-")


def user_locale(user: Any) -> str:
    """The language to write to a member in when not answering them (emails, jobs)."""
    return normalise_locale(getattr(user, "language", None)) or DEFAULT_LOCALE


def available_languages() -> list[tuple[str, str, str]]:
    """(locale, its own name, BCP 47 tag) for each language, for switchers."""
    return [(name, label, name.replace("_", "-")) for name, label in LANGUAGES.items()]


def set_language_cookie(response: Any, locale: str) -> None:
    """Remember a visitor's choice of language for a year."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        locale,
        max_age=LANGUAGE_COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )


# --- Which time zone ------------------------------------------------------------------


def zone_named(name: str | None) -> tzinfo:
    """The zone called ``name``, UTC when it is missing or unknown."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def viewer_time_zone_name() -> str | None:
    """The logged-in member's IANA zone, or None (visitors: the browser knows theirs)."""
    if not has_request_context():
        return None
    if "viewer_time_zone" not in g:
        name = None
        if _time_zone_provider is not None and current_user and current_user.is_authenticated:
            name = _time_zone_provider(current_user._get_current_object())
        g.viewer_time_zone = name if name and zone_named(name) is not UTC else None
    return g.viewer_time_zone


def select_time_zone() -> str:
    return viewer_time_zone_name() or "UTC"


def viewer_zone() -> tzinfo:
    return zone_named(viewer_time_zone_name())


# --- Formatting (pure: the locale and zone are arguments) -----------------------------


@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=32)
def _full_pattern(name: str) -> tuple[Locale, str]:
    """The locale's long date-time pattern with the full date, short time and zone."""
    babel_locale = _locale(name)
    return babel_locale, babel_locale.datetime_formats["long"].format(
        babel_locale.time_formats["short"].pattern + " zzz",
        babel_locale.date_formats["full"].pattern,
    )


@lru_cache(maxsize=32)
def _datetime_pattern(name: str, format: str) -> tuple[Locale, str]:
    """The locale's date-time pattern of that length, with the time to the minute."""
    babel_locale = _locale(name)
    return babel_locale, babel_locale.datetime_formats[format].format(
        babel_locale.time_formats["short"].pattern, babel_locale.date_formats[format].pattern
    )


def as_utc(moment: datetime) -> datetime:
    """Stored times are UTC; a naive one (SQLite hands some back) is read as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso_utc(moment: datetime) -> str:
    """ "2026-11-15T00:49:00Z": the machine-readable form for ``<time datetime>``."""
    return as_utc(moment).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_full(moment: datetime, *, tz: tzinfo, locale: str) -> str:
    """ "Saturday, November 14, 2026, 7:49 PM EST" / "samedi 14 novembre 2026, 19 h 49 HNE"."""
    babel_locale, pattern = _full_pattern(locale)
    return babel_dates.format_datetime(as_utc(moment), pattern, tzinfo=tz, locale=babel_locale)


def format_datetime(moment: datetime, *, tz: tzinfo, locale: str, format: str = "medium") -> str:
    """Date and time in ``tz``: "Nov 14, 2026, 7:49 PM" (no seconds)."""
    babel_locale, pattern = _datetime_pattern(locale, format)
    return babel_dates.format_datetime(as_utc(moment), pattern, tzinfo=tz, locale=babel_locale)


def format_date(moment: datetime, *, tz: tzinfo, locale: str, format: str = "medium") -> str:
    """The calendar date in ``tz``: "Nov 14, 2026" / "14 nov. 2026"."""
    local = as_utc(moment).astimezone(tz)
    return babel_dates.format_date(local.date(), format, locale=_locale(locale))


def format_relative(moment: datetime, *, now: datetime, locale: str) -> str:
    """ "3 hr. ago", "il y a 3 h", "in 2 days"; "just now" within a minute either way."""
    delta = as_utc(moment) - as_utc(now)
    if abs(delta) < JUST_NOW:
        return _just_now(locale)
    return babel_dates.format_timedelta(
        delta,
        granularity="minute",
        threshold=1,
        add_direction=True,
        format="short",
        locale=_locale(locale),
    )


def _just_now(locale: str) -> str:
    if has_request_context() and locale == current_locale_name():
        return gettext("just now")
    return "à l’instant" if locale.startswith("fr") else "just now"


def format_moment(moment: datetime, *, now: datetime, tz: tzinfo, locale: str) -> str:
    """Relative while within ``RECENT`` of ``now``, else the date in ``tz``."""
    if abs(as_utc(moment) - as_utc(now)) < RECENT:
        return format_relative(moment, now=now, locale=locale)
    return format_date(moment, tz=tz, locale=locale)


@dataclass(frozen=True)
class TimeText:
    iso: str
    title: str
    text: str


def time_texts(
    moment: datetime, *, now: datetime, tz: tzinfo, locale: str, relative: bool = True
) -> TimeText:
    text = (
        format_moment(moment, now=now, tz=tz, locale=locale)
        if relative
        else format_datetime(moment, tz=tz, locale=locale)
    )
    return TimeText(iso_utc(moment), _cached_full(as_utc(moment), tz, locale), text)


@lru_cache(maxsize=4096)
def _cached_full(moment: datetime, tz: tzinfo, locale: str) -> str:
    """The same comments' times are shown again and again: format each once per process."""
    return format_full(moment, tz=tz, locale=locale)


def render_time_tag(texts: TimeText, *, relative: bool) -> Markup:
    mode = "relative" if relative else "absolute"
    return Markup(
        f'<time datetime="{escape(texts.iso)}" title="{escape(texts.title)}" '
        f'data-local-time="{mode}">{escape(texts.text)}</time>'
    )


# --- Template helpers (the request's locale and zone) ---------------------------------


def time_tag(moment: datetime | None, relative: bool = True) -> Markup:
    """``<time>`` for this reader: their zone, relative while recent. Not for cached HTML."""
    if moment is None:
        return Markup("")
    zone, locale = viewer_zone(), current_locale_name()
    moment = as_utc(moment)
    now = datetime.now(UTC).replace(microsecond=0)
    if not relative or abs(moment - now) >= RECENT:
        return _fixed_time_tag(moment, zone, locale, relative)
    return _relative_time_tag(moment, zone, locale, now)


@lru_cache(maxsize=4096)
def _relative_time_tag(moment: datetime, tz: tzinfo, locale: str, now: datetime) -> Markup:
    """A recent moment's ``<time>`` as of ``now``, a whole second: the same for every
    reader of this language in this zone within that second, and Babel's formatting is
    the costly part (a page of notifications shows dozens)."""
    texts = time_texts(moment, now=now, tz=tz, locale=locale, relative=True)
    return render_time_tag(texts, relative=True)


@lru_cache(maxsize=4096)
def _fixed_time_tag(moment: datetime, tz: tzinfo, locale: str, relative: bool) -> Markup:
    """A ``<time>`` the clock no longer changes (a date, or an absolute date and time):
    pages show the same old moments again and again, and Babel's formatting is the
    costly part, so each is formatted once per zone and language."""
    now = moment - RECENT  # any "now" at least RECENT away gives the date
    texts = time_texts(moment, now=now, tz=tz, locale=locale, relative=relative)
    return render_time_tag(texts, relative=relative)


def time_tag_shared(moment: datetime | None, relative: bool = True) -> Markup:
    """``<time>`` the same for every reader of this language: UTC date and time, which
    ``time.js`` turns into the reader's relative or local time. For cached HTML."""
    if moment is None:
        return Markup("")
    locale = current_locale_name()
    texts = TimeText(
        iso_utc(moment),
        _cached_full(as_utc(moment), UTC, locale),
        format_datetime(moment, tz=UTC, locale=locale) + " UTC",
    )
    return render_time_tag(texts, relative=relative)


def viewer_datetime(moment: datetime, format: str = "medium") -> str:
    """Date and time in the reader's zone and language (emails: use ``format_datetime``)."""
    return format_datetime(moment, tz=viewer_zone(), locale=current_locale_name(), format=format)


def viewer_date(moment: datetime, format: str = "medium") -> str:
    return format_date(moment, tz=viewer_zone(), locale=current_locale_name(), format=format)


def zoned_datetime(moment: datetime, zone: str | None, format: str = "medium") -> str:
    """Date and time in a named zone (an event's), in the page's language."""
    return format_datetime(moment, tz=zone_named(zone), locale=current_locale_name(), format=format)


# --- JavaScript strings ---------------------------------------------------------------


@lru_cache(maxsize=8)
def javascript_messages(locale: str) -> dict[str, str | list[str]]:
    """Translations of the messages used in static/js/, read once per process from the .po.

    A plural entry maps its singular msgid to the list of forms. Untranslated and fuzzy
    entries are left out: ``t()`` then shows the English source.
    """
    from babel.messages.pofile import read_po

    path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not path.exists():
        return {}
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    found: dict[str, str | list[str]] = {}
    for message in catalog:
        if not message.id or message.fuzzy or not message.string:
            continue
        if not any(filename.startswith("static/js/") for filename, _line in message.locations):
            continue
        if isinstance(message.id, tuple | list):
            forms = list(message.string)
            if all(forms):
                found[message.id[0]] = forms
        else:
            found[message.id] = str(message.string)
    return found


def i18n_script() -> Markup:
    """The ``#i18n`` JSON block static/js/i18n.js and time.js read (not code: no CSP issue)."""
    return _i18n_block(current_locale_name(), viewer_time_zone_name())


@lru_cache(maxsize=512)
def _i18n_block(locale: str, time_zone: str | None) -> Markup:
    """Built once per language and zone (a few hundred zones at most): the messages come
    from the .po, read once per process, so the block only changes with a restart."""
    payload = {
        "locale": locale.replace("_", "-"),
        "timeZone": time_zone,
        "messages": javascript_messages(locale),
    }
    return Markup('<script type="application/json" id="i18n">{}</script>').format(
        htmlsafe_json_dumps(payload)
    )


# --- Translating in templates ---------------------------------------------------------


def active_translations() -> Any:
    """The translations object of the current locale, found once per request.

    Flask-Babel's own ``gettext`` finds it again on every call (the context, the
    domain, the locale, a cache lookup: ~6 us against ~0.7 us for the lookup itself; a
    page has dozens). It is kept beside Flask-Babel's per-request state together with
    the locale object it was found for, so a changed locale (``force_locale``,
    ``flask_babel.refresh``) finds the right one again.
    """
    if not g:  # no app context: Flask-Babel answers with its null translations
        return flask_babel.get_translations()
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    found = getattr(state, "hallway_translations", None)
    if found is not None and locale is not None and found[0] is locale:
        return found[1]
    translations = flask_babel.get_translations()
    state = g.get("_flask_babel")
    if state is not None:
        state.hallway_translations = (get_locale(), translations)
    return translations


@pass_context
def _template_gettext(context: Context, string: str, **variables: Any) -> str:
    """Jinja's new-style ``gettext``/``_``: escaped when autoescaping, always formatted."""
    text = active_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    # Jinja formats even without variables ("100%%" -> "100%"); nothing to do without "%".
    return text % variables if variables or "%" in text else text


@pass_context
def _template_ngettext(
    context: Context, singular: str, plural: str, num: int, **variables: Any
) -> str:
    variables.setdefault("num", num)
    text = active_translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def install_template_gettext(app: Flask) -> None:
    """Templates translate through ``active_translations`` (after Flask-Babel's set-up).

    Same behaviour as Flask-Babel's callables and Jinja's new-style wrappers; ``_`` is
    bound straight to ``gettext`` rather than looking it up again on every call.
    """
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: active_translations().ugettext(s),
        ngettext=lambda s, p, n: active_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: active_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: active_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(
        gettext=_template_gettext, ngettext=_template_ngettext, _=_template_gettext
    )


# --- Wiring ---------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=_selected_locale, timezone_selector=select_time_zone)
    install_template_gettext(app)
    # The extractor collapses whitespace in {% trans %} blocks too (babel.cfg).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        current_locale_tag=current_locale_tag,
        current_locale_name=current_locale_name,
        available_languages=available_languages,
        time_tag=time_tag,
        time_tag_shared=time_tag_shared,
        viewer_datetime=viewer_datetime,
        viewer_date=viewer_date,
        zoned_datetime=zoned_datetime,
        i18n_script=i18n_script,
    )
