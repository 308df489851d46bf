"""Who may create, edit, cancel and delete an event, and who co-organises it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from hallway.core.errors import InvalidInput, NotAllowed
from hallway.events import service
from hallway.events.models import Event, EventFormat
from tests.factories import make_user
from tests.unit.events.factories import make_event, make_organiser

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def owner(session):
    return make_organiser(session, handle="owner")


@pytest.fixture
def event(session, owner):
    return make_event(session, owner=owner, title="ETUG spring workshop")


def test_members_without_the_organiser_role_cannot_create_events(session):
    with pytest.raises(NotAllowed):
        make_event(session, owner=make_user(session))
    assert session.scalars(select(Event)).all() == []


def test_an_organiser_creates_an_event_and_owns_it(session, owner, event):
    assert event.owner_id == owner.id
    assert service.can_manage(owner, event) and service.is_owner(owner, event)
    assert event.format is EventFormat.in_person and event.going_count == 0


def test_a_stranger_cannot_edit_cancel_or_delete(session, event):
    stranger = make_organiser(session)
    with pytest.raises(NotAllowed):
        service.edit_event(session, actor=stranger, event=event, changes={"title": "Mine now"})
    with pytest.raises(NotAllowed):
        service.cancel_event(session, actor=stranger, event=event)
    with pytest.raises(NotAllowed):
        service.delete_event(session, actor=stranger, event=event)
    assert event.title == "ETUG spring workshop" and not event.is_cancelled


def test_co_organisers_edit_but_neither_delete_nor_add_co_organisers(session, owner, event):
    helper, other = make_user(session), make_user(session)
    service.add_co_organiser(session, actor=owner, event=event, user_id=helper.id)
    service.edit_event(session, actor=helper, event=event, changes={"title": "ETUG workshop"})
    assert event.title == "ETUG workshop"
    with pytest.raises(NotAllowed):
        service.delete_event(session, actor=helper, event=event)
    with pytest.raises(NotAllowed):
        service.add_co_organiser(session, actor=helper, event=event, user_id=other.id)
    with pytest.raises(NotAllowed):
        service.remove_co_organiser(session, actor=helper, event=event, user_id=helper.id)
    assert session.get(Event, event.id) is not None


def test_the_owner_removes_a_co_organiser_who_then_cannot_edit(session, owner, event):
    helper = make_user(session)
    service.add_co_organiser(session, actor=owner, event=event, user_id=helper.id)
    service.remove_co_organiser(session, actor=owner, event=event, user_id=helper.id)
    with pytest.raises(NotAllowed):
        service.edit_event(session, actor=helper, event=event, changes={"title": "Nope"})


def test_only_the_owner_deletes(session, owner, event):
    event_id = event.id
    service.delete_event(session, actor=owner, event=event)
    session.expire_all()
    assert session.get(Event, event_id) is None


def test_edits_bump_the_calendar_sequence(session, owner, event):
    before = event.sequence
    service.edit_event(session, actor=owner, event=event, changes={"summary": "New summary"})
    assert event.sequence == before + 1


def test_a_new_event_cannot_start_in_the_past_but_an_edit_may_keep_its_times(session, owner):
    from hallway.db import utcnow

    yesterday = utcnow() - timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        make_event(session, owner=owner, starts_at=yesterday)
    assert "starts_at" in refused.value.field_errors


def test_the_end_must_follow_the_start_on_create_and_edit(session, owner, event):
    with pytest.raises(InvalidInput) as refused:
        make_event(session, owner=owner, ends_at=event.starts_at - timedelta(hours=1))
    assert "ends_at" in refused.value.field_errors
    with pytest.raises(InvalidInput) as refused:
        service.edit_event(session, actor=owner, event=event, changes={"ends_at": event.starts_at})
    assert "ends_at" in refused.value.field_errors


def test_local_times_are_placed_in_the_events_zone(session, owner):
    from datetime import datetime

    from hallway.db import utcnow

    year = utcnow().year + 1
    event = make_event(
        session,
        owner=owner,
        starts_at=datetime(year, 7, 1, 9, 0),
        ends_at=datetime(year, 7, 1, 17, 0),
        time_zone="Australia/Sydney",
    )
    assert event.starts_at.isoformat() == f"{year}-06-30T23:00:00+00:00"


def test_an_in_person_event_needs_a_city(session, owner):
    with pytest.raises(InvalidInput) as refused:
        make_event(session, owner=owner, city="")
    assert "city" in refused.value.field_errors
    online = make_event(session, owner=owner, city="", format="online")
    assert online.is_online
