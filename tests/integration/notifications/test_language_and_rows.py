"""Notices speak their recipient's language, and the centre's rows show who and when."""

from __future__ import annotations

import re

import pytest
from flask_babel import LazyString, get_locale

from hallway.notifications import kinds, service
from hallway.notifications.models import Notification
from tests.factories import make_notification, make_user


def locale_now() -> str:
    return str(get_locale())


def test_each_recipient_gets_the_summary_in_their_own_language(app, session):
    french = make_user(session, display_name="Amélie Cormier")
    french.language = "fr_CA"
    english = make_user(session, display_name="Dana Price")
    english.language = "en"
    undecided = make_user(session, display_name="Lee Park")
    session.commit()
    # The poster's request reads in English; each notice is written in its reader's language.
    with app.test_request_context(headers={"Accept-Language": "en"}):
        made = service.notify(
            session,
            recipients={french.id: "reply", english.id: "reply", undecided.id: "mention"},
            actor_id=None,
            subject_type="thread",
            subject_id=1,
            url="/t/1",
            summary=lambda kind: f"{kind} in {locale_now()}",
            deliver=False,
        )
    summaries = {n.recipient_id: n.summary for n in made}
    assert summaries == {
        french.id: "reply in fr_CA",
        english.id: "reply in en",
        undecided.id: "mention in en",
    }


@pytest.fixture
def locale_telling_kind():
    """An emailed kind whose footer says which language it was written in."""
    kind = kinds.register_kind(
        "locale_test",
        label="Locale test",
        email_preference="email_on_reply",
        email_reason=LazyString(lambda: f"Written in {locale_now()}"),
    )
    yield kind
    kinds._kinds.pop(kind.name, None)


def test_an_email_is_written_in_its_recipients_language(app, session, locale_telling_kind):
    french = make_user(session, display_name="Amélie Cormier")
    french.language = "fr_CA"
    session.commit()
    notification = Notification(
        recipient_id=french.id,
        kind=locale_telling_kind.name,
        subject_type="thread",
        subject_id=1,
        url="/t/1",
        summary="Un résumé",
        excerpt="",
    )
    with app.test_request_context(headers={"Accept-Language": "en"}):
        email = service.notification_email(french, notification)
        assert str(get_locale()) == "en"  # the request's own language is left as it was
    assert "Written in fr_CA" in email.body


def test_a_row_shows_the_actors_avatar_and_a_time_element(session, logged_in, member):
    actor = make_user(session, display_name="Sam Rivera")
    make_notification(session, recipient=member, actor=actor, summary="Sam replied")
    make_notification(session, recipient=member, actor=None, summary="Someone long gone")
    session.commit()
    html = logged_in.client.get("/notifications").get_data(as_text=True)
    rows = re.findall(r'<li class="list-row notification[^"]*".*?</li>', html, re.S)
    assert len(rows) == 2
    by_summary = {("Sam replied" in row): row for row in rows}
    assert 'class="ui-avatar ui-avatar-md"' in by_summary[True]
    assert ">SR</span>" in by_summary[True]  # Sam Rivera's initials
    assert ">?</span>" in by_summary[False]  # a former member: no name to show
    for row in rows:
        assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', row)
        assert " UTC</time>" not in row  # the reader's own time, not a bare UTC stamp
