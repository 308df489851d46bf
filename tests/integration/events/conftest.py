"""Clients for the events API: a member, an organiser and a visitor, each with its own
cookies, sending the CSRF token on writes as the API's documentation says."""

from __future__ import annotations

import pytest

from hallway.accounts.models import Role
from tests.conftest import Browserless
from tests.factories import make_user


class ApiClient:
    def __init__(self, helper: Browserless) -> None:
        self.helper = helper
        self.client = helper.client
        self.token = helper.csrf_token()

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)

    def write(self, method, path, json=None, **kwargs):
        headers = {"X-CSRFToken": self.token}
        return self.client.open(path, method=method, json=json, headers=headers, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.write("POST", path, json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.write("PUT", path, json, **kwargs)

    def patch(self, path, json=None):
        return self.write("PATCH", path, json)

    def delete(self, path):
        return self.write("DELETE", path)


def logged_in_as(app, user) -> Browserless:
    """A browser-like client for ``user`` (its own cookies), for the pages."""
    helper = Browserless(app.test_client())
    assert helper.log_in(user.email).status_code == 302
    return helper


def _logged_in(app, email) -> ApiClient:
    helper = Browserless(app.test_client())
    response = helper.log_in(email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return ApiClient(helper)


@pytest.fixture
def organiser(session):
    user = make_user(session, handle="olu", display_name="Olu Organiser", role=Role.organiser)
    session.commit()
    return user


@pytest.fixture
def as_organiser(app, organiser) -> ApiClient:
    return _logged_in(app, organiser.email)


@pytest.fixture
def as_member(app, logged_in, member) -> ApiClient:
    return ApiClient(logged_in)


@pytest.fixture
def log_in_as(app):
    return lambda user: _logged_in(app, user.email)


@pytest.fixture
def visitor(app):
    """A client nobody logged in with (``client`` is the logged-in one in these tests)."""
    return app.test_client()
