"""Blocks seen from both sides: what matching and meetings ask."""

from hallway.moderation.service import (
    blocked_between,
    blocked_either_way,
    blocked_user_ids,
    unblock_member,
)
from tests.factories import make_block, make_user


def test_a_block_counts_from_either_side_and_for_no_one_else(session):
    ana, ben, cy, dee = (make_user(session) for _ in range(4))
    make_block(session, blocker=ana, blocked=ben)
    make_block(session, blocker=cy, blocked=ana)
    session.flush()
    assert blocked_either_way(session, ana.id) == {ben.id, cy.id}
    assert blocked_either_way(session, ben.id) == {ana.id}
    assert blocked_either_way(session, dee.id) == set()
    assert blocked_between(session, ana.id, ben.id) and blocked_between(session, ben.id, ana.id)
    assert blocked_between(session, cy.id, ana.id)
    assert not blocked_between(session, ben.id, cy.id)
    assert not blocked_between(session, ana.id, dee.id)


def load_as_reader(app, session, user):
    """What every page does first: load its reader with the facts read alongside."""
    from hallway.accounts.service import load_user_from_cookie_id

    return load_user_from_cookie_id(session, f"{user.id}.{user.session_generation}")


def test_the_blocks_read_with_the_reader_agree_with_the_table(app, session):
    ana, ben, cy, dee = (make_user(session) for _ in range(4))
    make_block(session, blocker=ana, blocked=ben)
    make_block(session, blocker=ana, blocked=dee)
    make_block(session, blocker=cy, blocked=ana)
    session.flush()
    session.info.clear()
    load_as_reader(app, session, ana)

    assert blocked_user_ids(session, ana.id) == {ben.id, dee.id}
    assert blocked_either_way(session, ana.id) == {ben.id, cy.id, dee.id}
    assert blocked_between(session, ana.id, cy.id) and blocked_between(session, dee.id, ana.id)
    assert not blocked_between(session, ben.id, cy.id)  # neither is the reader: asked
    assert blocked_user_ids(session, cy.id) == {ana.id}  # not the reader: asked


def test_blocking_in_a_request_is_seen_by_the_next_question_in_it(app, session):
    ana, ben = make_user(session), make_user(session)
    session.flush()
    session.info.clear()
    load_as_reader(app, session, ana)
    assert blocked_user_ids(session, ana.id) == set()

    make_block(session, blocker=ana, blocked=ben)
    assert blocked_user_ids(session, ana.id) == {ben.id}
    assert blocked_between(session, ben.id, ana.id)

    load_as_reader(app, session, ana)
    unblock_member(session, actor=ana, user_id=ben.id)
    assert blocked_user_ids(session, ana.id) == set()
    assert not blocked_between(session, ana.id, ben.id)
