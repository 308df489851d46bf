"""The reply and new-thread forms can say what a new member may still post
(templates/moderation/_posting_allowance.html), before the limit is hit."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template_string
from flask_login import login_user

from hallway.accounts.models import Role
from hallway.db import utcnow
from tests.factories import make_comment, make_thread, make_user

SNIPPET = '{% include "moderation/_posting_allowance.html" %}'


def render_for(app, user) -> str:
    with app.test_request_context("/"):
        if user is not None:
            login_user(user)
        return render_template_string(SNIPPET)


def test_a_new_member_sees_what_remains(app, session):
    user = make_user(session)
    make_thread(session, author=user)
    session.commit()
    html = render_for(app, user)
    assert "You can post 2 more times in the next 10 minutes." in html
    assert 'data-posting-remaining="2"' in html
    assert "posting-allowance-used" not in html


def test_a_new_member_who_used_it_up_is_told_when_to_come_back(app, session):
    user = make_user(session)
    thread = make_thread(session, author=user)
    make_comment(session, thread=thread, author=user)
    make_comment(session, thread=thread, author=user)
    session.commit()
    html = render_for(app, user)
    assert "posting-allowance-used" in html
    assert "You can post again in 10 minutes." in html


def test_members_past_their_first_day_organisers_and_visitors_see_nothing(app, session):
    older = make_user(session)
    older.created_at = utcnow() - timedelta(days=2)
    organiser = make_user(session, role=Role.organiser)
    session.commit()
    for user in (older, organiser, None):
        assert render_for(app, user).strip() == ""


def test_the_form_macros_render_hidden_fields_without_ids(app):
    """_forms.html's csrf_field() and hidden_fields(form) can repeat on one page."""
    from hallway.moderation.forms import ActionForm

    source = (
        '{% from "_forms.html" import csrf_field, hidden_fields %}'
        "{{ csrf_field() }}{{ hidden_fields(form) }}{{ hidden_fields(form) }}"
    )
    with app.test_request_context("/"):
        html = render_template_string(source, form=ActionForm(next="/back"))
    assert html.count('name="csrf_token"') == 3
    assert html.count('name="next" type="hidden" value="/back"') == 2
    assert "id=" not in html
