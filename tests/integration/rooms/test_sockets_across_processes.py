"""Two server processes (two apps, each its own Socket.IO server) sharing the database,
the Redis message queue and the presence: a member removed through one stops receiving
the room at once on the other, where their connection lives.

Needs Redis (HALLWAY_REDIS_URL); without it there is no message queue to cross.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
import socketio
from werkzeug.serving import make_server

from hallway import create_app
from tests.conftest import Browserless, LiveServer, _free_port, csrf_token_from

pytestmark = pytest.mark.skipif(
    not os.environ.get("HALLWAY_REDIS_URL"), reason="needs Redis (HALLWAY_REDIS_URL)"
)


@pytest.fixture(scope="module")
def other_process(live_server, app_settings):
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(
        {
            **app_settings,
            "ALLOWED_ORIGINS": [url],
            "SOCKETIO_MESSAGE_QUEUE": app_settings["REDIS_URL"],
        }
    )
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, url, server)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def scene(live_server):
    from hallway.core import unit_of_work
    from hallway.db import db
    from tests.integration.rooms.room_clients import build_cast

    with live_server.app.app_context():
        cast = build_cast(live_server.app, db.session)
        unit_of_work.commit(db.session)
    return cast


class Listener:
    def __init__(self, server_url: str, cookie: str) -> None:
        self.events: list[tuple[str, dict]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", lambda name, data=None: self.events.append((name, data)))
        self.client.connect(
            server_url,
            transports=["websocket"],
            headers={"Cookie": f"session={cookie}"},
            wait_timeout=5,
        )

    def names(self, name: str) -> list[dict]:
        return [data for event, data in self.events if event == name]

    def wait_for(self, name: str, predicate, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(predicate(data) for data in self.names(name)):
                return True
            time.sleep(0.05)
        return False


def cookie_of(app, user) -> tuple[Browserless, str]:
    helper = Browserless(app.test_client())
    assert helper.log_in(user.email).status_code == 302
    return helper, helper.client.get_cookie("session").value


def test_a_removed_member_on_another_process_stops_receiving_at_once(
    live_server, other_process, scene
):
    _, alice_cookie = cookie_of(live_server.app, scene.alice)
    _, bob_cookie = cookie_of(live_server.app, scene.bob)
    organiser, _ = cookie_of(live_server.app, scene.organiser)
    alice = Listener(live_server.url, alice_cookie)  # on this process
    bob = Listener(other_process.url, bob_cookie)  # on the other one
    try:
        assert alice.client.call("room_join", {"room_id": scene.room_id}, timeout=5)["ok"]
        assert bob.client.call("room_join", {"room_id": scene.room_id}, timeout=5)["ok"]
        send = {"room_id": scene.room_id, "body": "Across servers", "client_id": "x-1"}
        assert alice.client.call("room_send", send, timeout=5)["ok"]
        assert bob.wait_for("room_message", lambda data: data["body"] == "Across servers")

        page = organiser.client.get(f"/rooms/{scene.room_id}").get_data(as_text=True)
        removed = organiser.client.post(
            f"/rooms/{scene.room_id}/members/{scene.bob.id}/remove",
            data={"csrf_token": csrf_token_from(page)},
        )
        assert removed.status_code == 302
        assert bob.wait_for("room_member_removed", lambda data: data["user_id"] == scene.bob.id)

        after = {"room_id": scene.room_id, "body": "After the removal", "client_id": "x-2"}
        assert alice.client.call("room_send", after, timeout=5)["ok"]
        assert alice.wait_for("room_message", lambda data: data["body"] == "After the removal")
        assert not bob.wait_for(
            "room_message", lambda data: data["body"] == "After the removal", timeout=1.5
        )
        again = bob.client.call("room_join", {"room_id": scene.room_id}, timeout=5)
        assert again["ok"] is False and "removed you" in again["error"]
    finally:
        alice.client.disconnect()
        bob.client.disconnect()
