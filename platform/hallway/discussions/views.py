"""Discussion pages. Thin: read the input, call the service, commit once, broadcast.

Every page works without JavaScript (plain forms, redirects to the permalink). When
discussions.js posts a form with ``Accept: application/json`` the same routes answer
with JSON and the rendered fragment instead of a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from marshmallow import Schema
from sqlalchemy import select

from hallway.core.errors import DomainError, NotAllowed, wants_json
from hallway.core.forms import show_field_errors
from hallway.core.markdown import render_markdown
from hallway.core.urls import profile_path
from hallway.core.validation import load_or_refuse
from hallway.db import db
from hallway.discussions import live, queries, service
from hallway.discussions.forms import (
    CategoryForm,
    CommentForm,
    ConfirmForm,
    EditCommentForm,
    EditThreadForm,
    MoveCategoryForm,
    ReactionForm,
    ThreadForm,
)
from hallway.discussions.links import ThreadUrls, thread_path
from hallway.discussions.models import Category, Comment, Thread
from hallway.discussions.queries import ThreadOrder, Viewer
from hallway.discussions.rendering import (
    PageContext,
    node_for_everyone,
    reaction_bar,
    render_comment_branch,
)
from hallway.discussions.schemas import (
    ReplyQuerySchema,
    SearchQuerySchema,
    ThreadListQuerySchema,
    ThreadPageQuerySchema,
)
from hallway.discussions.search import search_posts
from hallway.discussions.text import quote_markdown
from hallway.discussions.tree import CommentNode, CommentOrder, post_state
from hallway.notifications import service as notifications

bp = Blueprint("discussions", __name__)
bp.add_app_template_global(profile_path, "profile_path")
bp.add_app_template_global(reaction_bar, "reaction_bar")


@bp.app_template_filter("discussion_time")
def discussion_time(moment: datetime) -> str:
    """'29 Nov 2026, 14:05 UTC'."""
    return moment.strftime("%-d %b %Y, %H:%M UTC")


# --- small helpers -------------------------------------------------------------------


def _args(schema: type[Schema]) -> dict[str, Any]:
    return load_or_refuse(schema(), request.args.to_dict())


def _viewer() -> Viewer:
    return Viewer.of(db.session, current_user)


def _actor():
    return current_user._get_current_object()


def _context(thread: Thread, viewer: Viewer) -> PageContext:
    return PageContext.for_page(thread, viewer, generate_csrf())


@dataclass
class Outcome:
    done: bool
    result: Any = None
    status: int = 200


def _submit(form: FlaskForm, action: Callable[[], Any]) -> Outcome:
    """Run ``action`` (a service call) if the form validates, and commit once.

    On a refusal: roll back, put the messages on the form, and give the status a
    re-rendered form should carry (422, or the refusal's own: 403, 409, 429...).
    """
    if not form.validate_on_submit():
        return Outcome(False, status=422 if form.is_submitted() else 200)
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        show_field_errors(form, error)
        return Outcome(False, status=error.status_code)
    db.session.commit()
    return Outcome(True, result)


def _json_refusal(form: FlaskForm, status: int):
    errors = {name: messages for name, messages in form.errors.items() if messages}
    message = (form.form_errors or ["Please correct the highlighted fields."])[0]
    return jsonify(error=message, errors=errors), status


def _parent_id(form: CommentForm) -> int | None:
    return int(form.parent_id.data) if form.parent_id.data else None


def _thread_and_comment(thread_id: int, comment_id: int) -> tuple[Thread, Comment]:
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    return thread, service.get_comment(db.session, thread, comment_id)


def _require_change(author_id: int | None, what: str) -> None:
    if not service.can_change(current_user, author_id):
        raise NotAllowed(f"Only its author or a moderator can change this {what}.")


# --- lists ---------------------------------------------------------------------------


def _thread_list(
    *,
    category: Category | None = None,
    tag: str | None = None,
    endpoint: str,
    url_args: dict[str, str],
):
    args = _args(ThreadListQuerySchema)
    viewer = _viewer()
    page = queries.list_threads(
        db.session,
        viewer,
        category=category,
        tag=tag,
        order=ThreadOrder(args["sort"]),
        page=args["page"],
    )
    return render_template(
        "discussions/index.html",
        page=page,
        category=category,
        tag=tag,
        sort=args["sort"],
        orders=list(ThreadOrder),
        categories=queries.list_categories(db.session),
        counts=queries.thread_counts_by_category(db.session, viewer),
        endpoint=endpoint,
        url_args=url_args,
    )


@bp.get("/discussions")
@login_required
def index():
    return _thread_list(endpoint="discussions.index", url_args={})


@bp.get("/c/<slug>")
@login_required
def category(slug: str):
    found = queries.get_category_by_slug(db.session, slug)
    return _thread_list(category=found, endpoint="discussions.category", url_args={"slug": slug})


@bp.get("/tags/<name>")
@login_required
def tag(name: str):
    return _thread_list(tag=name.lower(), endpoint="discussions.tag", url_args={"name": name})


# --- starting, editing and deleting threads ------------------------------------------


def _category_choices(form: ThreadForm) -> None:
    form.category_id.choices = [
        (each.id, each.name) for each in queries.list_categories(db.session)
    ]


@bp.route("/discussions/new", methods=["GET", "POST"])
@login_required
def new_thread():
    form = ThreadForm()
    _category_choices(form)
    if request.method == "GET" and (slug := request.args.get("category")):
        found = db.session.scalar(select(Category).where(Category.slug == slug))
        form.category_id.data = found.id if found else None
    outcome = _submit(
        form,
        lambda: service.start_thread(
            db.session,
            actor=_actor(),
            category_id=form.category_id.data,
            title=form.title.data,
            body=form.body.data,
            tags=form.tags.data,
        ),
    )
    if outcome.done:
        notifications.push_after_commit(outcome.result.notifications)
        flash("Your discussion is started.", "success")
        return redirect(thread_path(outcome.result.post))
    return render_template("discussions/thread_form.html", form=form, thread=None), outcome.status


@bp.route("/t/<int:thread_id>/edit", methods=["GET", "POST"])
@login_required
def edit_thread(thread_id: int):
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    _require_change(thread.author_id, "discussion")
    form = EditThreadForm(
        data={
            "title": thread.title,
            "body": thread.body,
            "tags": ", ".join(tag.name for tag in thread.tags),
        }
        if request.method == "GET"
        else None,
    )
    outcome = _submit(
        form,
        lambda: service.edit_thread(
            db.session,
            actor=_actor(),
            thread=thread,
            title=form.title.data,
            body=form.body.data,
            tags=form.tags.data or "",
        ),
    )
    if outcome.done:
        live.announce_thread_changed(db.session, thread)
        flash("Your changes are saved.", "success")
        return redirect(thread_path(thread))
    return render_template("discussions/thread_form.html", form=form, thread=thread), outcome.status


@bp.route("/t/<int:thread_id>/delete", methods=["GET", "POST"])
@login_required
def delete_thread(thread_id: int):
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    _require_change(thread.author_id, "discussion")
    form = ConfirmForm()
    if form.validate_on_submit():
        service.delete_thread(db.session, actor=_actor(), thread=thread)
        db.session.commit()
        live.announce_thread_changed(db.session, thread)
        flash("The discussion is deleted.", "info")
        return redirect(url_for("discussions.category", slug=thread.category.slug))
    return render_template(
        "discussions/confirm_delete.html",
        form=form,
        what="discussion",
        title=thread.title,
        back=thread_path(thread),
        action=request.path,
    )


@bp.post("/t/<int:thread_id>/pin")
@login_required
def pin_thread(thread_id: int):
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    form = ConfirmForm()
    if form.validate_on_submit():
        pinned = request.form.get("pinned") == "1"
        service.set_pinned(db.session, actor=_actor(), thread=thread, pinned=pinned)
        db.session.commit()
        live.announce_thread_changed(db.session, thread)
        flash("Pinned to the top." if pinned else "Unpinned.", "success")
    return redirect(thread_path(thread))


@bp.get("/t/<int:thread_id>/history")
@login_required
def thread_history(thread_id: int):
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    revisions = queries.thread_history(db.session, thread, current_user)
    return render_template(
        "discussions/history.html",
        thread=thread,
        current_title=thread.title,
        current_html=thread.body_html,
        edited_at=thread.edited_at,
        revisions=revisions,
        render_markdown=render_markdown,
        back=thread_path(thread),
    )


# --- the thread page and the focused view --------------------------------------------


def _render_thread(
    thread: Thread,
    *,
    focus: Comment | None = None,
    form: CommentForm | None = None,
    status: int = 200,
):
    args = _args(ThreadPageQuerySchema)
    viewer = _viewer()
    view = queries.load_thread_view(
        db.session, thread, viewer, order=CommentOrder(args["sort"]), focus=focus
    )
    ctx = _context(thread, viewer)
    return render_template(
        "discussions/thread.html",
        thread=thread,
        view=view,
        ctx=ctx,
        form=form or CommentForm(),
        orders=list(CommentOrder),
    ), status


@bp.get("/t/<int:thread_id>")
@login_required
def thread_short(thread_id: int):
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    return redirect(
        url_for(
            "discussions.thread_detail",
            thread_id=thread.id,
            slug=thread.slug or "discussion",
            **request.args,
        )
    )


@bp.get("/t/<int:thread_id>/<slug>")
@login_required
def thread_detail(thread_id: int, slug: str):
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    if slug != (thread.slug or "discussion"):
        return redirect(thread_path(thread), 301)
    return _render_thread(thread)


@bp.get("/t/<int:thread_id>/comments/<int:comment_id>")
@login_required
def focused_comment(thread_id: int, comment_id: int):
    thread, comment = _thread_and_comment(thread_id, comment_id)
    return _render_thread(thread, focus=comment)


# --- replying ------------------------------------------------------------------------


@bp.get("/t/<int:thread_id>/reply")
@login_required
def reply_page(thread_id: int):
    """The no-JavaScript way to answer a comment, or to quote it or the opening post."""
    args = _args(ReplyQuerySchema)
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    parent = service.get_comment(db.session, thread, args["to"]) if args["to"] else None
    urls = ThreadUrls.of(thread)
    body = ""
    if args["quote"]:
        quoted = parent if parent is not None else thread
        if quoted.deleted_at is None and quoted.hidden_at is None:
            author = quoted.author.handle if quoted.author else None
            where = urls.permalink(parent) if parent is not None else urls.page
            body = quote_markdown(quoted.body, author_handle=author, permalink=where)
    if wants_json():
        return jsonify(parent_id=parent.id if parent else None, body=body)
    form = CommentForm(data={"parent_id": str(parent.id) if parent else "", "body": body})
    return _render_reply_page(thread, parent, form)


def _render_reply_page(
    thread: Thread, parent: Comment | None, form: CommentForm, status: int = 200
):
    viewer = _viewer()
    ctx = _context(thread, viewer)
    parent_node = None
    if parent is not None:
        reactions = queries.comment_reactions(db.session, parent, viewer)
        parent_node = CommentNode(
            comment=parent,
            state=post_state(
                parent, viewer_is_moderator=viewer.is_moderator, blocked_ids=viewer.blocked_ids
            ),
            reactions=reactions,
        )
    if not ctx.can_reply and status == 200:
        status = 403
    return render_template(
        "discussions/reply.html", thread=thread, parent=parent_node, form=form, ctx=ctx
    ), status


@bp.post("/t/<int:thread_id>/comments")
@login_required
def post_comment(thread_id: int):
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    form = CommentForm()
    outcome = _submit(
        form,
        lambda: service.reply(
            db.session,
            actor=_actor(),
            thread=thread,
            body=form.body.data,
            parent_id=_parent_id(form),
        ),
    )
    if outcome.done:
        comment = outcome.result.post
        notifications.push_after_commit(outcome.result.notifications)
        live.announce_new_comment(comment)
        urls = ThreadUrls.of(thread)
        if wants_json():
            node = node_for_everyone(comment)
            ctx = _context(thread, _viewer())
            return jsonify(
                comment_id=comment.id,
                parent_id=comment.parent_id,
                depth=comment.depth,
                html=str(render_comment_branch(node, ctx)),
                permalink=urls.permalink(comment),
                continue_url=urls.comment(comment.parent_id) if comment.parent_id else None,
                comment_count=thread.comment_count,
            ), 201
        flash("Your reply is posted.", "success")
        return redirect(urls.permalink(comment))
    status = outcome.status
    if wants_json():
        return _json_refusal(form, status)
    parent = None
    if form.parent_id.data and form.parent_id.data.isdigit():
        parent = db.session.get(Comment, int(form.parent_id.data))
        if parent is not None and parent.thread_id != thread.id:
            parent = None
    return _render_reply_page(thread, parent, form, status)


# --- editing, deleting and history of comments --------------------------------------


@bp.route("/t/<int:thread_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(thread_id: int, comment_id: int):
    thread, comment = _thread_and_comment(thread_id, comment_id)
    _require_change(comment.author_id, "comment")
    form = EditCommentForm(data={"body": comment.body} if request.method == "GET" else None)
    outcome = _submit(
        form,
        lambda: service.edit_comment(
            db.session, actor=_actor(), comment=comment, body=form.body.data
        ),
    )
    if outcome.done:
        live.announce_comment_changed(db.session, comment, "comment_updated")
        flash("Your changes are saved.", "success")
        return redirect(ThreadUrls.of(thread).permalink(comment))
    return render_template(
        "discussions/edit_comment.html",
        form=form,
        thread=thread,
        comment=comment,
        back=ThreadUrls.of(thread).permalink(comment),
    ), outcome.status


@bp.route("/t/<int:thread_id>/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@login_required
def delete_comment(thread_id: int, comment_id: int):
    thread, comment = _thread_and_comment(thread_id, comment_id)
    _require_change(comment.author_id, "comment")
    form = ConfirmForm()
    urls = ThreadUrls.of(thread)
    if form.validate_on_submit():
        service.delete_comment(db.session, actor=_actor(), comment=comment)
        db.session.commit()
        live.announce_comment_changed(db.session, comment, "comment_deleted")
        if wants_json():
            return jsonify(comment_id=comment.id, deleted=True)
        flash("The comment is deleted; replies to it stay.", "info")
        return redirect(urls.permalink(comment))
    return render_template(
        "discussions/confirm_delete.html",
        form=form,
        what="comment",
        title=None,
        excerpt=comment.body_html,
        back=urls.permalink(comment),
        action=request.path,
    )


@bp.get("/t/<int:thread_id>/comments/<int:comment_id>/history")
@login_required
def comment_history(thread_id: int, comment_id: int):
    thread, comment = _thread_and_comment(thread_id, comment_id)
    revisions = queries.comment_history(db.session, comment, current_user)
    return render_template(
        "discussions/history.html",
        thread=thread,
        current_title=None,
        current_html=comment.body_html,
        edited_at=comment.edited_at,
        revisions=revisions,
        render_markdown=render_markdown,
        back=ThreadUrls.of(thread).permalink(comment),
    )


# --- reactions -----------------------------------------------------------------------


@bp.post("/t/<int:thread_id>/reactions")
@login_required
def react(thread_id: int):
    thread = queries.get_thread_for_page(db.session, thread_id, current_user)
    form = ReactionForm()
    if not form.validate_on_submit():
        if wants_json():
            return _json_refusal(form, 422)
        flash("That reaction is not one we know.", "error")
        return redirect(thread_path(thread))
    kind, comment_id = form.target()
    comment = service.get_comment(db.session, thread, comment_id) if comment_id else None
    toggled = service.toggle_reaction(
        db.session, actor=_actor(), thread=thread, comment=comment, kind=kind
    )
    db.session.commit()
    state = live.reaction_state(db.session, thread, comment, toggled, _viewer())
    live.announce_reaction(state, current_user.id)
    if wants_json():
        return jsonify(state)
    urls = ThreadUrls.of(thread)
    return redirect(urls.permalink(comment) if comment else urls.page + "#post")


# --- search --------------------------------------------------------------------------


@bp.get("/search")
@login_required
def search():
    args = _args(SearchQuerySchema)
    query = args["q"].strip()
    page = search_posts(db.session, _viewer(), query, page=args["page"]) if query else None
    urls_for: dict[int, ThreadUrls] = {}

    def permalink(hit) -> str:
        if hit.thread_id not in urls_for:
            urls_for[hit.thread_id] = ThreadUrls(hit.thread_id, hit.thread_slug)
        urls = urls_for[hit.thread_id]
        if hit.comment_id is None:
            return urls.page
        return urls.permalink_at(hit.comment_id, hit.comment_depth, hit.comment_path)

    return render_template("discussions/search.html", query=query, page=page, permalink=permalink)


# --- categories (admins) -------------------------------------------------------------


def _require_admin() -> None:
    if not service.can_moderate(current_user):
        raise NotAllowed("Only admins can manage categories.")


def _render_admin(
    new_form: CategoryForm | None = None, edit_forms: dict | None = None, status: int = 200
):
    categories = queries.list_categories(db.session)
    forms = {each.id: CategoryForm(prefix=f"category-{each.id}", obj=each) for each in categories}
    forms.update(edit_forms or {})
    return render_template(
        "discussions/admin_categories.html",
        categories=categories,
        forms=forms,
        new_form=new_form or CategoryForm(prefix="new"),
        move_form=MoveCategoryForm(),
        counts=queries.thread_counts_by_category(db.session, _viewer()),
    ), status


@bp.get("/admin/categories")
@login_required
def admin_categories():
    _require_admin()
    return _render_admin()


def _category_write(
    form: CategoryForm,
    write: Callable[[], object],
    done: str,
    on_error: Callable[[CategoryForm, int], Any],
):
    outcome = _submit(form, write)
    if not outcome.done:
        return on_error(form, outcome.status)
    flash(done, "success")
    return redirect(url_for("discussions.admin_categories"))


@bp.post("/admin/categories")
@login_required
def create_category():
    _require_admin()
    form = CategoryForm(prefix="new")
    return _category_write(
        form,
        lambda: service.create_category(
            db.session,
            actor=_actor(),
            name=form.name.data,
            description=form.description.data or "",
        ),
        "Category added.",
        lambda form, status: _render_admin(new_form=form, status=status),
    )


@bp.post("/admin/categories/<int:category_id>")
@login_required
def update_category(category_id: int):
    _require_admin()
    found = service.get_category(db.session, category_id)
    form = CategoryForm(prefix=f"category-{found.id}")
    return _category_write(
        form,
        lambda: service.update_category(
            db.session,
            actor=_actor(),
            category=found,
            name=form.name.data,
            description=form.description.data or "",
        ),
        "Category saved.",
        lambda form, status: _render_admin(edit_forms={found.id: form}, status=status),
    )


@bp.post("/admin/categories/<int:category_id>/move")
@login_required
def move_category(category_id: int):
    _require_admin()
    found = service.get_category(db.session, category_id)
    form = MoveCategoryForm()
    if form.validate_on_submit():
        offset = -1 if form.direction.data == "up" else 1
        service.move_category(db.session, actor=_actor(), category=found, offset=offset)
        db.session.commit()
        flash(f"Moved “{found.name}” {form.direction.data}.", "success")
    return redirect(url_for("discussions.admin_categories"))
