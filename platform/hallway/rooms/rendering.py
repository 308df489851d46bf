"""The rooms' pages as kept HTML and string formatting: the lobby and the room page.

The lobby is read often and shows, per room, parts that change live (who is here, seats
taken, whether the viewer may join): ``rooms.js`` re-reads ``#rooms-list`` from the page
whenever a room opens, changes or closes. Its rows are one ``str.format`` per room
rather than Jinja macro calls (the same escaping: translated text is markup, names and
topics are escaped), kept by every fact they show (``lobby_rows``): the same facts in
the same language are never formatted twice. The "open a room" and "open a table" cards
and the lobby's frame depend only on the language and the event: they are rendered once
(``core.fragment_cache.render_kept``) and only the CSRF token is put in per request.

The room page's body is kept per room, page, language and organiser-or-not while the
room's live sequence, the directory's and the event's versions hold
(``RoomStanding.page_versions``): every change to a message or to the room is
published on the room's topic with the next number, and a new name or career stage
bumps the directory. Each message is kept with the reader's parts apart
(``KeptMessage``: their own messages, pressed reactions, blocked authors), and the
reader's other parts (who is here, muted or not, the composer's fields) fill the body's
slots (``room_body``).
"""
from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import get_template_attribute, render_template, request, url_for
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from hallway.core.forms import csrf_token
from hallway.core.fragment_cache import (
    FragmentCache,
    SlotMarks,
    SlottedHtml,
    fragments,
    render_kept,
)
from hallway.core.i18n import active_translations, get_locale, time_tag_shared
from hallway.core.templating import as_character_references
from hallway.discussions.models import ReactionKind
from hallway.discussions.rendering import REACTION_LABELS
from hallway.members.vocabulary import translated_stages
from hallway.rooms import service
from hallway.rooms.models import Room, RoomAccess
from hallway.rooms.service import LobbyRoom, PeopleHere

#: How many present members a row names; the others are "and N more".
NAMED_IN_ROW = 8

_ROW = (
    '<li class="list-row room-row{archived_class}" data-room-row="{id}">'
    '<div class="list-row-main">'
    '<h3 class="list-row-title"><a href="{href}">{name}</a></h3>'
    "{topic}"
    '<p class="list-row-meta">{badges}'
    '<span class="room-count" data-room-count="{count}">{count_text}</span>{seats}</p>'
    '<ul class="room-people-inline" data-room-people aria-label="{who}">{people}</ul>'
    "{refusal}"
    "</div></li>"
)


#: Lobby rows already built, by everything they show (``_row_facts``) and the language.
_kept_rows = FragmentCache(max_entries=1_024, max_bytes=8 * 1024 * 1024)


def _row_facts(entry: LobbyRoom) -> tuple[Any, ...]:
    """Everything a lobby row shows, as a key: the same facts make the same row."""
    room = entry.room
    named = tuple((person["id"], person["name"]) for person in entry.here.named[:NAMED_IN_ROW])
    return (
        room.id,
        room.name,
        room.topic,
        room.is_archived,
        room.is_table,
        room.access,
        room.size_limit,
        entry.seats_taken,
        entry.here.count,
        named,
        entry.refusal,
    )


def lobby_rows(entries: Collection[LobbyRoom]) -> Markup:
    """The ``<li>`` of each room, as ``#rooms-list`` holds them. Built again only when
    something a row shows changes (a room, its seats, who is here, the reader's right to
    join): the same facts in the same language are served the rows already built."""
    key = (request.script_root, str(get_locale()), tuple(_row_facts(each) for each in entries))
    html = _kept_rows.get(key, ())
    if html is None:
        html = _lobby_rows(entries)
        _kept_rows.put(key, (), html)
    return Markup(html)


def _lobby_rows(entries: Iterable[LobbyRoom]) -> Markup:
    translations = active_translations()

    def _(msgid: str) -> Markup:
        """A translation as templates use it: markup (translators' text is not escaped)."""
        return Markup(translations.ugettext(msgid))

    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> Markup:
        variables.setdefault("num", num)
        return Markup(translations.ungettext(singular, plural, num)) % variables

    # url_for once: the room's address is this with its id at the end.
    room_href = url_for("rooms.room_page", room_id=0)[:-1]
    archived = Markup('<span class="ui-badge">%s</span> ') % _("Archived")
    table = Markup('<span class="ui-badge ui-badge-primary">%s</span> ') % _("Table")
    invite = Markup('<span class="ui-badge ui-badge-warning">%s</span> ') % _("Invitation only")
    rows = []
    for entry in entries:
        room = entry.room
        count = entry.here.count
        named = entry.here.named[:NAMED_IN_ROW]
        more = count - len(named)
        people = Markup("".join(f"<li>{escape(person['name'])}</li>" for person in named))
        if more > 0:
            people += Markup('<li class="room-person-more">%s</li>') % ngettext(
                "and %(count)s more", "and %(count)s more", more, count=more
            )
        badges = Markup()
        if room.is_archived:
            badges += archived
        if room.is_table:
            badges += table
        if room.access is RoomAccess.invite:
            badges += invite
        seats = ""
        if room.size_limit:
            seats = Markup(' <span class="room-seats">%s</span>') % (
                _("%(taken)s of %(limit)s seats taken")
                % {"taken": entry.seats_taken, "limit": room.size_limit}
            )
        rows.append(
            _ROW.format(
                archived_class=" is-archived" if room.is_archived else "",
                id=room.id,
                href=escape(f"{room_href}{room.id}"),
                name=escape(room.name),
                topic=Markup('<p class="room-row-topic">%s</p>') % room.topic if room.topic else "",
                badges=badges,
                count=count,
                count_text=ngettext("%(count)s here", "%(count)s here", count, count=count),
                seats=seats,
                who=_("Who is in %(name)s") % {"name": room.name},
                people=people,
                refusal=Markup('<p class="field-help">%s</p>') % entry.refusal
                if entry.refusal and not room.is_archived
                else "",
            )
        )
    return Markup("".join(rows))


#: Where the rows and the forms go in the lobby's kept body.
_LOBBY_SLOTS = SlotMarks("rows", "forms")


def lobby_body(event: Any, *, has_rooms: bool, rows: Markup, forms: Markup) -> Markup:
    """The lobby page's body (``rooms/_lobby_body.html``): its heading and frame are
    kept per event title and language; the rows and the forms are put in per view."""
    return render_kept(
        "rooms/_lobby_body.html",
        store=fragments,
        key=(
            "lobby-body",
            request.script_root,
            str(get_locale()),
            event.id,
            event.title,
            has_rooms,
        ),
        versions=(),
        marks=_LOBBY_SLOTS,
        values={"rows": rows, "forms": forms},
        context=lambda: {"event": event, "entries": has_rooms},
    )


#: The forms' cards of a plain view, per (language, organiser's card, table card, event).
#: Nothing personal in them but the CSRF token.
_kept_forms = FragmentCache(max_entries=256)
#: Where per-request values go in the lobby's forms and the composer, kept per language.
_FORM_SLOTS = SlotMarks("csrf", "client_id", "reply_to")


def lobby_forms(event_id: int, *, organiser: bool, table: bool) -> Markup:
    """The "open a room" (organisers) and "open a table" cards of a plain lobby view."""
    from hallway.rooms.forms import RoomForm, TableForm

    return render_kept(
        "rooms/_lobby_forms.html",
        store=_kept_forms,
        key=(request.script_root, str(get_locale()), organiser, table, event_id),
        versions=(),
        marks=_FORM_SLOTS,
        values={"csrf": escape(csrf_token())},
        context=lambda: {
            "event_id": event_id,
            "is_organiser": organiser,
            "show_table": table,
            "room_form": RoomForm(prefix="room", formdata=None),
            "table_form": TableForm(prefix="table", formdata=None),
        },
    )


# --- The room's history ------------------------------------------------------------------


def reactions_offered() -> list[dict[str, str]]:
    """The reactions a message offers, in the page's language."""
    return [
        {"value": kind.value, "emoji": kind.emoji, "label": str(REACTION_LABELS[kind])}
        for kind in ReactionKind
    ]


#: Stand for ids in addresses built once by ``url_for``.
_ROOM, _ID = 987654321, 987654323

#: Per application root: the addresses of a message's actions, ``{room}`` and ``{id}``
#: where the ids go (escaped as templates escape an address).
_addresses: dict[str, dict[str, str]] = {}


def _message_addresses() -> dict[str, str]:
    root = request.script_root
    found = _addresses.get(root)
    if found is None:

        def address(endpoint: str, **values: Any) -> str:
            built = str(escape(url_for(endpoint, **values)))
            return built.replace(str(_ROOM), "{room}").replace(str(_ID), "{id}")

        message = {"room_id": _ROOM, "message_id": _ID}
        found = {
            "react": address("rooms.react", **message),
            "reply": address("rooms.room_page", room_id=_ROOM, reply_to=_ID),
            "edit": address("rooms.edit", **message),
            "delete": address("rooms.delete", **message),
            "flag": address("rooms.flag", **message),
            "thread": address("discussions.thread_short", thread_id=_ID),
            "promote": address("rooms.promote", **message),
            "pin": address("rooms.pin", **message),
            "unpin": address("rooms.unpin", **message),
            "remove": address("rooms.remove_message", **message),
            "mute_member": address(
                "rooms.member_action", room_id=_ROOM, user_id=_ID, action="mute"
            ),
            "remove_member": address(
                "rooms.member_action", room_id=_ROOM, user_id=_ID, action="remove"
            ),
        }
        _addresses[root] = found
    return found


@dataclass(frozen=True)
class KeptMessage:
    """One message of the room page as every reader of a language sees it, with what
    depends on the reader apart: whether it is theirs (a class, edit and delete; no
    flag), whether they blocked its author (folded away), which reactions they pressed.
    ``_KEPT_TOKEN`` stands where the CSRF token goes (a ``SlotMarks`` mark)."""

    id: int
    seq: int
    author_id: int | None
    author_name: str | None
    deleted: bool
    gone: bool
    #: The ``<li>`` after its class attribute's values, to the body's ``<div>``.
    head: str
    body: str
    #: The reaction form's opening, and each button as (kind, not pressed, pressed).
    reactions_open: str
    buttons: tuple[tuple[str, str, str], ...]
    #: kind -> ids of the members who reacted so
    reacted: dict[str, frozenset[int]]
    #: The reaction form's end and the action buttons, for the author and for others.
    actions_mine: str
    actions_other: str
    #: The whole ``<li>`` as a reader sees it who has no part in it (not theirs, not
    #: folded, no reaction of theirs): most readers of most messages. Kept cut at
    #: ``_KEPT_TOKEN``, so putting the token in is a join per message, not one more
    #: copy of the whole history.
    untouched: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeptHistory:
    """The room page's messages (``history_of``) and its pinned message, kept per room,
    page, language and organiser-or-not while the room's live sequence and the
    directory's and the event's versions hold (``RoomStanding.page_versions``)."""

    messages: tuple[KeptMessage, ...]
    has_earlier: bool
    pinned: dict[str, Any] | None
    size: int


#: The reader of a message's ``untouched`` form: no member has this id.
_NOBODY = -1

#: Where the request's CSRF token goes in kept messages: one ``str.replace`` over the
#: joined messages puts it in.
_KEPT_TOKEN = str(SlotMarks("csrf")["csrf"])


def kept_history(
    session: Session,
    room: Room,
    *,
    before: int | None,
    is_organiser: bool,
    versions: tuple[int, ...],
) -> KeptHistory:
    """The room page's history (``history_of``, read only when ``versions`` moved on),
    as every reader of this language sees it (``history_items`` adds the reader)."""
    key = ("room-history", request.script_root, str(get_locale()), room.id, before, is_organiser)
    kept = fragments.get(key, versions)
    if kept is None:
        shown = service.history_of(session, room, before_seq=before)
        pinned = service.pinned_message(session, room)
        messages = tuple(
            _kept_messages(
                shown.messages,
                room_id=room.id,
                is_organiser=is_organiser,
                archived=room.is_archived,
            )
        )
        size = sum(len(m.head) + len(m.body) + len(m.actions_other) * 2 for m in messages)
        kept = KeptHistory(
            messages,
            shown.has_earlier,
            service.payload_of(session, pinned) if pinned is not None else None,
            size,
        )
        fragments.put(key, versions, kept, size=size)
    return kept


def history_items(history: KeptHistory, *, me: int, blocked: Collection[int]) -> Markup:
    """The ``<li>`` of each message of the room page for this reader (``rooms.js``
    builds the same markup for live messages: buildMessage). ``blocked``: the ids of the
    members the reader blocked: their messages are folded away ("You blocked this
    member. Show"), as discussions fold their comments."""
    summary = escape(active_translations().ugettext("You blocked this member. Show"))
    blocked_open = f'<details class="blocked-post"><summary>{summary}</summary>'
    token = str(escape(csrf_token()))
    out = []
    for m in history.messages:
        author_id = m.author_id
        mine = author_id is not None and author_id == me
        from_blocked = author_id is not None and author_id in blocked
        if not mine and not from_blocked and not any(me in ids for ids in m.reacted.values()):
            out.append(token.join(m.untouched))
        else:
            html = _message_html(
                m, me=me, mine=mine, blocked_open=blocked_open if from_blocked else ""
            )
            out.append(html.replace(_KEPT_TOKEN, token))
    return Markup("\n".join(out))


def _message_html(m: KeptMessage, *, me: int, mine: bool, blocked_open: str) -> str:
    """One message's ``<li>`` for reader ``me`` (``blocked_open``: the fold's opening
    if they blocked its author, else empty)."""
    parts = ['<li class="room-message']
    if mine:
        parts.append(" is-mine")
    if m.gone:
        parts.append(" is-deleted")
    if blocked_open:
        parts.append(" is-blocked")
    parts.append(m.head)
    if blocked_open and not m.gone:
        parts.append(f"{blocked_open}{m.body}</details>")
    else:
        parts.append(m.body)
    parts.append("</div>\n")
    if not m.gone:
        parts.append(m.reactions_open)
        for kind, plain, pressed in m.buttons:
            parts.append(pressed if me in m.reacted.get(kind, ()) else plain)
        parts.append(m.actions_mine if mine else m.actions_other)
    parts.append("</li>")
    return "".join(parts)


def reply_target(history: KeptHistory, raw: str) -> KeptMessage | None:
    """The message ``?reply_to=`` names, if the page shows it and it is not deleted."""
    if not raw.isdigit():
        return None
    wanted = int(raw)
    return next((m for m in history.messages if m.id == wanted and not m.deleted), None)


def _kept_messages(
    messages: Iterable[dict[str, Any]], *, room_id: int, is_organiser: bool, archived: bool
) -> Iterable[KeptMessage]:
    """Each message (``service.message_payload``) as ``KeptMessage``: string formatting
    rather than a Jinja macro per message, because a room shows up to 50 of them."""
    translations = active_translations()

    def _(msgid: str) -> Markup:
        """A translation as templates use it (named ``_`` so that extraction finds it)."""
        return Markup(translations.ugettext(msgid))

    stages = translated_stages()
    csrf = f'<input type="hidden" name="csrf_token" value="{_KEPT_TOKEN}">'
    # Each address with the room filled in, "{}" where the message's (or member's) id goes.
    addresses = {
        name: pattern.replace("{room}", str(room_id)).replace("{id}", "{}")
        for name, pattern in _message_addresses().items()
    }
    react, reply, edit, delete = (addresses[k] for k in ("react", "reply", "edit", "delete"))
    flag, thread, promote = addresses["flag"], addresses["thread"], addresses["promote"]
    pin, unpin, remove = addresses["pin"], addresses["unpin"], addresses["remove"]
    mute_member, remove_member = addresses["mute_member"], addresses["remove_member"]
    former = _("A former member")
    a_member = _("a member")
    edited_label = Markup('<span class="room-message-edited">%s</span>') % _("(edited)")
    removed_body = Markup('<p class="room-message-deleted">%s</p>') % _("Removed by an organiser.")
    deleted_body = Markup('<p class="room-message-deleted">%s</p>') % _("This message was deleted.")
    reactions_label = _("Reactions")
    disabled = " disabled" if archived else ""
    buttons = [
        (
            kind["value"],
            f'<button type="submit" name="kind" value="{escape(kind["value"])}" '
            'class="reaction{has_count}" data-action="react" '
            f'data-reaction="{escape(kind["value"])}" aria-pressed="{{pressed}}"{disabled}>'
            f'<span aria-hidden="true">{as_character_references(kind["emoji"])}</span>'
            f'<span class="visually-hidden">{escape(kind["label"])}</span> '
            '<span class="reaction-count">{count}</span></button>',
        )
        for kind in reactions_offered()
    ]
    reply_link = str(
        Markup(
            '<a class="btn btn-secondary btn-small" href="{}#room-composer" '
            'data-action="reply">%s</a>'
        )
        % _("Reply")
    )
    edit_link = str(
        Markup('<a class="btn btn-secondary btn-small" href="{}" data-action="edit">%s</a>')
        % _("Edit")
    )
    delete_form = (
        f'<form method="post" action="{{}}" class="inline-form">{csrf}'
        '<button type="submit" class="btn btn-secondary btn-small" data-action="delete">'
        f"{_('Delete')}</button></form>"
    )
    flag_link = str(Markup('<a class="btn btn-secondary btn-small" href="{}">%s</a>') % _("Flag"))
    thread_link = str(
        Markup('<a class="btn btn-secondary btn-small" href="{}">%s</a>') % _("See the discussion")
    )
    promote_form = (
        f'<form method="post" action="{{}}" class="inline-form">{csrf}'
        '<button type="submit" class="btn btn-secondary btn-small">'
        f"{_('Start a discussion')}</button></form>"
    )

    def menu_item(action: str, label: Markup) -> str:
        return (
            f'<li><form method="post" action="{action}">{csrf}'
            f'<button type="submit" class="link-button">{label}</button></form></li>'
        )

    moderate = _("Moderate")
    pin_item = menu_item(pin, _("Pin"))
    unpin_item = menu_item(unpin, _("Unpin"))
    remove_item = menu_item(remove, _("Remove the message"))
    reply_to_text = _("Reply to %(name)s")
    mute_text = _("Mute %(name)s")
    remove_member_text = _("Remove %(name)s from the room")

    def actions(m: dict[str, Any], *, mine: bool) -> str:
        """The reaction form's end and the message's action buttons, for its author
        (``mine``) or for anyone else."""
        mid, author = m["id"], m["author"]
        parts = ['</form>\n<div class="room-message-actions">']
        if not archived:
            parts.append(reply_link.replace("{}", reply.format(mid)))
            if mine:
                parts.append(edit_link.replace("{}", edit.format(mid)))
                parts.append(delete_form.replace("{}", delete.format(mid)))
        if author and not mine:
            parts.append(flag_link.replace("{}", flag.format(mid)))
        if m["thread_id"]:
            parts.append(thread_link.replace("{}", thread.format(m["thread_id"])))
        elif is_organiser or mine:
            parts.append(promote_form.replace("{}", promote.format(mid)))
        if is_organiser:
            parts.append(f'<details class="room-mod menu"><summary>{moderate}</summary>')
            parts.append('<ul class="menu-panel">')
            if not archived:
                parts.append((unpin_item if m["pinned"] else pin_item).replace("{}", str(mid)))
            parts.append(remove_item.replace("{}", str(mid)))
            if author and not mine:
                name = {"name": author["name"]}
                parts.append(
                    menu_item(mute_member.format(author["id"]), mute_text % name)
                    + menu_item(remove_member.format(author["id"]), remove_member_text % name)
                )
            parts.append("</ul></details>")
        parts.append("</div>\n")
        return "".join(str(part) for part in parts)

    def pressed_as(button: str, count: int | None, pressed: str) -> str:
        return button.format(
            has_count=" has-count" if count else "", pressed=pressed, count=count or ""
        )

    for m in messages:
        author = m["author"]
        author_id = author["id"] if author else None
        gone = m["deleted"] or m["removed"]
        mid = m["id"]
        parts = [
            f'" id="message-{mid}" tabindex="-1" data-message-id="{mid}" '
            f'data-seq="{m["seq"]}" data-author-id="{author_id if author else ""}"'
        ]
        if not gone:
            parts.append(f' data-body="{escape(m["body"])}"')
        parts.append('>\n<p class="room-message-meta">')
        parts.append(
            f'<span class="room-message-author">{escape(author["name"]) if author else former}'
            "</span>"
        )
        stage = stages.get(author["career_stage"]) if author and author["career_stage"] else None
        if stage:
            parts.append(f' <span class="room-message-stage">{escape(stage.label)}</span>')
        if m["created_at"]:
            # The same for every reader: time.js shows it in the reader's zone.
            parts.append(f" {time_tag_shared(datetime.fromisoformat(m['created_at']))}")
        if m["edited"] and not gone:
            parts.append(f" {edited_label}")
        parts.append("</p>\n")
        replied = m["reply_to"]
        if replied:
            name = replied["author_name"] or a_member
            parts.append(
                f'<p class="room-message-reply-to"><a href="#message-{replied["id"]}">'
                f"{reply_to_text % {'name': name}}</a>"
            )
            if replied["excerpt"]:
                parts.append(
                    f': <span class="room-message-excerpt">{escape(replied["excerpt"])}</span>'
                )
            parts.append("</p>\n")
        parts.append('<div class="room-message-body">')
        if m["removed"]:
            body = str(removed_body)
        elif m["deleted"]:
            body = str(deleted_body)
        else:
            body = m["body_html"]
        counts = {r["kind"]: r["count"] for r in m["reactions"]}
        kept = KeptMessage(
            id=mid,
            seq=m["seq"],
            author_id=author_id,
            author_name=author["name"] if author else None,
            deleted=m["deleted"],
            gone=gone,
            head="".join(str(part) for part in parts),
            body=body,
            reactions_open=(
                f'<form class="room-reactions" method="post" action="{react.format(mid)}" '
                f'aria-label="{reactions_label}">{csrf}'
            ),
            buttons=tuple(
                (
                    value,
                    pressed_as(button, counts.get(value), "false"),
                    pressed_as(button, counts.get(value), "true"),
                )
                for value, button in buttons
            ),  # fmt: skip
            reacted={r["kind"]: frozenset(r["user_ids"]) for r in m["reactions"]},
            actions_mine="" if gone else actions(m, mine=True),
            actions_other="" if gone else actions(m, mine=False),
        )
        untouched = _message_html(kept, me=_NOBODY, mine=False, blocked_open="")
        yield replace(kept, untouched=tuple(untouched.split(_KEPT_TOKEN)))


# --- The page's body ------------------------------------------------------------------------

#: Where each reader's parts go in the room page's kept body (``room_body``).
_ROOM_SLOTS = SlotMarks(
    "csrf",
    "blocked_ids",
    "pinned_text",
    "message_items",
    "composer_hidden",
    "muted_hidden",
    "people_count",
    "people_here",
)


def room_body(
    shared: dict[str, Any],
    reader_parts: dict[str, Markup],
    *,
    key: tuple[Any, ...] | None,
    versions: tuple[int, ...],
) -> Markup:
    """The room page's body (``rooms/_room_body.html``). ``shared``: what every reader
    with the same ``key`` sees; ``reader_parts``: this reader's parts, as HTML, named as
    in ``_ROOM_SLOTS``. With a ``key`` the body is kept while ``versions`` hold, with
    slots where the reader's parts go; without (a refused submission shown again, a
    reply being written) it is rendered for this view alone."""
    if key is None:
        html = render_template("rooms/_room_body.html", **shared, **reader_parts)
        return Markup(html)
    return render_kept(
        "rooms/_room_body.html",
        store=fragments,
        key=key,
        versions=versions,
        marks=_ROOM_SLOTS,
        values={**reader_parts, "csrf": escape(csrf_token())},
        context=lambda: shared,
    )


#: The "here now" lists already built, by who is here and what the reader may do.
_kept_people = FragmentCache(max_entries=1_024, max_bytes=8 * 1024 * 1024)


def people_here_html(room_id: int, here: PeopleHere, *, is_organiser: bool, me: int) -> Markup:
    """The room page's "here now" list (``rooms/_people_here.html``), built again only
    when what it shows changes: who is here and what the list shows of them, the
    language, and for organisers (who get a menu per member but themselves) who reads."""
    people = tuple(tuple(sorted(person.items())) for person in here.named)
    key = (
        request.script_root,
        str(get_locale()),
        room_id,
        is_organiser,
        me if is_organiser else None,
        people,
        here.unnamed_count,
    )
    return render_kept(
        "rooms/_people_here.html",
        store=_kept_people,
        key=key,
        versions=(),
        marks=_FORM_SLOTS,
        values={"csrf": escape(csrf_token())},
        context=lambda: {
            "room_id": room_id,
            "here": here,
            "is_organiser": is_organiser,
            "me": me,
            "stages": translated_stages(),
        },
    )


def pinned_text(pinned: dict[str, Any] | None, blocked: Collection[int]) -> Markup:
    """The pinned message's text, folded away if the reader blocked its author."""
    if pinned is None:
        return Markup()
    author = pinned["author"]
    if author is not None and author["id"] in blocked:
        summary = escape(active_translations().ugettext("You blocked this member. Show"))
        return Markup(
            f'<details class="blocked-post room-pinned-text"><summary>{summary}</summary>'
            f"{pinned['body_html']}</details>"
        )
    return Markup(f'<div class="room-pinned-text">{pinned["body_html"]}</div>')


# --- The composer ---------------------------------------------------------------------------

#: The composer's fields of a plain view, per language: the hidden ones taken apart
#: where the request's CSRF token, the new client id and the message replied to go.
_composers: dict[str, tuple[SlottedHtml, str, str]] = {}


def _composer_macros() -> tuple[Any, Any, Markup]:
    """``_ui.html``'s ``field`` and ``form_errors``, and the body field's help."""
    _ = active_translations().ugettext  # named ``_`` so that extraction finds the text
    return (
        get_template_attribute("_ui.html", "field"),
        get_template_attribute("_ui.html", "form_errors"),
        Markup(_("Markdown works. Enter sends; Shift+Enter starts a new line.")),
    )


def composer_fields(form: Any, reply_to_id: str) -> tuple[Markup, Markup, Markup]:
    """The composer's hidden fields, form errors and body field (``templates/_ui.html``'s
    ``form_errors`` and ``field``). ``form``: a refused submission to show again, or None
    for a plain view, whose fields are rendered once per language (building a form costs
    more than the rest of the composer)."""
    from hallway.rooms.forms import MessageForm

    if form is not None:
        field, errors, help_text = _composer_macros()
        if reply_to_id and not form.reply_to_id.data:
            form.reply_to_id.data = reply_to_id
        return form.hidden_tag(), errors(form), field(form.body, help=help_text)
    locale = str(get_locale())
    parts = _composers.get(locale)
    if parts is None:
        field, errors, help_text = _composer_macros()
        blank = MessageForm(formdata=None)
        blank.client_id.data = _FORM_SLOTS["client_id"]
        blank.reply_to_id.data = _FORM_SLOTS["reply_to"]
        token = str(escape(csrf_token()))
        hidden = _FORM_SLOTS.split(str(blank.hidden_tag()).replace(token, _FORM_SLOTS["csrf"]))
        parts = (hidden, str(errors(blank)), str(field(blank.body, help=help_text)))
        _composers[locale] = parts
    values = {
        "csrf": escape(csrf_token()),
        "client_id": escape(uuid.uuid4()),
        "reply_to": escape(reply_to_id),
    }
    return parts[0].fill(values), Markup(parts[1]), Markup(parts[2])
