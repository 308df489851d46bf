"""Screenshots of the main pages at a desktop and a phone width, for docs/screenshots/.

    python -m hallway.screenshots --base-url http://127.0.0.1:5000 --label after

Run it against a server seeded with the demo community (`make run`). It logs in as a
demo member with Debian's Chromium (never a downloaded browser) and writes small PNGs
named ``<page>-<width>-<label>.png`` (the top of each page, one screen tall).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

from hallway.demo import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
DEMO_EMAIL = "nadia.haddad@example.org"


def main_pages(page: Page) -> list[tuple[str, str]]:
    """(name, path) of the pages to photograph; a thread and a profile found by link."""
    page.goto("/discussions")
    thread_path = page.locator("a[href^='/t/']").first.get_attribute("href") or "/discussions"
    page.goto("/members")
    profile_path = page.locator("a[href^='/members/']").first.get_attribute("href") or "/members"
    return [
        ("home", "/"),
        ("discussions", "/discussions"),
        ("thread", thread_path),
        ("members", "/members"),
        ("profile", profile_path),
        ("notifications", "/notifications"),
    ]


def log_in(page: Page) -> None:
    page.goto("/login")
    page.fill("input[name=email]", DEMO_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def shrink(path: Path) -> None:
    """Keep the committed PNGs small: 256 colours are plenty for a page."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256)
    small.save(path, optimize=True)


def take(base_url: str, out: Path, label: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(
                base_url=base_url, viewport={"width": width, "height": height}
            )
            page = context.new_page()
            log_in(page)
            for name, path in main_pages(page):
                page.goto(path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{width_name}-{label}.png"
                page.screenshot(path=str(target))
                shrink(target)
                written.append(target)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hallway.screenshots")
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--label", default="after")
    args = parser.parse_args(argv)
    for path in take(args.base_url, args.out, args.label):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
