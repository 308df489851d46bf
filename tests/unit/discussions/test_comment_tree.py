"""Building and sorting comment trees (no database: plain Comment objects)."""

from datetime import UTC, datetime, timedelta

from hallway.discussions.models import Comment, ReactionKind
from hallway.discussions.text import child_path
from hallway.discussions.tree import (
    CommentOrder,
    PostState,
    ReactionSummary,
    build_tree,
    count_nodes,
    post_state,
    sort_tree,
)

START = datetime(2026, 11, 1, tzinfo=UTC)


def comment(id_, parent=None, *, reactions=0, author_id=1, **extra):
    return Comment(
        id=id_,
        parent_id=parent.id if parent else None,
        path=child_path(parent.path if parent else None, id_),
        depth=parent.depth + 1 if parent else 0,
        author_id=author_id,
        created_at=START + timedelta(minutes=id_),
        reaction_count=reactions,
        **extra,
    )


def in_path_order(*comments):
    return sorted(comments, key=lambda c: c.path)


def ids(nodes):
    return [node.comment.id for node in nodes]


def test_replies_nest_under_the_comment_they_answer():
    a = comment(1)
    b = comment(2)
    a1 = comment(3, a)
    a1x = comment(4, a1)
    roots = build_tree(in_path_order(a, b, a1, a1x), reactions={})
    assert ids(roots) == [1, 2]
    assert ids(roots[0].children) == [3]
    assert ids(roots[0].children[0].children) == [4]
    assert roots[1].children == []


def test_descendants_are_counted_at_every_level():
    a = comment(1)
    a1, a2 = comment(2, a), comment(3, a)
    a1x = comment(4, a1)
    roots = build_tree(in_path_order(a, a1, a2, a1x), reactions={})
    assert roots[0].descendant_count == 3
    assert roots[0].children[0].descendant_count == 1
    assert count_nodes(roots) == 4


def test_newest_order_sorts_siblings_and_keeps_each_reply_under_its_parent():
    a, b = comment(1), comment(2)
    a1, a2 = comment(3, a), comment(4, a)
    roots = sort_tree(build_tree(in_path_order(a, b, a1, a2), reactions={}), CommentOrder.newest)
    assert ids(roots) == [2, 1]
    assert ids(roots[1].children) == [4, 3]


def test_top_order_puts_most_reacted_first_at_each_level():
    a, b = comment(1, reactions=1), comment(2, reactions=5)
    a1, a2 = comment(3, a, reactions=0), comment(4, a, reactions=2)
    roots = sort_tree(build_tree(in_path_order(a, b, a1, a2), reactions={}), CommentOrder.top)
    assert ids(roots) == [2, 1]
    assert ids(roots[1].children) == [4, 3]


def test_a_sub_tree_without_its_ancestors_starts_at_the_focused_comment():
    a = comment(1)
    a1 = comment(2, a)
    a1x = comment(3, a1)
    roots = build_tree([a1, a1x], reactions={})
    assert ids(roots) == [2]
    assert ids(roots[0].children) == [3]


def test_deleted_hidden_and_blocked_posts_show_as_placeholders_or_collapsed():
    now = START
    assert post_state(comment(1, deleted_at=now), viewer_is_moderator=True, blocked_ids=()) is (
        PostState.deleted
    )
    hidden = comment(2, hidden_at=now)
    assert post_state(hidden, viewer_is_moderator=False, blocked_ids=()) is PostState.hidden
    assert post_state(hidden, viewer_is_moderator=True, blocked_ids=()) is PostState.visible
    assert post_state(comment(3, author_id=7), viewer_is_moderator=False, blocked_ids={7}) is (
        PostState.blocked
    )


def test_reaction_tooltips_name_who_reacted():
    summary = ReactionSummary()
    for number in range(12):
        summary.add(ReactionKind.like, f"Member {number}", by_viewer=number == 0)
    assert summary.count(ReactionKind.like) == 12
    assert summary.tooltip(ReactionKind.like).startswith("Like: Member 0, Member 1")
    assert summary.tooltip(ReactionKind.like).endswith("and 2 others")
    assert summary.tooltip(ReactionKind.helpful) == "Helpful"
    assert ReactionKind.like in summary.mine
