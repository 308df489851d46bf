"""The members' front page: its lists (built by string formatting, home/page.py) read
in the member's language, escape what members wrote, show an event's start in its own
zone and the reader's, and say so when there is nothing to list."""

from __future__ import annotations

import re
from datetime import timedelta

from hallway.core.i18n import LANGUAGE_COOKIE
from hallway.db import utcnow
from tests.factories import make_category, make_thread, make_user
from tests.unit.events.factories import make_event


def main_of(page: str) -> str:
    return page[page.index('<main id="main"') : page.index("</main>")]


def test_an_empty_community_says_so_to_members(logged_in):
    main = main_of(logged_in.client.get("/").get_data(as_text=True))
    assert "No discussions yet" in main
    assert '<a class="btn" href="/discussions">Start a discussion</a>' in main
    assert "No upcoming events" in main


def test_titles_names_and_summaries_are_escaped(logged_in, session):
    make_thread(
        session,
        author=make_user(session, display_name="<b>Bold</b> Name"),
        category=make_category(session, name="Q&A"),
        title="<script>alert(1)</script>",
    )
    make_event(session, title="<i>Meetup</i>", summary="Tea & <em>talk</em>")
    session.commit()
    main = main_of(logged_in.client.get("/").get_data(as_text=True))
    assert "<script>alert(1)</script>" not in main
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in main
    assert "by &lt;b&gt;Bold&lt;/b&gt; Name" in main
    assert "in Q&amp;A" in main
    assert "&lt;i&gt;Meetup&lt;/i&gt;" in main and "Tea &amp; &lt;em&gt;talk&lt;/em&gt;" in main


def test_an_event_card_shows_its_start_in_its_zone_and_in_the_readers(logged_in, session):
    now = utcnow()
    starts = (now + timedelta(days=2)).replace(hour=15, minute=30, second=0, microsecond=0)
    # "in 2 days" is from 1.5 to 2.5 days ahead: keep 15:30 UTC within that, at any hour.
    if starts - now >= timedelta(days=2.5):
        starts -= timedelta(days=1)
    elif starts - now < timedelta(days=1.5):
        starts += timedelta(days=1)
    event = make_event(session, starts_at=starts, time_zone="America/Vancouver")
    make_event(session, title="On the web", format="online", venue="", city="")
    session.commit()
    main = main_of(logged_in.client.get("/").get_data(as_text=True))
    assert f'<a href="/events/{event.id}">Open Ed Meetup</a>' in main
    assert re.search(r"7:30\sAM \(America/Vancouver\)", main)  # 15:30 UTC, in its zone
    assert 'data-local-time="relative">in 2 days</time>' in main
    assert "· Toronto</p>" in main and "· Online</p>" in main


def test_members_read_the_lists_in_french(logged_in, session):
    make_thread(session, category=make_category(session, name="Outils"), title="Sous-titres")
    make_event(session, title="Rencontre", format="online", venue="", city="")
    session.commit()
    logged_in.client.set_cookie(LANGUAGE_COOKIE, "fr_CA")
    main = main_of(logged_in.client.get("/").get_data(as_text=True))
    assert "dans Outils" in main
    assert "0 réponse" in main
    assert "Tous les" in main or "Toutes les" in main
    assert "En ligne" in main
