"""Two members with profiles, each with a logged-in client."""

from __future__ import annotations

import pytest

from tests.conftest import Browserless
from tests.factories import make_profile, make_user


def log_in(app, email) -> Browserless:
    helper = Browserless(app.test_client())
    response = helper.log_in(email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return helper


@pytest.fixture
def asker(session):
    user = make_user(session, display_name="Noor Haddad", handle="noor")
    make_profile(session, user, career_stage="novice", time_zone="America/Toronto", matchable=True)
    session.commit()
    return user


@pytest.fixture
def mentor(session):
    user = make_user(session, display_name="Maggie Chen", handle="maggie")
    make_profile(
        session,
        user,
        career_stage="advanced",
        offering=["mentoring"],
        time_zone="America/Vancouver",
        matchable=True,
        show_contact_links=True,
        links=("https://maggie.example/about",),
    )
    session.commit()
    return user


@pytest.fixture
def as_asker(app, asker) -> Browserless:
    return log_in(app, asker.email)


@pytest.fixture
def as_mentor(app, mentor) -> Browserless:
    return log_in(app, mentor.email)
