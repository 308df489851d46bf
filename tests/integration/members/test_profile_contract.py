"""One contract for a profile change: the edit page and the JSON API refuse the same
input with the same field message (both go through ProfileUpdateSchema), and accept
and normalise the same input the same way."""

from __future__ import annotations

import html

import pytest

from hallway.members.models import MemberProfile

FORM = {"display_name": "Maya Okafor", "visibility": "members", "in_directory": "y"}


def api_patch(logged_in, body):
    headers = {"X-CSRFToken": logged_in.csrf_token()}
    return logged_in.client.patch("/api/v1/me/profile", json=body, headers=headers)


def saved(session, member):
    session.expire_all()
    return session.get(MemberProfile, member.id)


@pytest.mark.parametrize(
    ("form", "body", "field"),
    [
        ({"display_name": "   "}, {"display_name": "   "}, "display_name"),
        ({"other_interests": "OER, " + "x" * 60}, {"interests": ["OER", "x" * 60]}, "interests"),
        ({"time_zone": "Mars/Olympus_Mons"}, {"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"career_stage": "wizard"}, {"career_stage": "wizard"}, "career_stage"),
    ],
    ids=["blank-name", "unusable-tag", "time-zone", "career-stage"],
)
def test_the_page_and_the_api_refuse_alike(logged_in, session, member, form, body, field):
    api = api_patch(logged_in, body)
    assert api.status_code == 422
    messages = api.get_json()["errors"][field]
    assert messages

    page = logged_in.post_form("/profile/edit", {**FORM, **form})
    assert page.status_code == 422
    text = html.unescape(page.get_data(as_text=True))
    for message in messages:
        assert message in text
    assert saved(session, member) is None  # neither wrote anything


def test_the_page_and_the_api_normalise_tags_alike(logged_in, session, member):
    typed = "UDL, universal design for learning, Moodle Plugins"
    page = logged_in.post_form("/profile/edit", {**FORM, "other_interests": typed})
    assert page.status_code == 302
    through_page = saved(session, member).interests

    api = api_patch(logged_in, {"interests": typed.split(", ")})
    assert api.status_code == 200
    assert api.get_json()["interests"] == through_page == ["accessibility & UDL", "moodle plugins"]
