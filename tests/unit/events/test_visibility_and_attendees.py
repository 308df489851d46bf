"""Who may see an event, and whose names its attendee list shows."""

import pytest
from flask_login import AnonymousUserMixin

from hallway.core.errors import NotAllowed, NotFound
from hallway.events import service
from hallway.events.models import RsvpStatus
from tests.factories import make_profile, make_user
from tests.unit.events.factories import make_event, make_organiser, rsvp

pytestmark = pytest.mark.usefixtures("app_context")
ANONYMOUS = AnonymousUserMixin()


@pytest.fixture
def owner(session):
    return make_organiser(session)


@pytest.mark.parametrize(
    ("visibility", "anonymous", "member"),
    [("public", True, True), ("members", False, True), ("unlisted", False, False)],
)
def test_who_finds_an_event_by_its_id(session, owner, visibility, anonymous, member):
    event = make_event(session, owner=owner, visibility=visibility)
    viewer = make_user(session)
    for who, allowed in ((ANONYMOUS, anonymous), (viewer, member)):
        if allowed:
            assert service.visible_event(session, who, event.id) is event
        else:
            with pytest.raises(NotFound):
                service.visible_event(session, who, event.id)
    assert service.visible_event(session, owner, event.id) is event


def test_an_unlisted_event_opens_by_its_link_and_then_for_those_who_answered(session, owner):
    event = make_event(session, owner=owner, visibility="unlisted")
    guest = make_user(session)
    assert service.event_by_link(session, guest, event.share_token) is event
    assert service.event_by_link(session, ANONYMOUS, event.share_token) is event
    with pytest.raises(NotFound):
        service.event_by_link(session, guest, "not-the-token")
    rsvp(session, event, guest, "interested")
    assert service.visible_event(session, guest, event.id) is event


def test_a_members_only_link_still_needs_a_login(session, owner):
    event = make_event(session, owner=owner, visibility="members")
    with pytest.raises(NotFound):
        service.event_by_link(session, ANONYMOUS, event.share_token)


def test_unlisted_and_members_events_are_not_listed_for_visitors(session, owner):
    public = make_event(session, owner=owner, title="Public")
    members = make_event(session, owner=owner, title="Members", visibility="members")
    make_event(session, owner=owner, title="Unlisted", visibility="unlisted")
    assert list(service.list_events(session, viewer=ANONYMOUS).items) == [public]
    listed = service.list_events(session, viewer=make_user(session)).items
    assert {event.title for event in listed} == {"Public", "Members"}
    assert members in listed


def test_the_online_link_is_for_people_going_and_organisers(session, owner):
    event = make_event(
        session, owner=owner, format="online", city="", online_url="https://meet.example/x"
    )
    member = make_user(session)
    assert not service.may_see_online_link(session, member, event)
    rsvp(session, event, member, "interested")
    assert not service.may_see_online_link(session, member, event)
    rsvp(session, event, member, "going")
    assert service.may_see_online_link(session, member, event)
    assert service.may_see_online_link(session, owner, event)
    assert not service.may_see_online_link(session, ANONYMOUS, event)


def test_managed_event_refuses_members_who_do_not_organise_it(session, owner):
    event = make_event(session, owner=owner)
    with pytest.raises(NotAllowed):
        service.managed_event(session, make_user(session), event.id)


def _names(result):
    return sorted(row.user.display_name for row in result.named)


def test_private_profiles_are_counted_not_named(session, owner):
    event = make_event(session, owner=owner)
    shown = make_profile(session, make_user(session, display_name="Ana Shown")).user
    secret = make_profile(
        session, make_user(session, display_name="Bo Private"), visibility="private"
    ).user
    public = make_profile(
        session, make_user(session, display_name="Cy Public"), visibility="public"
    ).user
    for person in (shown, secret, public):
        rsvp(session, event, person)
    viewer = make_user(session)
    seen = service.attendees(session, viewer=viewer, event=event)
    assert _names(seen) == ["Ana Shown", "Cy Public"] and seen.unnamed_count == 1
    anonymous = service.attendees(session, viewer=ANONYMOUS, event=event)
    assert _names(anonymous) == ["Cy Public"] and anonymous.unnamed_count == 2
    assert service.attendees(session, viewer=secret, event=event).unnamed_count == 0


def test_members_who_hide_themselves_are_counted_not_named(session, owner):
    event = make_event(session, owner=owner)
    quiet = make_user(session, display_name="Quiet One")
    loud = make_user(session, display_name="Loud One")
    service.set_rsvp(session, actor=quiet, event=event, status="going", hidden_from_list=True)
    rsvp(session, event, loud)
    seen = service.attendees(session, viewer=make_user(session), event=event)
    assert _names(seen) == ["Loud One"] and seen.unnamed_count == 1
    service.set_hidden_from_list(session, actor=quiet, event=event, hidden=False)
    assert _names(service.attendees(session, viewer=loud, event=event)) == [
        "Loud One",
        "Quiet One",
    ]


def test_organisers_see_everyone_and_can_search_and_filter(session, owner):
    event = make_event(session, owner=owner)
    novice = make_profile(
        session,
        make_user(session, display_name="Nia Novice"),
        career_stage="novice",
        visibility="private",
    ).user
    senior = make_profile(
        session, make_user(session, display_name="Sam Senior"), career_stage="advanced"
    ).user
    for person in (novice, senior):
        service.set_rsvp(session, actor=person, event=event, status="going", hidden_from_list=True)
    everyone = service.attendees(session, viewer=owner, event=event)
    assert _names(everyone) == ["Nia Novice", "Sam Senior"] and everyone.unnamed_count == 0
    assert _names(service.attendees(session, viewer=owner, event=event, search="sam")) == [
        "Sam Senior"
    ]
    assert _names(service.attendees(session, viewer=owner, event=event, stage="novice")) == [
        "Nia Novice"
    ]


def test_the_waitlist_lists_in_queue_order(session, owner):
    event = make_event(session, owner=owner, capacity=1)
    people = [make_user(session, display_name=name) for name in ("Zed", "Yan", "Abe")]
    for person in people:
        rsvp(session, event, person)
    waiting = service.attendees(session, viewer=owner, event=event, status=RsvpStatus.waitlisted)
    assert [row.user.display_name for row in waiting.named] == ["Yan", "Abe"]
    assert [r.user.display_name for r in service.waitlist(session, actor=owner, event=event)] == [
        "Yan",
        "Abe",
    ]
