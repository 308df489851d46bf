"""Fixtures for discussion pages, API and sockets."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Browserless, csrf_token_from
from tests.factories import make_block, make_category, make_thread, make_user


@pytest.fixture(autouse=True)
def _no_new_member_posting_limit(app, monkeypatch):
    """Moderation limits brand-new members' posts; these tests post freely."""
    monkeypatch.setitem(app.config, "NEW_MEMBER_POST_LIMIT", 0)


@pytest.fixture
def category(session):
    found = make_category(session, name="Tools & practice", slug="tools-and-practice")
    session.commit()
    return found


@pytest.fixture
def author(session):
    user = make_user(session, display_name="Dee Kowalski", handle="dee")
    session.commit()
    return user


@pytest.fixture
def blocker_and_reader(session, author):
    """Two members: one who blocked the author, one who did not."""
    blocker, reader = make_user(session), make_user(session)
    make_block(session, blocker=blocker, blocked=author)
    session.commit()
    return blocker, reader


@pytest.fixture
def thread(session, category, author):
    made = make_thread(
        session,
        author=author,
        category=category,
        title="Surviving an LMS migration",
        body="We move to **Brightspace** next spring. Tips?",
        tags=["lms"],
    )
    session.commit()
    return made


@pytest.fixture
def log_in_as(app):
    """A browser-like client for another person (each gets its own cookies)."""

    def log_in(user) -> Browserless:
        person = Browserless(app.test_client())
        assert person.log_in(user.email).status_code == 302
        return person

    return log_in


def page_token(person: Browserless, path: str) -> str:
    return csrf_token_from(person.client.get(path).get_data(as_text=True))


def post_on_page(person: Browserless, page: str, action: str, data: dict):
    """Post a form the way a browser does: with the token of the page it sits on."""
    return person.client.post(action, data={"csrf_token": page_token(person, page), **data})


def comment_ids_in_order(html: str) -> list[int]:
    """The comments a page shows, in reading order (the linked-to one included)."""
    return [
        int(found)
        for found in re.findall(
            r'<li class="comment-node(?: is-target)?"(?: aria-current="true")? id="comment-(\d+)"',
            html,
        )
    ]
