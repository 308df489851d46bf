"""`flask members import` with a conference's registration export: bio, matching
consent, the events people are going to (unknown titles refused, or created with
--create-events), free interests mapped to vocabulary topics; dry run, per-row errors,
and a second run that changes nothing more. Through Flask's CliRunner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import Role, User
from hallway.db import utcnow
from hallway.events import service as events_service
from hallway.events.models import Event, EventFormat, EventVisibility, Rsvp, RsvpStatus
from hallway.members.models import MemberProfile
from hallway.members.service import profile_of
from tests.factories import make_profile, make_user
from tests.unit.events.factories import make_event

HEADER = (
    "name,email,organisation,role,career_stage,sector,country,region,timezone,interests,"
    "networks,looking_for,offering,bio,events,matching_opt_in"
)

REGISTRATION = "\n".join(
    [
        HEADER,
        "Ana Lima,ana@example.org,Harbourview Schools,Teacher,novice,K-12,Canada,BC,"
        'America/Vancouver,"captioning; basket weaving; OER",ETUG,mentoring,,'
        '"Teacher moving into instructional design, one course at a time.",'
        "Open Ed Meetup,yes",
        "Bea Okafor,bea@example.org,Fundy Bay University,Director,advanced,post-secondary,"
        "CA,New Brunswick,America/Moncton,Moodle plugins,CNIE; REFAD,,mentoring; hiring,"
        "Runs a teaching centre.,Open Ed Meetup; ETUG Spring Workshop,no",
        "Cy Diaz,cy@example.org,Acme Learning,LXD,career,,,,,,,,,,,",
        "",
    ]
)

#: The same people, another export: columns missing and in another order.
REORDERED = "\n".join(
    [
        "matching_opt_in,events,email,name,career_stage,interests",
        "yes,Open Ed Meetup,dee@example.org,Dee Park,career,remote teaching",
        ",,eli@example.org,Eli Moss,novice,",
        "",
    ]
)


@pytest.fixture
def organiser(session):
    user = make_user(session, email="org@example.org", role=Role.organiser)
    session.commit()
    return user


@pytest.fixture
def meetups(session, organiser):
    """The two events the export names, both organised by the organiser importing."""
    meetup = make_event(session, owner=organiser, title="Open Ed Meetup")
    workshop = make_event(session, owner=organiser, title="ETUG Spring Workshop", capacity=1)
    session.commit()
    return meetup, workshop


def run(app, tmp_path, text, *options, organiser="org@example.org"):
    path = tmp_path / "registrations.csv"
    path.write_text(text, encoding="utf-8")
    args = ["members", "import", str(path), "--organiser", organiser, *options]
    return app.test_cli_runner().invoke(args=args)


def user(session, email) -> User:
    session.expire_all()
    found = session.scalar(select(User).where(User.email == email))
    assert found is not None, email
    return found


def count(session, model, *where) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def going(session, event) -> list[str]:
    session.expire_all()
    return sorted(
        session.scalars(
            select(User.email)
            .join(Rsvp, Rsvp.user_id == User.id)
            .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.going)
        )
    )


def test_a_registration_export_stores_bio_consent_interests_and_events(
    app, session, tmp_path, organiser, meetups
):
    meetup, workshop = meetups
    result = run(app, tmp_path, REGISTRATION)
    assert result.exit_code == 0, result.output
    assert "Imported 3 new, 0 updated" in result.output
    assert "event places: 3 going, 0 waitlisted, 0 already registered" in result.output
    ana = profile_of(session, user(session, "ana@example.org"))
    assert ana.bio == "Teacher moving into instructional design, one course at a time."
    assert ana.matchable is True
    # Free interests stay as typed; a synonym adds its vocabulary topic beside them.
    assert ana.interests == ["captioning", "basket weaving", "OER", "accessibility & UDL"]
    assert (ana.region, ana.time_zone, ana.sector) == ("CA-BC", "America/Vancouver", "k12")
    bea = profile_of(session, user(session, "bea@example.org"))
    assert bea.matchable is False
    assert bea.bio == "Runs a teaching centre."
    assert bea.interests == ["moodle plugins", "Moodle", "LMS administration"]
    cy = profile_of(session, user(session, "cy@example.org"))
    assert (cy.bio, cy.matchable, cy.interests) == ("", False, [])  # blanks: the defaults
    assert going(session, meetup) == ["ana@example.org", "bea@example.org"]
    # The workshop has one place: Bea, the only one naming it, takes it.
    assert going(session, workshop) == ["bea@example.org"]


def test_the_workshop_waitlist_follows_file_order(app, session, tmp_path, organiser, meetups):
    _meetup, workshop = meetups
    text = "\n".join(
        [
            "name,email,career_stage,events",
            "Fay Kim,fay@example.org,career,ETUG Spring Workshop",
            "Gus Roy,gus@example.org,career,etug spring workshop",  # titles: any case
            "",
        ]
    )
    result = run(app, tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "1 going, 1 waitlisted" in result.output
    assert going(session, workshop) == ["fay@example.org"]
    gus = user(session, "gus@example.org")
    rsvp = session.scalar(select(Rsvp).where(Rsvp.user_id == gus.id))
    assert rsvp.status is RsvpStatus.waitlisted


def test_columns_may_be_missing_and_in_any_order(app, session, tmp_path, organiser, meetups):
    meetup, _workshop = meetups
    result = run(app, tmp_path, REORDERED)
    assert result.exit_code == 0, result.output
    assert "Imported 2 new, 0 updated" in result.output
    dee = profile_of(session, user(session, "dee@example.org"))
    assert dee.matchable is True
    assert dee.interests == ["remote teaching", "online & distance learning"]
    assert going(session, meetup) == ["dee@example.org"]
    eli = profile_of(session, user(session, "eli@example.org"))
    assert (eli.career_stage, eli.matchable) == ("novice", False)


def test_bad_rows_and_unknown_events_are_reported_by_line_and_nothing_is_written(
    app, session, tmp_path, organiser, meetups
):
    text = "\n".join(
        [
            "name,email,career_stage,events,matching_opt_in,bio",
            "Ana Lima,ana@example.org,novice,Open Ed Meetup,yes,",
            "Bo Chen,bo@example.org,career,Open Ed Meetup,maybe,",
            "Cy Diaz,cy@example.org,career,No Such Conference,no,",
            "Dee Park,dee@example.org,career,,," + "x" * 2001,
            "",
        ]
    )
    before = count(session, User)
    result = run(app, tmp_path, text)
    assert result.exit_code == 1
    assert "line 3: matching_opt_in: answer yes or no, not maybe." in result.output
    assert "line 4: events: no event is called “No Such Conference”" in result.output
    assert "line 5: bio: at most 2,000 characters." in result.output
    assert "line 2:" not in result.output
    assert "3 row(s) have errors; nothing was imported." in result.output
    assert count(session, User) == before
    assert count(session, Rsvp) == 0
    assert count(session, Event) == 2  # nothing created without --create-events


def test_skip_invalid_imports_the_rows_whose_events_exist(
    app, session, tmp_path, organiser, meetups
):
    meetup, _workshop = meetups
    text = "\n".join(
        [
            "name,email,career_stage,events",
            "Ana Lima,ana@example.org,novice,Open Ed Meetup",
            "Cy Diaz,cy@example.org,career,No Such Conference",
            "",
        ]
    )
    result = run(app, tmp_path, text, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "1 new, 0 updated, 1 skipped" in result.output
    assert going(session, meetup) == ["ana@example.org"]
    assert count(session, User, User.email == "cy@example.org") == 0


def test_create_events_makes_the_organisers_own_events_once(
    app, session, tmp_path, organiser, meetups
):
    text = "\n".join(
        [
            "name,email,career_stage,events",
            "Ana Lima,ana@example.org,novice,Digital Pedagogy Lab; Open Ed Meetup",
            "Bea Okafor,bea@example.org,advanced,digital pedagogy lab",
            "",
        ]
    )
    result = run(app, tmp_path, text, "--create-events")
    assert result.exit_code == 0, result.output
    assert "new events: Digital Pedagogy Lab" in result.output
    session.expire_all()
    created = session.scalars(select(Event).where(Event.title == "Digital Pedagogy Lab")).all()
    assert len(created) == 1
    event = created[0]
    assert event.owner_id == organiser.id
    assert (event.visibility, event.format) == (EventVisibility.unlisted, EventFormat.online)
    assert event.starts_at > utcnow() + timedelta(days=20)
    assert going(session, event) == ["ana@example.org", "bea@example.org"]
    # A second run finds the event it made: no second one, nobody registered twice.
    again = run(app, tmp_path, text, "--create-events")
    assert again.exit_code == 0, again.output
    assert "new events" not in again.output
    assert "0 going, 0 waitlisted, 3 already registered" in again.output
    assert count(session, Event, Event.title == "Digital Pedagogy Lab") == 1


def test_events_organised_by_someone_else_or_over_are_refused(app, session, tmp_path, organiser):
    stranger = make_user(session, role=Role.organiser)
    make_event(session, owner=stranger, title="Someone Else's Summit")
    past = make_event(session, owner=organiser, title="Last Year's Meetup")
    past.starts_at, past.ends_at = utcnow() - timedelta(days=9), utcnow() - timedelta(days=8)
    session.commit()
    text = "\n".join(
        [
            "name,email,career_stage,events",
            "Ana Lima,ana@example.org,novice,Someone Else's Summit",
            "Bea Okafor,bea@example.org,advanced,Last Year's Meetup",
            "",
        ]
    )
    result = run(app, tmp_path, text, "--create-events")
    assert result.exit_code == 1
    assert "line 2: events: “Someone Else's Summit” is organised by someone else." in (
        result.output
    )
    assert "line 3: events: “Last Year's Meetup” is cancelled or over." in result.output
    assert count(session, Event) == 2  # --create-events does not make look-alikes


def test_a_co_organiser_imports_for_the_event_they_co_organise(
    app, session, tmp_path, organiser, meetups
):
    meetup, _workshop = meetups
    helper = make_user(session, email="co@example.org", role=Role.organiser)
    events_service.add_co_organiser(session, actor=organiser, event=meetup, user_id=helper.id)
    session.commit()
    text = "name,email,career_stage,events\nAna Lima,ana@example.org,novice,Open Ed Meetup\n"
    result = run(app, tmp_path, text, organiser="co@example.org")
    assert result.exit_code == 0, result.output
    assert going(session, meetup) == ["ana@example.org"]


def test_a_dry_run_reports_and_writes_nothing(app, session, tmp_path, organiser, meetups):
    hal = ["Hal Fox", "hal@example.org", "", "", "career", *[""] * 9, "New Thing", ""]
    text = REGISTRATION + ",".join(hal) + "\n"
    result = run(app, tmp_path, text, "--dry-run", "--create-events")
    assert result.exit_code == 0, result.output
    assert "Dry run: would import 4 new, 0 updated" in result.output
    assert "new events: New Thing" in result.output
    assert "Nothing was written." in result.output
    assert count(session, User, User.email.like("%@example.org"), User.role == Role.member) == 0
    assert count(session, Rsvp) == 0
    assert count(session, Event) == 2


def test_running_the_same_export_twice_changes_nothing_more(
    app, session, tmp_path, organiser, meetups
):
    meetup, workshop = meetups
    assert run(app, tmp_path, REGISTRATION).exit_code == 0
    first = {
        email: (profile.bio, profile.matchable, profile.interests)
        for email in ("ana@example.org", "bea@example.org")
        for profile in [profile_of(session, user(session, email))]
    }
    again = run(app, tmp_path, REGISTRATION)
    assert again.exit_code == 0, again.output
    assert "Imported 0 new, 3 updated" in again.output
    assert "0 going, 0 waitlisted, 3 already registered" in again.output
    assert count(session, User, User.role == Role.member) == 3
    assert count(session, Rsvp) == 3
    for email, kept in first.items():
        profile = profile_of(session, user(session, email))
        assert (profile.bio, profile.matchable, profile.interests) == kept
    assert going(session, meetup) == ["ana@example.org", "bea@example.org"]
    assert going(session, workshop) == ["bea@example.org"]


def test_a_member_who_logged_in_keeps_their_own_bio_and_consent(
    app, session, tmp_path, organiser, meetups
):
    ana = make_user(session, email="ana@example.org", display_name="Ana Lima")
    make_profile(session, ana, matchable=False, bio="My own words.")
    ana.last_login_at = utcnow()
    cy = make_user(session, email="cy@example.org", display_name="Cy Diaz")
    make_profile(session, cy, bio="")
    cy.last_login_at = utcnow()
    session.commit()
    text = "\n".join(
        [
            "name,email,career_stage,bio,matching_opt_in",
            "Ana Lima,ana@example.org,novice,From the registration form.,yes",
            "Cy Diaz,cy@example.org,career,Filled in from the form.,yes",
            "",
        ]
    )
    result = run(app, tmp_path, text)
    assert result.exit_code == 0, result.output
    ana_profile = profile_of(session, user(session, "ana@example.org"))
    assert (ana_profile.bio, ana_profile.matchable) == ("My own words.", False)
    cy_profile = profile_of(session, user(session, "cy@example.org"))
    assert (cy_profile.bio, cy_profile.matchable) == ("Filled in from the form.", False)


def test_the_event_attendee_import_stores_bio_and_consent_too(session, organiser, meetups):
    meetup, _workshop = meetups
    text = "name,email,career_stage,bio,matching_opt_in\nAna Lima,ana@example.org,novice,Hi.,yes\n"
    report = events_service.import_attendees(session, actor=organiser, event=meetup, text=text)
    assert report.imported and report.going == ["ana@example.org"]
    profile = session.get(MemberProfile, user(session, "ana@example.org").id)
    assert (profile.bio, profile.matchable) == ("Hi.", True)


def test_an_export_without_career_stages_imports_and_leaves_the_stage_to_the_member(
    app, session, tmp_path, organiser
):
    result = run(
        app,
        tmp_path,
        "email,name,looking_for\nfay@example.org,Fay Okafor,mentoring\n",
    )
    assert result.exit_code == 0, result.output
    fay = profile_of(session, user(session, "fay@example.org"))
    assert fay.career_stage is None
