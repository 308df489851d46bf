"""The organisers' matching dashboard per event, and its CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from hallway.meetings import service as meetings_service
from tests.factories import make_profile, make_user
from tests.integration.matching._g_helpers import (  # noqa: F401 (fresh_match_index: autouse)
    fresh_match_index,
    going,
    log_in,
    make_event,
    mentor,
    novice,
    organiser,
)


def _request(app, session, event, sender, recipient, *, hour=1, accept=False):
    """A request for this event (and its acceptance), made inside an app context of its
    own (notifications need one), left before any page is requested."""
    with app.app_context():
        return _make_request(session, event, sender, recipient, hour=hour, accept=accept)


def _make_request(session, event, sender, recipient, *, hour, accept):
    request = meetings_service.request_meeting(
        session,
        actor=sender,
        recipient_id=recipient.id,
        proposed_times=[event.starts_at + timedelta(hours=hour)],
        event_id=event.id,
        source="suggestion",
    )
    if accept:
        meetings_service.accept_request(
            session, actor=recipient, request=request, time_id=request.proposed_times[0].id
        )
    return request


def _figure(html: str, name: str) -> int:
    marker = f'data-figure="{name}">'
    start = html.index(marker) + len(marker)
    return int(html[start : html.index("<", start)])


def _section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</ul>", start)]


def test_only_the_events_organisers_see_the_dashboard(app, session, client):
    owner = organiser(session)
    helper_organiser = organiser(session, handle="co-org")
    nia = novice(session)
    event = make_event(session, owner)
    from hallway.events import service as events_service

    events_service.add_co_organiser(session, actor=owner, event=event, user_id=helper_organiser.id)
    other_organiser = organiser(session, handle="other-org")
    going(session, event, nia)
    session.commit()
    for path in (f"/events/{event.id}/matching", f"/events/{event.id}/matching.csv"):
        assert log_in(app, nia).client.get(path).status_code == 403
        assert log_in(app, other_organiser).client.get(path).status_code == 403
        assert log_in(app, owner).client.get(path).status_code == 200
        assert log_in(app, helper_organiser).client.get(path).status_code == 200
        assert client.get(path).status_code == 302  # visitors are asked to log in


def test_figures_count_suggestions_requests_and_accepted_meetings(app, session):
    owner = organiser(session)
    nia, maggie = novice(session), mentor(session)
    kofi = mentor(session, handle="kofi", name="Kofi Advisor")
    quiet = make_user(session, handle="quiet", display_name="Quiet Person")
    make_profile(session, quiet, career_stage="career", matchable=False)
    event = make_event(session, owner)
    going(session, event, nia, maggie, kofi, quiet)
    _request(app, session, event, nia, maggie, accept=True)
    _request(app, session, event, kofi, maggie, hour=3)
    session.commit()
    html = log_in(app, owner).client.get(f"/events/{event.id}/matching").get_data(as_text=True)
    assert "Among the 4 people going" in html
    assert _figure(html, "opted-in") == 3
    # quiet has not opted in; maggie is already in touch with everyone else going.
    assert _figure(html, "suggestion") == 2
    assert _figure(html, "request") == 3  # nia and kofi sent, maggie received
    assert _figure(html, "accepted") == 2  # nia and maggie


def test_novices_without_a_mentor_meeting(app, session):
    owner = organiser(session)
    nia, maggie = novice(session), mentor(session)
    noor = novice(session, handle="noor", name="Noor Newcomer")
    peer = novice(session, handle="pat", name="Pat Peer")
    event = make_event(session, owner)
    going(session, event, nia, maggie, noor, peer)
    _request(app, session, event, nia, maggie, accept=True)  # a mentor meeting
    _request(app, session, event, noor, peer, hour=2, accept=True)  # novice with novice: not one
    session.commit()
    html = log_in(app, owner).client.get(f"/events/{event.id}/matching").get_data(as_text=True)
    novices = _section(html, "novices")
    assert "Noor Newcomer" in novices and "Pat Peer" in novices
    assert "Nia Novice" not in novices


def test_most_requested_and_overloaded(app, session):
    owner = organiser(session)
    maggie = mentor(session)
    kofi = mentor(session, handle="kofi", name="Kofi Advisor")
    event = make_event(session, owner)
    going(session, event, maggie, kofi)
    askers = [novice(session, handle=f"asker{n}", name=f"Asker {n}") for n in range(5)]
    going(session, event, *askers)
    for number, asker in enumerate(askers):
        _request(app, session, event, asker, maggie, hour=1 + number)  # 5 pending for maggie
    for number, asker in enumerate(askers[:4]):
        _request(app, session, event, asker, kofi, hour=1 + number)  # 4 pending for kofi
    session.commit()
    html = log_in(app, owner).client.get(f"/events/{event.id}/matching").get_data(as_text=True)
    table = html[html.index('id="most-requested"') : html.index("</table>")]
    assert table.index("Maggie Mentor") < table.index("Kofi Advisor")
    overloaded = _section(html, "overloaded")
    assert "Maggie Mentor" in overloaded and "5 requests waiting" in overloaded
    assert "Kofi Advisor" not in overloaded


def test_looking_for_that_nobody_going_offers(app, session):
    owner = organiser(session)
    nia = novice(session, looking_for=["mentoring", "job_leads"])
    noor = novice(session, handle="noor", name="Noor", looking_for=["job_leads"])
    maggie = mentor(session, offering=["mentoring"])
    hirer = mentor(session, handle="hirer", name="Not Going", offering=["job_leads"])
    event = make_event(session, owner)
    going(session, event, nia, noor, maggie)
    session.commit()
    del hirer  # offers job leads but is not going
    html = log_in(app, owner).client.get(f"/events/{event.id}/matching").get_data(as_text=True)
    needs = _section(html, "unmet-needs")
    assert "Job leads" in needs and "2 people looking" in needs
    assert "Mentoring" not in needs


def test_csv_has_one_row_per_person_going_and_the_summary(app, session):
    owner = organiser(session)
    nia, maggie = novice(session), mentor(session)
    evil = make_user(session, handle="evil", display_name="=HYPERLINK(1)")
    make_profile(session, evil, career_stage="career")
    event = make_event(session, owner)
    going(session, event, nia, maggie, evil)
    _request(app, session, event, nia, maggie, accept=True)
    session.commit()
    response = log_in(app, owner).client.get(f"/events/{event.id}/matching.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f"event-{event.id}-matching.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["name", "handle", "career stage", "opted in to matching"]
    by_handle = {row[1]: row for row in rows[1:4]}
    # Already met, nobody else going opted in: no suggestion left for either.
    assert by_handle["nia"][3:] == ["yes", "no", "1", "0", "1", "0", "yes"]
    assert by_handle["maggie"][3:] == ["yes", "no", "0", "1", "1", "0", ""]
    assert by_handle["evil"][3:5] == ["no", "no"]
    assert by_handle["evil"][0] == "'=HYPERLINK(1)"  # never a formula
    summary = {row[0]: row[1] for row in rows if len(row) == 2}
    assert summary["going"] == "3"
    assert summary["with at least one accepted meeting"] == "2"
    assert summary["novices without a mentor meeting"] == "0"


def test_the_event_organiser_tools_link_to_matching(app, session):
    owner = organiser(session)
    event = make_event(session, owner)
    session.commit()
    html = log_in(app, owner).client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert f'href="/events/{event.id}/matching"' in html


def _dashboard_statements(app, owner, event) -> int:
    from tests.querycount import statements_for

    return len(statements_for(app, log_in(app, owner).client, f"/events/{event.id}/matching"))


def test_the_dashboards_statements_do_not_grow_with_the_people_going(app, session):
    owner = organiser(session)
    event = make_event(session, owner)
    going(session, event, novice(session), mentor(session))
    session.commit()
    few = _dashboard_statements(app, owner, event)
    more = [novice(session, handle=f"novice{n}", name=f"Novice {n}") for n in range(8)]
    more += [mentor(session, handle=f"mentor{n}", name=f"Mentor {n}") for n in range(8)]
    going(session, event, *more)
    session.commit()
    assert _dashboard_statements(app, owner, event) == few


def test_who_has_a_suggestion_is_what_each_ones_suggestions_say(app, session):
    """The dashboard's batch answer agrees with ``suggestions`` member by member: blocks
    either way, dismissals, meetings under way and consent all count."""
    from hallway.matching import service as matching_service
    from hallway.moderation import service as moderation_service

    owner = organiser(session)
    event = make_event(session, owner)
    nia, noor = novice(session), novice(session, handle="noor", name="Noor Newcomer")
    maggie, kofi = mentor(session), mentor(session, handle="kofi", name="Kofi Advisor")
    lone = novice(session, handle="lone", name="Lone Novice")
    shy = mentor(session, handle="shy", name="Shy Mentor", matchable=False)
    going(session, event, nia, noor, maggie, kofi, lone, shy)
    moderation_service.block_member(session, actor=lone, handle=maggie.handle)
    moderation_service.block_member(session, actor=kofi, handle=lone.handle)
    matching_service.dismiss(session, actor=noor, other_id=maggie.id, reason="already_know")
    matching_service.dismiss(session, actor=noor, other_id=kofi.id, reason="not_relevant")
    session.commit()
    _request(app, session, event, nia, maggie)
    session.commit()
    with app.test_request_context():
        people = [nia, noor, maggie, kofi, lone, shy]
        one_by_one = {
            user.id
            for user in people
            if matching_service.suggestions(session, user, event_id=event.id, limit=1)
        }
        batch = matching_service.members_with_suggestions(
            session, [user.id for user in people], event_id=event.id
        )
    assert batch == one_by_one
    assert shy.id not in batch  # not opted in
    assert {nia.id, maggie.id} <= batch  # each still has someone besides the other
