"""Every main page, logged in and out, at 1280 and 390 px: axe-core finds no serious or
critical violation, and nothing scrolls sideways on a phone (issue 9).

axe-core comes from npm (`make assets` installs it into node_modules/). One browser,
one context per kind of viewer, one visit per page and width: the checks share it.
Set HALLWAY_A11Y_JSON=<file> to also write everything found (every impact) as JSON.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD
from tests.main_pages import MAIN_PAGES, MainPage, Site, build_site, emails

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = 1280, 390
SERIOUS = {"serious", "critical"}

# Runs in the page: axe-core's violations, and how wide the page is against its viewport
# (with the elements sticking out furthest, to say what to fix).
AUDIT = """
async () => {
  const result = await axe.run(document, {
    resultTypes: ["violations"],
    // Off by default (experimental / WCAG 2.2); issue 9 names both.
    rules: { "label-content-name-mismatch": { enabled: true }, "target-size": { enabled: true } },
  });
  const root = document.documentElement;
  const wide = [...document.body.querySelectorAll("*")]
    .map((el) => ({ el, right: Math.round(el.getBoundingClientRect().right) }))
    .filter(({ right }) => right > root.clientWidth && right <= root.scrollWidth + 1)
    .sort((a, b) => b.right - a.right)
    .slice(0, 5)
    .map(({ el, right }) => {
      const cls = typeof el.className === "string" && el.className.trim()
        ? "." + el.className.trim().split(/\\s+/).join(".") : "";
      return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls} (${right}px)`;
    });
  return {
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      targets: v.nodes.slice(0, 4).map((n) => n.target.join(" ")),
      detail: v.nodes.slice(0, 2).map((n) => n.failureSummary),
    })),
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    wide,
  };
}
"""


@pytest.fixture(scope="module")
def site(live_server) -> Site:
    from hallway.db import db

    with live_server.app.app_context():
        built = build_site(db.session)
        db.session.commit()
    return built


@pytest.fixture(scope="module")
def audited(browser, live_server, site) -> Iterator[Callable[[MainPage, int], dict[str, Any]]]:
    """``audited(main_page, width)``: what the page shows axe-core, visited once."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed ({AXE} missing): run `make assets`")
    pages: dict[str, Any] = {}
    contexts = []
    results: dict[tuple[str, int], dict[str, Any]] = {}

    def page_of(who: str):
        if who not in pages:
            # axe is injected as a script tag, which the site's own policy forbids.
            context = browser.new_context(base_url=live_server.url, bypass_csp=True)
            context.set_default_timeout(15_000)
            contexts.append(context)
            page = context.new_page()
            email = emails(site)[who]
            if email:
                page.goto("/login")
                page.get_by_label("Email").fill(email)
                page.get_by_label("Password").fill(DEFAULT_PASSWORD)
                page.get_by_role("button", name="Log in").click()
                expect(page).not_to_have_url(re.compile(r"/login"))
            pages[who] = page
        return pages[who]

    def audit(main_page: MainPage, width: int) -> dict[str, Any]:
        key = (main_page.id, width)
        if key not in results:
            page = page_of(main_page.who)
            page.set_viewport_size({"width": width, "height": 900})
            url = main_page.url(site)
            response = page.goto(url)
            assert response is not None and response.ok, f"{main_page.id}: {response}"
            # Not sent elsewhere (a log-in page instead of the page meant).
            assert urlsplit(page.url).path == urlsplit(url).path, page.url
            page.add_script_tag(path=str(AXE))
            results[key] = {"path": url, **page.evaluate(AUDIT)}
        return results[key]

    yield audit
    for context in contexts:
        context.close()
    if os.environ.get("HALLWAY_A11Y_JSON"):
        found = [{"page": page, "width": width, **r} for (page, width), r in results.items()]
        Path(os.environ["HALLWAY_A11Y_JSON"]).write_text(json.dumps(found, indent=1))


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']} ×{v['count']}: {v['help']} (e.g. {', '.join(v['targets'])})"
        for v in violations
    )


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=lambda page: page.id)
def test_axe_finds_no_serious_or_critical_violation(audited, main_page, width):
    found = [v for v in audited(main_page, width)["violations"] if v["impact"] in SERIOUS]

    assert not found, f"{main_page.id} at {width} px:\n{describe(found)}"


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=lambda page: page.id)
def test_no_page_scrolls_sideways_on_a_phone(audited, main_page):
    seen = audited(main_page, PHONE)

    assert seen["scrollWidth"] <= seen["clientWidth"], (
        f"{main_page.id} is {seen['scrollWidth']} px wide in a {seen['clientWidth']} px "
        f"viewport; widest: {', '.join(seen['wide'])}"
    )
