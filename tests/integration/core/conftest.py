"""A small world for probing every route: members, an admin, a thread with a reply."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from hallway.accounts.models import Role, User
from hallway.discussions.models import Category, Comment, Thread
from hallway.notifications.models import Notification
from tests.conftest import Browserless
from tests.factories import (
    make_category,
    make_comment,
    make_notification,
    make_profile,
    make_thread,
    make_user,
)
from tests.integration.core.routes import Route, choices


@dataclass
class World:
    member: User
    admin: User
    other: User
    category: Category
    thread: Thread
    comment: Comment
    notification: Notification

    def path(self, route: Route) -> str:
        """The route's path, naming rows of this world."""
        rule = route.rule.rule
        return route.path(lambda name, conv: self.value_for(rule, name, choices(conv)))

    def value_for(self, rule: str, name: str, choices: list[str]) -> str:
        """A real value for the URL argument ``name`` of ``rule``: pages that exist."""
        if choices:
            return "thread" if "thread" in choices else choices[0]
        values = {
            "thread_id": self.thread.id,
            "comment_id": self.comment.id,
            "category_id": self.category.id,
            "user_id": self.other.id,
            "notification_id": self.notification.id,
            "subject_id": self.thread.id,
            "handle": self.other.handle,
            "name": "lms",
            "country": "US",
            "token": "not-a-valid-token",
            "slug": self.category.slug if rule.startswith("/c/") else self.thread.slug,
        }
        return str(values.get(name, "x"))


@pytest.fixture
def world(session, member) -> World:
    admin = make_user(session, handle="root", role=Role.admin)
    other = make_user(session, handle="kwame", display_name="Kwame")
    for user in (member, admin, other):
        make_profile(session, user)  # past the first-run welcome, into the directory
    category = make_category(session, name="Tools", slug="tools")
    thread = make_thread(session, author=other, category=category, tags=["lms"])
    comment = make_comment(session, thread=thread, author=other)
    notification = make_notification(session, recipient=member, actor=other)
    session.commit()
    return World(member, admin, other, category, thread, comment, notification)


@pytest.fixture
def log_in(app: Flask):
    """``log_in(user)``: a new browser-like client logged in as ``user`` (None: a visitor)."""

    def logged_in_as(user: User | None) -> Browserless:
        helper = Browserless(app.test_client())
        if user is not None:
            response = helper.log_in(user.email)
            assert response.status_code == 302, response.get_data(as_text=True)
        return helper

    return logged_in_as
