"""The events list and an event page cost the same number of SQL statements whatever
the number of attendees and sessions (a page that grew a query per attendee or per
session would grow with the biggest conference)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from hallway.accounts.models import User
from hallway.db import utcnow
from hallway.events import service
from hallway.events.models import Event, EventSession, Rsvp, RsvpStatus, SessionSpeaker
from hallway.members.models import MemberProfile, ProfileVisibility
from tests.conftest import Browserless
from tests.factories import _DEFAULT_HASH, make_user
from tests.querycount import statements_for
from tests.unit.events.factories import make_event, make_organiser

_numbers = itertools.count(1)


def add_attendees(session, event: Event, count: int) -> None:
    """``count`` members going, in bulk (the rules are not what is measured here): a
    third with public profiles, a third private, a third without a profile; every
    tenth asked to be hidden from the list."""
    first = next(_numbers) * 100_000
    now = utcnow()
    users = [
        {
            "email": f"bulk{first + index}@example.org",
            "handle": f"bulk{first + index}",
            "display_name": f"Bulk Member {first + index}",
            "password_hash": _DEFAULT_HASH,
        }
        for index in range(count)
    ]
    session.execute(insert(User), users)
    ids = list(
        session.scalars(select(User.id).where(User.handle.in_([user["handle"] for user in users])))
    )
    visibilities = (ProfileVisibility.public, ProfileVisibility.private)
    session.execute(
        insert(MemberProfile),
        [
            {"user_id": user_id, "visibility": visibilities[index % 3], "career_stage": "career"}
            for index, user_id in enumerate(ids)
            if index % 3 < 2
        ],
    )
    session.execute(
        insert(Rsvp),
        [
            {
                "event_id": event.id,
                "user_id": user_id,
                "status": RsvpStatus.going,
                "hidden_from_list": index % 10 == 0,
                "responded_at": now,
            }
            for index, user_id in enumerate(ids)
        ],
    )
    event.going_count += count
    session.flush()


def add_sessions(session, event: Event, count: int, speaker: User) -> None:
    """``count`` agenda items with a member and a named speaker each, in bulk."""
    length = (event.ends_at - event.starts_at) / count
    for number in range(count):
        starts = event.starts_at + length * number
        item = EventSession(
            event_id=event.id,
            title=f"Session {number}",
            starts_at=starts,
            ends_at=starts + length,
            track=("Main", "Workshops", "Posters")[number % 3],
            speakers=[
                SessionSpeaker(user_id=speaker.id, position=0),
                SessionSpeaker(name="Guest Speaker", position=1),
            ],
        )
        session.add(item)
    session.flush()


def big_event(session, owner, *, attendees: int, sessions: int, speaker: User) -> Event:
    starts = utcnow().replace(microsecond=0) + timedelta(days=20)
    event = make_event(
        session,
        owner=owner,
        title=f"Conference with {attendees} people",
        starts_at=starts,
        ends_at=starts + timedelta(days=3),
        networks=["WCET", "ETUG"],
    )
    add_attendees(session, event, attendees)
    add_sessions(session, event, sessions, speaker)
    return event


@pytest.fixture
def owner(session):
    return make_organiser(session)


@pytest.fixture
def viewer(app, session):
    user = make_user(session)
    session.commit()
    helper = Browserless(app.test_client())
    assert helper.log_in(user.email).status_code == 302
    return helper


@pytest.mark.parametrize("who", ["visitor", "member", "hidden member", "organiser"])
def test_an_event_page_costs_the_same_with_20_or_2000_attendees(app, session, owner, who):
    speaker = make_user(session)
    small = big_event(session, owner, attendees=20, sessions=5, speaker=speaker)
    large = big_event(session, owner, attendees=2_000, sessions=60, speaker=speaker)
    reader = make_user(session)
    session.commit()
    client = app.test_client()
    if who != "visitor":
        person = owner if who == "organiser" else reader
        assert Browserless(client).log_in(person.email).status_code == 302
    for event in (small, large):  # the reader is going to both (a hidden one: named
        if who != "visitor":  # for themselves only, on a list of their own)
            hidden = who == "hidden member"
            service.set_rsvp(
                session, actor=reader, event=event, status="going", hidden_from_list=hidden
            )
    session.commit()
    few = statements_for(app, client, f"/events/{small.id}")
    many = statements_for(app, client, f"/events/{large.id}")
    assert len(many) == len(few), "\n".join(many)


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_event_page_shows_a_page_of_names_and_counts_the_rest(app, session, owner, viewer, who):
    speaker = make_user(session)
    event = big_event(session, owner, attendees=300, sessions=3, speaker=speaker)
    session.commit()
    client = viewer.client if who == "member" else app.test_client()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)

    # Of 300 going, a third have public profiles, a third private ones and a third none
    # yet (seen by members only); one in ten asked to be hidden. Visitors see public
    # names only; 60 are shown, the rest are "and N more"; the others are counted.
    def named(index: int) -> bool:
        seen = index % 3 == 0 if who == "visitor" else index % 3 != 1
        return seen and index % 10 != 0

    names = sum(1 for index in range(300) if named(index))
    shown = html.split('class="attendee-list"', 1)[1].split("</ul>", 1)[0]
    assert shown.count("<li") == service.ATTENDEES_SHOWN
    assert f"and {names - service.ATTENDEES_SHOWN} more" in html
    assert f"{300 - names} members with private profiles or hidden names" in html


def test_the_events_list_costs_the_same_with_few_or_many_attendees(app, session, owner, viewer):
    speaker = make_user(session)
    for _ in range(3):
        big_event(session, owner, attendees=5, sessions=2, speaker=speaker)
    session.commit()
    few = statements_for(app, viewer.client, "/events")
    for _ in range(3):
        big_event(session, owner, attendees=700, sessions=20, speaker=speaker)
    session.commit()
    many = statements_for(app, viewer.client, "/events")
    assert len(many) == len(few), "\n".join(many)
