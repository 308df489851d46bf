"""Only logged-in members may open a Socket.IO connection."""

import pytest
import socketio

from tests.conftest import Browserless
from tests.factories import make_user


def test_anonymous_connection_is_refused_by_test_client(app, client):
    test_client = app.extensions["socketio"].test_client(app, flask_test_client=client)
    assert not test_client.is_connected()


def test_logged_in_member_connects(socket_client):
    assert socket_client.is_connected()


def test_member_receives_notices_sent_to_their_personal_topic(app, socket_client, member):
    with app.app_context():
        from hallway.realtime import emit_now, user_topic

        emit_now(user_topic(member.id), "notice", {"text": "hello"})
    received = socket_client.get_received()
    assert {"name": "notice", "args": [{"text": "hello"}], "namespace": "/"} in received


def test_another_members_personal_notices_do_not_arrive(app, socket_client, member, session):
    other = make_user(session)
    session.commit()
    with app.app_context():
        from hallway.realtime import emit_now, user_topic

        emit_now(user_topic(other.id), "notice", {"text": "not for you"})
    assert socket_client.get_received() == []


def test_logout_everywhere_elsewhere_tells_open_pages_the_session_ended(
    app, socket_client, member
):
    other_device = Browserless(app.test_client())
    other_device.log_in(member.email)
    other_device.post_form("/logout/everywhere", {})
    names = [packet["name"] for packet in socket_client.get_received()]
    assert "session_ended" in names


# --- a real python-socketio client against a live server ----------------------


@pytest.fixture
def live_member(live_server):
    with live_server.app.app_context():
        from hallway.db import db

        user = make_user(db.session, display_name="Live Member")
        db.session.commit()
        return user.email


def _session_cookie(live_server, email: str) -> str:
    client = Browserless(live_server.app.test_client())
    assert client.log_in(email).status_code == 302
    return client.client.get_cookie("session").value


def test_real_client_without_login_is_refused(live_server):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server.url, transports=["websocket"], wait_timeout=5)
    assert not client.connected


def test_real_client_with_session_cookie_connects(live_server, live_member):
    cookie = _session_cookie(live_server, live_member)
    client = socketio.Client(reconnection=False)
    # websocket-client sends the page's own origin, as a browser would.
    client.connect(
        live_server.url,
        transports=["websocket"],
        headers={"Cookie": f"session={cookie}"},
        wait_timeout=5,
    )
    try:
        assert client.connected
    finally:
        client.disconnect()


def test_real_client_from_a_foreign_origin_is_refused(live_server, live_member):
    cookie = _session_cookie(live_server, live_member)
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            live_server.url,
            transports=["polling"],
            headers={"Cookie": f"session={cookie}", "Origin": "https://evil.example"},
            wait_timeout=5,
        )
