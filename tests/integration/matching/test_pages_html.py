"""The matching pages with content in them (suggestions, reasons, a dashboard with
requests, a round with pairs) have no HTML errors (the Nu HTML Checker), at every state
the empty main pages in tests/main_pages.py do not show."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.integration.core.test_html_validity import check_html, checker  # noqa: F401
from tests.integration.matching._g_helpers import (  # noqa: F401 (fresh_match_index: autouse)
    fresh_match_index,
    going,
    log_in,
    make_event,
    mentor,
    novice,
    organiser,
)


def test_matching_pages_with_content_are_valid_html(app, session, tmp_path: Path, checker):  # noqa: F811
    owner = organiser(session)
    nia, maggie = novice(session), mentor(session)
    kofi = mentor(session, handle="kofi", name="Kofi Advisor")
    event = make_event(session, owner)
    going(session, event, nia, maggie, kofi)
    session.commit()
    as_nia, as_owner = log_in(app, nia), log_in(app, owner)
    created = as_owner.post_form(
        f"/events/{event.id}/matching/rounds/new",
        {
            "title": "Speed mentoring",
            "starts_at": event.starts_at.astimezone(ZoneInfo(event.time_zone)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "duration_minutes": "30",
            f"role-{nia.id}": "mentee",
            f"role-{maggie.id}": "mentor",
            f"role-{kofi.id}": "mentor",
        },
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    pages = {
        "people": (as_nia, "/people-to-meet"),
        "event-people": (as_nia, f"/events/{event.id}/people-to-meet"),
        "profile-why": (as_nia, "/members/maggie"),
        "dashboard": (as_owner, f"/events/{event.id}/matching"),
        "round": (as_owner, created.headers["Location"]),
    }
    files = []
    for name, (helper, path) in pages.items():
        response = helper.client.get(path)
        assert response.status_code == 200, name
        html = response.get_data(as_text=True)
        if name in ("people", "event-people"):
            assert re.search(r'data-suggestion="\d+"', html), name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    assert check_html(files) == []
