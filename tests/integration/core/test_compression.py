"""Pages travel compressed when the browser accepts it, and decode to the same page."""

from __future__ import annotations

import gzip
import io
import random
import re

import brotli
import pytest
from PIL import Image

from hallway.members import service as members_service
from tests.factories import make_category, make_profile, make_thread, make_user

# The parts of a page that differ between two requests of the same session.
_PER_REQUEST = re.compile(r'(name="csrf-token" content|name="csrf_token"[^>]*value)="[^"]*"')


def same_page(html: str) -> str:
    return _PER_REQUEST.sub(r'\1="…"', html)


@pytest.fixture
def discussions_page(session, member, logged_in):
    """A discussions list long enough to be worth compressing, as a member sees it."""
    category = make_category(session, name="Tools", slug="tools")
    for number in range(15):
        make_thread(session, author=member, category=category, title=f"Rubric ideas {number}")
    session.commit()
    logged_in.client.get("/")  # shows (and so clears) the "Welcome back" message
    return logged_in.client


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip", "gzip", gzip.decompress), ("gzip, deflate, br", "br", brotli.decompress)],
)
def test_a_page_asked_with_accept_encoding_comes_back_compressed(
    discussions_page, accept, encoding, decode
):
    plain = discussions_page.get("/discussions")
    compressed = discussions_page.get("/discussions", headers={"Accept-Encoding": accept})

    assert compressed.status_code == 200
    assert compressed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert len(compressed.data) < len(plain.data) / 3
    html = decode(compressed.data).decode()
    assert "Rubric ideas 14" in html
    assert same_page(html) == same_page(plain.get_data(as_text=True))
    # The security headers are still there (the page's scripts and styles are same-origin).
    assert "script-src 'self'" in compressed.headers["Content-Security-Policy"]


def test_no_compression_without_the_header_but_caches_are_told_it_varies(discussions_page):
    response = discussions_page.get("/discussions")

    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert "Rubric ideas 14" in response.get_data(as_text=True)
    assert "Accept-Encoding" in response.headers["Vary"]


def test_a_browser_refusing_every_encoding_gets_plain_html(discussions_page):
    response = discussions_page.get(
        "/discussions", headers={"Accept-Encoding": "br;q=0, gzip;q=0, identity"}
    )

    assert "Content-Encoding" not in response.headers
    assert "Rubric ideas 14" in response.get_data(as_text=True)


def test_tiny_responses_are_not_compressed(client):
    response = client.get("/healthz", headers={"Accept-Encoding": "gzip, br"})

    assert response.status_code == 200
    assert len(response.data) < 500
    assert "Content-Encoding" not in response.headers


def test_pictures_are_not_compressed_again(session, client):
    user = make_user(session, handle="pic")
    make_profile(session, user, visibility="public")
    members_service.update_profile(session, user, {}, avatar_upload=noisy_png())
    session.commit()

    response = client.get("/members/pic/avatar", headers={"Accept-Encoding": "gzip, br"})

    assert response.status_code == 200
    assert response.mimetype.startswith("image/")
    assert len(response.data) > 500
    assert "Content-Encoding" not in response.headers


def noisy_png() -> bytes:
    """A picture that stays larger than the compression threshold once re-encoded."""
    picture = Image.frombytes("RGB", (128, 128), random.Random(9).randbytes(128 * 128 * 3))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def test_socket_io_traffic_is_left_to_engine_io(client):
    """Long-polling goes through Flask-SocketIO's middleware, not Flask's after_request."""
    response = client.get(
        "/socket.io/?EIO=4&transport=polling", headers={"Accept-Encoding": "gzip, br"}
    )

    assert response.status_code == 200
    assert response.data.startswith(b"0{")  # Engine.IO's open packet, readable as is
    assert "Content-Encoding" not in response.headers
