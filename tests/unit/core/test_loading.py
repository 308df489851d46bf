"""@loads: a route gets its object loaded and checked by one loader, not a raw id."""

from __future__ import annotations

import pytest

from hallway.core.errors import NotAllowed, NotFound
from hallway.core.loading import loads


def test_the_view_gets_the_loaded_objects_and_a_child_is_looked_up_in_its_parent(app):
    calls = []

    def thread_loader(session, viewer, raw):
        calls.append(("thread", raw, viewer.is_authenticated))
        return {"thread": raw}

    def comment_loader(session, viewer, raw, thread):
        calls.append(("comment", raw, thread))
        return {"comment": raw, "in": thread["thread"]}

    @loads("thread", thread_loader)
    @loads("comment", comment_loader, within="thread")
    def view(thread, comment, sort="new"):
        return thread, comment, sort

    with app.test_request_context("/t/3/comments/7"):
        result = view(thread_id=3, comment_id=7, sort="old")
    assert result == ({"thread": 3}, {"comment": 7, "in": 3}, "old")
    assert calls == [("thread", 3, False), ("comment", 7, {"thread": 3})]


def test_the_url_argument_may_have_another_name(app):
    @loads("view", lambda session, viewer, raw: raw.upper(), arg="handle")
    def profile(view):
        return view

    with app.test_request_context("/members/maya"):
        assert profile(handle="maya") == "MAYA"


@pytest.mark.parametrize("refusal", [NotFound("gone"), NotAllowed("not yours")])
def test_a_refused_visitor_is_asked_to_log_in_only_where_the_route_says_so(app, refusal):
    def hidden(session, viewer, raw):
        raise refusal

    page = loads("thing", hidden, ask_login=True)(lambda thing: "shown")
    api = loads("thing", hidden)(lambda thing: "shown")
    with app.test_request_context("/things/1"):
        response = page(thing_id=1)
        assert response.status_code == 302
        assert response.location.startswith("/login?next=")
        with pytest.raises(type(refusal)):
            api(thing_id=1)
