"""The discussion rules, called directly: who may post, edit, delete and react, and how."""

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from hallway.accounts.models import Role
from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.db import utcnow
from hallway.discussions import queries, service
from hallway.discussions.models import (
    Category,
    Comment,
    CommentRevision,
    ReactionKind,
    Tag,
    Thread,
    ThreadRevision,
)
from hallway.discussions.schemas import (
    CommentUpdateSchema,
    ReactionToggleSchema,
    ThreadCreateSchema,
)
from tests.factories import make_category, make_comment, make_thread, make_user


@pytest.fixture(autouse=True)
def _in_app(app_context, app, monkeypatch):
    # Moderation's new-member posting limit is tested by moderation; not here.
    monkeypatch.setitem(app.config, "NEW_MEMBER_POST_LIMIT", 0)


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_starting_a_thread_renders_the_body_and_normalises_tags(session):
    ana = make_user(session, handle="ana")
    make_user(session, handle="ben")
    category = make_category(session)
    # What a member sends is loaded by the API's schema (the pages load theirs with it).
    values = ThreadCreateSchema().load(
        {
            "category_id": category.id,
            "title": "  How do you  scope an LMS migration? ",
            "body": "Asking @ben and @nobody-here",
            "tags": ["LMS", "Project Management", "lms"],
        }
    )
    posted = service.start_thread(session, actor=ana, **values)
    thread = posted.post
    assert thread.title == "How do you scope an LMS migration?"
    assert thread.slug == "how-do-you-scope-an-lms-migration"
    assert [tag.name for tag in thread.tags] == ["lms", "project-management"]
    assert '<a class="mention" href="/members/ben"' in thread.body_html
    assert "@nobody-here" in thread.body_html and "/members/nobody-here" not in thread.body_html
    assert thread.comment_count == 0


def test_mentions_of_existing_members_are_linked_and_reported_without_the_author(session):
    ana = make_user(session, handle="ana")
    ben = make_user(session, handle="ben")
    html, mentioned = service.render_post(session, "@ana asks @BEN and @ghost", author_id=ana.id)
    assert mentioned == {ben.id}
    assert html.count('class="mention"') == 2 and "@ghost" in html


def test_tags_are_shared_between_threads(session):
    category = make_category(session)
    make_thread(session, category=category, tags=["portfolios"])
    make_thread(session, category=category, tags=["Portfolios"])
    assert (
        session.scalar(select(func.count()).select_from(Tag).where(Tag.name == "portfolios")) == 1
    )


def test_a_thread_with_bad_fields_is_refused_with_every_message_and_nothing_written(session):
    before = count(session, Thread)
    with pytest.raises(ValidationError) as refused:
        ThreadCreateSchema().load(
            {"title": "Hey", "body": "   ", "tags": ["a", "b", "c", "d", "e", "f"]}
        )
    assert refused.value.messages["title"] == ["Use at least 5 characters for the title."]
    assert refused.value.messages["body"] == ["Write something first."]
    assert "Use at most 5 tags." in refused.value.messages["tags"]
    assert refused.value.messages["category_id"] == ["Choose a category."]
    # A category id that names no category is the service's to refuse.
    with pytest.raises(InvalidInput) as unknown:
        service.start_thread(
            session, actor=make_user(session), category_id=999_999, title="Fine title", body="x"
        )
    assert unknown.value.field_errors == {"category_id": ["Choose a category."]}
    assert count(session, Thread) == before


def test_replies_store_depth_and_path_under_their_parent(session):
    thread = make_thread(session)
    top = make_comment(session, thread=thread)
    child = make_comment(session, thread=thread, parent=top)
    grandchild = make_comment(session, thread=thread, parent=child)
    assert (top.depth, child.depth, grandchild.depth) == (0, 1, 2)
    assert grandchild.path == f"{top.id:010d}.{child.id:010d}.{grandchild.id:010d}"
    assert grandchild.ancestor_ids == [top.id, child.id]
    session.refresh(thread)
    assert thread.comment_count == 3


def test_a_reply_to_a_comment_of_another_thread_is_refused(session):
    one, other = make_thread(session), make_thread(session)
    elsewhere = make_comment(session, thread=other)
    with pytest.raises(InvalidInput) as refused:
        service.reply(
            session, actor=make_user(session), thread=one, body="hi", parent_id=elsewhere.id
        )
    assert "parent_id" in refused.value.field_errors


def test_locked_threads_refuse_replies_except_from_moderators(session):
    thread = make_thread(session)
    thread.locked_at = utcnow()
    with pytest.raises(NotAllowed, match="locked"):
        service.reply(session, actor=make_user(session), thread=thread, body="Me too")
    admin = make_user(session, role=Role.admin)
    posted = service.reply(session, actor=admin, thread=thread, body="Locked, sorry.")
    assert posted.post.id


def test_nobody_replies_to_a_deleted_comment(session):
    thread = make_thread(session)
    author = make_user(session)
    gone = make_comment(session, thread=thread, author=author)
    service.delete_comment(session, actor=author, comment=gone)
    with pytest.raises(Conflict):
        service.reply(session, actor=make_user(session), thread=thread, body="?", parent_id=gone.id)


def test_members_edit_only_their_own_comments_and_admins_any(session):
    thread = make_thread(session)
    author = make_user(session)
    comment = make_comment(session, thread=thread, author=author, body="first")
    with pytest.raises(NotAllowed):
        service.edit_comment(session, actor=make_user(session), comment=comment, body="hacked")
    service.edit_comment(session, actor=author, comment=comment, body="second")
    admin = make_user(session, role=Role.admin)
    service.edit_comment(session, actor=admin, comment=comment, body="third")
    assert comment.body == "third" and comment.edited_at is not None
    history = session.scalars(
        select(CommentRevision.body)
        .where(CommentRevision.comment_id == comment.id)
        .order_by(CommentRevision.id)
    ).all()
    assert history == ["first", "second"]


def test_an_edit_that_changes_nothing_keeps_no_revision(session):
    author = make_user(session)
    comment = make_comment(session, thread=make_thread(session), author=author, body="same")
    edit = CommentUpdateSchema().load({"body": "same  "})
    service.edit_comment(session, actor=author, comment=comment, **edit)
    assert comment.edited_at is None
    assert count(session, CommentRevision) == 0


def test_editing_a_thread_keeps_the_old_title_and_body_and_moves_the_slug(session):
    author = make_user(session)
    thread = make_thread(session, author=author, title="Old title here", body="old")
    service.edit_thread(session, actor=author, thread=thread, title="New title here", body="new")
    revision = session.scalar(select(ThreadRevision).where(ThreadRevision.thread_id == thread.id))
    assert (revision.title, revision.body) == ("Old title here", "old")
    assert thread.slug == "new-title-here" and thread.edited_at is not None


def test_deleting_a_comment_keeps_the_row_and_its_replies(session):
    thread = make_thread(session)
    author = make_user(session)
    parent = make_comment(session, thread=thread, author=author)
    reply = make_comment(session, thread=thread, parent=parent)
    service.delete_comment(session, actor=author, comment=parent)
    session.expire_all()
    assert session.get(Comment, parent.id).deleted_at is not None
    assert session.get(Comment, reply.id).parent_id == parent.id
    assert session.get(Thread, thread.id).comment_count == 1


def test_members_cannot_delete_other_peoples_posts(session):
    thread = make_thread(session)
    with pytest.raises(NotAllowed):
        service.delete_thread(session, actor=make_user(session), thread=thread)
    with pytest.raises(NotAllowed):
        service.delete_comment(
            session, actor=make_user(session), comment=make_comment(session, thread=thread)
        )


def test_a_reaction_toggles_and_counts(session):
    thread = make_thread(session)
    comment = make_comment(session, thread=thread)
    fan = make_user(session)
    on = service.toggle_reaction(
        session, actor=fan, thread=thread, comment=comment, kind=ReactionKind.helpful
    )
    session.refresh(comment)
    assert on.active and comment.reaction_count == 1
    off = service.toggle_reaction(
        session, actor=fan, thread=thread, comment=comment, kind=ReactionKind.helpful
    )
    session.refresh(comment)
    assert not off.active and comment.reaction_count == 0
    service.toggle_reaction(session, actor=fan, thread=thread, kind=ReactionKind.like)
    session.refresh(thread)
    assert thread.reaction_count == 1


def test_unknown_reactions_and_reactions_to_hidden_posts_are_refused(session):
    thread = make_thread(session)
    with pytest.raises(ValidationError) as unknown:
        ReactionToggleSchema().load({"kind": "angry"})
    assert unknown.value.messages["kind"][0].startswith("Choose one of: like, ")
    comment = make_comment(session, thread=thread)
    comment.hidden_at = utcnow()
    with pytest.raises(Conflict):
        service.toggle_reaction(
            session,
            actor=make_user(session),
            thread=thread,
            comment=comment,
            kind=ReactionKind.like,
        )


def test_hidden_and_deleted_threads_are_not_found_by_members_but_moderators_see_them(session):
    thread = make_thread(session)
    thread.hidden_at = utcnow()
    with pytest.raises(NotFound):
        queries.visible_thread(session, make_user(session), thread.id)
    admin = make_user(session, role=Role.admin)
    assert queries.visible_thread(session, admin, thread.id) is thread


def test_only_admins_pin_and_manage_categories(session):
    thread = make_thread(session)
    member = make_user(session)
    with pytest.raises(NotAllowed):
        service.set_pinned(session, actor=member, thread=thread, pinned=True)
    with pytest.raises(NotAllowed):
        service.create_category(session, actor=member, name="Research")
    admin = make_user(session, role=Role.admin)
    service.set_pinned(session, actor=admin, thread=thread, pinned=True)
    assert thread.pinned_at is not None


def test_admins_add_rename_and_reorder_categories(session):
    admin = make_user(session, role=Role.admin)
    first = service.create_category(session, actor=admin, name="Research & evaluation")
    second = service.create_category(session, actor=admin, name="Accessibility")
    assert first.slug == "research-and-evaluation"
    with pytest.raises(Conflict):
        service.create_category(session, actor=admin, name="Research and evaluation")
    service.update_category(
        session, actor=admin, category=first, name="Research", description="Evidence."
    )
    assert (first.name, first.slug, first.description) == (
        "Research",
        "research-and-evaluation",
        "Evidence.",
    )
    service.move_category(session, actor=admin, category=second, offset=-1)
    order = session.scalars(select(Category.id).order_by(Category.position)).all()
    assert order.index(second.id) < order.index(first.id)
