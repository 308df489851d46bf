"""`make run` on another port (HALLWAY_PORT=…): live updates work in Chromium.

Runs what `make run` runs after installing: migrate, seed the demo community, and
`python wsgi.py`, all with HALLWAY_PORT set and nothing else configured, so the
allowed origins and the public address must follow the port by themselves.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hallway.demo import DEMO_PASSWORD
from tests.browser.conftest import CHROMIUM_ARGS

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory):
    """A demo community served by `python wsgi.py` on a free port (embedded: SQLite)."""
    tmp = tmp_path_factory.mktemp("dev-server")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("HALLWAY_")}
    env.update(
        HALLWAY_INSTANCE_PATH=str(tmp),
        HALLWAY_DATABASE_URL=f"sqlite:///{tmp / 'hallway.sqlite3'}",
        HALLWAY_PORT=str(port),
        PYTHONUNBUFFERED="1",
    )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, timeout=120)
    seeded = subprocess.run(
        [*flask, "seed", "demo", "--if-empty", "--members", "20"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    )
    emails = re.findall(r"^\s+(\S+@\S+)", seeded.stdout, flags=re.MULTILINE)
    assert len(emails) >= 2, seeded.stdout
    server = subprocess.Popen(
        [sys.executable, "wsgi.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _up(f"{base}/healthz"):
            assert time.monotonic() < deadline, "the development server did not start"
            time.sleep(0.2)
        yield base, emails
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _member_page(browser, base: str, email: str):
    context = browser.new_context(base_url=base)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()
    return page


def test_live_updates_work_on_another_port(dev_server, browser):
    assert CHROMIUM_ARGS  # the shared launch flags (headless Debian Chromium)
    base, emails = dev_server
    reader = _member_page(browser, base, emails[0])
    writer = _member_page(browser, base, emails[1])

    reader.goto("/discussions")
    thread_link = reader.locator("a[href^='/t/']").first
    path = thread_link.get_attribute("href")
    reader.goto(path)
    expect(reader.locator(".discussion")).to_have_attribute("data-live", "joined")
    expect(reader.get_by_text("Live updates paused")).to_have_count(0)

    writer.goto(path)
    writer.get_by_label("Your reply").fill("Greetings from another port: live updates work.")
    writer.get_by_role("button", name="Post reply").click()

    expect(reader.get_by_text("Greetings from another port")).to_be_visible()
    reader.context.close()
    writer.context.close()
