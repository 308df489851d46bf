"""The front page's parts as HTML, by string formatting.

The page is small, but through templates its few rows cost as much as the page shell
(a macro call per card, a translation lookup per word). Here the fixed words are
translated once per language and process, each row is one f-string, and names, titles
and summaries are escaped. What belongs to the reader (their name, their language, the
times in their zone) is worked out on every request: nothing here is shared between
readers.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import url_for
from markupsafe import Markup, escape

from hallway.core.i18n import active_translations, current_locale_name, time_tag, zoned_datetime
from hallway.events.models import Event
from hallway.home.service import RecentThread

#: Fixed words per language, escaped (translations are ours; msgids as in the templates).
_WORDS: dict[str, dict[str, Markup]] = {}


def _words() -> dict[str, Markup]:
    locale = current_locale_name()
    words = _WORDS.get(locale)
    if words is None:
        gettext = active_translations().ugettext
        words = {
            "in": Markup(gettext("in %(category)s")),
            "by": Markup(gettext("by %(name)s")),
            "former": Markup(gettext("by a former member")),
            "all": Markup(gettext("All discussions")),
            "none": Markup(gettext("No discussions yet")),
            "none_text": Markup(gettext("Start the first one: ask what you can’t ask at work.")),
            "start": Markup(gettext("Start a discussion")),
            "online": Markup(gettext("Online")),
            "no_events": Markup(gettext("No upcoming events")),
            "no_events_text": Markup(gettext("Organisers announce conferences and meetups here.")),
        }
        _WORDS[locale] = words
    return words


def ngettext(singular: str, plural: str, count: int) -> Markup:
    """A counted phrase (``%(count)s`` in it), as the templates' ``{% trans count=... %}``
    (named so, its messages are extracted for the catalogues)."""
    return Markup(active_translations().ungettext(singular, plural, count)) % {"count": count}


@lru_cache(maxsize=256)
def _event_when(starts_at: datetime, time_zone: str, locale: str) -> str:
    """An event's start in its own zone, in ``locale`` (the page's: ``zoned_datetime``
    formats in it; part of the key). Babel's formatting is the costly part of a card,
    and it is the same for everyone reading this language."""
    return zoned_datetime(starts_at, time_zone)


def recent_discussions(threads: list[RecentThread]) -> Markup:
    """The members' "Recent discussions" list, or the invitation to start one."""
    words = _words()
    if not threads:
        href = url_for("discussions.index")
        return Markup(
            f'<div class="empty-state">\n    <h2 class="empty-state-title">{words["none"]}</h2>'
            f'<p>{words["none_text"]}</p><p><a class="btn" href="{href}">'
            f"{words['start']}</a></p>\n  </div>"
        )
    rows = []
    for thread in threads:
        href = url_for(
            "discussions.thread_detail", thread_id=thread.id, slug=thread.slug or "discussion"
        )
        author = (
            words["by"] % {"name": thread.author_name} if thread.author_name else words["former"]
        )
        replies = ngettext("%(count)s reply", "%(count)s replies", thread.comment_count)
        title = escape(thread.title)
        category = words["in"] % {"category": thread.category_name}
        rows.append(
            f'\n<li class="list-row"><div class="list-row-main">'
            f'<p class="list-row-title"><a href="{escape(href)}">{title}</a></p>\n'
            f'<p class="list-row-meta">{category}\n · {author}\n · {replies}</p></div></li>'
        )
    return Markup(
        f'<ul class="ui-list">{"".join(rows)}\n</ul>\n'
        f'<p><a href="{url_for("discussions.index")}">{words["all"]} '
        f'<span aria-hidden="true">→</span></a></p>'
    )


def upcoming_events(events: list[Event], level: int = 3) -> Markup:
    """Event cards: the start in the event's zone, then in the reader's (relative while
    near), and the city or "Online"."""
    words = _words()
    if not events:
        return Markup(
            f'<div class="empty-state">\n    <h{level} class="empty-state-title">'
            f"{words['no_events']}</h{level}><p>{words['no_events_text']}</p>\n  </div>"
        )
    locale = current_locale_name()
    cards = []
    for event in events:
        href = url_for("events.event_page", event_id=event.id)
        when = escape(_event_when(event.starts_at, event.time_zone, locale))
        place = words["online"] if event.is_online else escape(event.city)
        summary = f"\n  <p>{escape(event.summary)}</p>" if event.summary else ""
        cards.append(
            f'\n<article class="ui-card event-card">\n'
            f'  <header><h{level}><a href="{href}">{escape(event.title)}</a></h{level}></header>\n'
            f'  <p class="list-row-meta">{when} ({escape(event.time_zone)}) · '
            f"{time_tag(event.starts_at)}\n    · {place}</p>{summary}\n</article>"
        )
    return Markup("".join(cards))
