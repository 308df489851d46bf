"""The front page's upcoming events are the public ones still happening."""

import pytest

from hallway.events import service
from hallway.home.service import community_overview
from tests.unit.events.factories import make_event, make_organiser, make_past_event

pytestmark = pytest.mark.usefixtures("app_context")


def test_the_front_page_shows_public_upcoming_events_only(session):
    owner = make_organiser(session)
    shown = make_event(session, owner=owner, title="Public meetup")
    make_event(session, owner=owner, title="Members only", visibility="members")
    make_event(session, owner=owner, title="By link", visibility="unlisted")
    service.cancel_event(session, actor=owner, event=make_event(session, owner=owner))
    make_past_event(session, owner=owner, title="Last month")
    assert community_overview(session).upcoming_events == [shown]
    assert not shown.is_online and shown.city == "Toronto"
