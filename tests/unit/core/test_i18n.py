"""Languages and times: which locale a tag means, and how a moment reads in a zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hallway.core.i18n import (
    format_date,
    format_full,
    format_moment,
    format_relative,
    iso_utc,
    normalise_locale,
    render_time_tag,
    time_texts,
    zone_named,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
TORONTO = ZoneInfo("America/Toronto")


def plain(text: str) -> str:
    """CLDR separates numbers and units with no-break spaces; compare them as spaces."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("tag", "locale"),
    [
        ("fr", "fr_CA"),
        ("fr-FR", "fr_CA"),
        ("fr-CA", "fr_CA"),
        ("fr_ca", "fr_CA"),
        ("FR-be", "fr_CA"),
        ("en", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("de", None),
        ("", None),
        (None, None),
        ("frx", None),
        ("x" * 100, None),
    ],
)
def test_language_tags_map_to_the_locales_hallway_speaks(tag, locale):
    assert normalise_locale(tag) == locale


def test_within_a_minute_reads_just_now():
    assert plain(format_relative(NOW - timedelta(seconds=59), now=NOW, locale="en")) == "just now"
    assert plain(format_relative(NOW + timedelta(seconds=30), now=NOW, locale="en")) == "just now"
    assert (
        plain(format_relative(NOW - timedelta(seconds=59), now=NOW, locale="fr_CA"))
        == "à l’instant"
    )


def test_a_minute_and_more_reads_in_minutes_then_hours():
    assert plain(format_relative(NOW - timedelta(seconds=60), now=NOW, locale="en")) == "1 min. ago"
    assert (
        plain(format_relative(NOW - timedelta(minutes=59), now=NOW, locale="en")) == "59 min. ago"
    )
    assert plain(format_relative(NOW - timedelta(minutes=60), now=NOW, locale="en")) == "1 hr. ago"
    assert plain(format_relative(NOW - timedelta(hours=3), now=NOW, locale="en")) == "3 hr. ago"


def test_relative_times_in_french():
    assert plain(format_relative(NOW - timedelta(hours=3), now=NOW, locale="fr_CA")) == "il y a 3 h"
    assert (
        plain(format_relative(NOW - timedelta(minutes=5), now=NOW, locale="fr_CA"))
        == "il y a 5 min"
    )
    assert plain(format_relative(NOW + timedelta(days=2), now=NOW, locale="fr_CA")) == "dans 2 j"


def test_future_times_read_forwards():
    assert plain(format_relative(NOW + timedelta(days=2), now=NOW, locale="en")) == "in 2 days"


def test_recent_is_relative_and_a_week_old_is_a_date():
    just_recent = NOW - (timedelta(days=7) - timedelta(seconds=1))
    week_old = NOW - timedelta(days=7)
    assert plain(format_moment(just_recent, now=NOW, tz=UTC, locale="en")) == "7 days ago"
    assert plain(format_moment(week_old, now=NOW, tz=UTC, locale="en")) == "Nov 22, 2026"
    assert plain(format_moment(week_old, now=NOW, tz=UTC, locale="fr_CA")) == "22 nov. 2026"


def test_a_date_is_the_calendar_day_in_the_readers_zone():
    # 03:30 UTC on the 15th is still the evening of the 14th in Toronto.
    moment = datetime(2026, 11, 15, 3, 30, tzinfo=UTC)
    assert plain(format_date(moment, tz=UTC, locale="en")) == "Nov 15, 2026"
    assert plain(format_date(moment, tz=TORONTO, locale="en")) == "Nov 14, 2026"
    assert plain(format_moment(moment, now=NOW, tz=TORONTO, locale="en")) == "Nov 14, 2026"


def test_full_date_names_the_zone_and_follows_daylight_saving():
    winter = datetime(2026, 11, 15, 0, 49, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 0, 49, tzinfo=UTC)
    assert plain(format_full(winter, tz=TORONTO, locale="en")) == (
        "Saturday, November 14, 2026, 7:49 PM EST"
    )
    assert plain(format_full(summer, tz=TORONTO, locale="en")).endswith("8:49 PM EDT")
    assert plain(format_full(winter, tz=TORONTO, locale="fr_CA")) == (
        "samedi 14 novembre 2026, 19 h 49 HNE"
    )


def test_naive_stored_times_are_read_as_utc():
    naive = datetime(2026, 11, 15, 0, 49, 12, 345)
    assert iso_utc(naive) == "2026-11-15T00:49:12Z"
    assert iso_utc(naive.replace(tzinfo=UTC).astimezone(TORONTO)) == "2026-11-15T00:49:12Z"


def test_unknown_or_missing_zones_fall_back_to_utc():
    assert zone_named(None) is UTC
    assert zone_named("Mars/Olympus_Mons") is UTC
    assert zone_named("../etc/passwd") is UTC
    assert zone_named("America/Toronto") == TORONTO


def test_time_element_has_utc_datetime_local_title_and_escaped_text():
    moment = NOW - timedelta(hours=3)
    texts = time_texts(moment, now=NOW, tz=TORONTO, locale="en")
    html = plain(str(render_time_tag(texts, relative=True)))
    assert html == (
        '<time datetime="2026-11-29T09:00:00Z" '
        'title="Sunday, November 29, 2026, 4:00 AM EST" '
        'data-local-time="relative">3 hr. ago</time>'
    )


def test_absolute_time_element_shows_date_and_time_even_when_recent():
    moment = NOW - timedelta(hours=3)
    texts = time_texts(moment, now=NOW, tz=TORONTO, locale="en", relative=False)
    assert plain(texts.text) == "Nov 29, 2026, 4:00 AM"
    assert 'data-local-time="absolute"' in str(render_time_tag(texts, relative=False))
