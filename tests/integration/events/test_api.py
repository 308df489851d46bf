"""The events JSON API: creating, listing, reading, RSVP and the waitlist, agenda,
announcements and attendees, with the same rules as the service."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from hallway.events.models import Event, EventSession
from tests.factories import make_profile, make_user
from tests.unit.events.factories import make_event, rsvp


def soon(days=10, hours=0):
    return (datetime.now(UTC) + timedelta(days=days, hours=hours)).replace(microsecond=0)


def new_event(**overrides):
    start = soon()
    return {
        "title": "ETUG Spring Workshop",
        "summary": "Two days of hands-on sessions",
        "description": "Bring a **laptop**.",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=8)).isoformat(),
        "time_zone": "America/Vancouver",
        "format": "hybrid",
        "venue": "BCIT Downtown",
        "city": "Vancouver",
        "country": "CA",
        "region": "CA-BC",
        "online_url": "https://stream.example/etug",
        "capacity": 40,
        "networks": ["etug", "BCcampus"],
        **overrides,
    }


def event_count(session):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Event))


def test_an_organiser_creates_an_event(as_organiser, session, organiser):
    response = as_organiser.post("/api/v1/events", new_event())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["title"] == "ETUG Spring Workshop"
    assert body["owner"]["handle"] == "olu" and body["is_organiser"] is True
    assert body["networks"] == ["ETUG", "BCcampus"]
    assert body["online_url"] == "https://stream.example/etug"
    assert body["description_html"].strip() == "<p>Bring a <strong>laptop</strong>.</p>"
    assert body["share_url"].startswith("/events/link/")
    assert event_count(session) == 1


def test_members_cannot_create_events(as_member, session):
    response = as_member.post("/api/v1/events", new_event())
    assert response.status_code == 403
    assert event_count(session) == 0


def test_logged_out_visitors_cannot_create_events(visitor, session):
    response = visitor.post("/api/v1/events", json=new_event())
    assert response.status_code in (400, 401)
    assert event_count(session) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": soon(days=9).isoformat()}, "ends_at"),
        ({"time_zone": "Atlantis/Capital"}, "time_zone"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -1}, "capacity"),
        ({"title": "t" * 2000}, "title"),
        (
            {
                "starts_at": soon(days=-3).isoformat(),
                "ends_at": soon(days=-3, hours=2).isoformat(),
            },
            "starts_at",
        ),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(as_organiser, session, change, field):
    response = as_organiser.post("/api/v1/events", new_event(**change))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert event_count(session) == 0


def test_an_edit_with_the_end_before_the_start_changes_nothing(as_organiser, session, organiser):
    event = make_event(session, owner=organiser, title="Before")
    session.commit()
    response = as_organiser.patch(
        f"/api/v1/events/{event.id}",
        {"title": "After", "ends_at": (event.starts_at - timedelta(hours=1)).isoformat()},
    )
    assert response.status_code == 422 and "ends_at" in response.get_json()["errors"]
    session.expire_all()
    assert session.get(Event, event.id).title == "Before"


def test_co_organisers_edit_through_the_api_but_cannot_delete(
    as_organiser, session, organiser, member, as_member
):
    event = make_event(session, owner=organiser)
    session.commit()
    added = as_organiser.post(f"/api/v1/events/{event.id}/organisers", {"user_id": member.id})
    assert added.status_code == 200
    assert [m["handle"] for m in added.get_json()["co_organisers"]] == ["maya"]
    assert as_member.patch(f"/api/v1/events/{event.id}", {"summary": "New"}).status_code == 200
    assert as_member.delete(f"/api/v1/events/{event.id}").status_code == 403
    assert as_organiser.delete(f"/api/v1/events/{event.id}").status_code == 204
    assert event_count(session) == 0


def test_the_list_shows_visitors_public_events_and_filters(visitor, session, organiser):
    make_event(session, owner=organiser, title="Toronto meetup", networks=["CNIE"])
    make_event(session, owner=organiser, title="Members meetup", visibility="members")
    make_event(session, owner=organiser, title="Secret", visibility="unlisted")
    make_event(
        session, owner=organiser, title="Online hour", format="online", city="",
        starts_at=soon(days=30),
    )  # fmt: skip
    session.commit()

    def titles(query=""):
        response = visitor.get(f"/api/v1/events{query}")
        assert response.status_code == 200, response.get_json()
        return [item["title"] for item in response.get_json()["items"]]

    assert titles() == ["Toronto meetup", "Online hour"]
    assert titles("?format=online") == ["Online hour"]
    assert titles("?city=toronto") == ["Toronto meetup"]
    assert titles("?network=cnie") == ["Toronto meetup"]
    assert titles(f"?{urlencode({'from': soon(days=20).isoformat()})}") == ["Online hour"]
    assert titles("?when=past") == []


def test_members_see_members_events_in_the_list(as_member, session, organiser):
    make_event(session, owner=organiser, title="Members meetup", visibility="members")
    session.commit()
    items = as_member.get("/api/v1/events").get_json()["items"]
    assert [item["title"] for item in items] == ["Members meetup"]


def test_visibility_by_id_and_by_link(visitor, as_member, session, organiser):
    members_only = make_event(session, owner=organiser, visibility="members")
    unlisted = make_event(session, owner=organiser, visibility="unlisted")
    session.commit()
    assert visitor.get(f"/api/v1/events/{members_only.id}").status_code == 404
    assert as_member.get(f"/api/v1/events/{members_only.id}").status_code == 200
    assert as_member.get(f"/api/v1/events/{unlisted.id}").status_code == 404
    by_link = visitor.get(f"/api/v1/events/link/{unlisted.share_token}")
    assert by_link.status_code == 200 and by_link.get_json()["id"] == unlisted.id
    assert by_link.get_json()["share_url"] is None  # only organisers are given the link
    assert visitor.get("/api/v1/events/link/guessing").status_code == 404


def test_the_online_link_shows_only_once_going(as_member, session, organiser):
    event = make_event(
        session, owner=organiser, format="online", city="", online_url="https://meet.example/1"
    )
    session.commit()
    path = f"/api/v1/events/{event.id}"
    assert as_member.get(path).get_json()["online_url"] is None
    as_member.put(f"{path}/rsvp", {"status": "going"})
    assert as_member.get(path).get_json()["online_url"] == "https://meet.example/1"


def test_rsvp_waitlist_and_leaving_through_the_api(as_member, log_in_as, session, organiser):
    event = make_event(session, owner=organiser, capacity=1)
    first = make_user(session, handle="first")
    session.commit()
    path = f"/api/v1/events/{event.id}"
    as_first = log_in_as(first)
    assert as_first.put(f"{path}/rsvp", {"status": "going"}).get_json()["status"] == "going"
    waiting = as_member.put(f"{path}/rsvp", {"status": "going"}).get_json()
    assert (waiting["status"], waiting["position"], waiting["going_count"]) == ("waitlisted", 1, 1)
    assert as_member.get(path).get_json()["my_rsvp"]["position"] == 1
    as_first.put(f"{path}/rsvp", {"status": "not_going"})
    promoted = as_member.get(f"{path}/rsvp").get_json()
    assert (promoted["status"], promoted["position"]) == ("going", None)


def test_leaving_the_waitlist_through_the_api(as_member, session, organiser):
    event = make_event(session, owner=organiser, capacity=1)
    rsvp(session, event, make_user(session))
    session.commit()
    path = f"/api/v1/events/{event.id}"
    as_member.put(f"{path}/rsvp", {"status": "going"})
    left = as_member.delete(f"{path}/waitlist")
    assert left.status_code == 200 and left.get_json()["status"] == "not_going"
    assert as_member.delete(f"{path}/waitlist").status_code == 409


def test_rsvp_input_is_checked(as_member, session, organiser):
    event = make_event(session, owner=organiser)
    session.commit()
    response = as_member.put(f"/api/v1/events/{event.id}/rsvp", {"status": "waitlisted"})
    assert response.status_code == 422 and "status" in response.get_json()["errors"]


def test_attendees_respect_privacy_and_the_hide_me_flag(as_member, session, organiser):
    event = make_event(session, owner=organiser)
    public = make_profile(
        session, make_user(session, display_name="Pat Public"), visibility="public"
    )
    private = make_profile(
        session, make_user(session, display_name="Priv Ate"), visibility="private"
    )
    for profile in (public, private):
        rsvp(session, event, profile.user)
    session.commit()
    path = f"/api/v1/events/{event.id}"
    as_member.put(f"{path}/rsvp", {"status": "going", "hidden_from_list": True})
    listed = as_member.get(f"{path}/attendees").get_json()
    # The member sees themself; the private profile is only counted.
    assert [a["display_name"] for a in listed["attendees"]] == ["Maya Okafor", "Pat Public"]
    assert (listed["unnamed_count"], listed["total"]) == (1, 3)


def test_sessions_crud_and_their_threads(as_organiser, as_member, session, organiser):
    event = make_event(session, owner=organiser)
    session.commit()
    path = f"/api/v1/events/{event.id}/sessions"
    start = event.starts_at
    created = as_organiser.post(
        path,
        {
            "title": "Keynote",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
            "speakers": [{"name": "Guest Speaker"}],
        },
    )
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert item["thread_id"] and item["speakers"][0]["name"] == "Guest Speaker"
    outside = as_organiser.post(
        path,
        {
            "title": "Too late",
            "starts_at": (event.ends_at + timedelta(hours=1)).isoformat(),
            "ends_at": (event.ends_at + timedelta(hours=2)).isoformat(),
        },
    )
    assert outside.status_code == 422 and "starts_at" in outside.get_json()["errors"]
    by_member = {"title": "x", "starts_at": start.isoformat(), "ends_at": start.isoformat()}
    assert as_member.post(path, by_member).status_code in (403, 422)
    edited = as_organiser.patch(f"{path}/{item['id']}", {"location": "Room 1"})
    assert edited.get_json()["location"] == "Room 1"
    assert [s["title"] for s in as_member.get(path).get_json()] == ["Keynote"]
    assert as_organiser.delete(f"{path}/{item['id']}").status_code == 204
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(EventSession)) == 0


def test_announcements_are_for_organisers_to_post_and_anyone_to_read(
    as_organiser, as_member, session, organiser
):
    event = make_event(session, owner=organiser)
    session.commit()
    path = f"/api/v1/events/{event.id}/announcements"
    assert as_member.post(path, {"title": "Hi all"}).status_code == 403
    posted = as_organiser.post(path, {"title": "Doors at 9", "body": "See *you*"})
    assert posted.status_code == 201
    [shown] = as_member.get(path).get_json()
    assert (shown["title"], shown["body_html"].strip()) == ("Doors at 9", "<p>See <em>you</em></p>")


def test_cancelling_through_the_api(as_organiser, as_member, session, organiser):
    event = make_event(session, owner=organiser)
    session.commit()
    assert as_member.post(f"/api/v1/events/{event.id}/cancel").status_code == 403
    cancelled = as_organiser.post(f"/api/v1/events/{event.id}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["cancelled"] is True
    answer = as_member.put(f"/api/v1/events/{event.id}/rsvp", {"status": "going"})
    assert answer.status_code == 409


def test_import_through_the_api_dry_run_then_for_real(as_organiser, session, organiser):
    event = make_event(session, owner=organiser)
    session.commit()
    text = "name,email,career stage\nNew Person,new@example.org,novice\n"
    path = f"/api/v1/events/{event.id}/attendees/import"
    dry = as_organiser.post(path, {"csv": text, "dry_run": True}).get_json()
    assert (dry["dry_run"], dry["imported"], dry["new_accounts"]) == (
        True,
        False,
        ["new@example.org"],
    )
    done = as_organiser.post(path, {"csv": text}).get_json()
    assert done["imported"] and done["going"] == ["new@example.org"]
    bad = as_organiser.post(path, {"csv": "name,email,career stage\nX,not-an-email,novice\n"})
    assert bad.get_json()["errors"][0]["line"] == 2


def test_cover_pictures_go_through_the_avatar_pipeline(as_organiser, visitor, session, organiser):
    from io import BytesIO

    from tests.factories import make_picture

    event = make_event(session, owner=organiser)
    session.commit()
    path = f"/api/v1/events/{event.id}/cover"
    refused = as_organiser.put(
        path, data={"cover": (BytesIO(b"<svg></svg>"), "x.svg")}, content_type="multipart/form-data"
    )
    assert refused.status_code == 422
    stored = as_organiser.put(
        path, data={"cover": (BytesIO(make_picture()), "x.png")}, content_type="multipart/form-data"
    )
    assert stored.status_code == 204
    shown = visitor.get(f"/events/{event.id}/cover")
    assert shown.status_code == 200 and shown.mimetype.startswith("image/")
