"""`flask matching suggestions`: one member as text or JSON, everyone as JSON lines."""

from __future__ import annotations

import json

import pytest

from hallway.matching import service
from tests.integration.matching._e_helpers import going, maggie, make_event, member, nia


@pytest.fixture
def people(app, session):
    with app.app_context():
        novice, mentor = nia(session), maggie(session)
        outsider = member(session, "out", "Outsider", matchable=False, interests=["Accessibility"])
        session.commit()
    service.forget_cached_index()
    return novice, mentor, outsider


def run(app, *args):
    return app.test_cli_runner().invoke(args=["matching", "suggestions", *args])


def test_text_for_one_member(app, people):
    novice, mentor, _ = people
    result = run(app, novice.email)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"1. Maggie Mentor <{mentor.email}>  score 0.")
    assert lines[1] == (
        "   - You are looking for mentoring in accessibility & UDL; Maggie Mentor offers "
        "mentoring and works on captioning"
    )
    assert "   - Both ALT members" in lines


def test_json_for_one_member_has_factors(app, people):
    novice, mentor, _ = people
    result = run(app, novice.email.upper(), "--format", "json", "--limit", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["email"] == novice.email
    (item,) = data["suggestions"]
    assert item["email"] == mentor.email
    assert item["user_id"] == mentor.id
    assert item["factors"]["need_met"] == 1.0
    assert item["score"] > 0
    assert item["reasons"][0].startswith("You are looking for mentoring")


def test_all_members_as_json_lines(app, people):
    novice, mentor, outsider = people
    result = run(app, "--all", "--limit", "5")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["email"] for line in lines] == [novice.email, mentor.email]
    assert lines[0]["suggestions"][0]["email"] == mentor.email
    assert set(lines[0]["suggestions"][0]) == {"email", "score", "reasons"}
    assert lines[1]["suggestions"][0]["email"] == novice.email
    assert outsider.email not in result.stdout


def test_one_event(app, session, people):
    novice, mentor, _ = people
    with app.app_context():
        event = make_event(session)
        going(session, event, novice)
        session.commit()
    service.forget_cached_index()
    result = run(app, novice.email, "--event", str(event.id), "--format", "json")
    assert json.loads(result.output)["suggestions"] == []
    with app.app_context():
        going(session, event, mentor)
        session.commit()
    service.forget_cached_index()
    result = run(app, novice.email, "--event", str(event.id), "--format", "json")
    assert [s["email"] for s in json.loads(result.output)["suggestions"]] == [mentor.email]


def test_a_member_who_did_not_opt_in(app, people):
    _, _, outsider = people
    result = run(app, outsider.email)
    assert result.exit_code == 0
    assert "has not opted in to matching" in result.output


def test_mistakes_are_explained(app, people):
    novice, _, _ = people
    assert run(app).exit_code == 2
    assert run(app, novice.email, "--all").exit_code == 2
    assert run(app, "--all", "--format", "text").exit_code == 2
    unknown = run(app, "nobody@example.org")
    assert unknown.exit_code == 1
    assert "No member has the email nobody@example.org" in unknown.stderr
    no_event = run(app, novice.email, "--event", "987654")
    assert no_event.exit_code == 1
    assert "No event has the id 987654" in no_event.stderr


def test_rebuild_reports_the_size(app, people):
    result = app.test_cli_runner().invoke(args=["matching", "rebuild"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Matching index: 2 members in ")
