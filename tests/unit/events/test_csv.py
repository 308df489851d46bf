"""Attendee export and import of a registration CSV (through the members import)."""

import csv
import io

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import User
from hallway.core.errors import NotAllowed
from hallway.events import service
from hallway.events.models import Rsvp, RsvpStatus
from tests.factories import make_user
from tests.unit.events.factories import make_event, make_organiser, rsvp

pytestmark = pytest.mark.usefixtures("app_context")

REGISTRATIONS = (
    "Full name,E-mail,Career stage,Organization\n"
    "Émilie Tremblay,emilie@example.org,career,Université Laval\n"
    "Known Member,known@example.org,advanced,\n"
)


@pytest.fixture
def owner(session):
    return make_organiser(session)


@pytest.fixture
def event(session, owner):
    return make_event(session, owner=owner, title="REFAD colloque")


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_the_export_lists_everyone_going_then_the_waitlist_in_order(session, owner):
    event = make_event(session, owner=owner, capacity=1)
    for name in ("Ann Going", "Ben Waiting", "Cat Waiting"):
        rsvp(session, event, make_user(session, display_name=name))
    exported = rows_of(service.export_attendees_csv(session, actor=owner, event=event))
    assert [(r["name"], r["status"], r["waitlist position"]) for r in exported] == [
        ("Ann Going", "going", ""),
        ("Ben Waiting", "waitlisted", "1"),
        ("Cat Waiting", "waitlisted", "2"),
    ]
    assert exported[0]["email"].endswith("@example.org")


def test_exported_cells_cannot_run_as_spreadsheet_formulas(session, owner, event):
    rsvp(session, event, make_user(session, display_name="=HYPERLINK(1)"))
    [row] = rows_of(service.export_attendees_csv(session, actor=owner, event=event))
    assert row["name"] == "'=HYPERLINK(1)"


def test_only_organisers_export(session, event):
    with pytest.raises(NotAllowed):
        service.export_attendees_csv(session, actor=make_user(session), event=event)


def test_import_makes_new_accounts_matches_existing_ones_and_rsvps_them(session, owner, event):
    known = make_user(session, email="known@example.org", display_name="Known Member")
    report = service.import_attendees(session, actor=owner, event=event, text=REGISTRATIONS)
    assert report.imported and report.errors == []
    assert report.new_accounts == ["emilie@example.org"]
    assert report.existing_accounts == ["known@example.org"]
    assert sorted(report.going) == ["emilie@example.org", "known@example.org"]
    new = session.scalar(select(User).where(User.email == "emilie@example.org"))
    assert new.display_name == "Émilie Tremblay"
    for user in (new, known):
        assert service.rsvp_of(session, event, user).status is RsvpStatus.going
    assert event.going_count == 2


def test_importing_the_same_file_twice_changes_nothing_more(session, owner, event):
    service.import_attendees(session, actor=owner, event=event, text=REGISTRATIONS)
    users, answers = count(session, User), count(session, Rsvp)
    again = service.import_attendees(session, actor=owner, event=event, text=REGISTRATIONS)
    assert again.new_accounts == [] and again.going == []
    assert sorted(again.already) == ["emilie@example.org", "known@example.org"]
    assert (count(session, User), count(session, Rsvp)) == (users, answers)
    assert event.going_count == 2


def test_a_dry_run_reports_and_writes_nothing(session, owner, event):
    make_user(session, email="known@example.org")
    users = count(session, User)
    report = service.import_attendees(
        session, actor=owner, event=event, text=REGISTRATIONS, dry_run=True
    )
    assert report.dry_run and not report.imported
    assert report.new_accounts == ["emilie@example.org"]
    assert report.existing_accounts == ["known@example.org"]
    assert count(session, User) == users and count(session, Rsvp) == 0


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(session, owner, event):
    text = (
        "name,email,career stage\n"
        "Good Person,good@example.org,novice\n"
        "No Email,,career\n"
        "Bad Stage,bad@example.org,wizard\n"
    )
    users = count(session, User)
    report = service.import_attendees(session, actor=owner, event=event, text=text)
    assert not report.imported
    assert sorted({line for line, _message in report.errors}) == [3, 4]
    assert any("career stage" in message.lower() for _line, message in report.errors)
    assert count(session, User) == users and count(session, Rsvp) == 0


def test_a_file_without_the_needed_columns_is_refused(session, owner, event):
    report = service.import_attendees(session, actor=owner, event=event, text="who,when\nA,B\n")
    assert [line for line, _ in report.errors] == [1]
    assert count(session, Rsvp) == 0


def test_imported_people_beyond_capacity_wait_in_file_order(session, owner):
    event = make_event(session, owner=owner, capacity=1)
    report = service.import_attendees(session, actor=owner, event=event, text=REGISTRATIONS)
    assert report.going == ["emilie@example.org"]
    assert report.waitlisted == ["known@example.org"]


def test_co_organisers_without_the_organiser_role_cannot_import(session, owner, event):
    helper = make_user(session)
    service.add_co_organiser(session, actor=owner, event=event, user_id=helper.id)
    with pytest.raises(NotAllowed):
        service.import_attendees(session, actor=helper, event=event, text=REGISTRATIONS)
