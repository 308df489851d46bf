"""The Nu HTML Checker (the W3C validator, npm `vnu-jar`) finds no error in the main pages.

The pages are fetched with the Flask test client, as each kind of viewer sees them, and
checked in one run of the checker (a Java program: one JVM start for all of them).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import Browserless
from tests.main_pages import MAIN_PAGES, build_site, emails

ROOT = Path(__file__).resolve().parents[3]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")


def check_html(files: list[Path]) -> list[dict]:
    """The checker's errors for ``files`` (its JSON messages, each with a file:// url)."""
    run = subprocess.run(
        [JAVA or "java", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout"]
        + [str(file) for file in files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.stdout.strip(), f"the checker said nothing on stdout: {run.stderr[-2000:]}"
    return json.loads(run.stdout)["messages"]


@pytest.fixture
def pages_html(app: Flask, session, tmp_path: Path) -> dict[str, Path]:
    """Each main page's HTML in a file named after it, fetched as its viewer."""
    with app.app_context():  # hiding a post publishes a live event
        site = build_site(session)
        session.commit()
    clients: dict[str, Browserless] = {}
    files = {}
    for main_page in MAIN_PAGES:
        if main_page.who not in clients:
            clients[main_page.who] = Browserless(app.test_client())
            email = emails(site)[main_page.who]
            if email:
                assert clients[main_page.who].log_in(email).status_code == 302
        response = clients[main_page.who].client.get(main_page.url(site))
        assert response.status_code == 200, f"{main_page.id}: {response.status_code}"
        files[main_page.id] = tmp_path / f"{main_page.id}.html"
        files[main_page.id].write_bytes(response.data)
    return files


@pytest.fixture
def checker() -> None:
    """Skips, saying why, when the checker cannot run here."""
    if JAVA is None:
        pytest.skip("Java is needed for the Nu HTML Checker: apt-get install default-jre-headless")
    if not VNU.exists():
        pytest.skip(f"The Nu HTML Checker is not installed ({VNU} missing): run `make assets`")


def test_the_main_pages_have_no_html_errors(checker, pages_html):
    errors_by_page: dict[str, list[str]] = defaultdict(list)
    names = {path.name: page for page, path in pages_html.items()}
    for message in check_html(list(pages_html.values())):
        page = names.get(Path(message.get("url", "")).name, message.get("url", "?"))
        where = f"line {message['lastLine']}" if "lastLine" in message else ""
        extract = (message.get("extract") or "").strip().replace("\n", " ")[:120]
        errors_by_page[page].append(f"{where}: {message['message']} [{extract}]")

    assert not errors_by_page, "\n".join(
        f"{page} ({len(errors)} errors):\n  " + "\n  ".join(errors)
        for page, errors in errors_by_page.items()
    )
