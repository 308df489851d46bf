"""A Socket.IO handshake from an origin that is not allowed is refused, and the log says
which origin and which setting to change."""

from __future__ import annotations

import logging

import pytest

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"
LOGGER = "hallway.realtime.server"


@pytest.fixture
def warnings(caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    return caplog


def hallway_warnings(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]


def test_refused_origin_is_logged_once_per_handshake_with_the_setting(client, warnings):
    for _ in range(2):
        response = client.get(HANDSHAKE, headers={"Origin": "http://localhost:5201"})
        assert response.status_code == 400
    records = hallway_warnings(warnings)
    assert len(records) == 2
    message = records[0].getMessage()
    assert "'http://localhost:5201'" in message
    assert "HALLWAY_ALLOWED_ORIGINS" in message


def test_allowed_origin_opens_the_handshake_without_a_warning(app, client, warnings):
    origin = app.config["ALLOWED_ORIGINS"][0]
    response = client.get(HANDSHAKE, headers={"Origin": origin})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert hallway_warnings(warnings) == []


def test_same_machine_requests_without_an_origin_are_not_warned_about(client, warnings):
    assert client.get(HANDSHAKE).status_code == 200
    assert hallway_warnings(warnings) == []
