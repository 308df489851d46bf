"""Pages open on other devices are told their session ended once the change is
committed, and only then: a refused change tells them nothing. Log out closes only
this device's pages; Log out everywhere, a password change or a deletion closes all."""

from __future__ import annotations

from tests.conftest import Browserless
from tests.factories import DEFAULT_PASSWORD


def events(socket_client) -> list[str]:
    return [packet["name"] for packet in socket_client.get_received()]


def other_device(app, member) -> Browserless:
    device = Browserless(app.test_client())
    assert device.log_in(member.email).status_code == 302
    return device


def test_logging_out_of_another_device_leaves_this_devices_pages_open(app, socket_client, member):
    laptop = other_device(app, member)
    socket_client.get_received()
    assert laptop.log_out().status_code == 302
    assert "session_ended" not in events(socket_client)
    assert socket_client.is_connected()


def test_logging_out_closes_this_devices_other_open_pages(socket_client, logged_in):
    socket_client.get_received()
    assert logged_in.log_out().status_code == 302
    assert events(socket_client) == ["session_ended"]


def test_a_log_out_refused_by_the_csrf_check_closes_nothing(socket_client, logged_in):
    socket_client.get_received()
    logged_in.client.post("/logout", data={"csrf_token": "forged"})
    assert "session_ended" not in events(socket_client)


def test_logging_out_everywhere_closes_pages_open_on_every_device(app, socket_client, member):
    laptop = other_device(app, member)
    socket_client.get_received()
    response = laptop.post_form("/logout/everywhere", {})
    assert response.status_code == 302
    assert events(socket_client) == ["session_ended"]


def test_opening_the_log_out_everywhere_page_closes_nothing(app, socket_client, member):
    laptop = other_device(app, member)
    socket_client.get_received()
    assert laptop.client.get("/logout/everywhere").status_code == 200
    assert "session_ended" not in events(socket_client)


def test_a_remembered_browser_is_a_device_of_its_own(app, member):
    """Logged back in by "keep me logged in", its pages still close on Log out."""
    phone = Browserless(app.test_client())
    phone.log_in(member.email, remember="y")
    phone.client.delete_cookie("session")  # the browser was closed
    assert phone.client.get("/").status_code == 200  # the remember cookie logs it in
    page = app.extensions["socketio"].test_client(app, flask_test_client=phone.client)
    assert page.is_connected()
    page.get_received()
    phone.log_out()
    assert events(page) == ["session_ended"]


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
