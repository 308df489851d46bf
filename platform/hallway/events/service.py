"""Event rules: the only place that changes events, RSVPs, the agenda and announcements.

Functions take a Session and an explicit ``actor``, add and flush, never commit; the
boundary commits once. Input arrives as ``events.schemas`` loads it (lengths, choices,
time zone, capacity range); the rules here are the ones that need the database, the
clock or the actor. They refuse with InvalidInput (422, field messages), NotAllowed
(403), NotFound (404) or Conflict (409).

Who may do what:
- members with the organiser role (and admins) create events;
- the owner and the co-organisers the owner adds manage an event (edit, cancel, agenda,
  announcements, attendees); only the owner (or an admin) deletes it or changes who
  co-organises it;
- anyone may view a public event, logged-in members a members-only one, and an
  unlisted one is opened by its link (``share_token``), or by its organisers and the
  people who answered it.

Capacity (Meetup's behaviour): when an event is full, "going" puts the member on the
waitlist, ordered by when they joined it; when a place frees up (someone leaves, the
capacity grows or is removed) the first people waiting are promoted and told. Every
RSVP change locks the event row first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite
serialises writers) and counts the people going under that lock, so no two people ever
take the last place.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Select, String, and_, bindparam, cast, func, literal, or_, select, true
from sqlalchemy.orm import Session, lazyload, selectinload

from hallway.accounts import service as accounts_service
from hallway.accounts.models import User
from hallway.core import signals
from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.core.fragment_cache import bump, version_of
from hallway.core.markdown import render_plain_excerpt
from hallway.core.pagination import Page, paginate
from hallway.core.validation import N_
from hallway.db import utcnow
from hallway.discussions import service as discussions_service
from hallway.discussions.models import Category
from hallway.events.models import (
    Announcement,
    CalendarFeed,
    Event,
    EventCover,
    EventFormat,
    EventNetwork,
    EventOrganiser,
    EventSession,
    EventVisibility,
    Rsvp,
    RsvpStatus,
    SessionSpeaker,
)
from hallway.members import avatars, importing
from hallway.members import service as members_service
from hallway.members.models import MemberProfile, ProfileVisibility
from hallway.members.privacy import may_see_profile
from hallway.notifications import service as notifications
from hallway.realtime import notify as notify_topic
from hallway.realtime import user_topic

CORRECT_FIELDS = "Please correct the highlighted fields."
SUBJECT_TYPE = "event"

#: Notification kinds (registered in ``events.init_app``).
KIND_PROMOTED = "event_promoted"
KIND_ANNOUNCEMENT = "event_announcement"
KIND_CANCELLED = "event_cancelled"

#: The discussion category that holds the sessions' threads.
SESSIONS_CATEGORY_SLUG = "events"
SESSIONS_CATEGORY_NAME = "Event sessions"


def event_path(event: Event) -> str:
    return f"/events/{event.id}"


# --- Content versions (hallway.core.fragment_cache) -------------------------------------

#: The events list's cached HTML: any change to an event, its networks or its going
#: count bumps it.
EVENTS = "events"


_EVENT_VERSION_PREFIX = "event:"


def event_version(event_id: int) -> str:
    """The content version of one event's cached page parts: its attendees (answers,
    hidden names), organisers, announcements and cover."""
    return f"{_EVENT_VERSION_PREFIX}{event_id}"


def event_version_in_sql(event_id: Any) -> Any:
    """``event_version`` of a SQL expression (an event id column), for a statement that
    reads the version beside the rows it belongs to."""
    return literal(_EVENT_VERSION_PREFIX) + cast(event_id, String)


def _changed(session: Session, event: Event) -> None:
    """Mark the event's page parts and the events list as changed (this transaction)."""
    bump(session, event_version(event.id), EVENTS)


# --- Who may do what ---------------------------------------------------------------


def _is_member(actor: Any) -> bool:
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def _require_member(actor: Any) -> User:
    if not _is_member(actor):
        raise NotAllowed("Please log in first.")
    return actor


def is_owner(actor: Any, event: Event) -> bool:
    return _is_member(actor) and (event.owner_id == actor.id or actor.is_admin)


def can_manage(actor: Any, event: Event) -> bool:
    """The owner, a co-organiser or an admin."""
    if not _is_member(actor):
        return False
    if is_owner(actor, event):
        return True
    return any(organiser.user_id == actor.id for organiser in event.co_organisers)


def _require_manager(actor: Any, event: Event) -> User:
    actor = _require_member(actor)
    if not can_manage(actor, event):
        raise NotAllowed(N_("Only this event's organisers can do that."))
    return actor


def _require_owner(actor: Any, event: Event) -> User:
    actor = _require_member(actor)
    if not is_owner(actor, event):
        raise NotAllowed("Only the event's owner can do that.")
    return actor


def rsvp_of(session: Session, event: Event, user: Any) -> Rsvp | None:
    if not _is_member(user):
        return None
    return session.scalar(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == user.id))


class OwnAnswer(NamedTuple):
    """The columns of a reader's Rsvp the event page needs (``waitlist_position`` takes it)."""

    id: int
    event_id: int
    status: RsvpStatus
    hidden_from_list: bool
    waitlisted_at: datetime | None


@dataclass(frozen=True)
class Standing:
    """A reader's relation to an event: their answer, and whether they manage it."""

    rsvp: OwnAnswer | None
    manages: bool
    #: The content versions of the event's page and of the directory, read in the same
    #: statement (see ``core.fragment_cache``); None for a visitor (no statement).
    page_versions: tuple[int, int] | None = None


#: What ``standing`` reads: whether the reader organises the event, their answer, and the
#: content versions of the event's page and of the directory.
_STANDING_COLUMNS = (
    select(EventOrganiser.user_id)
    .where(
        EventOrganiser.event_id == bindparam("event_id"),
        EventOrganiser.user_id == bindparam("user_id"),
    )
    .exists(),
    *(getattr(Rsvp, name) for name in OwnAnswer._fields),
    version_of(bindparam("event_version")),
    version_of(members_service.DIRECTORY),
)
_ANSWER_JOIN = and_(Rsvp.event_id == Event.id, Rsvp.user_id == bindparam("user_id"))

#: Built once: building it costs more than running it (the event page runs it per view).
_STANDING = (
    select(*_STANDING_COLUMNS)
    .select_from(Event)
    .outerjoin(Rsvp, _ANSWER_JOIN)
    .where(Event.id == bindparam("event_id"))
)
#: The event itself too (``visible_event_and_standing``).
_EVENT_AND_STANDING = (
    select(Event, *_STANDING_COLUMNS)
    .outerjoin(Rsvp, _ANSWER_JOIN)
    .where(Event.id == bindparam("event_id"))
)


def standing(session: Session, viewer: Any, event: Event) -> Standing:
    """The viewer's answer and whether they manage the event (``can_manage``), in one
    statement (the event page asks it on every view)."""
    if not _is_member(viewer):
        return Standing(None, False)
    row = session.execute(_STANDING, _standing_parameters(viewer, event.id)).one()
    return _standing_of(viewer, event, row)


def visible_event_and_standing(session: Session, viewer: Any, raw: Any) -> tuple[Event, Standing]:
    """``visible_event`` and, for a member, their ``standing``, in one statement (the
    rooms lobby reads both on every view)."""
    if not _is_member(viewer):
        return visible_event(session, viewer, raw), Standing(None, False)
    try:
        event_id = int(raw)
    except (TypeError, ValueError):
        raise NotFound(N_("No such event.")) from None
    row = None
    if 0 < event_id < 2**31:
        parameters = _standing_parameters(viewer, event_id)
        row = session.execute(_EVENT_AND_STANDING, parameters).one_or_none()
    if row is None or not may_view(session, viewer, row[0]):
        raise NotFound(N_("No such event."))
    return row[0], _standing_of(viewer, row[0], row[1:])


def _standing_parameters(viewer: Any, event_id: int) -> dict[str, Any]:
    return {"event_id": event_id, "user_id": viewer.id, "event_version": event_version(event_id)}


def _standing_of(viewer: Any, event: Event, row: Any) -> Standing:
    """``Standing`` from the values of ``_STANDING_COLUMNS``."""
    organises, *answer, event_page, directory = row
    rsvp = OwnAnswer(*answer) if answer[0] is not None else None
    manages = is_owner(viewer, event) or bool(organises)
    return Standing(rsvp, manages, (event_page or 0, directory or 0))


def may_view(session: Session, viewer: Any, event: Event, *, by_link: bool = False) -> bool:
    """Public: anyone. Members: logged in. Unlisted: anyone with its link; by its id only
    its organisers and those who answered it (they came by the link)."""
    if event.visibility is EventVisibility.public:
        return True
    if event.visibility is EventVisibility.unlisted and by_link:
        return True
    if not _is_member(viewer):
        return False
    if event.visibility is EventVisibility.members or can_manage(viewer, event):
        return True
    return rsvp_of(session, event, viewer) is not None


def may_see_online_link(session: Session, viewer: Any, event: Event) -> bool:
    """The online link is for the people going and the organisers only."""
    if not _is_member(viewer) or not event.online_url:
        return False
    if can_manage(viewer, event):
        return True
    rsvp = rsvp_of(session, event, viewer)
    return rsvp is not None and rsvp.status is RsvpStatus.going


# --- Loaders (core.loading.loads) ---------------------------------------------------


def _event_by_id(session: Session, raw: Any) -> Event:
    try:
        event_id = int(raw)
    except (TypeError, ValueError):
        raise NotFound(N_("No such event.")) from None
    event = session.get(Event, event_id) if 0 < event_id < 2**31 else None
    if event is None:
        raise NotFound(N_("No such event."))
    return event


def visible_event(session: Session, viewer: Any, raw: Any) -> Event:
    """The event ``raw`` names if ``viewer`` may see it; an unknown and a hidden event
    refuse the same way (404)."""
    event = _event_by_id(session, raw)
    if not may_view(session, viewer, event):
        raise NotFound(N_("No such event."))
    return event


def event_by_link(session: Session, viewer: Any, token: Any) -> Event:
    """An event by its shared link: unlisted events (and any other the viewer may see)."""
    event = session.scalar(select(Event).where(Event.share_token == str(token)[:64]))
    if event is None or not may_view(session, viewer, event, by_link=True):
        raise NotFound(N_("No such event."))
    return event


def managed_event(session: Session, viewer: Any, raw: Any) -> Event:
    """An event the viewer organises (organiser tools: attendee export...)."""
    event = visible_event(session, viewer, raw)
    if not can_manage(viewer, event):
        raise NotAllowed(N_("Only this event's organisers can do that."))
    return event


def session_in_event(session: Session, viewer: Any, raw: Any, event: Event) -> EventSession:
    try:
        session_id = int(raw)
    except (TypeError, ValueError):
        raise NotFound(N_("No such session.")) from None
    found = session.get(EventSession, session_id) if 0 < session_id < 2**31 else None
    if found is None or found.event_id != event.id:
        raise NotFound(N_("No such session."))
    return found


# --- Creating and editing -------------------------------------------------------------

_EVENT_FIELDS = (
    "title", "summary", "description", "starts_at", "ends_at", "time_zone", "format",
    "venue", "address", "city", "country", "region", "online_url", "capacity",
    "visibility", "registration_open",
)  # fmt: skip


def _placed(moment: datetime, zone: str) -> datetime:
    """A time without an offset is local to the event's zone; stored in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


def _place_times(values: dict[str, Any], zone: str) -> None:
    for name in ("starts_at", "ends_at"):
        if name in values:
            values[name] = _placed(values[name], zone)
    if "format" in values:
        values["format"] = EventFormat(values["format"])
    if "visibility" in values:
        values["visibility"] = EventVisibility(values["visibility"])


def _check_event(values: Mapping[str, Any], *, new: bool, now: datetime) -> None:
    """Rules across fields, on the event as it would be after the change."""
    errors: dict[str, list[str]] = {}
    if values["ends_at"] <= values["starts_at"]:
        errors["ends_at"] = [N_("The end must be after the start.")]
    if new and values["starts_at"] < now:
        errors["starts_at"] = [N_("A new event cannot start in the past.")]
    event_format = EventFormat(values["format"])
    if event_format is not EventFormat.online and not values.get("city"):
        errors["city"] = [N_("An event in person needs a city.")]
    if values.get("region") and not values.get("country"):
        errors["country"] = [N_("Give the country of the region.")]
    if errors:
        raise InvalidInput(CORRECT_FIELDS, errors)


def _set_networks(event: Event, networks: Sequence[str]) -> None:
    event.networks = [
        EventNetwork(network=name, position=index) for index, name in enumerate(networks)
    ]


def create_event(
    session: Session, *, actor: Any, data: Mapping[str, Any], now: datetime | None = None
) -> Event:
    """Organisers (and admins) create events, starting in the future and ending after
    they start (the fields as EventCreateSchema loads them). ``now`` is the clock, given
    only by the demo to create its past events as they were created then."""
    actor = _require_member(actor)
    if not actor.is_organiser:
        raise NotAllowed("Only organisers can create events.")
    values = {name: data[name] for name in _EVENT_FIELDS if name in data}
    values.setdefault("format", EventFormat.in_person)
    _place_times(values, values["time_zone"])
    now = now or utcnow()
    _check_event(values, new=True, now=now)
    event = Event(owner=actor, created_at=now, updated_at=now, **values)
    _set_networks(event, data.get("networks", ()))
    session.add(event)
    session.flush()
    _changed(session, event)
    return event


def edit_event(session: Session, *, actor: Any, event: Event, changes: Mapping[str, Any]) -> Event:
    """The organisers edit an event that is not cancelled (EventUpdateSchema's fields);
    calendars see the change (SEQUENCE goes up). A larger or no capacity promotes the
    first people waiting."""
    _require_manager(actor, event)
    if event.is_cancelled:
        raise Conflict(N_("This event was cancelled; it can no longer be edited."))
    given = {name: changes[name] for name in _EVENT_FIELDS if name in changes}
    _place_times(given, given.get("time_zone", event.time_zone))
    values = {name: getattr(event, name) for name in _EVENT_FIELDS} | given
    _check_event(values, new=False, now=utcnow())
    capacity_changed = "capacity" in given and given["capacity"] != event.capacity
    for name, value in given.items():
        setattr(event, name, value)
    if "networks" in changes:
        _set_networks(event, changes["networks"])
    event.sequence += 1
    event.updated_at = utcnow()
    session.flush()
    _changed(session, event)
    if capacity_changed:
        locked = _lock(session, event)
        _promote_waiting(session, locked, _count_going(session, locked))
    return event


def cancel_event(session: Session, *, actor: Any, event: Event) -> Event:
    """The organisers cancel an event; everyone going (and waiting) is told, in the app
    and by email, and calendars show it cancelled."""
    actor = _require_manager(actor, event)
    if event.is_cancelled:
        return event
    event.cancelled_at = utcnow()
    event.registration_open = False
    event.sequence += 1
    event.updated_at = event.cancelled_at
    _changed(session, event)
    recipients = _user_ids_with(session, event, (RsvpStatus.going, RsvpStatus.waitlisted))
    recipients.discard(actor.id)
    notifications.notify(
        session,
        recipients=dict.fromkeys(recipients, KIND_CANCELLED),
        actor_id=actor.id,
        subject_type=SUBJECT_TYPE,
        subject_id=event.id,
        url=event_path(event),
        summary=f"“{event.title}” was cancelled",
        excerpt=event.summary,
    )
    session.flush()
    signals.event_cancelled.send(session, event_id=event.id, actor_id=actor.id)
    return event


def delete_event(session: Session, *, actor: Any, event: Event) -> None:
    """Only the owner (or an admin) deletes an event; its sessions' threads stay."""
    _require_owner(actor, event)
    _changed(session, event)
    session.delete(event)
    session.flush()


def add_co_organiser(session: Session, *, actor: Any, event: Event, user_id: int) -> User:
    """The owner adds co-organisers (any member)."""
    _require_owner(actor, event)
    user = session.get(User, user_id)
    if user is None:
        raise InvalidInput(CORRECT_FIELDS, {"user_id": ["No member with this id."]})
    if user.id == event.owner_id:
        raise Conflict(N_("The owner already organises this event."))
    if not any(organiser.user_id == user.id for organiser in event.co_organisers):
        event.co_organisers.append(EventOrganiser(user_id=user.id, user=user))
        session.flush()
        _changed(session, event)
    return user


def remove_co_organiser(session: Session, *, actor: Any, event: Event, user_id: int) -> None:
    """The owner removes co-organisers."""
    _require_owner(actor, event)
    kept = [organiser for organiser in event.co_organisers if organiser.user_id != user_id]
    if len(kept) == len(event.co_organisers):
        raise NotFound("This member does not co-organise the event.")
    event.co_organisers = kept
    session.flush()
    _changed(session, event)


def set_cover(session: Session, *, actor: Any, event: Event, upload: bytes) -> EventCover:
    """The organisers give an event a cover picture, checked and re-encoded like an
    avatar (no metadata, no SVG, no decompression bomb)."""
    _require_manager(actor, event)
    try:
        data = avatars.process_avatar(upload)
    except avatars.AvatarError as error:
        raise InvalidInput(str(error), {"cover": [str(error)]}) from None
    cover = session.get(EventCover, event.id)
    if cover is None:
        cover = EventCover(event_id=event.id)
        session.add(cover)
    cover.data, cover.mime_type, cover.updated_at = data, avatars.AVATAR_MIME_TYPE, utcnow()
    session.flush()
    _changed(session, event)
    return cover


# --- RSVP and the waitlist ---------------------------------------------------------------


def _lock(session: Session, event: Event) -> Event:
    """The event row, locked until the commit, with its current values."""
    return session.execute(
        select(Event)
        .where(Event.id == event.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _count_going(session: Session, event: Event) -> int:
    going = session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.going)
    )
    event.going_count = going or 0
    return event.going_count


def _has_room(event: Event, going: int) -> bool:
    return event.capacity is None or going < event.capacity


def _promote_waiting(session: Session, event: Event, going: int) -> list[Rsvp]:
    """Fill free places with the people waiting longest, and tell them. Call with the
    event locked (``_lock``)."""
    promoted: list[Rsvp] = []
    while _has_room(event, going):
        first = session.scalar(
            select(Rsvp)
            .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.waitlisted)
            .order_by(Rsvp.waitlisted_at, Rsvp.id)
            .limit(1)
        )
        if first is None:
            break
        first.status, first.waitlisted_at, first.responded_at = RsvpStatus.going, None, utcnow()
        session.flush()
        signals.rsvp_changed.send(session, user_id=first.user_id, event_id=event.id)
        going += 1
        promoted.append(first)
    event.going_count = going
    if promoted:
        _changed(session, event)
    if promoted:
        notifications.notify(
            session,
            recipients={rsvp.user_id: KIND_PROMOTED for rsvp in promoted},
            actor_id=None,
            subject_type=SUBJECT_TYPE,
            subject_id=event.id,
            url=event_path(event),
            summary=f"A place opened up: you are going to “{event.title}”",
            excerpt=event.summary,
        )
        for rsvp in promoted:
            notify_topic(
                session,
                user_topic(rsvp.user_id),
                "event_rsvp",
                {"event_id": event.id, "status": RsvpStatus.going.value, "position": None},
            )
    return promoted


def _check_open_for_answers(event: Event, now: datetime) -> None:
    if event.is_cancelled:
        raise Conflict("This event was cancelled.")
    if event.ends_at <= now:
        raise Conflict(N_("This event is over."))


def set_rsvp(
    session: Session,
    *,
    actor: Any,
    event: Event,
    status: RsvpStatus | str,
    hidden_from_list: bool | None = None,
    now: datetime | None = None,
) -> Rsvp:
    """Members answer going, interested or not going (``now``: the clock, as in
    create_event).

    "Going" to a full event puts the member on the waitlist (already going or waiting:
    nothing changes, the place in the queue is kept). Leaving (interested, not going)
    frees the place, which the first person waiting takes. Closed registration refuses
    new places but still lets people leave.
    """
    actor = _require_member(actor)
    wanted = RsvpStatus(status)
    if wanted is RsvpStatus.waitlisted:
        wanted = RsvpStatus.going  # one joins the waitlist by asking to go
    now = now or utcnow()
    _check_open_for_answers(event, now)
    event = _lock(session, event)
    rsvp = rsvp_of(session, event, actor)
    before = rsvp.status if rsvp is not None else None
    taking_a_place = wanted is RsvpStatus.going and before not in (
        RsvpStatus.going,
        RsvpStatus.waitlisted,
    )
    if taking_a_place and not event.registration_open:
        raise Conflict(N_("Registration for this event is closed."))
    if rsvp is None:
        # Not counted yet: the place is decided below, against the others going.
        rsvp = Rsvp(
            event_id=event.id, user_id=actor.id, status=RsvpStatus.not_going, responded_at=now
        )
        session.add(rsvp)
    if hidden_from_list is not None:
        rsvp.hidden_from_list = bool(hidden_from_list)
    _changed(session, event)  # the answer, the going count or the hidden name

    going = _count_going(session, event)
    if wanted is RsvpStatus.going:
        if not taking_a_place:  # already going or waiting: keep the place in the queue
            session.flush()
            return rsvp
        if _has_room(event, going):
            rsvp.status, rsvp.waitlisted_at = RsvpStatus.going, None
            event.going_count = going + 1
        else:
            rsvp.status, rsvp.waitlisted_at = RsvpStatus.waitlisted, now
    else:
        rsvp.status, rsvp.waitlisted_at = wanted, None
    rsvp.responded_at = now
    session.flush()
    signals.rsvp_changed.send(session, user_id=actor.id, event_id=event.id)
    if before is RsvpStatus.going and wanted is not RsvpStatus.going:
        _promote_waiting(session, event, going - 1)
    return rsvp


def leave_waitlist(session: Session, *, actor: Any, event: Event) -> Rsvp:
    """Members waiting for a place can leave the queue (their answer becomes not going)."""
    actor = _require_member(actor)
    rsvp = rsvp_of(session, event, actor)
    if rsvp is None or rsvp.status is not RsvpStatus.waitlisted:
        raise Conflict(N_("You are not on this event's waitlist."))
    return set_rsvp(session, actor=actor, event=event, status=RsvpStatus.not_going)


def set_hidden_from_list(session: Session, *, actor: Any, event: Event, hidden: bool) -> Rsvp:
    """Members choose whether their name shows on the event's attendee list."""
    actor = _require_member(actor)
    rsvp = rsvp_of(session, event, actor)
    if rsvp is None:
        raise Conflict(N_("Answer the event first."))
    rsvp.hidden_from_list = bool(hidden)
    session.flush()
    _changed(session, event)
    return rsvp


def waitlist_position(session: Session, rsvp: Rsvp | OwnAnswer | None) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if rsvp is None or rsvp.status is not RsvpStatus.waitlisted or rsvp.waitlisted_at is None:
        return None
    ahead = session.scalar(
        select(func.count())
        .select_from(Rsvp)
        .where(
            Rsvp.event_id == rsvp.event_id,
            Rsvp.status == RsvpStatus.waitlisted,
            or_(
                Rsvp.waitlisted_at < rsvp.waitlisted_at,
                and_(Rsvp.waitlisted_at == rsvp.waitlisted_at, Rsvp.id < rsvp.id),
            ),
        )
    )
    return (ahead or 0) + 1


def waitlist(session: Session, *, actor: Any, event: Event) -> list[Rsvp]:
    """The organisers see the waitlist in order."""
    _require_manager(actor, event)
    return list(
        session.scalars(
            select(Rsvp)
            .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.waitlisted)
            .order_by(Rsvp.waitlisted_at, Rsvp.id)
            .options(selectinload(Rsvp.user))
        )
    )


def _user_ids_with(session: Session, event: Event, statuses: Iterable[RsvpStatus]) -> set[int]:
    return set(
        session.scalars(
            select(Rsvp.user_id).where(Rsvp.event_id == event.id, Rsvp.status.in_(list(statuses)))
        )
    )


# --- Announcements --------------------------------------------------------------------


def post_announcement(
    session: Session, *, actor: Any, event: Event, title: str, body: str
) -> Announcement:
    """The organisers announce something to everyone going: live on any page they have
    open, in their notifications, and by email as their preferences say."""
    actor = _require_manager(actor, event)
    if event.is_cancelled:
        raise Conflict("This event was cancelled.")
    announcement = Announcement(event_id=event.id, author_id=actor.id, title=title, body=body)
    session.add(announcement)
    session.flush()
    _changed(session, event)
    recipients = _user_ids_with(session, event, (RsvpStatus.going,))
    recipients.discard(actor.id)
    excerpt = render_plain_excerpt(body, 300)
    notifications.notify(
        session,
        recipients=dict.fromkeys(recipients, KIND_ANNOUNCEMENT),
        actor_id=actor.id,
        subject_type=SUBJECT_TYPE,
        subject_id=event.id,
        url=event_path(event),
        summary=f"{event.title}: {title}",
        excerpt=excerpt,
    )
    payload = {
        "event_id": event.id,
        "event_title": event.title,
        "announcement_id": announcement.id,
        "title": title,
        "excerpt": excerpt,
        "url": event_path(event),
    }
    for user_id in sorted(recipients):
        notify_topic(session, user_topic(user_id), "event_announcement", payload)
    return announcement


def list_announcements(session: Session, event: Event) -> list[Announcement]:
    return list(
        session.scalars(
            select(Announcement)
            .where(Announcement.event_id == event.id)
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
            .options(selectinload(Announcement.author))
        )
    )


# --- Attendees --------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    user: User
    rsvp: Rsvp
    profile: MemberProfile | None


@dataclass
class AttendeeList:
    """Who answered, as this viewer may see them: the named ones, and how many more
    (private profiles and members who asked to be hidden) are only counted."""

    named: list[Attendee] = field(default_factory=list)
    unnamed_count: int = 0

    @property
    def total(self) -> int:
        return len(self.named) + self.unnamed_count


def _attendee_rows(
    session: Session,
    event: Event,
    *,
    status: RsvpStatus,
    search: str | None = None,
    stage: str | None = None,
) -> list[Attendee]:
    statement = (
        select(Rsvp, User, MemberProfile)
        .join(User, User.id == Rsvp.user_id)
        .outerjoin(MemberProfile, MemberProfile.user_id == User.id)
        .where(Rsvp.event_id == event.id, Rsvp.status == status)
        # A profile's user is joined eagerly (an inner join): here it is the row's User.
        .options(lazyload(MemberProfile.user))
    )
    if search:
        pattern = f"%{search.lower()}%"
        statement = statement.where(
            or_(func.lower(User.display_name).like(pattern), func.lower(User.handle).like(pattern))
        )
    if stage:
        statement = statement.where(MemberProfile.career_stage == stage)
    if status is RsvpStatus.waitlisted:
        statement = statement.order_by(Rsvp.waitlisted_at, Rsvp.id)
    else:
        statement = statement.order_by(func.lower(User.display_name), User.id)
    return [Attendee(user, rsvp, profile) for rsvp, user, profile in session.execute(statement)]


def attendees(
    session: Session,
    *,
    viewer: Any,
    event: Event,
    status: RsvpStatus = RsvpStatus.going,
    search: str | None = None,
    stage: str | None = None,
) -> AttendeeList:
    """The attendee list. Members see names of those whose profile they may see and who
    did not ask to be hidden; the rest are counted. Organisers manage their event, so
    they see everyone (the export and the waitlist need it)."""
    rows = _attendee_rows(session, event, status=status, search=search, stage=stage)
    if can_manage(viewer, event):
        return AttendeeList(named=rows)
    members_viewer = members_service.viewer_for(session, viewer)
    result = AttendeeList()
    for row in rows:
        profile = row.profile or members_service.blank_profile(row.user)
        is_self = members_viewer.user_id == row.user.id
        if is_self or (not row.rsvp.hidden_from_list and may_see_profile(members_viewer, profile)):
            result.named.append(row)
        else:
            result.unnamed_count += 1
    return result


#: The event page names this many attendees; the rest are counted.
ATTENDEES_SHOWN = 60


@dataclass
class AttendeeSummary:
    """The event page's "who is going": the first names this viewer may see, how many
    more may be named, and how many are only counted (private profiles, hidden names)."""

    shown: list[Attendee] = field(default_factory=list)
    named_count: int = 0
    unnamed_count: int = 0

    @property
    def more_count(self) -> int:
        return max(0, self.named_count - len(self.shown))

    @property
    def total(self) -> int:
        return self.named_count + self.unnamed_count


#: Whose names a reader sees on an event's attendee list, besides their own: organisers
#: everyone; admins everyone who did not hide; members also skip private profiles;
#: visitors see public profiles only (members.privacy.may_see_profile).
AUDIENCES = ("organisers", "admins", "members", "public")


def attendee_audience(
    session: Session, viewer: Any, event: Event, *, manages: bool | None = None
) -> str:
    """The viewer's audience (``AUDIENCES``): readers of one audience share the list.
    ``manages``: ``can_manage``'s answer when already known (``standing``)."""
    if can_manage(viewer, event) if manages is None else manages:
        return "organisers"
    members_viewer = members_service.viewer_for(session, viewer)
    if members_viewer.is_admin:
        return "admins"
    return "members" if members_viewer.is_authenticated else "public"


def _listed_clause(audience: str) -> Any:
    """SQL condition on (Rsvp, MemberProfile): the attendees ``audience`` sees by name.
    A member with no profile yet has the default visibility (members)."""
    if audience == "organisers":
        return true()
    if audience == "admins":
        visible: Any = true()
    elif audience == "members":
        visible = or_(
            MemberProfile.user_id.is_(None),
            MemberProfile.visibility != ProfileVisibility.private,
        )
    else:
        visible = MemberProfile.visibility == ProfileVisibility.public
    return and_(Rsvp.hidden_from_list.is_(False), visible)


def is_listed(session: Session, viewer: Any, rsvp: Rsvp | OwnAnswer, audience: str) -> bool:
    """Whether the viewer's own answer is among the names their audience sees anyway
    (otherwise only they see their name, beside the others)."""
    if audience == "organisers":
        return True
    if rsvp.hidden_from_list:
        return False
    if audience == "admins":
        return True
    facts = members_service.own_profile_facts(session, viewer.id)
    return facts is None or facts.visibility is not ProfileVisibility.private


def _named_clause(session: Session, viewer: Any, event: Event) -> Any:
    """SQL condition on (Rsvp, MemberProfile): the attendees this viewer sees by name.

    The rule of ``attendees`` (members.privacy.may_see_profile, and the member's own
    wish to be hidden) as one condition, so a page of names and the counts come from
    the database whatever the number of people going."""
    audience = attendee_audience(session, viewer, event)
    listed = _listed_clause(audience)
    if audience != "organisers" and _is_member(viewer):
        return or_(Rsvp.user_id == viewer.id, listed)
    return listed


def attendee_summary(
    session: Session,
    *,
    viewer: Any,
    event: Event,
    limit: int = ATTENDEES_SHOWN,
    audience: str | None = None,
) -> AttendeeSummary:
    """Who is going, for the event page, in the same few statements whatever the crowd:
    one counts the named and the unnamed, one reads the first ``limit`` names, by name
    (the full list is the organisers' attendees page and the API).

    With ``audience``, the list that audience shares (the viewer's own name only if
    listed): the event page keeps it per event version (``event_version``)."""
    named = _listed_clause(audience) if audience else _named_clause(session, viewer, event)
    going = (Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.going)
    profile_join = MemberProfile.user_id == Rsvp.user_id
    named_count, everyone = session.execute(
        select(func.count().filter(named), func.count())
        .select_from(Rsvp)
        .outerjoin(MemberProfile, profile_join)
        .where(*going)
    ).one()
    rows = session.execute(
        select(Rsvp, User, MemberProfile)
        .join(User, User.id == Rsvp.user_id)
        .outerjoin(MemberProfile, profile_join)
        .where(*going, named)
        .order_by(func.lower(User.display_name), User.id)
        .limit(limit)
        .options(lazyload(MemberProfile.user))
    )
    return AttendeeSummary(
        shown=[Attendee(user, rsvp, profile) for rsvp, user, profile in rows],
        named_count=named_count or 0,
        unnamed_count=(everyone or 0) - (named_count or 0),
    )


CSV_COLUMNS = (
    "name", "email", "handle", "status", "waitlist position", "answered at (UTC)",
    "career stage", "organisation", "hidden from list",
)  # fmt: skip
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A spreadsheet cell that cannot run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def export_attendees_csv(session: Session, *, actor: Any, event: Event) -> str:
    """The organisers download everyone going, then the waitlist in order, as CSV."""
    _require_manager(actor, event)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for status in (RsvpStatus.going, RsvpStatus.waitlisted):
        for position, row in enumerate(_attendee_rows(session, event, status=status), 1):
            writer.writerow(
                [
                    _cell(row.user.display_name),
                    _cell(row.user.email),
                    _cell(row.user.handle),
                    row.rsvp.status.value,
                    position if status is RsvpStatus.waitlisted else "",
                    row.rsvp.responded_at.isoformat(timespec="seconds"),
                    _cell(row.profile.career_stage if row.profile else ""),
                    _cell(row.profile.organisation if row.profile else ""),
                    "yes" if row.rsvp.hidden_from_list else "no",
                ]
            )
    return buffer.getvalue()


@dataclass
class AttendeeImport:
    """What an import did (or, for a dry run, would do)."""

    dry_run: bool
    errors: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    new_accounts: list[str] = field(default_factory=list)
    existing_accounts: list[str] = field(default_factory=list)
    going: list[str] = field(default_factory=list)
    waitlisted: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)

    @property
    def imported(self) -> bool:
        return not self.dry_run and not self.errors


def import_attendees(
    session: Session, *, actor: Any, event: Event, text: str, dry_run: bool = False
) -> AttendeeImport:
    """The organisers import a registration CSV: the members import makes accounts for
    new people and matches existing ones by email, then each is RSVPed going (or put on
    the waitlist when the event is full). A file with any bad row imports nothing and
    says which lines are wrong; a dry run writes nothing; importing twice changes
    nothing the second time."""
    actor = _require_manager(actor, event)
    if not actor.is_organiser:
        raise NotAllowed("Only organisers and admins may import members.")
    _check_open_for_answers(event, utcnow())
    checked = importing.check_csv(text)
    report = AttendeeImport(
        dry_run=dry_run, errors=list(checked.errors), ignored_columns=checked.ignored_columns
    )
    if not checked.rows and not report.errors:
        report.errors.append((1, N_("The file has no rows to import.")))
    if report.errors:
        return report
    rows = [row for _line, row in checked.rows]
    if dry_run:
        for row in rows:
            user = accounts_service.find_user_by_email(session, row["email"])
            if user is None:
                report.new_accounts.append(row["email"])
                continue
            report.existing_accounts.append(user.email)
            rsvp = rsvp_of(session, event, user)
            if rsvp is not None and rsvp.status in (RsvpStatus.going, RsvpStatus.waitlisted):
                report.already.append(user.email)
        return report
    outcome = members_service.import_members(session, actor, rows)
    importing.apply_registration_details(session, rows)
    report.new_accounts, report.existing_accounts = outcome.created, outcome.updated
    targets = {"going": report.going, "waitlisted": report.waitlisted, "already": report.already}
    for row in rows:
        user = accounts_service.find_user_by_email(session, row["email"])
        assert user is not None  # import_members made or found every row's account
        targets[_register_going(session, event, user)].append(user.email)
    session.flush()
    return report


def _register_going(session: Session, event: Event, user: User) -> str:
    """An organiser's import registers ``user`` as going (or waiting, when full), even
    with registration closed: "going", "waitlisted", or "already" (going or waiting)."""
    before = rsvp_of(session, event, user)
    if before is not None and before.status in (RsvpStatus.going, RsvpStatus.waitlisted):
        return "already"
    registration_was_open = event.registration_open
    event.registration_open = True  # the organisers register them themselves
    try:
        rsvp = set_rsvp(session, actor=user, event=event, status=RsvpStatus.going)
    finally:
        event.registration_open = registration_was_open
    return rsvp.status.value


# --- The members import's "events" column (members.importing.EventRegistrar) -------------

#: An event made by ``--create-events`` starts this many days ahead, at 09:00 in the
#: organiser's time zone, unlisted and online until the organiser fills in the rest.
PLACEHOLDER_DAYS_AHEAD = 30


def _events_titled(session: Session, title: str) -> list[Event]:
    return list(
        session.scalars(
            select(Event)
            .where(func.lower(Event.title) == title.strip().lower())
            .order_by(Event.starts_at, Event.id)
            .options(selectinload(Event.co_organisers))
        )
    )


def _registration_event(
    session: Session, organiser: User, title: str, now: datetime
) -> tuple[Event | None, str | None]:
    """The event a registration names by its title, or why it cannot take registrations.
    (None, None): no event has this title."""
    titled = _events_titled(session, title)
    if not titled:
        return None, None
    open_ones = [event for event in titled if not event.is_cancelled and event.ends_at > now]
    if not open_ones:
        return None, f"“{title}” is cancelled or over."
    managed = [event for event in open_ones if can_manage(organiser, event)]
    if not managed:
        return None, f"“{title}” is organised by someone else."
    if len(managed) > 1:
        return None, f"several events are called “{title}”; rename one."
    return managed[0], None


def _placeholder_event(session: Session, organiser: User, title: str, now: datetime) -> Event:
    zone = members_service.profile_of(session, organiser).time_zone or "UTC"
    day = (now.astimezone(ZoneInfo(zone)) + timedelta(days=PLACEHOLDER_DAYS_AHEAD)).date()
    starts = datetime.combine(day, time(9, 0))  # local to the event's zone
    return create_event(
        session,
        actor=organiser,
        data={
            "title": title,
            "summary": "",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=8),
            "time_zone": zone,
            "format": EventFormat.online,
            "visibility": EventVisibility.unlisted,
        },
    )


class ImportedRegistrations:
    """The members import's registrations for events, by title (registered with
    ``members.importing.register_event_registrar`` in ``events.init_app``): the
    organiser running it must organise each event; unknown titles are refused, or made
    into the organiser's own unlisted events with ``create``."""

    def check(
        self, session: Session, organiser: User, titles: Sequence[str], *, create: bool
    ) -> dict[str, str]:
        now = utcnow()
        problems: dict[str, str] = {}
        for title in titles:
            event, problem = _registration_event(session, organiser, title, now)
            if problem is None and event is None and not create:
                problem = f"no event is called “{title}” (or create it with --create-events)."
            if problem is None and event is None and not organiser.is_organiser:
                problem = f"no event is called “{title}”, and only organisers create events."
            if problem is not None:
                problems[title.casefold()] = problem
        return problems

    def register(
        self, session: Session, organiser: User, user: User, titles: Sequence[str],
        *, create: bool,
    ) -> list[tuple[str, str]]:  # fmt: skip
        now = utcnow()
        done: list[tuple[str, str]] = []
        for title in titles:
            event, problem = _registration_event(session, organiser, title, now)
            if problem is not None:
                raise Conflict(problem)
            if event is None:
                if not create:
                    raise NotFound(f"No event is called “{title}”.")
                event = _placeholder_event(session, organiser, title, now)
                done.append((event.title, "created"))
            done.append((event.title, _register_going(session, event, user)))
        return done


# --- The agenda -------------------------------------------------------------------------


def _sessions_category(session: Session) -> Category:
    category = session.scalar(select(Category).where(Category.slug == SESSIONS_CATEGORY_SLUG))
    if category is None:
        category = Category(
            slug=SESSIONS_CATEGORY_SLUG,
            name=SESSIONS_CATEGORY_NAME,
            description="One discussion per session of an event's agenda.",
            position=1000,
        )
        session.add(category)
        session.flush()
    return category


def _check_session_times(event: Event, starts_at: datetime, ends_at: datetime) -> None:
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [N_("The end must be after the start.")]
    if starts_at < event.starts_at or starts_at >= event.ends_at:
        errors.setdefault("starts_at", []).append(N_("The session must start during the event."))
    if ends_at > event.ends_at:
        errors.setdefault("ends_at", []).append(N_("The session must end by the end of the event."))
    if errors:
        raise InvalidInput(CORRECT_FIELDS, errors)


def _speakers(session: Session, speakers: Sequence[Mapping[str, Any]]) -> list[SessionSpeaker]:
    wanted_ids = {speaker["user_id"] for speaker in speakers if speaker.get("user_id")}
    known = set(session.scalars(select(User.id).where(User.id.in_(wanted_ids))))
    if wanted_ids - known:
        raise InvalidInput(
            CORRECT_FIELDS, {"speakers": [N_("One of the speakers is not a member.")]}
        )
    return [
        SessionSpeaker(
            user_id=speaker.get("user_id"),
            name="" if speaker.get("user_id") else speaker.get("name", ""),
            position=index,
        )
        for index, speaker in enumerate(speakers)
    ]


def _thread_body(event: Event, data: Mapping[str, Any]) -> str:
    lines = [f"Discussion of the session “{data['title']}” at {event.title}."]
    if data.get("description"):
        lines += ["", data["description"]]
    return "\n".join(lines)


def add_session(
    session: Session,
    *,
    actor: Any,
    event: Event,
    data: Mapping[str, Any],
    imported_at: datetime | None = None,
) -> EventSession:
    """The organisers add a session to the agenda, within the event's times; its
    discussion thread is started with it (and stays open after the event).
    ``imported_at`` is for history (the demo seed), as in discussions' start_thread."""
    actor = _require_manager(actor, event)
    if event.is_cancelled:
        raise Conflict("This event was cancelled.")
    starts_at = _placed(data["starts_at"], event.time_zone)
    ends_at = _placed(data["ends_at"], event.time_zone)
    _check_session_times(event, starts_at, ends_at)
    agenda_item = EventSession(
        event_id=event.id,
        title=data["title"],
        description=data.get("description", ""),
        starts_at=starts_at,
        ends_at=ends_at,
        location=data.get("location", ""),
        track=data.get("track", ""),
    )
    agenda_item.speakers = _speakers(session, data.get("speakers", ()))
    thread = discussions_service.start_thread(
        session,
        actor=actor,
        category_id=_sessions_category(session).id,
        title=f"{event.title}: {data['title']}"[:200],
        body=_thread_body(event, data),
        imported_at=imported_at,
    ).post
    agenda_item.thread_id = thread.id
    event.sessions.append(agenda_item)
    event.sequence += 1
    session.flush()
    return agenda_item


_SESSION_FIELDS = ("title", "description", "starts_at", "ends_at", "location", "track")


def edit_session(
    session: Session,
    *,
    actor: Any,
    event: Event,
    agenda_item: EventSession,
    changes: Mapping[str, Any],
) -> EventSession:
    """The organisers edit a session (its thread keeps its own title and posts)."""
    _require_manager(actor, event)
    given = {name: changes[name] for name in _SESSION_FIELDS if name in changes}
    _place_times(given, event.time_zone)
    _check_session_times(
        event,
        given.get("starts_at", agenda_item.starts_at),
        given.get("ends_at", agenda_item.ends_at),
    )
    for name, value in given.items():
        setattr(agenda_item, name, value)
    if "speakers" in changes:
        agenda_item.speakers = _speakers(session, changes["speakers"])
    agenda_item.sequence += 1
    event.sequence += 1
    session.flush()
    return agenda_item


def delete_session(
    session: Session, *, actor: Any, event: Event, agenda_item: EventSession
) -> None:
    """The organisers remove a session; its discussion stays where it is."""
    _require_manager(actor, event)
    event.sessions.remove(agenda_item)
    event.sequence += 1
    session.flush()


# --- Lists -----------------------------------------------------------------------------


def _listable(viewer: Any) -> Any:
    if _is_member(viewer):
        return Event.visibility.in_([EventVisibility.public, EventVisibility.members])
    return Event.visibility == EventVisibility.public


@dataclass(frozen=True)
class EventFilters:
    """What the events list is filtered by: the API and the /events page both make it
    from EventListArgsSchema's loaded values (``from_args``)."""

    when: str = "upcoming"
    network: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    event_format: str | None = None
    starts_from: datetime | None = None
    starts_before: datetime | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> EventFilters:
        return cls(
            when=args.get("when") or "upcoming",
            network=args.get("network"),
            city=args.get("city"),
            region=args.get("region"),
            country=args.get("country"),
            event_format=args.get("format"),
            starts_from=args.get("starts_from"),
            starts_before=args.get("starts_before"),
        )


def list_events(
    session: Session,
    *,
    viewer: Any,
    filters: EventFilters | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page[Event]:
    """Events the viewer may find (unlisted ones never are): upcoming soonest first, or
    past latest first; filtered by network, place (city, region, country), format and
    dates (on the start)."""
    filters = filters or EventFilters()
    now = utcnow()
    statement: Select[Any] = select(Event).where(_listable(viewer))
    if filters.when == "past":
        statement = statement.where(Event.ends_at < now).order_by(
            Event.starts_at.desc(), Event.id.desc()
        )
    else:
        statement = statement.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    if filters.network:
        statement = statement.where(
            Event.id.in_(
                select(EventNetwork.event_id).where(EventNetwork.network == filters.network)
            )
        )
    if filters.city:
        statement = statement.where(func.lower(Event.city) == filters.city.lower())
    if filters.region:
        statement = statement.where(Event.region == filters.region)
    if filters.country:
        statement = statement.where(Event.country == filters.country)
    if filters.event_format:
        statement = statement.where(Event.format == EventFormat(filters.event_format))
    if filters.starts_from:
        statement = statement.where(Event.starts_at >= filters.starts_from)
    if filters.starts_before:
        statement = statement.where(Event.starts_at < filters.starts_before)
    statement = statement.options(selectinload(Event.networks))
    return paginate(session, statement, page=page, per_page=per_page)


def next_event_end(session: Session, now: datetime) -> datetime | None:
    """When the next event ends (from ``now`` on): the events list changes then, one
    event moving from upcoming to past."""
    return session.scalar(select(func.min(Event.ends_at)).where(Event.ends_at >= now))


@dataclass
class MyEvents:
    going: list[Event] = field(default_factory=list)
    waitlisted: list[Event] = field(default_factory=list)
    interested: list[Event] = field(default_factory=list)
    organising: list[Event] = field(default_factory=list)


def my_events(session: Session, *, actor: Any, include_past: bool = False) -> MyEvents:
    """What a member is going to, waiting for, interested in and organising."""
    actor = _require_member(actor)
    mine = MyEvents()
    upcoming = Event.ends_at >= utcnow() if not include_past else Event.id.is_not(None)
    rows = session.execute(
        select(Rsvp.status, Event)
        .join(Event, Event.id == Rsvp.event_id)
        .where(Rsvp.user_id == actor.id, upcoming)
        .order_by(Event.starts_at, Event.id)
    )
    buckets = {
        RsvpStatus.going: mine.going,
        RsvpStatus.waitlisted: mine.waitlisted,
        RsvpStatus.interested: mine.interested,
    }
    for status, event in rows:
        if status in buckets:
            buckets[status].append(event)
    co_organised = select(EventOrganiser.event_id).where(EventOrganiser.user_id == actor.id)
    mine.organising = list(
        session.scalars(
            select(Event)
            .where(or_(Event.owner_id == actor.id, Event.id.in_(co_organised)), upcoming)
            .order_by(Event.starts_at, Event.id)
        )
    )
    return mine


# --- Calendar feeds ------------------------------------------------------------------------


def calendar_feed(session: Session, *, actor: Any) -> CalendarFeed:
    """The member's personal feed (made the first time it is asked for)."""
    actor = _require_member(actor)
    feed = session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.user_id == actor.id, CalendarFeed.revoked_at.is_(None)
        )
    )
    if feed is None:
        feed = CalendarFeed(user_id=actor.id)
        session.add(feed)
        session.flush()
    return feed


def revoke_calendar_feed(session: Session, *, actor: Any) -> None:
    """The member revokes their feed's URL: it answers 404 from now on (a new URL is
    made the next time they ask for one)."""
    actor = _require_member(actor)
    now = utcnow()
    for feed in session.scalars(
        select(CalendarFeed).where(
            CalendarFeed.user_id == actor.id, CalendarFeed.revoked_at.is_(None)
        )
    ):
        feed.revoked_at = now
    session.flush()


def feed_owner(session: Session, token: str) -> User:
    """Whose feed a secret URL is; NotFound when unknown or revoked."""
    feed = session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.token == str(token)[:64], CalendarFeed.revoked_at.is_(None)
        )
    )
    if feed is None:
        raise NotFound("No such calendar feed.")
    return feed.user


def feed_events(session: Session, user: User) -> list[tuple[Event, RsvpStatus | None]]:
    """What a member's feed holds: events they answered going, waiting or interested,
    and the ones they organise, past ones too, with their sessions loaded."""
    answered = {
        event_id: status
        for event_id, status in session.execute(
            select(Rsvp.event_id, Rsvp.status).where(
                Rsvp.user_id == user.id,
                Rsvp.status.in_([RsvpStatus.going, RsvpStatus.waitlisted, RsvpStatus.interested]),
            )
        )
    }
    co_organised = select(EventOrganiser.event_id).where(EventOrganiser.user_id == user.id)
    events = session.scalars(
        select(Event)
        .where(
            or_(
                Event.id.in_(list(answered)),
                Event.owner_id == user.id,
                Event.id.in_(co_organised),
            )
        )
        .order_by(Event.starts_at, Event.id)
        .options(
            selectinload(Event.sessions)
            .selectinload(EventSession.speakers)
            .selectinload(SessionSpeaker.user)
        )
    )
    return [(event, answered.get(event.id)) for event in events]
