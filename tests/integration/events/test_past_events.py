"""Past events keep their sessions, their discussions (still open) and their attendee
counts, and take no more answers."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from hallway.db import utcnow
from hallway.discussions import service as discussions_service
from hallway.discussions.models import Thread
from hallway.events import service
from tests.conftest import Browserless
from tests.factories import make_profile, make_user
from tests.unit.events.factories import make_event, make_organiser, rsvp


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def test_a_past_event_keeps_its_agenda_discussions_and_counts(app, session):
    owner = make_organiser(session)
    event = make_event(session, owner=owner, title="Last Year's Summit")
    item = service.add_session(
        session,
        actor=owner,
        event=event,
        data={
            "title": "Opening keynote",
            "starts_at": event.starts_at,
            "ends_at": event.starts_at + timedelta(hours=1),
        },
    )
    shown, private = make_user(session, display_name="Pat Public"), make_user(session)
    make_profile(session, shown, visibility="public")
    make_profile(session, private, visibility="private")
    for person in (shown, private):
        rsvp(session, event, person)
    # The summit happened: move it into the past (as time would).
    event.starts_at, event.ends_at = utcnow() - timedelta(days=30), utcnow() - timedelta(days=29)
    item.starts_at, item.ends_at = event.starts_at, event.starts_at + timedelta(hours=1)
    reader = make_user(session)
    session.commit()

    visitor = app.test_client()
    page = text_of(visitor.get(f"/events/{event.id}"))
    assert "Opening keynote" in page
    assert f'href="/t/{item.thread_id}"' in visitor.get(f"/events/{event.id}").get_data(
        as_text=True
    )
    assert "Pat Public" in page and "1 member with a private profile or hidden name" in page
    listed = text_of(visitor.get("/events?when=past"))
    assert "Last Year's Summit" in listed and "2 going" in listed

    # The session's discussion stays open after the event.
    thread = session.get(Thread, item.thread_id)
    with app.app_context():
        discussions_service.reply(session, actor=reader, thread=thread, body="Slides, anyone?")
        session.commit()
    helper = Browserless(app.test_client())
    assert helper.log_in(reader.email).status_code == 302
    assert "Slides, anyone?" in text_of(helper.client.get(f"/t/{thread.id}/{thread.slug}"))

    # But the event takes no more answers.
    token = helper.csrf_token(f"/events/{event.id}")
    answer = helper.client.post(
        f"/events/{event.id}/rsvp",
        data={"csrf_token": token, "status": "going"},
        follow_redirects=True,
    )
    assert "This event is over." in text_of(answer)
    session.expire_all()
    assert service.rsvp_of(session, event, reader) is None
    assert event.going_count == 2
