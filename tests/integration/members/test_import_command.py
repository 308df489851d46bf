"""`flask members import`: an organiser brings members in from a registration export."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import Role, User
from hallway.members.models import MemberProfile
from hallway.members.service import profile_of
from tests.factories import DEFAULT_PASSWORD, make_user

GOOD = "\n".join(
    [
        "Name,Email,Organisation,Role,Career stage,Interests,Networks,"
        "Country,Region,Time zone,Offering",
        "Ana Lima,ana@example.org,Harbourview Schools,Teacher,Novice,UDL; H5P,ETUG,"
        "Canada,BC,America/Vancouver,",
        "Bea Okafor,BEA@example.org,Fundy Bay University,Director,Advanced,faculty development,"
        "CNIE; REFAD,CA,New Brunswick,America/Moncton,mentoring; hiring",
        "",
    ]
)

BAD = """Name,Email,Organisation,Role,Career stage,Interests,Networks
Ana Lima,ana@example.org,Harbourview Schools,Teacher,Novice,OER,
Bo Chen,not-an-email,Acme,LXD,career,,
Cy Diaz,cy@example.org,Acme,LXD,wizard,,
"""


@pytest.fixture
def organiser(session):
    user = make_user(session, email="org@example.org", role=Role.organiser)
    session.commit()
    return user


def run(app, tmp_path, text, *options, organiser="org@example.org"):
    path = tmp_path / "registrations.csv"
    path.write_text(text, encoding="utf-8")
    args = ["members", "import", str(path), "--organiser", organiser, *options]
    return app.test_cli_runner().invoke(args=args)


def members(session) -> dict[str, User]:
    session.expire_all()
    users = session.scalars(select(User).where(User.email != "org@example.org"))
    return {user.email: user for user in users}


def test_a_good_file_creates_members_with_full_profiles(app, session, tmp_path, organiser):
    result = run(app, tmp_path, GOOD)
    assert result.exit_code == 0, result.output
    assert "Imported 2 new, 0 updated." in result.output
    assert "no password" in result.output
    imported = members(session)
    assert set(imported) == {"ana@example.org", "bea@example.org"}
    ana = profile_of(session, imported["ana@example.org"])
    assert (ana.career_stage, ana.region, ana.time_zone) == ("novice", "CA-BC", "America/Vancouver")
    assert ana.interests == ["accessibility & UDL", "H5P"]
    bea = profile_of(session, imported["bea@example.org"])
    assert (bea.user.handle, bea.offering, bea.networks) == (
        "bea-okafor", ["mentoring", "hiring"], ["CNIE", "REFAD"],
    )  # fmt: skip
    assert not bea.matchable  # imported members keep the safe defaults


def test_imported_accounts_cannot_log_in_until_they_set_a_password(
    app, session, tmp_path, organiser, browserless
):
    run(app, tmp_path, GOOD)
    assert browserless.log_in("ana@example.org", DEFAULT_PASSWORD).status_code == 401
    assert browserless.log_in("ana@example.org", "").status_code == 401


def test_bad_rows_are_reported_by_line_and_nothing_is_written(app, session, tmp_path, organiser):
    result = run(app, tmp_path, BAD)
    assert result.exit_code == 1
    assert "line 3: email: Not a valid email address." in result.output
    assert "line 4: career_stage: Unknown career stage wizard" in result.output
    assert "2 row(s) have errors; nothing was imported" in result.output
    assert "Traceback" not in result.output
    assert members(session) == {}


def test_skip_invalid_imports_the_good_rows(app, session, tmp_path, organiser):
    result = run(app, tmp_path, BAD, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "Imported 1 new, 0 updated, 2 skipped." in result.output
    assert set(members(session)) == {"ana@example.org"}


def test_importing_again_updates_and_never_duplicates(app, session, tmp_path, organiser):
    run(app, tmp_path, GOOD)
    changed = GOOD.replace("Teacher", "Instructional designer")
    result = run(app, tmp_path, changed)
    assert "Imported 0 new, 2 updated." in result.output
    imported = members(session)
    assert len(imported) == 2
    assert profile_of(session, imported["ana@example.org"]).role == "Instructional designer"
    assert session.scalar(select(func.count()).select_from(MemberProfile)) == 2


def test_a_dry_run_writes_nothing(app, session, tmp_path, organiser):
    result = run(app, tmp_path, GOOD, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: would import 2 new, 0 updated. Nothing was written." in result.output
    assert members(session) == {}


def test_only_organisers_and_admins_may_import(app, session, tmp_path):
    make_user(session, email="plain@example.org")
    session.commit()
    result = run(app, tmp_path, GOOD, organiser="plain@example.org")
    assert result.exit_code == 1
    assert "Only organisers and admins may import members." in result.output
    assert set(members(session)) == {"plain@example.org"}


def test_an_unknown_organiser_is_a_clear_error(app, session, tmp_path):
    result = run(app, tmp_path, GOOD, organiser="ghost@example.org")
    assert result.exit_code == 1
    assert "No account with the email ghost@example.org." in result.output


def test_missing_columns_are_named(app, session, tmp_path, organiser):
    result = run(app, tmp_path, "Name,Organisation\nAna,Uni\n")
    assert "line 1: Missing column(s): email." in result.output
    assert result.exit_code == 1


def test_reimport_keeps_what_a_member_who_logged_in_wrote_and_fills_blanks(
    app, session, tmp_path, organiser
):
    from hallway.db import utcnow
    from hallway.members import service

    run(app, tmp_path, GOOD)
    ana = members(session)["ana@example.org"]
    ana.last_login_at = utcnow()  # Ana claimed her account and edited her profile
    service.update_profile(
        session, ana, {"role": "Instructional designer", "interests": ["OER"], "city": ""}
    )
    session.commit()
    changed = GOOD.replace("Harbourview Schools,Teacher", "Harbourview Schools,Principal")
    changed = (
        changed.replace("Name,Email", "City,Name,Email")
        .replace("\nAna Lima", "\nKamloops,Ana Lima")
        .replace("\nBea Okafor", "\nMoncton,Bea Okafor")
    )
    result = run(app, tmp_path, changed)
    assert result.exit_code == 0, result.output
    session.expire_all()
    profile = profile_of(session, members(session)["ana@example.org"])
    assert profile.role == "Instructional designer"
    assert [tag.value for tag in profile.tags if tag.kind == "interest"] == ["OER"]
    assert profile.city == "Kamloops"
    bea = profile_of(session, members(session)["bea@example.org"])
    assert bea.city == "Moncton"  # never logged in: the import still refreshes her
