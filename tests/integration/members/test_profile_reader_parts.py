"""A profile's parts for its reader (the block and meeting buttons, "Why you two should
talk") are kept as HTML, yet each reader sees their own, and a change shows at once."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete

from hallway.core import unit_of_work
from hallway.db import utcnow
from hallway.meetings import service as meetings_service
from hallway.members import service
from hallway.moderation.models import Block
from tests.factories import make_block, make_profile, make_user
from tests.integration.matching._g_helpers import (  # noqa: F401 (fresh_match_index: autouse)
    fresh_match_index,
    log_in,
    mentor,
    novice,
)
from tests.querycount import statements_for


def page(helper, path: str) -> str:
    response = helper.client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def reasons(html: str) -> list[str]:
    """The sentences of the "Why you two should talk" card ([] without one)."""
    if 'id="why-talk"' not in html:
        return []
    card = html[html.index('id="why-talk"') :]
    return re.findall(r"<li>(.*?)</li>", card[: card.index("</ul>")])


def change(app, session, user, **changes) -> None:
    """A member's own edit, committed as a request would (the matching job runs after)."""
    with app.app_context():
        service.update_profile(session, user, changes)
        unit_of_work.commit(session)


def test_a_profile_edit_changes_the_reasons_at_once(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    reader = log_in(app, nia)
    assert "Both ETUG members" in reasons(page(reader, "/members/maggie"))
    assert "Both ETUG members" in reasons(page(reader, "/members/maggie"))
    change(app, session, maggie, networks=[])
    assert "Both ETUG members" not in reasons(page(reader, "/members/maggie"))


def test_each_side_sees_their_own_reasons_whoever_looked_first(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    on_mentor = reasons(page(log_in(app, nia), "/members/maggie"))
    on_novice = reasons(page(log_in(app, maggie), "/members/nia"))
    assert on_mentor and on_novice
    # The third member opted in too, but has nothing in common with either.
    make_profile(session, make_user(session, handle="zed"), matchable=True, career_stage="career")
    session.commit()
    assert "Maggie Mentor" not in " ".join(reasons(page(log_in(app, maggie), "/members/zed")))


def test_a_block_or_a_withdrawn_consent_hides_a_kept_card_at_once(app, session):
    nia, maggie = novice(session), mentor(session)
    session.commit()
    reader = log_in(app, nia)
    assert reasons(page(reader, "/members/maggie"))
    make_block(session, blocker=maggie, blocked=nia)
    session.commit()
    assert reasons(page(reader, "/members/maggie")) == []
    session.execute(delete(Block))
    session.commit()
    assert reasons(page(reader, "/members/maggie"))
    change(app, session, nia, matchable=False)
    assert reasons(page(reader, "/members/maggie")) == []
    change(app, session, nia, matchable=True)
    assert reasons(page(reader, "/members/maggie"))
    change(app, session, maggie, matchable=False)
    assert reasons(page(reader, "/members/maggie")) == []


def test_the_card_is_in_the_readers_language(app, session):
    nia = novice(session)
    mentor(session)
    session.commit()
    reader = log_in(app, nia)
    assert "Why you two should talk" in page(reader, "/members/maggie")
    nia.language = "fr_CA"
    session.commit()
    french = page(reader, "/members/maggie")
    assert reasons(french)
    assert "Why you two should talk" not in french


def test_only_readers_the_member_takes_requests_from_see_the_request_button(app, session):
    maggie = mentor(session, novices_may_request=False)
    nia = novice(session)
    carla = make_user(session, handle="carla")
    make_profile(session, carla, career_stage="career")
    session.commit()
    novice_reader, career_reader = log_in(app, nia), log_in(app, carla)
    assert "Request a meeting" not in page(novice_reader, "/members/maggie")
    assert "Request a meeting" in page(career_reader, "/members/maggie")
    assert "Request a meeting" not in page(novice_reader, "/members/maggie")
    change(app, session, maggie, novices_may_request=True)
    assert "Request a meeting" in page(novice_reader, "/members/maggie")
    assert "Request a meeting" not in page(log_in(app, maggie), "/members/maggie")


def test_new_office_hours_show_on_the_profile_at_once(app, session):
    maggie, nia = mentor(session), novice(session)
    session.commit()
    reader = log_in(app, nia)
    assert "Book office hours" not in page(reader, "/members/maggie")
    slot = meetings_service.publish_slot(
        session, actor=maggie, starts_at=utcnow() + timedelta(hours=72)
    )
    session.commit()
    assert "Book office hours" in page(reader, "/members/maggie")
    meetings_service.cancel_slot(session, actor=maggie, slot=slot)
    session.commit()
    assert "Book office hours" not in page(reader, "/members/maggie")


def test_the_readers_parts_cost_no_statement_once_kept(app, session):
    nia = novice(session)
    mentor(session)
    quiet = make_user(session, handle="quiet")
    make_profile(session, quiet, career_stage="career", matchable=False)
    session.commit()
    reader = log_in(app, nia)
    page(reader, "/members/maggie")  # the first view ever makes the matching index
    with_card = statements_for(app, reader.client, "/members/maggie")
    without_card = statements_for(app, reader.client, "/members/quiet")
    assert reasons(page(reader, "/members/maggie")) and "Request a meeting" in page(
        reader, "/members/maggie"
    )
    assert len(with_card) == len(without_card)
