"""Rooms' pages: an event's lobby, the room page, and every action as a plain form.

Thin over ``rooms.service``: read the form, call the service, answer (a redirect, or
the page again with the refusal next to its field and the status it carries). The room
page works without JavaScript: the composer posts, "load earlier" is a link
(``?before=<seq>``), replies are ``?reply_to=<id>``, each action is a button in a form.
``static/js/rooms.js`` adds the live layer over the socket (``rooms.sockets``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext, lazy_gettext
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from hallway.core import unit_of_work
from hallway.core.errors import DomainError, NotAllowed
from hallway.core.forms import show_field_errors
from hallway.core.shell import kept_page
from hallway.db import db
from hallway.discussions.links import thread_path
from hallway.events import service as events_service
from hallway.events.models import Event
from hallway.members.vocabulary import translated_stages
from hallway.moderation import service as moderation
from hallway.moderation.models import FlagReason
from hallway.realtime import presence as realtime_presence
from hallway.rooms import rendering, service
from hallway.rooms.forms import (
    SLOW_MODE_CHOICES,
    ConfirmForm,
    EditMessageForm,
    FlagForm,
    MessageForm,
    ReactionForm,
    RoomForm,
    SlowModeForm,
    TableForm,
    slow_mode_label,
)
from hallway.rooms.models import RoomMessage

bp = Blueprint("rooms", __name__)


def _viewer() -> Any:
    return current_user._get_current_object()


def _room_url(room_id: int, **kwargs: Any) -> str:
    return url_for("rooms.room_page", room_id=room_id, **kwargs)


def _refuse(error: DomainError) -> None:
    """A button's refusal (no field to show it next to): roll back and flash it."""
    unit_of_work.rollback(db.session)
    flash(error.message, "error")


def _done(message: str) -> None:
    flash(message, "success")


def _load_event(event_id: int) -> Event:
    return events_service.visible_event(db.session, _viewer(), event_id)


def _page_data() -> Markup:
    """What rooms.js needs to draw a message like the page does, in the page's language."""
    return _page_data_in(str(get_locale()))


@lru_cache(maxsize=16)
def _page_data_in(locale: str) -> Markup:
    data = {
        "reactions": rendering.reactions_offered(),
        "stages": {code: str(stage.label) for code, stage in translated_stages().items()},
    }
    # ASCII only: the emoji as JSON escapes keep the page two bytes a character in Python
    # (see core.templating.as_character_references).
    text = json.dumps(data).replace("<", "\\u003c")
    return Markup('<script type="application/json" id="room-data">{}</script>').format(Markup(text))


# --- The lobby --------------------------------------------------------------------------


def _lobby(event_id: int, room_form: RoomForm | None = None, table_form: TableForm | None = None):
    """The lobby page; ``room_form``/``table_form``: a refused submission to show again."""
    page = service.lobby_page(db.session, _viewer(), event_id)
    event = page.event
    if room_form is None and table_form is None:
        forms = rendering.lobby_forms(
            event.id, organiser=page.organiser, table=page.going or page.organiser
        )
    else:
        room_form = room_form or RoomForm(prefix="room")
        table_form = table_form or TableForm(prefix="table")
        forms = Markup(
            render_template(
                "rooms/_lobby_forms.html",
                event_id=event.id,
                is_organiser=page.organiser,
                show_table=bool(
                    page.going or page.organiser or table_form.errors or table_form.form_errors
                ),
                room_form=room_form,
                table_form=table_form,
            )
        )
    content = rendering.lobby_body(
        event,
        has_rooms=bool(page.entries),
        rows=rendering.lobby_rows(page.entries),
        forms=forms,
    )
    title = gettext("Rooms at %(title)s", title=event.title)
    return kept_page("rooms/page.html", title=title, content=content)


@bp.get("/events/<int:event_id>/rooms")
@login_required
def lobby(event_id: int):
    """The event's rooms: how many are in each and who, live with rooms.js."""
    return _lobby(event_id)


def _size(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


@bp.post("/events/<int:event_id>/rooms")
@login_required
def create_room(event_id: int):
    event = _load_event(event_id)
    form = RoomForm(prefix="room")
    if form.validate_on_submit():
        data = {
            "name": form.name.data or "",
            "topic": form.topic.data or "",
            "access": form.access.data,
            "size_limit": _size(form.size_limit.data),
        }
        try:
            room = service.create_room(db.session, _viewer(), event.id, data)
        except DomainError as error:
            unit_of_work.rollback(db.session)
            show_field_errors(form, error)
            return _lobby(event.id, room_form=form), error.status_code
        _done(gettext("The room is open."))
        return redirect(_room_url(room.id))
    return _lobby(event.id, room_form=form), 422


@bp.post("/events/<int:event_id>/tables")
@login_required
def open_table(event_id: int):
    event = _load_event(event_id)
    form = TableForm(prefix="table")
    if form.validate_on_submit():
        data = {
            "name": form.name.data or "",
            "topic": form.topic.data or "",
            "size_limit": _size(form.size_limit.data),
        }
        try:
            room = service.open_table(db.session, _viewer(), event.id, data)
        except DomainError as error:
            unit_of_work.rollback(db.session)
            show_field_errors(form, error)
            return _lobby(event.id, table_form=form), error.status_code
        _done(gettext("Your table is open."))
        return redirect(_room_url(room.id))
    return _lobby(event.id, table_form=form), 422


@bp.get("/events/<int:event_id>/rooms/<int:room_id>")
@login_required
def room_by_event(event_id: int, room_id: int):
    """The address notifications use (``service.room_path``): the room page."""
    room = service.visible_room(db.session, _viewer(), room_id)
    if room.event_id != event_id:
        abort(404)
    return redirect(_room_url(room.id))


# --- The room page ----------------------------------------------------------------------------


def _before_arg() -> int | None:
    raw = request.args.get("before", "")
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**53:
        abort(404)
    return int(raw)


def _room_page(room_id: int, form: MessageForm | None = None, status: int = 200):
    session = db.session
    viewer = _viewer()
    room, standing = service.room_page_standing(session, viewer, room_id)
    if not standing.may_read(room, viewer.id):
        refusal = standing.refusal(room, viewer.id)
        if refusal is not None and refusal == gettext("No such room."):
            abort(404)
        return (
            render_template(
                "rooms/join.html",
                room=room,
                event=room.event,
                refusal=refusal,
                join_form=ConfirmForm(),
            ),
            403 if refusal else status,
        )
    before = _before_arg()
    is_organiser = standing.organiser
    versions = standing.page_versions
    history = rendering.kept_history(
        session, room, before=before, is_organiser=is_organiser, versions=versions
    )
    reply_to = rendering.reply_target(history, request.args.get("reply_to", ""))
    hidden_fields, form_errors, body_field = rendering.composer_fields(
        form, str(reply_to.id) if reply_to is not None else ""
    )
    here = service.people_here(
        session, viewer, realtime_presence.present(service.room_topic(room.id))
    )
    # Messages by members the viewer blocked are folded away (here and in rooms.js).
    blocked_ids = moderation.blocked_user_ids(session, viewer.id)
    shared = {
        "room": room,
        "event": room.event,
        "pinned": history.pinned,
        "has_messages": bool(history.messages),
        "earliest_seq": history.messages[0].seq if history.messages else None,
        "has_earlier": history.has_earlier,
        "before": before,
        "live_seq": versions[0],
        "composer_errors": form_errors,
        "composer_body": body_field,
        "reply_to": reply_to,
        "is_organiser": is_organiser,
        "can_leave": not room.is_archived and not is_organiser,
        "slow_choices": [(value, slow_mode_label(value)) for value in SLOW_MODE_CHOICES]
        if is_organiser
        else [],
        "page_data": _page_data(),
    }
    reader_parts = {
        "blocked_ids": Markup(",".join(str(each) for each in sorted(blocked_ids))),
        "pinned_text": rendering.pinned_text(history.pinned, blocked_ids),
        "message_items": rendering.history_items(history, me=viewer.id, blocked=blocked_ids),
        "composer_hidden": hidden_fields,
        "muted_hidden": Markup(" hidden" if not standing.muted else ""),
        "people_count": Markup(here.count),
        "people_here": rendering.people_here_html(
            room.id, here, is_organiser=is_organiser, me=viewer.id
        ),
    }
    # A plain view's body is kept; one showing a refused message or a reply is not.
    plain = form is None and reply_to is None
    key = (
        ("room-page", request.script_root, str(get_locale()), room.id, before, is_organiser)
        if plain
        else None
    )
    content = rendering.room_body(shared, reader_parts, key=key, versions=versions)
    return kept_page("rooms/page.html", title=room.name, content=content), status


@bp.get("/rooms/<int:room_id>")
@login_required
def room_page(room_id: int):
    """History (the last 50, or 50 before ``?before=``), who is here, the composer."""
    return _room_page(room_id)


@bp.post("/rooms/<int:room_id>/join")
@login_required
def join(room_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            service.join_room(db.session, _viewer(), room_id)
        except DomainError as error:
            _refuse(error)
    return redirect(_room_url(room_id))


@bp.post("/rooms/<int:room_id>/leave")
@login_required
def leave(room_id: int):
    room = service.visible_room(db.session, _viewer(), room_id)
    if ConfirmForm().validate_on_submit():
        service.leave_room(db.session, _viewer(), room.id)
        _done(gettext("You left the room."))
    return redirect(url_for("rooms.lobby", event_id=room.event_id))


@bp.post("/rooms/<int:room_id>/messages")
@login_required
def send(room_id: int):
    """The composer without JavaScript: one message per client id (a double submit
    writes it once)."""
    room = service.visible_room(db.session, _viewer(), room_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _room_page(room.id, form, 422)
    reply_to = form.reply_to_id.data or ""
    try:
        message, _created = service.send_message(
            db.session,
            _viewer(),
            room.id,
            form.body.data or "",
            form.client_id.data or "",
            int(reply_to) if reply_to.isdigit() else None,
        )
    except DomainError as error:
        unit_of_work.rollback(db.session)
        show_field_errors(form, error)
        if not form.body.errors and not form.form_errors:
            form.body.errors = [error.message]
        return _room_page(room.id, form, error.status_code)
    return redirect(_room_url(room.id) + f"#message-{message.id}")


def _message_in(room_id: int, message_id: int) -> RoomMessage:
    room = service.visible_room(db.session, _viewer(), room_id)
    message = db.session.get(RoomMessage, message_id)
    if message is None or message.room_id != room.id:
        abort(404)
    return message


def _back(message: RoomMessage) -> Response:
    return redirect(_room_url(message.room_id) + f"#message-{message.id}")


@bp.route("/rooms/<int:room_id>/messages/<int:message_id>/edit", methods=["GET", "POST"])
@login_required
def edit(room_id: int, message_id: int):
    message = _message_in(room_id, message_id)
    if message.author_id != _viewer().id or message.is_gone:
        raise NotAllowed(gettext("You can only change your own messages."))
    form = EditMessageForm()
    if request.method == "GET":
        form.body.data = message.body
    elif form.validate_on_submit():
        try:
            service.edit_message(db.session, _viewer(), message.id, form.body.data or "")
        except DomainError as error:
            unit_of_work.rollback(db.session)
            show_field_errors(form, error)
            if not form.body.errors:
                form.body.errors = [error.message]
            return render_template(
                "rooms/edit.html", form=form, message=message, room=message.room
            ), error.status_code
        _done(gettext("Your message is updated."))
        return _back(message)
    status = 422 if form.errors else 200
    return render_template("rooms/edit.html", form=form, message=message, room=message.room), status


def _button(room_id: int, message_id: int, action: Any, done: str) -> Response:
    message = _message_in(room_id, message_id)
    if ConfirmForm().validate_on_submit():
        try:
            action(message)
        except DomainError as error:
            _refuse(error)
        else:
            _done(done)
    return _back(message)


@bp.post("/rooms/<int:room_id>/messages/<int:message_id>/delete")
@login_required
def delete(room_id: int, message_id: int):
    return _button(
        room_id,
        message_id,
        lambda m: service.delete_message(db.session, _viewer(), m.id),
        gettext("Your message is deleted."),
    )


@bp.post("/rooms/<int:room_id>/messages/<int:message_id>/react")
@login_required
def react(room_id: int, message_id: int):
    message = _message_in(room_id, message_id)
    form = ReactionForm()
    if form.validate_on_submit():
        kind = request.form.get("kind", "")
        try:
            service.toggle_reaction(db.session, _viewer(), message.id, kind)
        except DomainError as error:
            _refuse(error)
    return _back(message)


@bp.route("/rooms/<int:room_id>/messages/<int:message_id>/flag", methods=["GET", "POST"])
@login_required
def flag(room_id: int, message_id: int):
    message = _message_in(room_id, message_id)
    form = FlagForm()
    reasons = [(reason.value, reason.label) for reason in FlagReason]
    if form.validate_on_submit():
        reason = request.form.get("reason", "")
        try:
            service.flag_message(db.session, _viewer(), message.id, reason, form.note.data or "")
        except DomainError as error:
            unit_of_work.rollback(db.session)
            show_field_errors(form, error)
            if not form.note.errors and not form.form_errors:
                form.form_errors.append(error.message)
            return render_template(
                "rooms/flag.html", form=form, message=message, room=message.room, reasons=reasons
            ), error.status_code
        _done(gettext("Thank you: the moderators will look at it."))
        return _back(message)
    status = 422 if form.errors else 200
    return render_template(
        "rooms/flag.html", form=form, message=message, room=message.room, reasons=reasons
    ), status


@bp.post("/rooms/<int:room_id>/messages/<int:message_id>/promote")
@login_required
def promote(room_id: int, message_id: int):
    message = _message_in(room_id, message_id)
    if ConfirmForm().validate_on_submit():
        try:
            thread = service.promote_to_discussion(db.session, _viewer(), message.id)
        except DomainError as error:
            _refuse(error)
        else:
            _done(gettext("A discussion starts from this message."))
            return redirect(thread_path(thread))
    return _back(message)


# --- Moderation by the event's organisers -------------------------------------------------


@bp.post("/rooms/<int:room_id>/messages/<int:message_id>/pin")
@login_required
def pin(room_id: int, message_id: int):
    return _button(
        room_id,
        message_id,
        lambda m: service.pin_message(db.session, _viewer(), m.id),
        gettext("The message is pinned."),
    )


@bp.post("/rooms/<int:room_id>/messages/<int:message_id>/unpin")
@login_required
def unpin(room_id: int, message_id: int):
    return _button(
        room_id,
        message_id,
        lambda m: service.unpin_message(db.session, _viewer(), m.id),
        gettext("The message is unpinned."),
    )


@bp.post("/rooms/<int:room_id>/messages/<int:message_id>/remove")
@login_required
def remove_message(room_id: int, message_id: int):
    return _button(
        room_id,
        message_id,
        lambda m: service.remove_message(db.session, _viewer(), m.id),
        gettext("The message is removed."),
    )


_MEMBER_ACTIONS = {
    "mute": (service.mute_member, lazy_gettext("The member is muted in this room.")),
    "unmute": (service.unmute_member, lazy_gettext("The member can send again.")),
    "remove": (service.remove_member, lazy_gettext("The member is removed from this room.")),
}


@bp.post("/rooms/<int:room_id>/members/<int:user_id>/<any(mute, unmute, remove):action>")
@login_required
def member_action(room_id: int, user_id: int, action: str):
    room = service.visible_room(db.session, _viewer(), room_id)
    act, done = _MEMBER_ACTIONS[action]
    if ConfirmForm().validate_on_submit():
        try:
            act(db.session, _viewer(), room.id, user_id)
        except DomainError as error:
            _refuse(error)
        else:
            _done(str(done))
    return redirect(_room_url(room.id))


@bp.post("/rooms/<int:room_id>/slow-mode")
@login_required
def slow_mode(room_id: int):
    room = service.visible_room(db.session, _viewer(), room_id)
    form = SlowModeForm()
    if form.validate_on_submit():
        try:
            service.set_slow_mode(db.session, _viewer(), room.id, int(form.seconds.data or 0))
        except DomainError as error:
            _refuse(error)
        else:
            _done(gettext("Slow mode is updated."))
    else:
        flash(gettext("Choose one of the slow mode settings."), "error")
    return redirect(_room_url(room.id))


@bp.post("/rooms/<int:room_id>/archive")
@login_required
def archive(room_id: int):
    room = service.visible_room(db.session, _viewer(), room_id)
    if ConfirmForm().validate_on_submit():
        try:
            service.archive_room(db.session, _viewer(), room.id)
        except DomainError as error:
            _refuse(error)
        else:
            _done(gettext("The room is archived: its history stays readable."))
    return redirect(_room_url(room.id))
