"""Blocks seen from both sides: what matching and meetings ask."""

from hallway.moderation.service import blocked_between, blocked_either_way
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
