"""Discussion pages. Thin: read the input, call the service, answer. The request
boundary commits once (``hallway.core.unit_of_work``); the service has recorded what
open pages hear after that commit.

Every page works without JavaScript (plain forms, redirects to the permalink). When
discussions.js posts a form with ``Accept: application/json`` the same routes answer
with JSON and the rendered fragment instead of a redirect, dumped by the same schemas
as the API's and the live events' (a new comment: CommentPlacedSchema).

Routes get their thread and comment loaded and their visibility checked by ``@loads``
(``queries.visible_thread`` and friends); a form's values are loaded by the API's input
schema (``forms.form_values``), so both refuse the same input with the same messages.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from markupsafe import Markup
from marshmallow import Schema
from sqlalchemy import select

from hallway.core import unit_of_work
from hallway.core.errors import DomainError, InvalidInput, wants_json
from hallway.core.forms import FlaskForm, csrf_token, id_or_none, show_field_errors
from hallway.core.fragment_cache import current_versions
from hallway.core.fragment_cache import fragments as fragments_cache
from hallway.core.i18n import current_locale_name
from hallway.core.loading import loads
from hallway.core.markdown import render_markdown
from hallway.core.shell import kept_page
from hallway.core.urls import profile_path, safe_next_path
from hallway.core.validation import load_or_refuse
from hallway.db import db
from hallway.discussions import (
    fragments,
    live,
    participants,
    queries,
    service,
    subscriptions,
    versions,
    windows,
)
from hallway.discussions.forms import (
    CATEGORY_PLACEHOLDER,
    CategoryForm,
    CommentForm,
    ConfirmForm,
    EditCommentForm,
    EditThreadForm,
    MoveCategoryForm,
    ReactionForm,
    SubscriptionForm,
    ThreadForm,
    form_values,
)
from hallway.discussions.links import ThreadUrls, thread_path
from hallway.discussions.models import Category, Comment, Thread
from hallway.discussions.queries import ThreadOrder, Viewer
from hallway.discussions.rendering import (
    PageContext,
    PageState,
    ThreadFacts,
    article_html,
    context_html,
    fill_slots,
    kept_thread_page,
    node_for_everyone,
    page_state,
    page_values,
    reaction_bar,
    shared_thread_page,
    shown_to,
    subscription_control,
    thread_facts,
    tree_html,
    window_html,
)
from hallway.discussions.schemas import (
    CategoryInputSchema,
    CommentCreateSchema,
    CommentSchema,
    CommentUpdateSchema,
    MoveThreadSchema,
    ReactionStateSchema,
    ReactionToggleSchema,
    ReplyDraftSchema,
    ReplyQuerySchema,
    SearchQuerySchema,
    ShownComment,
    SubscriptionSchema,
    ThreadCreateSchema,
    ThreadListQuerySchema,
    ThreadPageQuerySchema,
    ThreadUpdateSchema,
)
from hallway.discussions.search import search_posts
from hallway.discussions.subscriptions import SubscriptionLevel
from hallway.discussions.text import quote_markdown
from hallway.discussions.tree import CommentOrder
from hallway.members import service as members
from hallway.moderation import service as moderation
from hallway.realtime import current_seq

bp = Blueprint("discussions", __name__)
bp.add_app_template_global(profile_path, "profile_path")
bp.add_app_template_global(reaction_bar, "reaction_bar")


@bp.app_template_filter("discussion_time")
def discussion_time(moment: datetime) -> str:
    """'29 Nov 2026, 14:05 UTC'."""
    return fragments.discussion_time(moment)


# --- small helpers -------------------------------------------------------------------


#: Each query schema's values for an address without a query string (loaded once).
_DEFAULT_ARGS: dict[type[Schema], dict[str, Any]] = {}


def _args(schema: type[Schema]) -> dict[str, Any]:
    """The query string's values; without one, the schema's defaults (no load per page)."""
    if request.query_string:
        return load_or_refuse(schema(), request.args.to_dict())
    defaults = _DEFAULT_ARGS.get(schema)
    if defaults is None:
        defaults = _DEFAULT_ARGS[schema] = load_or_refuse(schema(), {})
    return dict(defaults)


def _viewer() -> Viewer:
    return Viewer.of(db.session, current_user)


def _actor():
    return current_user._get_current_object()


def _context(thread: Thread, viewer: Viewer) -> PageContext:
    return PageContext.for_page(thread, viewer, csrf_token())


@dataclass
class Outcome:
    done: bool
    result: Any = None
    status: int = 200


def _submit(form: FlaskForm, schema: Schema, action: Callable[[dict[str, Any]], Any]) -> Outcome:
    """Once the form is posted (its CSRF token checked), load its values with the API's
    ``schema`` and run ``action`` (a service call) with them; the request commits it.

    On a refusal, by the schema or the service: roll back at once (what the service
    flushed and the effects it recorded, so the re-rendered form reads the database as
    it was), put the messages next to the form's fields, and give the status it should
    carry (422, or the refusal's own: 403, 409, 429...).
    """
    if not form.validate_on_submit():
        return Outcome(False, status=422 if form.is_submitted() else 200)
    try:
        result = action(load_or_refuse(schema, form_values(form)))
    except DomainError as error:
        unit_of_work.rollback(db.session)
        show_field_errors(form, error)
        return Outcome(False, status=error.status_code)
    return Outcome(True, result)


def _json_refusal(form: FlaskForm, status: int):
    """A refused form for the page's script: the error shape of every JSON answer."""
    errors = {name: messages for name, messages in form.errors.items() if name and messages}
    message = (form.form_errors or ["Please correct the highlighted fields."])[0]
    return jsonify(InvalidInput(message, errors).to_dict()), status


# --- lists ---------------------------------------------------------------------------


#: Where a category page's subscription control (the reader's own) goes in the kept
#: list page: a per-process random marker no member can type.
_SUBSCRIPTION_SLOT = f"<!--subscription-{secrets.token_hex(12)}-->"


def _thread_list(
    *,
    category: Category | None = None,
    tag: str | None = None,
    endpoint: str,
    url_args: dict[str, str],
):
    """A list page. Its content (the list, the category counts, the heading, the tabs)
    is the same for every reader with the same rights, so its HTML is kept per page
    address, language, moderator-or-not and admin-or-not while the threads
    (``versions.THREADS``) and the authors' names (the directory's version) stay as they
    were; the category's subscription control is the reader's own, put in per request."""
    args = _args(ThreadListQuerySchema)
    session = db.session
    # Read before the data (see core.fragment_cache).
    current = current_versions(session, [versions.THREADS, members.DIRECTORY])
    is_moderator = moderation.can_moderate(current_user)
    key = (
        "thread-list-page",
        current_locale_name(),
        category.id if category else None,
        tag,
        endpoint,
        tuple(sorted(url_args.items())),
        is_moderator,
        bool(current_user.is_admin),
        args["sort"],
        args["page"],
    )
    body = fragments_cache.get(key, current)
    if body is None:
        body = _list_page_body(category, tag, endpoint, url_args, args)
        fragments_cache.put(key, current, body)
    body_start, _, body_end = body.partition(_SUBSCRIPTION_SLOT)
    control = Markup("")
    if category is not None and current_user.is_authenticated:
        level = subscriptions.subscription_level(session, current_user.id, "category", category.id)
        control = subscription_control("category", category.id, level.value, csrf_token())
    title = category.name if category else (f"#{tag}" if tag else gettext("Discussions"))
    content = Markup(body_start) + control + Markup(body_end)
    return kept_page("discussions/index.html", title=title, content=content)


def _list_page_body(
    category: Category | None,
    tag: str | None,
    endpoint: str,
    url_args: dict[str, str],
    args: dict[str, Any],
) -> str:
    """The list page's kept content (``_thread_list``): nothing personal in it."""
    session = db.session
    viewer = _viewer()
    page = queries.list_threads(
        session,
        viewer,
        category=category,
        tag=tag,
        order=ThreadOrder(args["sort"]),
        page=args["page"],
    )
    return render_template(
        "discussions/_list_page.html",
        page=page,
        # The opener and the latest repliers of every row: one query for the page.
        people=participants.for_threads(session, [thread.id for thread in page.items]),
        categories=queries.list_categories(session),
        counts=queries.thread_counts_by_category(session, viewer),
        category=category,
        tag=tag,
        sort=args["sort"],
        orders=list(ThreadOrder),
        endpoint=endpoint,
        url_args=url_args,
        subscription_slot=Markup(_SUBSCRIPTION_SLOT),
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
    """The categories, after an empty first option: a required select starts with a
    placeholder (HTML's rule), so nobody posts to the first category by not choosing."""
    form.category_id.choices = [("", str(CATEGORY_PLACEHOLDER))] + [
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
        ThreadCreateSchema(),
        lambda values: service.start_thread(db.session, actor=_actor(), **values),
    )
    if outcome.done:
        flash(gettext("Your discussion is started."), "success")
        return redirect(thread_path(outcome.result.post))
    return render_template("discussions/thread_form.html", form=form, thread=None), outcome.status


@bp.route("/t/<int:thread_id>/edit", methods=["GET", "POST"])
@login_required
@loads("thread", queries.changeable_thread)
def edit_thread(thread: Thread):
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
        ThreadUpdateSchema(),
        lambda values: service.edit_thread(db.session, actor=_actor(), thread=thread, **values),
    )
    if outcome.done:
        flash(gettext("Your changes are saved."), "success")
        return redirect(thread_path(thread))
    return render_template("discussions/thread_form.html", form=form, thread=thread), outcome.status


@bp.route("/t/<int:thread_id>/delete", methods=["GET", "POST"])
@login_required
@loads("thread", queries.changeable_thread)
def delete_thread(thread: Thread):
    form = ConfirmForm()
    if form.validate_on_submit():
        service.delete_thread(db.session, actor=_actor(), thread=thread)
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
@loads("thread", queries.visible_thread)
def pin_thread(thread: Thread):
    form = ConfirmForm()
    if form.validate_on_submit():
        pinned = request.form.get("pinned") == "1"
        service.set_pinned(db.session, actor=_actor(), thread=thread, pinned=pinned)
        flash("Pinned to the top." if pinned else "Unpinned.", "success")
    return redirect(thread_path(thread))


# Moderators lock and move threads from the moderation queue (same addresses as ever).


def _back_to_queue():
    return redirect(safe_next_path(request.form.get("next"), url_for("moderation.queue")))


@bp.post("/moderation/threads/<int:thread_id>/<any(lock, unlock):action>")
@login_required
@loads("thread", queries.visible_thread)
def lock_thread(thread: Thread, action: str):
    locked = action == "lock"
    service.set_locked(db.session, actor=_actor(), thread=thread, locked=locked)
    flash(
        "The discussion is locked: no new replies."
        if locked
        else "The discussion takes replies again.",
        "success",
    )
    return _back_to_queue()


@bp.post("/moderation/threads/<int:thread_id>/move")
@login_required
@loads("thread", queries.visible_thread)
def move_thread(thread: Thread):
    values = load_or_refuse(MoveThreadSchema(), request.form.to_dict())
    service.move_thread(db.session, actor=_actor(), thread=thread, **values)
    flash(f"Moved the discussion to {thread.category.name}.", "success")
    return _back_to_queue()


@bp.get("/t/<int:thread_id>/history")
@login_required
@loads("thread", queries.visible_thread)
def thread_history(thread: Thread):
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


def _render_thread(thread: Thread, *, focus: Comment | None = None):
    """A comment's page (it, its context and a window of its replies; ``?after=`` moves
    the window on), or with ``?fragment=1`` only a window's HTML of a thread's or a
    comment's page, for the page's script to put in place (``level``: how deep it goes
    on that page). The thread's own page is ``thread_detail``'s."""
    args = _args(ThreadPageQuerySchema)
    viewer = _viewer()
    order = CommentOrder(args["sort"])
    if args["fragment"]:
        level = args["level"] if args["level"] is not None else (0 if focus is None else 1)
        window = windows.replies_fragment(
            db.session, thread, viewer, focus, order=order, after=args["after"], level=level
        )
        ctx = PageContext.for_page(
            thread, viewer, "", order=order, unlinked_author_ids=window.unlinked_author_ids
        )
        return make_response(str(window_html(window.window, ctx)))
    assert focus is not None, "the thread's own page is thread_detail's"
    # Read before the comments: the page is at least as new as this number, and the
    # live script asks for every event after it (seen twice is harmless, missed is not).
    live_seq = current_seq(db.session, live.thread_topic(thread.id))
    page = windows.comment_page(db.session, thread, viewer, focus, order=order, after=args["after"])
    ctx = PageContext.for_page(
        thread, viewer, csrf_token(), order=order, unlinked_author_ids=page.unlinked_author_ids
    )
    level = (
        subscriptions.subscription_level(db.session, viewer.user_id, "thread", thread.id)
        if viewer.user_id is not None
        else SubscriptionLevel.normal
    )
    return render_template(
        "discussions/thread.html",
        title=thread.title,
        thread=thread,
        page=page,
        subscription=subscription_control("thread", thread.id, level.value, ctx.csrf),
        tree=tree_html(page, ctx),
        context=context_html(page, ctx),
        ctx=ctx,
        orders=list(CommentOrder),
        live_seq=live_seq,
    )


def _render_thread_page(
    thread: ThreadFacts, viewer: Viewer, order: CommentOrder, shared: str, state: PageState
):
    """The thread's own page: ``shared``, its body for every reader (kept between
    requests), filled with this reader's parts (their reactions: read with ``state``)."""
    session = db.session
    ctx = PageContext.for_page(thread, viewer, csrf_token(), order=order)
    posting = moderation.posting_allowance(session, current_user) if ctx.can_reply else None
    subscription = subscription_control("thread", thread.id, state.level.value, ctx.csrf)
    values = page_values(thread, ctx, state, subscription, posting)
    # The body goes into the rendered shell as the bytes sent, not through the template
    # (which would copy its hundred kilobytes twice more, then encode them).
    shell = kept_page("discussions/thread.html", title=thread.title, content=_BODY_MARK)
    head, _, tail = shell.partition(_BODY_MARK)
    body = fill_slots(shared, ctx, state.own_reactions, values)
    return make_response(b"".join([head.encode(), *body, tail.encode()]))


#: Where the thread page's body goes in its shell (a per-process mark no one can type).
_BODY_MARK = Markup(f"\ue000body{secrets.token_hex(8)}\ue000")


@bp.get("/t/<int:thread_id>")
@login_required
@loads("thread", queries.visible_thread)
def thread_short(thread: Thread):
    # The query string goes along (?sort=...), but never as url_for's own arguments.
    query: dict[str, Any] = {
        name: value
        for name, value in request.args.items()
        if name not in ("thread_id", "slug") and not name.startswith("_")
    }
    slug = thread.slug or "discussion"
    return redirect(url_for("discussions.thread_detail", thread_id=thread.id, slug=slug, **query))


@bp.get("/t/<int:thread_id>/<slug>")
@login_required
def thread_detail(thread_id: int, slug: str):
    """The thread page. Its body is kept (``shared_thread_page``) with what the page
    reads of the thread (``thread_facts``): a repeat view reads neither the thread nor
    its comments, only the page's state and the reader's reactions."""
    session = db.session
    # Before the thread: the HTML the page keeps is then at least as new as the thread
    # it is shown with (see core.fragment_cache).
    state = page_state(session, thread_id, current_user.id)
    args = _args(ThreadPageQuerySchema)
    viewer = _viewer()
    order, after = CommentOrder(args["sort"]), args["after"]
    shared = None
    if not args["fragment"]:
        current = state.versions
        shared = kept_thread_page(thread_id, viewer, order=order, after=after, current=current)
    if shared is None:
        thread = queries.thread_for_page(session, thread_id, current_user)
        if slug != (thread.slug or "discussion"):
            return _moved(thread.id, thread.slug)
        if args["fragment"]:
            return _render_thread(thread)
        shared = shared_thread_page(
            session, thread, viewer, order=order, after=after, current=state.versions
        )
    facts = queries.seen_thread(current_user, thread_facts(shared))
    if slug != (facts.slug or "discussion"):
        return _moved(facts.id, facts.slug)
    return _render_thread_page(facts, viewer, order, shared, state)


def _moved(thread_id: int, slug: str):
    """To the thread's address under its current slug, with the query string."""
    query = request.query_string.decode("ascii", "replace")
    address = url_for("discussions.thread_detail", thread_id=thread_id, slug=slug or "discussion")
    return redirect(address + (f"?{query}" if query else ""), 301)


@bp.get("/t/<int:thread_id>/comments/<int:comment_id>")
@login_required
@loads("thread", queries.visible_thread)
@loads("comment", queries.comment_in_thread, within="thread")
def focused_comment(thread: Thread, comment: Comment):
    return _render_thread(thread, focus=comment)


# --- replying ------------------------------------------------------------------------


@bp.get("/t/<int:thread_id>/reply")
@login_required
@loads("thread", queries.visible_thread)
def reply_page(thread: Thread):
    """The no-JavaScript way to answer a comment, or to quote it or the opening post."""
    args = _args(ReplyQuerySchema)
    parent = (
        queries.comment_in_thread(db.session, current_user, args["to"], thread)
        if args["to"]
        else None
    )
    urls = ThreadUrls.of(thread)
    body = ""
    if args["quote"]:
        quoted = parent if parent is not None else thread
        if quoted.deleted_at is None and quoted.hidden_at is None:
            author = quoted.author.handle if quoted.author else None
            where = urls.permalink(parent) if parent is not None else urls.page
            body = quote_markdown(quoted.body, author_handle=author, permalink=where)
    if wants_json():
        draft = {"parent_id": parent.id if parent else None, "body": body}
        return jsonify(ReplyDraftSchema().dump(draft))
    form = CommentForm(data={"parent_id": str(parent.id) if parent else "", "body": body})
    return _render_reply_page(thread, parent, form)


def _render_reply_page(
    thread: Thread, parent: Comment | None, form: CommentForm, status: int = 200
):
    viewer = _viewer()
    authors = {parent.author_id} if parent is not None and parent.author_id else set()
    ctx = PageContext.for_page(
        thread,
        viewer,
        csrf_token(),
        unlinked_author_ids=frozenset(members.private_profile_user_ids(db.session, authors)),
    )
    shown = None
    if parent is not None:
        shown = shown_to(parent, viewer, queries.comment_reactions(db.session, parent, viewer))
    if not ctx.can_reply and status == 200:
        status = 403
    return render_template(
        "discussions/reply.html",
        thread=thread,
        parent=shown,
        parent_html=Markup(article_html(shown, ctx)) if shown else None,
        form=form,
        ctx=ctx,
    ), status


@bp.post("/t/<int:thread_id>/comments")
@login_required
@loads("thread", queries.visible_thread)
def post_comment(thread: Thread):
    form = CommentForm()
    outcome = _submit(
        form,
        CommentCreateSchema(),
        lambda values: service.reply(db.session, actor=_actor(), thread=thread, **values),
    )
    if outcome.done:
        comment = outcome.result.post
        urls = ThreadUrls.of(thread)
        if wants_json():
            # The same shape as the comment_created event, rendered for the poster.
            return jsonify(live.new_comment_data(comment, _context(thread, _viewer()))), 201
        flash("Your reply is posted.", "success")
        return redirect(urls.permalink(comment))
    status = outcome.status
    if wants_json():
        return _json_refusal(form, status)
    parent = None
    if (parent_id := id_or_none(form.parent_id.data)) is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is not None and parent.thread_id != thread.id:
            parent = None
    return _render_reply_page(thread, parent, form, status)


# --- editing, deleting and history of comments --------------------------------------


@bp.route("/t/<int:thread_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
@loads("thread", queries.visible_thread)
@loads("comment", queries.changeable_comment, within="thread")
def edit_comment(thread: Thread, comment: Comment):
    form = EditCommentForm(data={"body": comment.body} if request.method == "GET" else None)
    outcome = _submit(
        form,
        CommentUpdateSchema(),
        lambda values: service.edit_comment(db.session, actor=_actor(), comment=comment, **values),
    )
    if outcome.done:
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
@loads("thread", queries.visible_thread)
@loads("comment", queries.changeable_comment, within="thread")
def delete_comment(thread: Thread, comment: Comment):
    form = ConfirmForm()
    urls = ThreadUrls.of(thread)
    if form.validate_on_submit():
        service.delete_comment(db.session, actor=_actor(), comment=comment)
        if wants_json():  # the comment as the API now shows it: deleted
            shown = ShownComment(node_for_everyone(comment), url=urls.permalink(comment))
            return jsonify(CommentSchema().dump(shown))
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
@loads("thread", queries.visible_thread)
@loads("comment", queries.comment_in_thread, within="thread")
def comment_history(thread: Thread, comment: Comment):
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
@loads("thread", queries.visible_thread)
def react(thread: Thread):
    form = ReactionForm()
    pressed = _pressed(form)
    if pressed is None:
        if wants_json():
            return _json_refusal(form, 422)
        flash("That reaction is not one we know.", "error")
        return redirect(thread_path(thread))
    values, comment_id = pressed
    comment = (
        queries.comment_in_thread(db.session, current_user, comment_id, thread)
        if comment_id is not None
        else None
    )
    toggled = service.toggle_reaction(
        db.session, actor=_actor(), thread=thread, comment=comment, **values
    )
    if wants_json():
        state = live.reaction_state(db.session, thread, comment, toggled, _viewer())
        return jsonify(ReactionStateSchema().dump(state))
    urls = ThreadUrls.of(thread)
    return redirect(urls.permalink(comment) if comment else urls.page + "#post")


def _pressed(form: ReactionForm) -> tuple[dict[str, Any], int | None] | None:
    """The pressed button: its kind, loaded as the API loads it, and the comment id
    (None for the opening post). None, with the message on the form, when it is not a
    reaction button's."""
    if not form.validate_on_submit():
        return None
    target = form.target()
    if target is None:
        form.reaction.errors = ["Unknown reaction."]
        return None
    kind, comment_id = target
    try:
        return load_or_refuse(ReactionToggleSchema(), {"kind": kind}), comment_id
    except InvalidInput as error:
        form.reaction.errors = list(error.field_errors.get("kind", [error.message]))
        return None


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
        return fragments.permalink(hit.thread_id, hit.comment_id)

    return render_template("discussions/search.html", query=query, page=page, permalink=permalink)


# --- categories (admins) -------------------------------------------------------------


def _require_admin() -> None:
    queries.require_category_manager(current_user)


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
    write: Callable[[dict[str, Any]], object],
    done: str,
    on_error: Callable[[CategoryForm, int], Any],
):
    outcome = _submit(form, CategoryInputSchema(), write)
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
        lambda values: service.create_category(db.session, actor=_actor(), **values),
        gettext("Category added."),
        lambda form, status: _render_admin(new_form=form, status=status),
    )


@bp.post("/admin/categories/<int:category_id>")
@login_required
@loads("category", queries.managed_category)
def update_category(category: Category):
    form = CategoryForm(prefix=f"category-{category.id}")
    return _category_write(
        form,
        lambda values: service.update_category(
            db.session, actor=_actor(), category=category, **values
        ),
        gettext("Category saved."),
        lambda form, status: _render_admin(edit_forms={category.id: form}, status=status),
    )


@bp.post("/admin/categories/<int:category_id>/move")
@login_required
@loads("category", queries.managed_category)
def move_category(category: Category):
    form = MoveCategoryForm()
    if form.validate_on_submit():
        offset = -1 if form.direction.data == "up" else 1
        service.move_category(db.session, actor=_actor(), category=category, offset=offset)
        flash(
            gettext("Moved “%(name)s” up.", name=category.name)
            if offset < 0
            else gettext("Moved “%(name)s” down.", name=category.name),
            "success",
        )
    return redirect(url_for("discussions.admin_categories"))


# --- watch / mute ----------------------------------------------------------------------


@bp.app_context_processor
def subscription_helpers() -> dict[str, object]:
    """For the watch/mute control on thread and category pages: the current level."""

    def subscription_level_for(subject_type: str, subject_id: int) -> str:
        if not current_user.is_authenticated:
            return SubscriptionLevel.normal.value
        level = subscriptions.subscription_level(
            db.session, current_user.id, subject_type, subject_id
        )
        return level.value

    return {
        "subscription_level_for": subscription_level_for,
        "subscription_levels": list(SubscriptionLevel),
    }


# Under /notifications/ in the URL: members find it with their other notification settings.
@bp.post("/notifications/subscriptions/<any(thread, category):subject_type>/<int:subject_id>")
@login_required
def set_subscription(subject_type: str, subject_id: int):
    form = SubscriptionForm()
    if not form.validate_on_submit():
        messages = [message for errors in form.errors.values() for message in errors]
        raise InvalidInput(
            " ".join(messages) or gettext("This form has expired. Please try again.")
        )
    try:  # the level as the API loads it; its message is the page's title
        values = load_or_refuse(SubscriptionSchema(), {"level": form.level.data or ""})
    except InvalidInput as error:
        raise InvalidInput(" ".join(error.field_errors.get("level", [error.message]))) from None
    level = subscriptions.set_subscription_level(
        db.session,
        actor=_actor(),
        subject_type=subject_type,
        subject_id=subject_id,
        **values,
    )
    flash(_level_message(subject_type, level), "success")
    return redirect(safe_next_path(form.next.data, url_for("notifications.index")))


def _level_message(subject_type: str, level: SubscriptionLevel) -> str:
    # Whole sentences per case: French agrees "ce fil" / "cette catégorie".
    if subject_type == "thread":
        if level is SubscriptionLevel.watching:
            return gettext("You are watching this discussion: you will hear about every new post.")
        if level is SubscriptionLevel.muted:
            return gettext("You muted this discussion: you will not hear about it.")
        return gettext(
            "You will hear about this discussion only when someone replies to or mentions you."
        )
    if level is SubscriptionLevel.watching:
        return gettext("You are watching this category: you will hear about every new post.")
    if level is SubscriptionLevel.muted:
        return gettext("You muted this category: you will not hear about it.")
    return gettext(
        "You will hear about this category only when someone replies to or mentions you."
    )
