"""The front page's parts as HTML, by string formatting, and the members' page kept.

The page is small, but through templates its few rows cost as much as the page shell
(a macro call per card, a translation lookup per word). Here the fixed words are
translated once per language and process, each row is one f-string, and names, titles
and summaries are escaped.

Members all see the same page but for their name and the events' times in their zone
(relative while near). So the members' page is rendered once per language and kept
(``member_body``) while its state holds (``service.member_page_state``: the content
versions of threads, names and events, and the member counts) and until the first
event shown ends (it then leaves the upcoming events). The reader's parts are slots,
per-process random markers no member can type, filled in on every request.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache

from flask import render_template, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from hallway.core.fragment_cache import fragments
from hallway.core.i18n import (
    active_translations,
    as_utc,
    current_locale_name,
    iso_utc,
    time_tag,
    zoned_datetime,
)
from hallway.db import utcnow
from hallway.events.models import Event
from hallway.home import service
from hallway.home.service import RecentThread

_MARKER = secrets.token_hex(12)
#: Where the reader's name goes in the kept members' page.
NAME_SLOT = f"name-{_MARKER}"


def _time_slot(index: int) -> str:
    """Where the ``index``-th event's start in the reader's zone goes."""
    return f"time-{_MARKER}-{index}."


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


def upcoming_events(events: list[Event], level: int = 3, *, slots: bool = False) -> Markup:
    """Event cards: the start in the event's zone, then in the reader's (relative while
    near), and the city or "Online". With ``slots``, the reader's times are left as
    slots (``_time_slot``) for ``member_body`` to fill."""
    words = _words()
    if not events:
        return Markup(
            f'<div class="empty-state">\n    <h{level} class="empty-state-title">'
            f"{words['no_events']}</h{level}><p>{words['no_events_text']}</p>\n  </div>"
        )
    locale = current_locale_name()
    cards = []
    for index, event in enumerate(events):
        href = url_for("events.event_page", event_id=event.id)
        reader_time = _time_slot(index) if slots else time_tag(event.starts_at)
        when = escape(_event_when(event.starts_at, event.time_zone, locale))
        place = words["online"] if event.is_online else escape(event.city)
        summary = f"\n  <p>{escape(event.summary)}</p>" if event.summary else ""
        cards.append(
            f'\n<article class="ui-card event-card">\n'
            f'  <header><h{level}><a href="{href}">{escape(event.title)}</a></h{level}></header>\n'
            f'  <p class="list-row-meta">{when} ({escape(event.time_zone)}) · '
            f"{reader_time}\n    · {place}</p>{summary}\n</article>"
        )
    return Markup("".join(cards))


def member_body(session: Session) -> Markup:
    """The members' page between the shell's header and footer, for this reader."""
    state = service.member_page_state(session)
    key = ("home-member", current_locale_name())
    stored = fragments.get(key, state)
    if stored is not None:
        header, _, html = stored.partition("\n")
        until, *starts = header.split(" ")
        if until != "-" and utcnow() > datetime.fromisoformat(until):
            stored = None
    if stored is None:
        threads, events = service.member_lists(session)
        # Valid while every event shown is still on: the first to end leaves the list,
        # and the next one (if any) takes its place.
        first_end = min((as_utc(event.ends_at) for event in events), default=None)
        starts = [iso_utc(event.starts_at) for event in events]
        html = render_template(
            "home/_member.html",
            name=NAME_SLOT,
            member_count=state.member_count,
            organiser_count=state.organiser_count,
            recent_discussions=recent_discussions(threads),
            upcoming_events=upcoming_events(events, slots=True),
        )
        header = " ".join([first_end.isoformat() if first_end else "-", *starts])
        fragments.put(key, state, f"{header}\n{html}")
    html = html.replace(NAME_SLOT, escape(current_user.display_name))
    for index, start in enumerate(starts):
        html = html.replace(_time_slot(index), time_tag(datetime.fromisoformat(start)))
    return Markup(html)


