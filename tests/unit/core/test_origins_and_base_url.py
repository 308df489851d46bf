"""Allowed Socket.IO origins and the public base URL follow HALLWAY_HOST/HALLWAY_PORT,
unless they are set explicitly."""

from __future__ import annotations

import socket

import pytest

from hallway.config import Config, local_origins

SETTINGS = ("HALLWAY_HOST", "HALLWAY_PORT", "HALLWAY_ALLOWED_ORIGINS", "HALLWAY_BASE_URL")


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALLWAY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("HALLWAY_SECRET_KEY", "test")
    return monkeypatch


def test_defaults_serve_the_loopback_names_on_port_5000(env):
    config = Config()
    assert config.ALLOWED_ORIGINS == ["http://127.0.0.1:5000", "http://localhost:5000"]
    assert config.BASE_URL == "http://127.0.0.1:5000"


def test_another_port_moves_origins_and_mailed_links_with_it(env):
    env.setenv("HALLWAY_PORT", "5201")
    config = Config()
    assert config.PORT == 5201
    assert config.ALLOWED_ORIGINS == ["http://127.0.0.1:5201", "http://localhost:5201"]
    assert config.BASE_URL == "http://127.0.0.1:5201"


def test_localhost_is_the_canonical_name_when_it_is_the_host(env):
    env.setenv("HALLWAY_HOST", "localhost")
    env.setenv("HALLWAY_PORT", "8080")
    config = Config()
    assert config.ALLOWED_ORIGINS == ["http://localhost:8080", "http://127.0.0.1:8080"]
    assert config.BASE_URL == "http://localhost:8080"


def test_every_interface_allows_this_machines_names_and_links_to_loopback(env):
    env.setenv("HALLWAY_HOST", "0.0.0.0")
    env.setenv("HALLWAY_PORT", "5300")
    config = Config()
    assert config.ALLOWED_ORIGINS == [
        "http://127.0.0.1:5300",
        "http://localhost:5300",
        f"http://{socket.gethostname().lower()}:5300",
    ]
    assert config.BASE_URL == "http://127.0.0.1:5300"


def test_a_named_host_is_its_own_origin(env):
    env.setenv("HALLWAY_HOST", "hallway.lan")
    env.setenv("HALLWAY_PORT", "5000")
    config = Config()
    assert config.ALLOWED_ORIGINS == ["http://hallway.lan:5000"]
    assert config.BASE_URL == "http://hallway.lan:5000"


def test_ipv6_hosts_are_bracketed():
    assert local_origins("::1", 5000) == ["http://[::1]:5000", "http://localhost:5000"]
    assert local_origins("fd00::7", 5000) == ["http://[fd00::7]:5000"]


def test_explicit_settings_win_over_host_and_port(env):
    env.setenv("HALLWAY_PORT", "5201")
    env.setenv("HALLWAY_ALLOWED_ORIGINS", "https://hallway.example.org, https://www.example.org")
    env.setenv("HALLWAY_BASE_URL", "https://hallway.example.org/")
    config = Config()
    assert config.ALLOWED_ORIGINS == ["https://hallway.example.org", "https://www.example.org"]
    assert config.BASE_URL == "https://hallway.example.org"


def test_empty_allowed_origins_counts_as_unset(env):
    env.setenv("HALLWAY_PORT", "5202")
    env.setenv("HALLWAY_ALLOWED_ORIGINS", " ")
    env.setenv("HALLWAY_BASE_URL", "")
    config = Config()
    assert config.ALLOWED_ORIGINS == ["http://127.0.0.1:5202", "http://localhost:5202"]
    assert config.BASE_URL == "http://127.0.0.1:5202"
