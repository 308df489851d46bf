"""Room rules: the only place that changes rooms, seats, messages and their moderation.

Functions take a Session and the ``actor`` (or ``viewer``), add and flush, never
commit; the boundary (socket handler, page, API route) commits once and the
broadcasts go out after it. They refuse with InvalidInput (422), NotAllowed (403),
NotFound (404), Conflict (409) or TooFast (429, slow mode), each with a message a
member can read.

Who may do what:
- the event's organisers (owner, co-organisers, admins: ``events.service.can_manage``)
  create, edit and archive rooms, and moderate every room of their event: pin, remove
  a message, mute and unmute, remove a member, slow mode. Each of these is written to
  the moderation audit log in the same transaction;
- members going to the event open tables of their own (at most ``MAX_OPEN_TABLES`` open
  at once, ``MAX_TABLE_SIZE`` seats); the owner edits, invites to and archives it;
- joining takes a seat: refused to a removed member, outside the room's access rule
  (going / members / invite) or when the seats are all taken (organisers always get
  in). An archived room can be joined read-only (no seat);
- members with a seat send, edit and delete their own messages, react and flag;
  a muted member reads but cannot send, edit or react.

Delivery: a message is written, then published on the room's topic (``room:<id>``)
with ``hallway.realtime.publish`` in the same transaction, so it carries the room's
next gap-free sequence number (kept in ``RoomMessage.seq``), is stored for replay and
is emitted after the commit. Edits, deletions, reactions and moderation are published
on the same topic. A send carries a client id: the same id from the same author
returns the first message and publishes nothing. One member's sends are serialised by
a lock on their seat, so a resend racing the original still finds one row.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from flask_babel import format_number, gettext, lazy_gettext, ngettext
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from hallway.accounts.models import User
from hallway.core.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from hallway.core.fragment_cache import version_of
from hallway.core.markdown import render_plain_excerpt
from hallway.core.unit_of_work import after_commit
from hallway.db import utcnow
from hallway.discussions import service as discussions_service
from hallway.discussions.models import Category, ReactionKind, Thread
from hallway.events import service as events_service
from hallway.events.models import Event, EventOrganiser, Rsvp, RsvpStatus
from hallway.members import avatars
from hallway.members import service as members_service
from hallway.members.models import MemberAvatar, MemberProfile, ProfileVisibility
from hallway.moderation import service as moderation
from hallway.moderation.models import Flag
from hallway.notifications import service as notifications
from hallway.realtime import notify as notify_topic
from hallway.realtime import publish, topic, user_topic
from hallway.realtime.models import TopicSequence
from hallway.rooms.models import (
    Room,
    RoomAccess,
    RoomInvite,
    RoomKind,
    RoomMembership,
    RoomMessage,
    RoomMute,
    RoomReaction,
    RoomRemoval,
)

# --- Limits ------------------------------------------------------------------------------

MAX_BODY_LENGTH = 4_000
#: A client id is the sender's own (a UUID is 36 characters).
MAX_CLIENT_ID_LENGTH = 40
NAME_MAX_LENGTH = 80
TOPIC_MAX_LENGTH = 300
MAX_ROOM_SIZE = 1_000
MIN_TABLE_SIZE = 2
MAX_TABLE_SIZE = 20
MAX_OPEN_TABLES = 3
MAX_SLOW_MODE_SECONDS = 3_600
HISTORY_LIMIT = 50
MAX_HISTORY_LIMIT = 200
REPLY_EXCERPT_LENGTH = 140

# --- Names other parts use ------------------------------------------------------------------

SUBJECT_TYPE = "room_message"
ROOM_SUBJECT_TYPE = "room"
#: Notification kind (registered by ``register_with_app``).
KIND_MENTION = "room_mention"

#: Durable events on ``room:<id>`` (numbered, replayed): see docs in rooms-interface.md.
EVENT_MESSAGE = "room_message"
EVENT_MESSAGE_UPDATED = "room_message_updated"
EVENT_ROOM_UPDATED = "room_updated"
EVENT_MEMBER_MUTED = "room_member_muted"
EVENT_MEMBER_REMOVED = "room_member_removed"
#: Ephemeral, on ``event:<id>``: the lobby should refresh its list.
EVENT_ROOMS_CHANGED = "rooms_changed"

#: Audit actions (labels registered by ``register_with_app``).
AUDIT_PIN = "room_pin"
AUDIT_UNPIN = "room_unpin"
AUDIT_REMOVE_MESSAGE = "room_remove_message"
AUDIT_MUTE = "room_mute"
AUDIT_UNMUTE = "room_unmute"
AUDIT_REMOVE_MEMBER = "room_remove_member"
AUDIT_SLOW_MODE = "room_slow_mode"
AUDIT_ARCHIVE = "room_archive"

#: Changes a ``room_message_updated`` event names.
CHANGE_EDITED = "edited"
CHANGE_DELETED = "deleted"
CHANGE_REMOVED = "removed"
CHANGE_RESTORED = "restored"
CHANGE_REACTIONS = "reactions"
CHANGE_PINNED = "pinned"
CHANGE_UNPINNED = "unpinned"
CHANGE_PROMOTED = "promoted"

#: The discussion category promoted messages start threads in (the events' one).
DISCUSSION_CATEGORY_SLUG = events_service.SESSIONS_CATEGORY_SLUG


class TooFast(DomainError):
    """Slow mode: the member must wait ``retry_after`` seconds (HTTP 429)."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "retry_after": self.retry_after}


def room_topic(room_id: int) -> str:
    """``room:<id>``: the Socket.IO room and the realtime topic of a room."""
    return topic("room", room_id)


def event_topic(event_id: int) -> str:
    """``event:<id>``: the lobby of an event listens here for ``rooms_changed``."""
    return topic("event", event_id)


def room_path(room: Room) -> str:
    return f"/events/{room.event_id}/rooms/{room.id}"


# --- Hooks the socket layer plugs in ----------------------------------------------------------

MemberRemovedHook = Callable[[int, int], None]
_member_removed_hooks: list[MemberRemovedHook] = []


def register_member_removed_hook(hook: MemberRemovedHook) -> None:
    """``hook(room_id, user_id)`` runs after the commit of every ``remove_member``, so the
    socket layer can take that member's connections out of ``room:<id>`` at once."""
    if hook not in _member_removed_hooks:
        _member_removed_hooks.append(hook)


# --- Refusals -------------------------------------------------------------------------------


def _no_such_room() -> NotFound:
    return NotFound(gettext("No such room."))


def _no_such_message() -> NotFound:
    return NotFound(gettext("That message does not exist or was removed."))


def _organisers_only() -> NotAllowed:
    return NotAllowed(gettext("Only this event's organisers can do that."))


def _archived() -> Conflict:
    return Conflict(gettext("This room is archived: its history stays readable, nothing new."))


def _muted() -> NotAllowed:
    return NotAllowed(
        gettext("An organiser muted you in this room: you can still read, but not send.")
    )


def _removed() -> NotAllowed:
    return NotAllowed(gettext("An organiser removed you from this room."))


def _join_first() -> NotAllowed:
    return NotAllowed(gettext("Join the room first."))


def _require_member(actor: Any) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed(gettext("Please log in first."))
    return actor


# --- Loading and who may do what ---------------------------------------------------------------


def _room(session: Session, room_id: Any) -> Room:
    try:
        ident = int(room_id)
    except (TypeError, ValueError):
        raise _no_such_room() from None
    # With its event, in the same statement: every caller asks whether the viewer may see it.
    room = session.get(Room, ident, options=[joinedload(Room.event)]) if 0 < ident < 2**31 else None
    if room is None:
        raise _no_such_room()
    return room


def visible_room(session: Session, viewer: Any, room_id: Any) -> Room:
    """The room if its event is one the viewer may see (a member); else NotFound."""
    _require_member(viewer)
    room = _room(session, room_id)
    if not events_service.may_view(session, viewer, room.event):
        raise _no_such_room()
    return room


def _message(session: Session, message_id: Any) -> RoomMessage:
    try:
        ident = int(message_id)
    except (TypeError, ValueError):
        raise _no_such_message() from None
    message = session.get(RoomMessage, ident) if 0 < ident < 2**31 else None
    if message is None:
        raise _no_such_message()
    return message


def is_organiser(viewer: Any, room: Room) -> bool:
    """The event's owner, a co-organiser or an admin: they moderate the room."""
    return events_service.can_manage(viewer, room.event)


def _require_organiser(actor: Any, room: Room) -> User:
    actor = _require_member(actor)
    if not is_organiser(actor, room):
        raise _organisers_only()
    return actor


def _is_removed(session: Session, room: Room, user_id: int) -> bool:
    return session.get(RoomRemoval, (room.id, user_id)) is not None


def is_muted(session: Session, room: Room, user_id: int) -> bool:
    return session.get(RoomMute, (room.id, user_id)) is not None


def _is_going(session: Session, event: Event, user_id: int) -> bool:
    return (
        session.scalar(
            select(Rsvp.id).where(
                Rsvp.event_id == event.id,
                Rsvp.user_id == user_id,
                Rsvp.status == RsvpStatus.going,
            )
        )
        is not None
    )


def _is_invited(session: Session, room: Room, user_id: int) -> bool:
    return session.get(RoomInvite, (room.id, user_id)) is not None


def _refusal(
    room: Room,
    viewer_id: int,
    *,
    organiser: Callable[[], bool],
    removed: Callable[[], bool],
    may_view: Callable[[], bool],
    going: Callable[[], bool],
    invited: Callable[[], bool],
) -> str | None:
    """The access rules, in order; each fact is asked only when it decides something."""
    if organiser():
        return None
    if removed():
        return str(_removed().message)
    if not may_view():
        return gettext("No such room.")
    if room.access is RoomAccess.going and not going():
        return gettext("This room is for the people going to the event.")
    if room.access is RoomAccess.invite and room.owner_id != viewer_id and not invited():
        return gettext("This room is by invitation only.")
    return None


def access_refusal(session: Session, viewer: Any, room: Room) -> str | None:
    """Why ``viewer`` may not join ``room`` (seats aside), in words; None: they may."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return gettext("Please log in first.")
    return _refusal(
        room,
        viewer.id,
        organiser=lambda: is_organiser(viewer, room),
        removed=lambda: _is_removed(session, room, viewer.id),
        may_view=lambda: events_service.may_view(session, viewer, room.event),
        going=lambda: _is_going(session, room.event, viewer.id),
        invited=lambda: _is_invited(session, room, viewer.id),
    )


@dataclass(frozen=True)
class _Standing:
    """A member's facts for all the rooms of an event, read at once (the lobby)."""

    organiser: bool
    may_view: bool
    going: bool
    removed_from: frozenset[int]
    invited_to: frozenset[int]
    seated_in: frozenset[int]

    def refusal(self, room: Room, viewer_id: int) -> str | None:
        return _refusal(
            room,
            viewer_id,
            organiser=lambda: self.organiser,
            removed=lambda: room.id in self.removed_from,
            may_view=lambda: self.may_view,
            going=lambda: self.going,
            invited=lambda: room.id in self.invited_to,
        )


@dataclass(frozen=True)
class RoomStanding:
    """A member's facts about one room, read at once (the room page)."""

    organiser: bool
    going: bool
    removed: bool
    invited: bool
    seated: bool
    muted: bool
    #: What the room page shows of the room depends on (``rooms.rendering``): the room's
    #: live sequence (every change to its messages or settings is published with the
    #: next number), the directory's content version (authors' names and career stages)
    #: and the event's (its title).
    page_versions: tuple[int, int, int] = (0, 0, 0)

    def refusal(self, room: Room, viewer_id: int) -> str | None:
        """``access_refusal`` for a room whose event the viewer may see."""
        return _refusal(
            room,
            viewer_id,
            organiser=lambda: self.organiser,
            removed=lambda: self.removed,
            may_view=lambda: True,
            going=lambda: self.going,
            invited=lambda: self.invited,
        )

    def may_read(self, room: Room, viewer_id: int) -> bool:
        """``may_read`` on these facts."""
        if self.organiser:
            return True
        if self.refusal(room, viewer_id) is not None:
            return False
        return room.is_archived or self.seated


def _has_row(model: Any, *where: Any) -> Any:
    return select(model.user_id).where(*where, model.user_id == bindparam("viewer_id")).exists()


#: Built once: the room and its event, whether the viewer organises the event, is going,
#: and is removed from, invited to, seated in and muted in the room; then the room's
#: live sequence and the directory's and the event's content versions
#: (``RoomStanding.page_versions``).
_ROOM_PAGE = (
    select(
        Room,
        _has_row(EventOrganiser, EventOrganiser.event_id == Room.event_id),
        _has_row(Rsvp, Rsvp.event_id == Room.event_id, Rsvp.status == RsvpStatus.going),
        _has_row(RoomRemoval, RoomRemoval.room_id == Room.id),
        _has_row(RoomInvite, RoomInvite.room_id == Room.id),
        _has_row(RoomMembership, RoomMembership.room_id == Room.id),
        _has_row(RoomMute, RoomMute.room_id == Room.id),
        select(TopicSequence.last_seq)
        .where(TopicSequence.topic == bindparam("topic"))
        .scalar_subquery(),
        version_of(members_service.DIRECTORY),
        version_of(events_service.event_version_in_sql(Room.event_id)),
    )
    .join(Room.event)
    .options(contains_eager(Room.event))
    .where(Room.id == bindparam("room_id"))
)


def room_page_standing(session: Session, viewer: Any, room_id: int) -> tuple[Room, RoomStanding]:
    """``visible_room`` and the viewer's standing in the room, in one statement (the room
    page reads both on every view)."""
    viewer = _require_member(viewer)
    parameters = {"room_id": room_id, "viewer_id": viewer.id, "topic": room_topic(room_id)}
    row = session.execute(_ROOM_PAGE, parameters).one_or_none()
    if row is None:
        raise _no_such_room()
    room, organises, going, removed, invited, seated, muted, *versions = row
    event = room.event
    if not events_service.may_view(session, viewer, event):
        raise _no_such_room()
    seq, directory, event_page = versions
    standing = RoomStanding(
        organiser=events_service.is_owner(viewer, event) or bool(organises),
        going=bool(going),
        removed=bool(removed),
        invited=bool(invited),
        seated=bool(seated),
        muted=bool(muted),
        page_versions=(seq or 0, directory or 0, event_page or 0),
    )
    return room, standing


def _seat(
    session: Session, room: Room, user_id: int, *, lock: bool = False
) -> RoomMembership | None:
    statement = select(RoomMembership).where(
        RoomMembership.room_id == room.id, RoomMembership.user_id == user_id
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.scalar(statement)


def seats_taken(session: Session, room: Room) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(RoomMembership)
            .where(RoomMembership.room_id == room.id)
        )
        or 0
    )


def may_read(session: Session, viewer: Any, room: Room) -> bool:
    """Organisers, members with a seat, and (archived rooms) whoever may join."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if is_organiser(viewer, room):
        return True
    if access_refusal(session, viewer, room) is not None:
        return False
    return room.is_archived or _seat(session, room, viewer.id) is not None


def _require_reader(session: Session, viewer: Any, room: Room) -> User:
    viewer = _require_member(viewer)
    if not may_read(session, viewer, room):
        refusal = access_refusal(session, viewer, room)
        raise NotAllowed(refusal) if refusal else _join_first()
    return viewer


def _lock_room(session: Session, room: Room) -> Room:
    return session.execute(
        select(Room)
        .where(Room.id == room.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


# --- Payloads: one shape for broadcasts and history ------------------------------------------


def _people(session: Session, user_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Name, handle, career stage and picture of each member (one query). A private
    profile shows only the name: no career stage, no picture."""
    return _people_and_visibility(session, user_ids)[0]


def _people_and_visibility(
    session: Session, user_ids: Iterable[int]
) -> tuple[dict[int, dict[str, Any]], dict[int, ProfileVisibility]]:
    """``_people``, and each member's profile visibility (the column's default, members,
    for a member without a profile)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}, {}
    rows = session.execute(
        select(
            User.id,
            User.display_name,
            User.handle,
            MemberProfile.career_stage,
            MemberProfile.visibility,
            MemberAvatar.content_hash,
        )
        .outerjoin(MemberProfile, MemberProfile.user_id == User.id)
        .outerjoin(MemberAvatar, MemberAvatar.user_id == MemberProfile.user_id)
        .where(User.id.in_(ids))
    )
    people: dict[int, dict[str, Any]] = {}
    visibilities: dict[int, ProfileVisibility] = {}
    for user_id, name, handle, stage, visibility, content_hash in rows:
        visibilities[user_id] = ProfileVisibility(visibility or ProfileVisibility.members)
        private = visibility == ProfileVisibility.private
        picture = (
            f"/members/{handle}/avatar?v={content_hash[:16]}"
            if content_hash and not private
            else None
        )
        people[user_id] = {
            "id": user_id,
            "name": name,
            "handle": handle,
            "career_stage": None if private else stage,
            "avatar_url": picture,
            "initials": avatars.initials(name),
            "colour": avatars.avatar_colour(str(user_id)),
        }
    return people, visibilities


def _reactions_payload(message: RoomMessage) -> list[dict[str, Any]]:
    by_kind: dict[ReactionKind, list[int]] = {}
    for reaction in message.reactions:
        by_kind.setdefault(ReactionKind(reaction.kind), []).append(reaction.user_id)
    return [
        {
            "kind": kind.value,
            "emoji": kind.emoji,
            "count": len(by_kind[kind]),
            "user_ids": sorted(by_kind[kind]),
        }
        for kind in ReactionKind
        if by_kind.get(kind)
    ]


def _reply_summary(
    reply_to: RoomMessage | None, people: Mapping[int, Mapping[str, Any]]
) -> dict[str, Any] | None:
    if reply_to is None:
        return None
    author = people.get(reply_to.author_id) if reply_to.author_id is not None else None
    return {
        "id": reply_to.id,
        "seq": reply_to.seq,
        "author_name": author["name"] if author else None,
        "excerpt": ""
        if reply_to.is_gone
        else render_plain_excerpt(reply_to.body, REPLY_EXCERPT_LENGTH),
        "gone": reply_to.is_gone,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def message_payload(
    message: RoomMessage, people: Mapping[int, Mapping[str, Any]]
) -> dict[str, Any]:
    """What every client sees of a message, live and in history (see rooms-interface.md)."""
    gone = message.is_gone
    author = people.get(message.author_id) if message.author_id is not None else None
    return {
        "id": message.id,
        "seq": message.seq,
        #: Its creation's number, also in updates (where ``seq`` is the update's number).
        "message_seq": message.seq,
        "room_id": message.room_id,
        "client_id": message.client_id,
        "author": dict(author) if author else None,
        "body": "" if gone else message.body,
        "body_html": "" if gone else message.body_html,
        "reply_to": _reply_summary(message.reply_to, people),
        "reactions": [] if gone else _reactions_payload(message),
        "edited": message.edited_at is not None,
        "edited_at": _iso(message.edited_at),
        "deleted": message.deleted_at is not None,
        "removed": message.removed_at is not None,
        "pinned": message.pinned_at is not None,
        "thread_id": message.thread_id,
        "created_at": _iso(message.created_at),
    }


def _authors_of(messages: Iterable[RoomMessage]) -> set[int]:
    ids: set[int] = set()
    for message in messages:
        if message.author_id is not None:
            ids.add(message.author_id)
        if message.reply_to is not None and message.reply_to.author_id is not None:
            ids.add(message.reply_to.author_id)
    return ids


def payloads(session: Session, messages: Collection[RoomMessage]) -> list[dict[str, Any]]:
    """``message_payload`` of each, reading the people once."""
    people = _people(session, _authors_of(messages))
    return [message_payload(message, people) for message in messages]


def payload_of(session: Session, message: RoomMessage) -> dict[str, Any]:
    return payloads(session, [message])[0]


def pinned_message(session: Session, room: Room) -> RoomMessage | None:
    return session.scalar(
        select(RoomMessage).where(
            RoomMessage.room_id == room.id, RoomMessage.pinned_at.is_not(None)
        )
    )


def room_payloads(session: Session, rooms: Collection[Room]) -> list[dict[str, Any]]:
    """``room_payload`` of each room, reading pinned messages and owners once."""
    room_ids = [room.id for room in rooms]
    pinned_rows = (
        list(
            session.scalars(
                select(RoomMessage)
                .where(RoomMessage.room_id.in_(room_ids), RoomMessage.pinned_at.is_not(None))
                .options(selectinload(RoomMessage.reactions), selectinload(RoomMessage.reply_to))
            )
        )
        if room_ids
        else []
    )
    pinned_ids = [row.room_id for row in pinned_rows]
    pinned = dict(zip(pinned_ids, payloads(session, pinned_rows), strict=True))
    owners = _people(session, [room.owner_id for room in rooms if room.owner_id is not None])
    return [
        {
            "id": room.id,
            "event_id": room.event_id,
            "name": room.name,
            # Not "topic": realtime names the event's topic (``room:<id>``) with that key.
            "description": room.topic,
            "access": room.access.value,
            "kind": room.kind.value,
            "size_limit": room.size_limit,
            "owner": owners.get(room.owner_id) if room.owner_id is not None else None,
            "slow_mode_seconds": room.slow_mode_seconds,
            "archived": room.is_archived,
            "archived_at": _iso(room.archived_at),
            "pinned": pinned.get(room.id),
            "created_at": _iso(room.created_at),
        }
        for room in rooms
    ]


def room_payload(session: Session, room: Room) -> dict[str, Any]:
    """A room's settings as clients see them (``room_updated``, the join acknowledgement)."""
    return room_payloads(session, [room])[0]


def _publish_message_change(session: Session, message: RoomMessage, change: str) -> None:
    publish(
        session,
        room_topic(message.room_id),
        EVENT_MESSAGE_UPDATED,
        {**payload_of(session, message), "change": change},
    )


def _tell_lobby(session: Session, room: Room) -> None:
    notify_topic(
        session,
        event_topic(room.event_id),
        EVENT_ROOMS_CHANGED,
        {"event_id": room.event_id, "room_id": room.id},
    )


def _publish_room(session: Session, room: Room) -> None:
    """The room's settings changed: numbered on its topic, and the lobby is told."""
    publish(session, room_topic(room.id), EVENT_ROOM_UPDATED, room_payload(session, room))
    _tell_lobby(session, room)


def _audit(session: Session, actor: User, action: str, room: Room, **details: Any) -> None:
    subject_type, subject_id = ROOM_SUBJECT_TYPE, room.id
    if "message_id" in details:
        subject_type, subject_id = SUBJECT_TYPE, details["message_id"]
    moderation.record_audit(
        session,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details={"room_id": room.id, "event_id": room.event_id, **details},
    )


# --- Rooms --------------------------------------------------------------------------------


def _check_settings(values: Mapping[str, Any], *, max_size: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "name" in values:
        name = str(values["name"] or "").strip()
        if not 1 <= len(name) <= NAME_MAX_LENGTH:
            errors["name"] = [
                gettext("Give a name of 1 to %(limit)s characters.", limit=NAME_MAX_LENGTH)
            ]
    if "topic" in values and len(str(values["topic"] or "")) > TOPIC_MAX_LENGTH:
        errors["topic"] = [gettext("At most %(limit)s characters.", limit=TOPIC_MAX_LENGTH)]
    size = values.get("size_limit")
    if size is not None and not (MIN_TABLE_SIZE <= size <= max_size):
        errors["size_limit"] = [
            gettext(
                "The size limit is a number of seats from %(least)s to %(most)s.",
                least=MIN_TABLE_SIZE,
                most=max_size,
            )
        ]
    seconds = values.get("slow_mode_seconds")
    if seconds is not None and not (0 <= seconds <= MAX_SLOW_MODE_SECONDS):
        errors["slow_mode_seconds"] = [
            gettext("Slow mode is 0 (off) to %(most)s seconds.", most=MAX_SLOW_MODE_SECONDS)
        ]
    if "access" in values:
        try:
            RoomAccess(values["access"])
        except ValueError:
            errors["access"] = [gettext("Choose who may join.")]
    return errors


def _refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(gettext("Please correct the highlighted fields."), errors)


def _open_event(session: Session, viewer: Any, event_id: Any) -> Event:
    event = events_service.visible_event(session, viewer, event_id)
    if event.is_cancelled:
        raise Conflict(gettext("This event was cancelled."))
    return event


def create_room(session: Session, actor: Any, event_id: int, data: Mapping[str, Any]) -> Room:
    """Organisers open a room: ``name``, ``topic``, ``access`` (going / members / invite),
    ``size_limit`` (None or 2..MAX_ROOM_SIZE), ``slow_mode_seconds`` (0..3600)."""
    actor = _require_member(actor)
    event = _open_event(session, actor, event_id)
    if not events_service.can_manage(actor, event):
        raise _organisers_only()
    _refuse_if(_check_settings({"name": "", **data}, max_size=MAX_ROOM_SIZE))
    now = utcnow()
    room = Room(
        event_id=event.id,
        name=str(data["name"]).strip(),
        topic=str(data.get("topic") or "").strip(),
        access=RoomAccess(data.get("access", RoomAccess.going)),
        size_limit=data.get("size_limit"),
        kind=RoomKind.organiser,
        slow_mode_seconds=data.get("slow_mode_seconds") or 0,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(room)
    session.flush()
    _tell_lobby(session, room)
    return room


def open_table(session: Session, actor: Any, event_id: int, data: Mapping[str, Any]) -> Room:
    """Members going to the event open a table of their own: ``name``, ``topic``,
    ``size_limit`` (2..MAX_TABLE_SIZE, required), ``access`` (going or invite). They own
    it and take its first seat. At most MAX_OPEN_TABLES open tables per member per event."""
    actor = _require_member(actor)
    event = _open_event(session, actor, event_id)
    if not events_service.can_manage(actor, event) and not _is_going(session, event, actor.id):
        raise NotAllowed(gettext("Only the people going to the event can open a table."))
    values = {"name": "", **data}
    errors = _check_settings(values, max_size=MAX_TABLE_SIZE)
    if values.get("size_limit") is None:
        errors.setdefault("size_limit", []).append(
            gettext("Say how many seats the table has (%(least)s to %(most)s).",
                    least=MIN_TABLE_SIZE, most=MAX_TABLE_SIZE)
        )  # fmt: skip
    if values.get("access", RoomAccess.going) == RoomAccess.members:
        errors.setdefault("access", []).append(
            gettext("A table is for the people going, or by invitation.")
        )
    _refuse_if(errors)
    open_tables = session.scalar(
        select(func.count())
        .select_from(Room)
        .where(
            Room.event_id == event.id,
            Room.owner_id == actor.id,
            Room.kind == RoomKind.table,
            Room.archived_at.is_(None),
        )
    )
    if (open_tables or 0) >= MAX_OPEN_TABLES:
        raise Conflict(
            gettext(
                "You already have %(count)s open tables at this event: close one first.",
                count=MAX_OPEN_TABLES,
            )
        )
    now = utcnow()
    room = Room(
        event_id=event.id,
        name=str(values["name"]).strip(),
        topic=str(values.get("topic") or "").strip(),
        access=RoomAccess(values.get("access", RoomAccess.going)),
        size_limit=values["size_limit"],
        kind=RoomKind.table,
        owner_id=actor.id,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(room)
    session.flush()
    session.add(RoomMembership(room_id=room.id, user_id=actor.id, joined_at=now))
    session.flush()
    _tell_lobby(session, room)
    return room


_EDITABLE = ("name", "topic", "access", "size_limit")


def edit_room(session: Session, actor: Any, room_id: int, changes: Mapping[str, Any]) -> Room:
    """Organisers edit any room of their event; a table's owner edits their table
    (within the table limits). Only the keys given change (name, topic, access,
    size_limit). Slow mode has its own action (``set_slow_mode``)."""
    actor = _require_member(actor)
    room = visible_room(session, actor, room_id)
    organiser = is_organiser(actor, room)
    if not organiser and not (room.is_table and room.owner_id == actor.id):
        raise _organisers_only()
    if room.is_archived:
        raise _archived()
    wanted = {key: changes[key] for key in _EDITABLE if key in changes}
    errors = _check_settings(wanted, max_size=MAX_TABLE_SIZE if room.is_table else MAX_ROOM_SIZE)
    if room.is_table and "size_limit" in wanted and wanted["size_limit"] is None:
        errors.setdefault("size_limit", []).append(
            gettext("Say how many seats the table has (%(least)s to %(most)s).",
                    least=MIN_TABLE_SIZE, most=MAX_TABLE_SIZE)
        )  # fmt: skip
    if room.is_table and wanted.get("access") == RoomAccess.members:
        errors.setdefault("access", []).append(
            gettext("A table is for the people going, or by invitation.")
        )
    _refuse_if(errors)
    for key, value in wanted.items():
        if key == "access":
            value = RoomAccess(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(room, key, value)
    room.updated_at = utcnow()
    session.flush()
    _publish_room(session, room)
    return room


def archive_room(session: Session, actor: Any, room_id: int) -> Room:
    """Organisers (or a table's owner) archive a room: history stays, nothing new.
    Archiving an archived room changes nothing."""
    actor = _require_member(actor)
    room = visible_room(session, actor, room_id)
    organiser = is_organiser(actor, room)
    if not organiser and not (room.is_table and room.owner_id == actor.id):
        raise _organisers_only()
    if room.is_archived:
        return room
    room.archived_at = room.updated_at = utcnow()
    session.flush()
    _audit(session, actor, AUDIT_ARCHIVE, room)
    _publish_room(session, room)
    return room


def archive_rooms_of_cancelled_event(
    session: Session, *, event_id: int, actor_id: int
) -> list[Room]:
    """An event was cancelled (``signals.event_cancelled``): each of its open rooms is
    archived as the organiser who cancelled it archiving it by hand (audited, published
    as ``room_updated``, the lobby told). Returns the rooms archived."""
    actor = session.get(User, actor_id)
    if actor is None:
        return []
    open_rooms = session.scalars(
        select(Room).where(Room.event_id == event_id, Room.archived_at.is_(None)).order_by(Room.id)
    ).all()
    return [archive_room(session, actor, room.id) for room in open_rooms]


def invite_member(session: Session, actor: Any, room_id: int, user_id: int) -> RoomInvite:
    """Organisers (or a table's owner) invite a member to a room (twice: one invite)."""
    actor = _require_member(actor)
    room = visible_room(session, actor, room_id)
    if not is_organiser(actor, room) and not (room.is_table and room.owner_id == actor.id):
        raise _organisers_only()
    if session.get(User, user_id) is None:
        raise NotFound(gettext("No such member."))
    invite = session.get(RoomInvite, (room.id, user_id))
    if invite is None:
        invite = RoomInvite(room_id=room.id, user_id=user_id, invited_by_id=actor.id)
        session.add(invite)
        session.flush()
    return invite


# --- Seats ---------------------------------------------------------------------------------


@dataclass
class Joined:
    """A join's outcome: ``read_only`` for an archived room (no seat taken)."""

    room: Room
    read_only: bool
    muted: bool
    can_moderate: bool


def join_room(session: Session, actor: Any, room_id: int, *, now: datetime | None = None) -> Joined:
    """A member joins: refused with the reason (removed, access rule, full); an
    archived room is joined read-only. Joining again keeps the seat."""
    actor = _require_member(actor)
    room = visible_room(session, actor, room_id)
    refusal = access_refusal(session, actor, room)
    if refusal is not None:
        raise NotAllowed(refusal)
    organiser = is_organiser(actor, room)
    muted = is_muted(session, room, actor.id)
    if room.is_archived:
        return Joined(room, read_only=True, muted=muted, can_moderate=organiser)
    if _seat(session, room, actor.id) is None:
        room = _lock_room(session, room)  # seats are counted under the room's lock
        taken = seats_taken(session, room)
        if room.size_limit is not None and taken >= room.size_limit and not organiser:
            raise Conflict(
                gettext("This room is full: all %(limit)s seats are taken.", limit=room.size_limit)
            )
        try:
            with session.begin_nested():
                session.add(
                    RoomMembership(room_id=room.id, user_id=actor.id, joined_at=now or utcnow())
                )
        except IntegrityError:  # a second tab of theirs took it first
            pass
    return Joined(room, read_only=False, muted=muted, can_moderate=organiser)


def leave_room(session: Session, actor: Any, room_id: int) -> None:
    """A member gives up their seat (leaving the room on purpose, not closing a tab)."""
    actor = _require_member(actor)
    room = _room(session, room_id)
    session.execute(
        delete(RoomMembership).where(
            RoomMembership.room_id == room.id, RoomMembership.user_id == actor.id
        )
    )


# --- Messages -----------------------------------------------------------------------------


def _check_body(body: Any) -> str:
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        message = gettext("Write a message first.")
        raise InvalidInput(message, {"body": [message]})
    if len(text) > MAX_BODY_LENGTH:
        message = gettext(
            "A message is at most %(limit)s characters (this one has %(count)s).",
            limit=format_number(MAX_BODY_LENGTH),
            count=format_number(len(text)),
        )
        raise InvalidInput(message, {"body": [message]})
    return text


def _check_client_id(client_id: Any) -> str:
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= MAX_CLIENT_ID_LENGTH:
        message = gettext("Each message needs a client id of 1 to %(limit)s characters.",
                          limit=MAX_CLIENT_ID_LENGTH)  # fmt: skip
        raise InvalidInput(message, {"client_id": [message]})
    return client_id


def _sent_before(
    session: Session, room: Room, author_id: int, client_id: str
) -> RoomMessage | None:
    return session.scalar(
        select(RoomMessage)
        .where(
            RoomMessage.room_id == room.id,
            RoomMessage.author_id == author_id,
            RoomMessage.client_id == client_id,
        )
        .execution_options(populate_existing=True)
    )


def find_resend(session: Session, actor: Any, room_id: int, client_id: Any) -> RoomMessage | None:
    """The message ``actor`` already sent in the room with this ``client_id``, if any: a
    resend is answered with it (and costs no sending allowance)."""
    if not isinstance(client_id, str) or not getattr(actor, "is_authenticated", False):
        return None
    return session.scalar(
        select(RoomMessage).where(
            RoomMessage.room_id == room_id,
            RoomMessage.author_id == actor.id,
            RoomMessage.client_id == client_id,
        )
    )


def _writable_seat(
    session: Session, actor: User, room: Room, *, lock: bool = False
) -> RoomMembership | None:
    """Refuse unless the actor may write in the room now; their seat (organisers may
    write without one: None)."""
    if room.is_archived:
        raise _archived()
    refusal = access_refusal(session, actor, room)
    if refusal is not None:
        raise NotAllowed(refusal)
    seat = _seat(session, room, actor.id, lock=lock)
    organiser = is_organiser(actor, room)
    if seat is None and not organiser:
        raise _join_first()
    if is_muted(session, room, actor.id):
        raise _muted()
    return seat


def _check_slow_mode(
    session: Session, room: Room, author: User, now: datetime, organiser: bool
) -> None:
    """One message per ``slow_mode_seconds`` per member, counted from their last message
    in the room (leaving and joining again does not start the count again)."""
    if organiser or not room.slow_mode_seconds:
        return
    last = session.scalar(
        select(func.max(RoomMessage.created_at)).where(
            RoomMessage.room_id == room.id, RoomMessage.author_id == author.id
        )
    )
    if last is None:
        return
    waited = (now - last).total_seconds()
    if waited < room.slow_mode_seconds:
        wait = max(1, math.ceil(room.slow_mode_seconds - waited))
        raise TooFast(
            ngettext(
                "Slow mode is on: you can send again in %(num)d second.",
                "Slow mode is on: you can send again in %(num)d seconds.",
                wait,
            ),
            retry_after=wait,
        )


def _reply_target(session: Session, room: Room, reply_to_id: Any) -> RoomMessage | None:
    if reply_to_id is None:
        return None
    try:
        target = _message(session, reply_to_id)
    except NotFound:
        target = None
    if target is None or target.room_id != room.id or target.is_gone:
        message = gettext("The message you reply to is no longer there.")
        raise InvalidInput(message, {"reply_to_id": [message]})
    return target


def _lock_next_seq(session: Session, room: Room) -> int:
    """The number the room's next published event will get, with its topic's sequence
    row locked until the commit, so the message carries its number before it is
    published (and the publish that follows takes exactly that number)."""
    topic_name = room_topic(room.id)
    statement = (
        select(TopicSequence.last_seq)
        .where(TopicSequence.topic == topic_name)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    last = session.scalar(statement)
    if last is None:
        try:
            with session.begin_nested():
                session.add(TopicSequence(topic=topic_name, last_seq=0))
        except IntegrityError:  # another sender made it first: wait for its lock
            pass
        last = session.scalar(statement) or 0
    return last + 1


def _mention_recipients(
    session: Session, room: Room, author: User, mentioned: Iterable[int]
) -> set[int]:
    """Mentioned members who may be in the room and have not blocked the author."""
    candidates = set(mentioned) - {author.id}
    if not candidates:
        return set()
    users = session.scalars(select(User).where(User.id.in_(candidates)))
    allowed = {user.id for user in users if access_refusal(session, user, room) is None}
    return allowed - moderation.blockers_of(session, author.id, allowed)


def _notify_mentions(
    session: Session, room: Room, message: RoomMessage, author: User, recipients: set[int]
) -> None:
    if not recipients:
        return
    name, room_name = author.display_name, room.name
    notifications.notify(
        session,
        recipients=dict.fromkeys(recipients, KIND_MENTION),
        actor_id=author.id,
        subject_type=SUBJECT_TYPE,
        subject_id=message.id,
        url=f"{room_path(room)}#message-{message.id}",
        summary=lambda _kind: gettext(
            "%(who)s mentioned you in the room “%(room)s”", who=name, room=room_name
        ),
        excerpt=render_plain_excerpt(message.body, 300),
    )


def send_message(
    session: Session,
    actor: Any,
    room_id: int,
    body: str,
    client_id: str,
    reply_to_id: int | None = None,
    *,
    now: datetime | None = None,
) -> tuple[RoomMessage, bool]:
    """Send a message; returns it and whether it is new.

    A resend (same ``client_id`` from the same author in the room) returns the first
    message with ``False`` and publishes nothing. Otherwise refused: over 4,000
    characters or empty (InvalidInput), archived (Conflict), removed / not allowed /
    no seat / muted (NotAllowed), slow mode (TooFast with ``retry_after``). ``now`` is
    the clock (tests).
    """
    actor = _require_member(actor)
    client_id = _check_client_id(client_id)
    room = visible_room(session, actor, room_id)
    if (earlier := _sent_before(session, room, actor.id, client_id)) is not None:
        return earlier, False
    text = _check_body(body)
    now = now or utcnow()
    _writable_seat(session, actor, room, lock=True)
    # The seat's lock serialises this member's sends: a racing resend waits, then finds it.
    if (earlier := _sent_before(session, room, actor.id, client_id)) is not None:
        return earlier, False
    organiser = is_organiser(actor, room)
    _check_slow_mode(session, room, actor, now, organiser)
    reply_to = _reply_target(session, room, reply_to_id)
    html, mentioned = discussions_service.render_post(session, text, author_id=actor.id)
    seq = _lock_next_seq(session, room)
    message = RoomMessage(
        room_id=room.id,
        seq=seq,
        author_id=actor.id,
        client_id=client_id,
        body=text,
        body_html=html,
        reply_to=reply_to,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:  # the same send committed by another connection meanwhile
        earlier = _sent_before(session, room, actor.id, client_id)
        if earlier is None:
            raise
        return earlier, False
    stored = publish(
        session,
        room_topic(room.id),
        EVENT_MESSAGE,
        payload_of(session, message),
        client_id=f"{actor.id}:{client_id}",
    )
    if stored.seq != seq:  # the topic's row is locked by us until the commit
        raise RuntimeError(f"room {room.id}: expected seq {seq}, publish gave {stored.seq}")
    _notify_mentions(
        session, room, message, actor, _mention_recipients(session, room, actor, mentioned)
    )
    return message, True


def _own_message(session: Session, actor: User, message_id: Any) -> RoomMessage:
    message = _message(session, message_id)
    room = visible_room(session, actor, message.room_id)
    if message.is_gone:
        raise _no_such_message()
    if message.author_id != actor.id:
        raise NotAllowed(gettext("You can only change your own messages."))
    if room.is_archived:
        raise _archived()
    return message


def edit_message(
    session: Session, actor: Any, message_id: int, body: str, *, now: datetime | None = None
) -> RoomMessage:
    """Authors edit their own messages (not when muted or archived); members newly
    mentioned are notified. The same text again changes and publishes nothing."""
    actor = _require_member(actor)
    message = _own_message(session, actor, message_id)
    text = _check_body(body)
    room = message.room
    _writable_seat(session, actor, room)
    if text == message.body:
        return message
    _html_before, mentioned_before = discussions_service.render_post(
        session, message.body, author_id=actor.id
    )
    html, mentioned = discussions_service.render_post(session, text, author_id=actor.id)
    message.body, message.body_html = text, html
    message.edited_at = now or utcnow()
    session.flush()
    _publish_message_change(session, message, CHANGE_EDITED)
    newly = _mention_recipients(session, room, actor, set(mentioned) - set(mentioned_before))
    _notify_mentions(session, room, message, actor, newly)
    return message


def delete_message(
    session: Session, actor: Any, message_id: int, *, now: datetime | None = None
) -> RoomMessage:
    """Authors delete their own messages (shown as deleted to everyone; a muted member
    may delete). Not in an archived room."""
    actor = _require_member(actor)
    message = _own_message(session, actor, message_id)
    message.deleted_at = now or utcnow()
    message.pinned_at = None
    session.flush()
    _publish_message_change(session, message, CHANGE_DELETED)
    return message


def toggle_reaction(
    session: Session, actor: Any, message_id: int, kind: str
) -> tuple[RoomMessage, bool]:
    """Add the member's reaction of ``kind`` (like, helpful, insightful, celebrate), or
    take it back if there; returns the message and whether the reaction is now on."""
    actor = _require_member(actor)
    try:
        reaction_kind = ReactionKind(kind)
    except ValueError:
        text = gettext("Choose one of the reactions offered.")
        raise InvalidInput(text, {"kind": [text]}) from None
    message = _message(session, message_id)
    room = visible_room(session, actor, message.room_id)
    if message.is_gone:
        raise _no_such_message()
    _writable_seat(session, actor, room)
    existing = session.get(RoomReaction, (message.id, actor.id, reaction_kind))
    if existing is not None:
        message.reactions.remove(existing)
        active = False
    else:
        try:
            with session.begin_nested():
                message.reactions.append(
                    RoomReaction(message_id=message.id, user_id=actor.id, kind=reaction_kind)
                )
        except IntegrityError:  # a double click: it is on
            session.refresh(message)
        active = True
    session.flush()
    _publish_message_change(session, message, CHANGE_REACTIONS)
    return message, active


@dataclass
class History:
    """At most ``limit`` messages, oldest first; ``has_earlier`` for "load earlier"."""

    messages: list[dict[str, Any]]
    has_earlier: bool


def history(
    session: Session,
    viewer: Any,
    room_id: int,
    before_seq: int | None = None,
    limit: int = HISTORY_LIMIT,
) -> History:
    """The latest messages (or those before ``before_seq``), as ``message_payload``s,
    oldest first. Deleted and removed ones are there as placeholders."""
    viewer = _require_member(viewer)
    room = visible_room(session, viewer, room_id)
    _require_reader(session, viewer, room)
    return history_of(session, room, before_seq, limit)


def history_of(
    session: Session, room: Room, before_seq: int | None = None, limit: int = HISTORY_LIMIT
) -> History:
    """``history`` for a caller that has checked the viewer may read the room."""
    limit = max(1, min(int(limit), MAX_HISTORY_LIMIT))
    statement = (
        select(RoomMessage)
        .where(RoomMessage.room_id == room.id)
        .order_by(RoomMessage.seq.desc())
        .limit(limit + 1)
        .options(selectinload(RoomMessage.reactions), selectinload(RoomMessage.reply_to))
    )
    if before_seq is not None:
        statement = statement.where(RoomMessage.seq < before_seq)
    rows = list(session.scalars(statement))
    has_earlier = len(rows) > limit
    rows = list(reversed(rows[:limit]))
    return History(payloads(session, rows), has_earlier)


# --- Moderation by the event's organisers -----------------------------------------------------


def _moderated_message(session: Session, actor: Any, message_id: Any) -> tuple[User, RoomMessage]:
    actor = _require_member(actor)
    message = _message(session, message_id)
    room = visible_room(session, actor, message.room_id)
    actor = _require_organiser(actor, room)
    return actor, message


def pin_message(session: Session, actor: Any, message_id: int) -> RoomMessage:
    """Pin a message (the one pinned before is unpinned): one pinned message per room."""
    actor, message = _moderated_message(session, actor, message_id)
    room = message.room
    if room.is_archived:
        raise _archived()
    if message.is_gone:
        raise _no_such_message()
    if message.pinned_at is not None:
        return message
    previous = pinned_message(session, room)
    if previous is not None:
        previous.pinned_at = None
        session.flush()
        _publish_message_change(session, previous, CHANGE_UNPINNED)
    message.pinned_at = utcnow()
    session.flush()
    _audit(session, actor, AUDIT_PIN, room, message_id=message.id)
    _publish_message_change(session, message, CHANGE_PINNED)
    _publish_room(session, room)
    return message


def unpin_message(session: Session, actor: Any, message_id: int) -> RoomMessage:
    actor, message = _moderated_message(session, actor, message_id)
    if message.pinned_at is None:
        return message
    message.pinned_at = None
    session.flush()
    _audit(session, actor, AUDIT_UNPIN, message.room, message_id=message.id)
    _publish_message_change(session, message, CHANGE_UNPINNED)
    _publish_room(session, message.room)
    return message


def _take_down(session: Session, actor: User, message: RoomMessage) -> None:
    message.removed_at = utcnow()
    message.removed_by_id = actor.id
    was_pinned = message.pinned_at is not None
    message.pinned_at = None
    session.flush()
    _publish_message_change(session, message, CHANGE_REMOVED)
    if was_pinned:
        _publish_room(session, message.room)


def remove_message(session: Session, actor: Any, message_id: int) -> RoomMessage:
    """Organisers remove a message: everyone sees "removed by an organiser"; its text
    stays in the database for the audit. Removing it again changes nothing."""
    actor, message = _moderated_message(session, actor, message_id)
    if message.removed_at is not None:
        return message
    _take_down(session, actor, message)
    _audit(session, actor, AUDIT_REMOVE_MESSAGE, message.room, message_id=message.id)
    return message


def _target_member(session: Session, actor: User, room: Room, user_id: Any) -> User:
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound(gettext("No such member."))
    if user.id == actor.id:
        raise Conflict(gettext("You cannot do that to yourself."))
    if is_organiser(user, room):
        raise Conflict(gettext("Organisers of the event cannot be muted or removed."))
    return user


def mute_member(session: Session, actor: Any, room_id: int, user_id: int) -> RoomMute:
    """An organiser mutes a member in a room: they keep reading, cannot send."""
    actor = _require_member(actor)
    room = visible_room(session, actor, room_id)
    actor = _require_organiser(actor, room)
    user = _target_member(session, actor, room, user_id)
    mute = session.get(RoomMute, (room.id, user.id))
    if mute is not None:
        return mute
    mute = RoomMute(room_id=room.id, user_id=user.id, muted_by_id=actor.id)
    session.add(mute)
    session.flush()
    _audit(session, actor, AUDIT_MUTE, room, user_id=user.id)
    publish(session, room_topic(room.id), EVENT_MEMBER_MUTED,
            {"room_id": room.id, "user_id": user.id, "muted": True})  # fmt: skip
    return mute


def unmute_member(session: Session, actor: Any, room_id: int, user_id: int) -> None:
    actor = _require_member(actor)
    room = visible_room(session, actor, room_id)
    actor = _require_organiser(actor, room)
    mute = session.get(RoomMute, (room.id, user_id)) if isinstance(user_id, int) else None
    if mute is None:
        return
    session.delete(mute)
    session.flush()
    _audit(session, actor, AUDIT_UNMUTE, room, user_id=user_id)
    publish(session, room_topic(room.id), EVENT_MEMBER_MUTED,
            {"room_id": room.id, "user_id": user_id, "muted": False})  # fmt: skip


def remove_member(session: Session, actor: Any, room_id: int, user_id: int) -> RoomRemoval:
    """An organiser removes a member from a room: their seat goes, they are refused if
    they try to join again, and (after the commit) their connections leave the room:
    ``room_member_removed`` is published on the room and told to the member's own
    topic, and the hooks the socket layer registered run."""
    actor = _require_member(actor)
    room = visible_room(session, actor, room_id)
    actor = _require_organiser(actor, room)
    user = _target_member(session, actor, room, user_id)
    removal = session.get(RoomRemoval, (room.id, user.id))
    if removal is not None:
        return removal
    removal = RoomRemoval(room_id=room.id, user_id=user.id, removed_by_id=actor.id)
    session.add(removal)
    session.execute(
        delete(RoomMembership).where(
            RoomMembership.room_id == room.id, RoomMembership.user_id == user.id
        )
    )
    session.flush()
    _audit(session, actor, AUDIT_REMOVE_MEMBER, room, user_id=user.id)
    payload = {"room_id": room.id, "user_id": user.id}
    publish(session, room_topic(room.id), EVENT_MEMBER_REMOVED, payload)
    notify_topic(session, user_topic(user.id), EVENT_MEMBER_REMOVED, payload)
    room_ident, user_ident = room.id, user.id
    for hook in list(_member_removed_hooks):
        after_commit(session, partial(hook, room_ident, user_ident))
    return removal


def set_slow_mode(session: Session, actor: Any, room_id: int, seconds: int) -> Room:
    """An organiser sets slow mode: one message per ``seconds`` per member (0: off)."""
    actor = _require_member(actor)
    room = visible_room(session, actor, room_id)
    actor = _require_organiser(actor, room)
    if room.is_archived:
        raise _archived()
    if not isinstance(seconds, int) or isinstance(seconds, bool):
        seconds = -1
    _refuse_if(_check_settings({"slow_mode_seconds": seconds}, max_size=MAX_ROOM_SIZE))
    if room.slow_mode_seconds == seconds:
        return room
    before = room.slow_mode_seconds
    room.slow_mode_seconds = seconds
    room.updated_at = utcnow()
    session.flush()
    _audit(session, actor, AUDIT_SLOW_MODE, room, seconds=seconds, before=before)
    _publish_room(session, room)
    return room


def flag_message(
    session: Session, actor: Any, message_id: int, reason: str, note: str = ""
) -> Flag:
    """Members who may read the room flag a message for the moderators (one open flag
    per member per message; not their own)."""
    actor = _require_member(actor)
    message = _message(session, message_id)
    room = visible_room(session, actor, message.room_id)
    _require_reader(session, actor, room)
    return moderation.flag_post(
        session, actor=actor, subject_type=SUBJECT_TYPE, subject_id=message.id,
        reason=reason, note=note,
    )  # fmt: skip


# --- Promote to a discussion ------------------------------------------------------------------


def _discussion_category(session: Session) -> Category:
    category = session.scalar(select(Category).where(Category.slug == DISCUSSION_CATEGORY_SLUG))
    if category is None:
        category = Category(
            slug=DISCUSSION_CATEGORY_SLUG,
            name=events_service.SESSIONS_CATEGORY_NAME,
            description="One discussion per session of an event's agenda.",
            position=1000,
        )
        session.add(category)
        session.flush()
    return category


def _thread_title(room: Room, message: RoomMessage) -> str:
    excerpt = render_plain_excerpt(message.body, 120).strip()
    title = f"{room.name}: {excerpt}" if len(excerpt) < 20 else excerpt
    return title[:200]


def promote_to_discussion(
    session: Session, actor: Any, message_id: int, title: str | None = None
) -> Thread:
    """The message's author or an organiser starts a lasting discussion from a message
    (in the events category, quoting it); promoting it again returns that thread."""
    actor = _require_member(actor)
    message = _message(session, message_id)
    room = visible_room(session, actor, message.room_id)
    _require_reader(session, actor, room)
    if message.is_gone:
        raise _no_such_message()
    if message.author_id != actor.id and not is_organiser(actor, room):
        raise NotAllowed(gettext("Only its author or an organiser can do that."))
    if message.thread_id is not None and (existing := session.get(Thread, message.thread_id)):
        return existing
    wanted = (title or "").strip()
    if wanted and not 5 <= len(wanted) <= 200:
        text = gettext("Give a title of 5 to 200 characters.")
        raise InvalidInput(text, {"title": [text]})
    author = message.author.display_name if message.author else gettext("A former member")
    quoted = "\n".join(f"> {line}".rstrip() for line in message.body.splitlines())
    said = gettext(
        "— %(author)s, in the room “%(room)s” at %(event)s ([see the room](%(link)s))",
        author=author,
        room=room.name,
        event=room.event.title,
        link=room_path(room),
    )
    body = f"{quoted}\n\n{said}"
    posted = discussions_service.start_thread(
        session,
        actor=actor,
        category_id=_discussion_category(session).id,
        title=wanted or _thread_title(room, message),
        body=body,
    )
    thread = posted.post
    assert isinstance(thread, Thread)
    message.thread_id = thread.id
    session.flush()
    _publish_message_change(session, message, CHANGE_PROMOTED)
    return thread


# --- The lobby and who is here ------------------------------------------------------------------


@dataclass
class PeopleHere:
    """Members the viewer may see named, and how many others are here."""

    named: list[dict[str, Any]] = field(default_factory=list)
    unnamed_count: int = 0

    @property
    def count(self) -> int:
        return len(self.named) + self.unnamed_count


def people_here(session: Session, viewer: Any, user_ids: Collection[int]) -> PeopleHere:
    """Who is present, as the viewer may see them: a member whose profile the viewer
    may not see (private) is counted, not named. Names in alphabetical order."""
    return _people_here_in(session, viewer, {0: set(user_ids)})[0]


def _people_here_in(
    session: Session, viewer: Any, groups: Mapping[int, Collection[int]]
) -> dict[int, PeopleHere]:
    """``people_here`` for several groups (rooms) at once, in one statement (``_people``
    reads each member's profile visibility too)."""
    ids = set().union(*groups.values()) if groups else set()
    if not ids:
        return {key: PeopleHere() for key in groups}
    people, visibilities = _people_and_visibility(session, ids)
    shown = {user_id for user_id in people if _may_see(viewer, user_id, visibilities[user_id])}
    result = {}
    for key, group in groups.items():
        here = PeopleHere(
            named=[people[user_id] for user_id in group if user_id in shown],
            unnamed_count=len(set(group) - shown),
        )
        here.named.sort(key=lambda person: (person["name"].lower(), person["id"]))
        result[key] = here
    return result


def _may_see(viewer: Any, user_id: int, visibility: ProfileVisibility) -> bool:
    """``members.privacy.may_see_profile`` on the visibility ``_people`` read."""
    if not getattr(viewer, "is_authenticated", False):
        return visibility is ProfileVisibility.public
    if viewer.id == user_id or viewer.is_admin:
        return True
    return visibility is not ProfileVisibility.private


def _present_in(topic_name: str) -> set[int]:
    from hallway.realtime import presence

    return presence.present(topic_name)


@dataclass
class LobbyRoom:
    room: Room
    seats_taken: int
    here: PeopleHere
    #: None: the viewer may join; else why not.
    refusal: str | None
    #: The viewer has a seat in it.
    seated: bool = False


@dataclass
class Lobby:
    """The lobby page's facts: the event, its rooms, and the viewer's standing."""

    event: Event
    entries: list[LobbyRoom]
    organiser: bool
    going: bool


def _viewer_has(model: Any) -> Any:
    return (
        select(model.room_id)
        .where(model.room_id == Room.id, model.user_id == bindparam("viewer_id"))
        .exists()
    )


#: An event's rooms in lobby order, each with its seats taken and the viewer's standing
#: in it (seated, removed, invited): one statement, however many rooms. Built once.
_LOBBY_ROOMS = (
    select(
        Room,
        select(func.count())
        .select_from(RoomMembership)
        .where(RoomMembership.room_id == Room.id)
        .correlate(Room)
        .scalar_subquery(),
        _viewer_has(RoomMembership),
        _viewer_has(RoomRemoval),
        _viewer_has(RoomInvite),
    )
    .where(Room.event_id == bindparam("event_id"))
    .order_by(
        Room.archived_at.is_not(None),
        Room.kind != RoomKind.organiser,
        Room.created_at,
        Room.id,
    )
)


def lobby(
    session: Session,
    viewer: Any,
    event_id: int,
    *,
    present: Callable[[str], set[int]] | None = None,
) -> list[LobbyRoom]:
    """The rooms of an event for its lobby: open ones first (organisers' rooms, then
    tables, oldest first), then archived ones; with seats taken, who is present now
    (``present(topic)`` gives user ids: the realtime presence store by default) and
    whether the viewer may join."""
    return lobby_page(session, viewer, event_id, present=present).entries


def lobby_page(
    session: Session,
    viewer: Any,
    event_id: int,
    *,
    present: Callable[[str], set[int]] | None = None,
) -> Lobby:
    """``lobby`` with the viewer's standing (organiser, going), in a fixed number of
    statements: the event, the viewer's answer, the rooms, and (if anyone is present)
    the people present."""
    viewer = _require_member(viewer)
    event, answer = events_service.visible_event_and_standing(session, viewer, event_id)
    present = present or _present_in
    going = answer.rsvp is not None and answer.rsvp.status is RsvpStatus.going
    rows = session.execute(_LOBBY_ROOMS, {"event_id": event.id, "viewer_id": viewer.id}).all()
    standing = _Standing(
        organiser=answer.manages,
        may_view=True,  # visible_event refused otherwise
        going=going,
        removed_from=frozenset(room.id for room, _, _, removed, _ in rows if removed),
        invited_to=frozenset(room.id for room, _, _, _, invited in rows if invited),
        seated_in=frozenset(room.id for room, _, seated, _, _ in rows if seated),
    )
    here = _people_here_in(
        session, viewer, {room.id: present(room_topic(room.id)) for room, *_ in rows}
    )
    entries = []
    for room, taken, seated, _, _ in rows:
        refusal = standing.refusal(room, viewer.id)
        if (
            refusal is None
            and not room.is_archived
            and not seated
            and room.size_limit is not None
            and taken >= room.size_limit
            and not standing.organiser
        ):
            refusal = gettext(
                "This room is full: all %(limit)s seats are taken.", limit=room.size_limit
            )
        entries.append(LobbyRoom(room, taken, here[room.id], refusal, bool(seated)))
    return Lobby(event, entries, standing.organiser, going)


def lobby_payloads(session: Session, entries: Collection[LobbyRoom]) -> list[dict[str, Any]]:
    """``lobby_payload`` of each entry, reading pinned messages and owners once."""
    rooms = room_payloads(session, [entry.room for entry in entries])
    return [_lobby_payload(room, entry) for room, entry in zip(rooms, entries, strict=True)]


def lobby_payload(session: Session, entry: LobbyRoom) -> dict[str, Any]:
    return _lobby_payload(room_payload(session, entry.room), entry)


def _lobby_payload(room: dict[str, Any], entry: LobbyRoom) -> dict[str, Any]:
    return {
        **room,
        "seats_taken": entry.seats_taken,
        "present_count": entry.here.count,
        "present": entry.here.named,
        "present_unnamed_count": entry.here.unnamed_count,
        "can_join": entry.refusal is None,
        "refusal": entry.refusal,
    }


# --- Moderation subject, notification kind, audit labels ----------------------------------------


def _find_subject(session: Session, message_id: int) -> Any:
    from hallway.moderation.subjects import Subject

    message = session.get(RoomMessage, message_id)
    if message is None:
        return None
    room = message.room
    badges = ("Deleted by its author",) if message.deleted_at is not None else ()
    return Subject(
        type=SUBJECT_TYPE,
        id=message.id,
        author_id=message.author_id,
        author_name=message.author.display_name if message.author else None,
        heading=f"Message in the room “{room.name}”",
        text=message.body,
        created_at=message.created_at,
        hidden=message.removed_at is not None,
        visible=not message.is_gone,
        where=room.event.title,
        badges=badges,
        audit_details={"room_id": room.id, "event_id": room.event_id},
        row=message,
        link=lambda: f"{room_path(room)}#message-{message.id}",
    )


def _can_view_subject(viewer: Any, subject: Any) -> bool:
    from hallway.db import db

    if moderation.can_moderate(viewer):
        return True
    message: RoomMessage = subject.row
    return subject.visible and may_read(db.session, viewer, message.room)


def _hide_subject(session: Session, actor: Any, subject: Any) -> None:
    message: RoomMessage = subject.row
    if message.removed_at is None:
        _take_down(session, actor, message)


def _restore_subject(session: Session, actor: Any, subject: Any) -> None:
    message: RoomMessage = subject.row
    if message.removed_at is None:
        return
    message.removed_at = None
    message.removed_by_id = None
    session.flush()
    _publish_message_change(session, message, CHANGE_RESTORED)


def register_with_app() -> None:
    """Called by ``rooms.init_app``: the mention kind, the moderation subject, audit labels."""
    from hallway.moderation.subjects import SubjectType, register_subject
    from hallway.notifications.kinds import register_kind

    register_kind(
        KIND_MENTION,
        label=lazy_gettext("Mention in a live room"),
        email_preference="email_on_mention",
        email_reason=lazy_gettext("You get these emails about mentions of you on Hallway."),
    )
    register_subject(
        SubjectType(
            name=SUBJECT_TYPE,
            label="room message",
            find=_find_subject,
            hide=_hide_subject,
            restore=_restore_subject,
            can_view=_can_view_subject,
        )
    )
    labels = {
        AUDIT_PIN: lazy_gettext("Pinned a room message"),
        AUDIT_UNPIN: lazy_gettext("Unpinned a room message"),
        AUDIT_REMOVE_MESSAGE: lazy_gettext("Removed a room message"),
        AUDIT_MUTE: lazy_gettext("Muted a member in a room"),
        AUDIT_UNMUTE: lazy_gettext("Unmuted a member in a room"),
        AUDIT_REMOVE_MEMBER: lazy_gettext("Removed a member from a room"),
        AUDIT_SLOW_MODE: lazy_gettext("Changed a room's slow mode"),
        AUDIT_ARCHIVE: lazy_gettext("Archived a room"),
    }
    for action, label in labels.items():
        moderation.register_audit_action(action, label)
