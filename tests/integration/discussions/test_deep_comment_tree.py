"""A reply chain hundreds of levels deep: the API answers it flat, the pages in steps."""

from __future__ import annotations

import pytest

from tests.factories import make_comment

CHAIN_DEPTH = 220


@pytest.fixture
def deep_chain(session, thread, author):
    """Two people replying to each other, each reply under the last one."""
    parent = None
    chain = []
    for number in range(CHAIN_DEPTH):
        parent = make_comment(session, thread=thread, author=author, parent=parent,
                              body=f"Reply at depth {number}")
        chain.append(parent)
    session.commit()
    return chain


def test_the_comment_tree_of_a_very_deep_chain_is_listed_flat_in_reading_order(
    logged_in, thread, deep_chain
):
    response = logged_in.client.get(f"/api/v1/threads/{thread.id}/comments")

    assert response.status_code == 200
    comments = response.json["comments"]
    assert response.json["total"] == CHAIN_DEPTH
    assert [c["body"] for c in comments] == [f"Reply at depth {n}" for n in range(CHAIN_DEPTH)]
    assert [c["depth"] for c in comments] == list(range(CHAIN_DEPTH))
    assert comments[0]["parent_id"] is None
    assert all(
        child["parent_id"] == parent["id"]
        for parent, child in zip(comments, comments[1:], strict=False)
    )


def test_the_deepest_reply_of_the_chain_has_a_page(logged_in, thread, deep_chain):
    deepest = deep_chain[-1]
    page = logged_in.client.get(f"/t/{thread.id}/comments/{deepest.id}", follow_redirects=True)

    assert page.status_code == 200
    assert f"Reply at depth {CHAIN_DEPTH - 1}" in page.get_data(as_text=True)
