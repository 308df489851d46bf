"""Static files: content-hashed URLs in pages, cached for a year; other names still work."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest
from flask import Flask

from hallway.core.static_assets import IMMUTABLE, StaticAssets
from tests.conftest import Browserless

STATIC = Path(__file__).resolve().parents[3] / "static"
_STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def static_urls(html: str) -> list[str]:
    return _STATIC_URL.findall(html)


def test_pages_link_static_files_by_a_hash_of_their_content(client):
    html = client.get("/login").get_data(as_text=True)

    urls = static_urls(html)
    assert f"/static/css/hallway.{digest('css/hallway.css')}.css" in urls
    assert f"/static/vendor/pico.min.{digest('vendor/pico.min.css')}.css" in urls
    assert f"/static/favicon.{digest('favicon.svg')}.svg" in urls
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.[a-z]+$", url), url


def test_a_logged_in_page_hashes_its_scripts_too(logged_in: Browserless):
    html = logged_in.client.get("/members").get_data(as_text=True)

    urls = static_urls(html)
    assert f"/static/js/hallway.{digest('js/hallway.js')}.js" in urls
    assert f"/static/js/members.{digest('js/members.js')}.js" in urls
    assert f"/static/vendor/socket.io.min.{digest('vendor/socket.io.min.js')}.js" in urls


def test_every_static_url_in_a_page_is_served_for_a_year(client):
    for url in static_urls(client.get("/login").get_data(as_text=True)):
        response = client.get(url)

        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        name = re.sub(r"\.[0-9a-f]{12}(\.[a-z]+)$", r"\1", url.removeprefix("/static/"))
        assert response.data == (STATIC / name).read_bytes()
        # Same origin: the page's Content-Security-Policy allows it.
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_the_plain_name_still_works_and_is_revalidated(client):
    response = client.get("/static/css/hallway.css")

    assert response.status_code == 200
    assert response.data == (STATIC / "css/hallway.css").read_bytes()
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["ETag"] == f'"{digest("css/hallway.css")}"'

    again = client.get(
        "/static/css/hallway.css", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_an_out_of_date_hash_serves_the_current_file_without_caching_it_for_a_year(client):
    """A page rendered before a deploy still gets styles; caches must ask again."""
    response = client.get("/static/css/hallway.0123456789ab.css")

    assert response.status_code == 200
    assert response.data == (STATIC / "css/hallway.css").read_bytes()
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize(
    "path",
    [
        "/static/css/missing.css",
        "/static/css/missing.0123456789ab.css",
        "/static/css",
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
    ],
)
def test_files_that_do_not_exist_are_404(client, path):
    assert client.get(path).status_code == 404


def test_css_and_javascript_travel_compressed(client):
    url = f"/static/vendor/pico.min.{digest('vendor/pico.min.css')}.css"
    original = (STATIC / "vendor/pico.min.css").read_bytes()

    br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.data) == original
    assert len(br.data) < len(original) / 5

    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.data) == original
    for response in (br, gz):
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert "Accept-Encoding" in response.headers["Vary"]
    # Each encoding has its own validator: a cache never answers gzip with brotli.
    assert len({br.headers["ETag"], gz.headers["ETag"], client.get(url).headers["ETag"]}) == 3

    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers
    assert plain.data == original


def test_a_small_file_is_sent_as_is(client):
    response = client.get("/static/favicon.svg", headers={"Accept-Encoding": "gzip, br"})

    assert (STATIC / "favicon.svg").stat().st_size < 500
    assert "Content-Encoding" not in response.headers


def test_an_edited_file_gets_a_new_url_when_watching(tmp_path: Path, app: Flask):
    (tmp_path / "site.css").write_text("body { color: black }")
    assets = StaticAssets(tmp_path, watch=True)
    before = assets.url_name("site.css")

    (tmp_path / "site.css").write_text("body { color: darkslategray }")
    after = assets.url_name("site.css")

    assert re.fullmatch(r"site\.[0-9a-f]{12}\.css", before)
    assert after != before
    with app.test_request_context():
        assert assets.response(after).headers["Cache-Control"] == IMMUTABLE
        assert assets.response(after).get_data() == b"body { color: darkslategray }"
        assert assets.response(before).headers["Cache-Control"] == "no-cache"


def test_a_name_without_a_file_is_left_alone(tmp_path: Path):
    assets = StaticAssets(tmp_path)

    assert assets.url_name("nothing.css") == "nothing.css"
    assert assets.url_name("../secret.txt") == "../secret.txt"
