"""Pages open on other devices are told their session ended once the change is
committed, and only then: a refused change tells them nothing."""

from __future__ import annotations

from tests.conftest import Browserless
from tests.factories import DEFAULT_PASSWORD


def events(socket_client) -> list[str]:
    return [packet["name"] for packet in socket_client.get_received()]


def other_device(app, member) -> Browserless:
    device = Browserless(app.test_client())
    assert device.log_in(member.email).status_code == 302
    return device


def test_changing_the_password_closes_pages_open_elsewhere(app, socket_client, member):
    laptop = other_device(app, member)
    socket_client.get_received()
    response = laptop.post_form(
        "/account/password",
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password": "brand new password",
            "confirm": "brand new password",
        },
    )
    assert response.status_code == 302
    assert events(socket_client) == ["session_ended"]


def test_a_refused_password_change_closes_nothing(app, socket_client, member):
    laptop = other_device(app, member)
    socket_client.get_received()
    response = laptop.post_form(
        "/account/password",
        {
            "current_password": "not my password",
            "new_password": "brand new password",
            "confirm": "brand new password",
        },
    )
    assert response.status_code == 422
    assert "session_ended" not in events(socket_client)
    assert socket_client.is_connected()


def test_deleting_the_account_closes_pages_open_elsewhere(app, socket_client, member):
    laptop = other_device(app, member)
    socket_client.get_received()
    response = laptop.post_form("/account/delete", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert events(socket_client) == ["session_ended"]


def test_a_refused_deletion_closes_nothing(app, socket_client, member):
    laptop = other_device(app, member)
    socket_client.get_received()
    response = laptop.post_form("/account/delete", {"password": "not my password"})
    assert response.status_code == 422
    assert "session_ended" not in events(socket_client)
