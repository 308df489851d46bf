"""Meeting rules: the only place that changes meeting requests, office hours and feedback.

Functions take a Session and an explicit ``actor``, add and flush, never commit; the
boundary commits once. They refuse with InvalidInput (422, field messages), NotAllowed
(403), NotFound (404) or Conflict (409).

Who may ask whom:
- never oneself, never across a block (either way);
- only members whose profile the sender may see (a private profile: NotFound, as if it
  did not exist); matching's opt-in is not needed to ask from a profile;
- a novice only asks members who accept requests from novices.

A request proposes one to three future start times (for an event: inside the event, in
its networking sessions when it has some). The recipient accepts one of them, declines,
or proposes another (the sender then accepts or declines it); the sender edits or
withdraws it while it waits; either side cancels an accepted meeting.

No double booking: an accepted meeting never overlaps another accepted meeting or a
booked office-hours slot of either member. Every accept and booking first locks both
members' ``AgendaLock`` rows in user-id order (``SELECT ... FOR UPDATE`` on PostgreSQL;
SQLite serialises writers) and checks for overlaps under those locks, so two accepts at
once cannot both pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import format_date, gettext
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from hallway.accounts.models import User
from hallway.core.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from hallway.core.validation import N_
from hallway.db import fold, utcnow
from hallway.events import service as events_service
from hallway.events.models import Event, EventSession, Rsvp, RsvpStatus
from hallway.meetings.models import (
    OPEN_STATUSES,
    AgendaLock,
    BookingStatus,
    MeetingFeedback,
    MeetingRequest,
    MeetingStatus,
    OfficeHourBooking,
    OfficeHourSlot,
    ProposedTime,
)
from hallway.members import service as members_service
from hallway.members.models import MemberLink, MemberProfile
from hallway.members.privacy import is_suggestable, may_see_profile
from hallway.moderation.service import blocked_between
from hallway.notifications import service as notifications

SUBJECT_TYPE = "meeting"
SLOT_SUBJECT_TYPE = "office_hours"

#: Notification kinds (registered in ``meetings.init_app``).
KIND_REQUESTED = "meeting_requested"
KIND_EDITED = "meeting_edited"
KIND_ACCEPTED = "meeting_accepted"
KIND_DECLINED = "meeting_declined"
KIND_COUNTERED = "meeting_countered"
KIND_WITHDRAWN = "meeting_withdrawn"
KIND_CANCELLED = "meeting_cancelled"
KIND_BOOKED = "office_hours_booked"
KIND_BOOKING_CANCELLED = "office_hours_cancelled"
KIND_NO_SHOW = "office_hours_no_show"

MIN_TIMES, MAX_TIMES = 1, 3
DURATIONS = (15, 20, 30, 45, 60, 90)
MIN_DURATION, MAX_DURATION = 10, 240
MAX_CAPACITY = 20
#: Requests one member may send in 24 hours (the pages are also rate limited per minute).
DAILY_REQUEST_LIMIT = 20
#: No-show reports that bar a member from booking, and for how long after the last one.
NO_SHOW_LIMIT = 3
NO_SHOW_BAR = timedelta(days=30)
#: Intents that let a member publish office hours.
OFFICE_HOURS_INTENTS = ("mentoring", "career_chat")
#: A session whose title or track says this is a networking slot.
NETWORKING_WORDS = ("networking", "reseautage", "hallway track")
SOURCES = ("profile", "suggestion", "mentoring_round", "api")


def request_path(request: MeetingRequest) -> str:
    return f"/meetings/{request.id}"


# --- Who may do what ---------------------------------------------------------------


def _is_member(actor: Any) -> bool:
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def _require_member(actor: Any) -> User:
    if not _is_member(actor):
        raise NotAllowed(N_("Please log in first."))
    return actor


def _profile(session: Session, user: User) -> MemberProfile:
    return members_service.profile_of(session, user)


def request_refusal(session: Session, viewer: Any, recipient_id: int) -> DomainError | None:
    """Why ``viewer`` may not ask ``recipient_id`` for a meeting, or None if they may."""
    if not _is_member(viewer):
        return NotAllowed(N_("Please log in first."))
    recipient = session.get(User, recipient_id)
    if recipient is None:
        return NotFound(N_("There is no such member."))
    if recipient.id == viewer.id:
        return InvalidInput(
            N_("You cannot request a meeting with yourself."),
            {"recipient_id": [N_("You cannot request a meeting with yourself.")]},
        )
    profile = _profile(session, recipient)
    viewer_facts = members_service.viewer_for(session, viewer)
    if not may_see_profile(viewer_facts, profile):
        return NotFound(N_("There is no such member."))
    if blocked_between(session, viewer.id, recipient.id):
        return NotAllowed(N_("You cannot request a meeting with this member."))
    # The profile's consent setting: "Open to suggestions and meeting requests".
    if not is_suggestable(profile):
        return NotAllowed(N_("This member is not taking meeting requests."))
    if viewer_facts.is_novice and not profile.novices_may_request:
        return NotAllowed(
            N_("This member does not take meeting requests from people new to the field yet.")
        )
    return None


def may_request(session: Session, viewer: Any, recipient_id: int) -> bool:
    """Whether to offer "Request a meeting" to ``viewer`` on this member's page."""
    return request_refusal(session, viewer, recipient_id) is None


def visible_request(session: Session, viewer: Any, raw: Any) -> MeetingRequest:
    """A request, for one of its two members only (everyone else: NotFound)."""
    try:
        request_id = int(raw)
    except (TypeError, ValueError):
        raise NotFound(N_("There is no such meeting request.")) from None
    request = session.get(MeetingRequest, request_id)
    if (
        request is None
        or not _is_member(viewer)
        or viewer.id not in (request.sender_id, request.recipient_id)
    ):
        raise NotFound(N_("There is no such meeting request."))
    return request


# --- Times -------------------------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def is_networking_session(item: EventSession) -> bool:
    text = fold(f"{item.title} {item.track}")
    return any(fold(word) in text for word in NETWORKING_WORDS)


def networking_sessions(event: Event) -> list[EventSession]:
    """The event's sessions marked for networking (by title or track)."""
    return [item for item in event.sessions if is_networking_session(item)]


def _time_problem(
    start: datetime, duration: timedelta, event: Event | None, now: datetime
) -> str | None:
    if start <= now:
        return N_("Propose times in the future.")
    if event is None:
        return None
    end = start + duration
    slots = networking_sessions(event)
    if slots:
        if not any(item.starts_at <= start and end <= item.ends_at for item in slots):
            return N_("Propose times within the event's networking sessions.")
    elif not (event.starts_at <= start and end <= event.ends_at):
        return N_("Propose times during the event.")
    return None


def _checked_times(
    times: Sequence[datetime],
    duration_minutes: int,
    event: Event | None,
    now: datetime,
    *,
    field_name: str = "proposed_times",
) -> list[datetime]:
    unique = sorted({_aware(moment).replace(microsecond=0) for moment in times})
    if not MIN_TIMES <= len(unique) <= MAX_TIMES:
        message = N_("Propose one to three different times.")
        raise InvalidInput(message, {field_name: [message]})
    problems = {
        problem
        for moment in unique
        if (problem := _time_problem(moment, timedelta(minutes=duration_minutes), event, now))
    }
    if problems:
        messages = sorted(problems)
        raise InvalidInput(messages[0], {field_name: messages})
    return unique


def _checked_duration(duration_minutes: Any) -> int:
    if (
        not isinstance(duration_minutes, int)
        or isinstance(duration_minutes, bool)
        or not MIN_DURATION <= duration_minutes <= MAX_DURATION
    ):
        message = N_("Choose a length between 10 minutes and 4 hours.")
        raise InvalidInput(message, {"duration_minutes": [message]})
    return duration_minutes


def _checked_link(url: str | None) -> str:
    url = (url or "").strip()
    if url and not url.startswith("https://"):
        message = N_("The video link must start with https://.")
        raise InvalidInput(message, {"video_url": [message]})
    return url


def _event_for(session: Session, actor: User, event_id: int | None) -> Event | None:
    if event_id is None:
        return None
    try:
        event = events_service.visible_event(session, actor, event_id)
    except NotFound:
        message = N_("There is no such event.")
        raise InvalidInput(message, {"event_id": [message]}) from None
    if event.is_cancelled:
        message = N_("This event was cancelled.")
        raise InvalidInput(message, {"event_id": [message]})
    return event


# --- Requests --------------------------------------------------------------------------


def _requests_sent_since(session: Session, user_id: int, since: datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(MeetingRequest)
            .where(MeetingRequest.created_by_id == user_id, MeetingRequest.created_at >= since)
        )
        or 0
    )


def _refuse_duplicate(session: Session, sender_id: int, recipient_id: int) -> None:
    already = session.scalar(
        select(MeetingRequest.id).where(
            MeetingRequest.sender_id == sender_id,
            MeetingRequest.recipient_id == recipient_id,
            MeetingRequest.status.in_(OPEN_STATUSES),
        )
    )
    if already is not None:
        raise Conflict(N_("You already have a request waiting with this member."))


def _add_times(
    request: MeetingRequest, times: Iterable[datetime], proposed_by_id: int, start: int = 0
) -> None:
    for position, moment in enumerate(times, start=start):
        request.proposed_times.append(
            ProposedTime(starts_at=moment, proposed_by_id=proposed_by_id, position=position)
        )


def request_meeting(
    session: Session,
    *,
    actor: Any,
    recipient_id: int,
    proposed_times: Sequence[datetime],
    duration_minutes: int = 30,
    message: str = "",
    place: str = "",
    video_url: str = "",
    event_id: int | None = None,
    source: str = "profile",
    now: datetime | None = None,
) -> MeetingRequest:
    """A member asks another for a meeting (see the module's rules), at most
    DAILY_REQUEST_LIMIT a day; the recipient is told."""
    actor = _require_member(actor)
    refusal = request_refusal(session, actor, recipient_id)
    if refusal is not None:
        raise refusal
    now = now or utcnow()
    if _requests_sent_since(session, actor.id, now - timedelta(days=1)) >= DAILY_REQUEST_LIMIT:
        raise Conflict(
            N_("You have sent many meeting requests today. Please wait a day before sending more.")
        )
    _refuse_duplicate(session, actor.id, recipient_id)
    return _create_request(
        session,
        created_by=actor,
        sender_id=actor.id,
        recipient_id=recipient_id,
        proposed_times=proposed_times,
        duration_minutes=duration_minutes,
        message=message,
        place=place,
        video_url=video_url,
        event=_event_for(session, actor, event_id),
        source=source if source in SOURCES else "profile",
        now=now,
    )


def publish_round_request(
    session: Session,
    *,
    organiser: Any,
    event_id: int,
    sender_id: int,
    recipient_id: int,
    proposed_times: Sequence[datetime],
    duration_minutes: int = 30,
    message: str = "",
    place: str = "",
    video_url: str = "",
    now: datetime | None = None,
) -> MeetingRequest:
    """An event's organiser publishes one pair of a mentoring round as a request from the
    mentee (``sender_id``) to the mentor. No daily cap and no profile gate (the organiser
    chose the pair); still never oneself, never across a block, times inside the event."""
    organiser = _require_member(organiser)
    event = session.get(Event, event_id)
    if event is None or not events_service.can_manage(organiser, event):
        raise NotAllowed(N_("Only this event's organisers can do that."))
    if sender_id == recipient_id:
        raise InvalidInput(N_("You cannot request a meeting with yourself."))
    if session.get(User, sender_id) is None or session.get(User, recipient_id) is None:
        raise NotFound(N_("There is no such member."))
    if blocked_between(session, sender_id, recipient_id):
        raise NotAllowed(N_("You cannot request a meeting with this member."))
    _refuse_duplicate(session, sender_id, recipient_id)
    return _create_request(
        session,
        created_by=organiser,
        sender_id=sender_id,
        recipient_id=recipient_id,
        proposed_times=proposed_times,
        duration_minutes=duration_minutes,
        message=message,
        place=place,
        video_url=video_url,
        event=event,
        source="mentoring_round",
        now=now or utcnow(),
    )


def _create_request(
    session: Session,
    *,
    created_by: User,
    sender_id: int,
    recipient_id: int,
    proposed_times: Sequence[datetime],
    duration_minutes: int,
    message: str,
    place: str,
    video_url: str,
    event: Event | None,
    source: str,
    now: datetime,
) -> MeetingRequest:
    duration_minutes = _checked_duration(duration_minutes)
    times = _checked_times(proposed_times, duration_minutes, event, now)
    request = MeetingRequest(
        sender_id=sender_id,
        recipient_id=recipient_id,
        created_by_id=created_by.id,
        event_id=event.id if event else None,
        message=(message or "").strip(),
        duration_minutes=duration_minutes,
        place=(place or "").strip(),
        video_url=_checked_link(video_url),
        status=MeetingStatus.pending,
        source=source,
        created_at=now,
        updated_at=now,
    )
    _add_times(request, times, sender_id)
    session.add(request)
    session.flush()
    _tell(session, request, actor_id=created_by.id, kind=KIND_REQUESTED, to=[recipient_id])
    if created_by.id != sender_id:  # a mentoring round: the mentee hears of it too
        _tell(session, request, actor_id=created_by.id, kind=KIND_REQUESTED, to=[sender_id])
    return request


def _lock_request(session: Session, request: MeetingRequest) -> MeetingRequest:
    return session.execute(
        select(MeetingRequest)
        .where(MeetingRequest.id == request.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def edit_request(
    session: Session,
    *,
    actor: Any,
    request: MeetingRequest,
    changes: Mapping[str, Any],
    now: datetime | None = None,
) -> MeetingRequest:
    """The sender changes a pending request (message, times, length, place, link); the
    recipient is told."""
    actor = _require_member(actor)
    request = _lock_request(session, request)
    if actor.id != request.sender_id:
        raise NotAllowed(N_("Only the member who sent this request can change it."))
    if request.status is not MeetingStatus.pending:
        raise Conflict(N_("Only a request still waiting for an answer can be changed."))
    now = now or utcnow()
    duration = _checked_duration(changes.get("duration_minutes", request.duration_minutes))
    if "proposed_times" in changes or duration != request.duration_minutes:
        wanted = changes.get("proposed_times", [time.starts_at for time in request.proposed_times])
        times = _checked_times(wanted, duration, request.event, now)
        request.proposed_times.clear()
        session.flush()
        _add_times(request, times, request.sender_id)
    request.duration_minutes = duration
    if "video_url" in changes:
        request.video_url = _checked_link(changes["video_url"])
    for name in ("message", "place"):
        if name in changes:
            setattr(request, name, (changes[name] or "").strip())
    request.updated_at = now
    session.flush()
    _tell(session, request, actor_id=actor.id, kind=KIND_EDITED, to=[request.recipient_id])
    return request


def _require_answering(actor: User, request: MeetingRequest) -> None:
    if actor.id not in (request.sender_id, request.recipient_id):
        raise NotFound(N_("There is no such meeting request."))
    if request.status is MeetingStatus.accepted:
        raise Conflict(N_("This meeting is already accepted."))
    if not request.is_open:
        raise Conflict(N_("This request is closed."))
    if actor.id != request.answering_id:
        raise NotAllowed(N_("The other member has to answer this request."))


def accept_request(
    session: Session,
    *,
    actor: Any,
    request: MeetingRequest,
    time_id: int,
    now: datetime | None = None,
) -> MeetingRequest:
    """The answering side picks one of the other side's proposed times. Refused (409) if
    either member already has something at that time; checked under both agenda locks."""
    actor = _require_member(actor)
    _lock_agendas(session, [request.sender_id, request.recipient_id])
    request = _lock_request(session, request)
    _require_answering(actor, request)
    now = now or utcnow()
    chosen = next((time for time in request.open_times if time.id == time_id), None)
    if chosen is None:
        message = N_("Choose one of the proposed times.")
        raise InvalidInput(message, {"time_id": [message]})
    starts_at = _aware(chosen.starts_at)
    if starts_at <= now:
        message = N_("This time has passed; propose another one.")
        raise InvalidInput(message, {"time_id": [message]})
    ends_at = starts_at + timedelta(minutes=request.duration_minutes)
    for user_id in (request.sender_id, request.recipient_id):
        clash = busy_with(session, user_id, starts_at, ends_at)
        if clash is not None:
            raise Conflict(_clash_message(user_id == actor.id))
    request.status = MeetingStatus.accepted
    request.starts_at, request.ends_at = starts_at, ends_at
    request.responded_at = request.updated_at = now
    request.sequence += 1
    session.flush()
    _tell(session, request, actor_id=actor.id, kind=KIND_ACCEPTED, to=[request.other_id(actor.id)])
    return request


def _clash_message(mine: bool) -> str:
    if mine:
        return N_("You already have a meeting or office hours at that time.")
    return N_("The other member already has a meeting or office hours at that time.")


def decline_request(
    session: Session, *, actor: Any, request: MeetingRequest, note: str = ""
) -> MeetingRequest:
    """The answering side declines, with an optional note; the other side is told."""
    actor = _require_member(actor)
    request = _lock_request(session, request)
    _require_answering(actor, request)
    request.status = MeetingStatus.declined
    request.response_note = (note or "").strip()
    request.responded_at = request.updated_at = utcnow()
    session.flush()
    _tell(session, request, actor_id=actor.id, kind=KIND_DECLINED, to=[request.other_id(actor.id)])
    return request


def counter_request(
    session: Session,
    *,
    actor: Any,
    request: MeetingRequest,
    starts_at: datetime,
    note: str = "",
    now: datetime | None = None,
) -> MeetingRequest:
    """The recipient proposes another time instead; the sender then accepts or declines."""
    actor = _require_member(actor)
    request = _lock_request(session, request)
    _require_answering(actor, request)
    if actor.id != request.recipient_id:
        raise NotAllowed(N_("Accept or decline the time the other member proposed."))
    now = now or utcnow()
    (moment,) = _checked_times(
        [starts_at], request.duration_minutes, request.event, now, field_name="starts_at"
    )
    _add_times(request, [moment], actor.id, start=len(request.proposed_times))
    request.status = MeetingStatus.countered
    request.response_note = (note or "").strip()
    request.responded_at = request.updated_at = now
    session.flush()
    _tell(session, request, actor_id=actor.id, kind=KIND_COUNTERED, to=[request.sender_id])
    return request


def withdraw_request(session: Session, *, actor: Any, request: MeetingRequest) -> MeetingRequest:
    """The sender takes back a request still waiting for an answer."""
    actor = _require_member(actor)
    request = _lock_request(session, request)
    if actor.id != request.sender_id:
        raise NotAllowed(N_("Only the member who sent this request can withdraw it."))
    if not request.is_open:
        raise Conflict(N_("Only a request still waiting for an answer can be withdrawn."))
    request.status = MeetingStatus.withdrawn
    request.updated_at = utcnow()
    session.flush()
    _tell(session, request, actor_id=actor.id, kind=KIND_WITHDRAWN, to=[request.recipient_id])
    return request


def cancel_meeting(
    session: Session, *, actor: Any, request: MeetingRequest, note: str = ""
) -> MeetingRequest:
    """Either member cancels an accepted meeting; the time is free again and calendars
    show it cancelled."""
    actor = _require_member(actor)
    request = _lock_request(session, request)
    if actor.id not in (request.sender_id, request.recipient_id):
        raise NotFound(N_("There is no such meeting request."))
    if request.status is not MeetingStatus.accepted:
        raise Conflict(N_("Only an accepted meeting can be cancelled."))
    request.status = MeetingStatus.cancelled
    request.cancelled_by_id = actor.id
    request.response_note = (note or "").strip()
    request.updated_at = utcnow()
    request.sequence += 1
    session.flush()
    _tell(session, request, actor_id=actor.id, kind=KIND_CANCELLED, to=[request.other_id(actor.id)])
    return request


def leave_feedback(
    session: Session,
    *,
    actor: Any,
    request: MeetingRequest,
    useful: bool,
    note: str = "",
    now: datetime | None = None,
) -> MeetingFeedback:
    """After an accepted meeting's end, each member says whether it was useful (saying
    it again replaces the answer)."""
    actor = _require_member(actor)
    if actor.id not in (request.sender_id, request.recipient_id):
        raise NotFound(N_("There is no such meeting request."))
    now = now or utcnow()
    if (
        request.status is not MeetingStatus.accepted
        or request.ends_at is None
        or _aware(request.ends_at) > now
    ):
        raise Conflict(N_("You can say how it went once the meeting is over."))
    feedback = session.scalar(
        select(MeetingFeedback).where(
            MeetingFeedback.request_id == request.id, MeetingFeedback.author_id == actor.id
        )
    )
    if feedback is None:
        feedback = MeetingFeedback(
            request_id=request.id, author_id=actor.id, about_id=request.other_id(actor.id)
        )
        session.add(feedback)
    feedback.useful = bool(useful)
    feedback.note = (note or "").strip()
    feedback.created_at = now
    session.flush()
    return feedback


def feedback_of(session: Session, request: MeetingRequest, user_id: int) -> MeetingFeedback | None:
    return session.scalar(
        select(MeetingFeedback).where(
            MeetingFeedback.request_id == request.id, MeetingFeedback.author_id == user_id
        )
    )


# --- Lists -----------------------------------------------------------------------------------


def list_requests(
    session: Session, *, actor: Any, box: str = "received", status: str | None = None
) -> list[MeetingRequest]:
    """The member's received (inbox) or sent (outbox) requests, newest first."""
    actor = _require_member(actor)
    mine = MeetingRequest.sender_id if box == "sent" else MeetingRequest.recipient_id
    statement = (
        select(MeetingRequest)
        .where(mine == actor.id)
        .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
        .options(
            selectinload(MeetingRequest.proposed_times),
            selectinload(MeetingRequest.sender),
            selectinload(MeetingRequest.recipient),
        )
    )
    if status:
        statement = statement.where(MeetingRequest.status == MeetingStatus(status))
    return list(session.scalars(statement))


def pending_incoming_counts(
    session: Session, user_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """Open requests waiting on each member (matching sinks people with many)."""
    statement = (
        select(MeetingRequest.recipient_id, func.count())
        .where(MeetingRequest.status.in_(OPEN_STATUSES))
        .group_by(MeetingRequest.recipient_id)
    )
    if user_ids is not None:
        statement = statement.where(MeetingRequest.recipient_id.in_(list(user_ids)))
    return {user_id: count for user_id, count in session.execute(statement)}


def accepted_meeting_pairs(session: Session, event_id: int | None = None) -> list[tuple[int, int]]:
    """(sender, recipient) of every accepted meeting, for one event or all."""
    statement = select(MeetingRequest.sender_id, MeetingRequest.recipient_id).where(
        MeetingRequest.status == MeetingStatus.accepted
    )
    if event_id is not None:
        statement = statement.where(MeetingRequest.event_id == event_id)
    return [(sender, recipient) for sender, recipient in session.execute(statement)]


def feed_meetings(session: Session, user: User) -> list[MeetingRequest]:
    """A member's accepted meetings, and cancelled ones that had a time (so a calendar
    feed shows them cancelled), for ``calendar.feed_components``."""
    return list(
        session.scalars(
            select(MeetingRequest)
            .where(
                or_(MeetingRequest.sender_id == user.id, MeetingRequest.recipient_id == user.id),
                MeetingRequest.status.in_([MeetingStatus.accepted, MeetingStatus.cancelled]),
                MeetingRequest.starts_at.is_not(None),
            )
            .order_by(MeetingRequest.starts_at, MeetingRequest.id)
            .options(
                selectinload(MeetingRequest.sender),
                selectinload(MeetingRequest.recipient),
                selectinload(MeetingRequest.event),
            )
        )
    )


# --- Contact details --------------------------------------------------------------------


@dataclass(frozen=True)
class ContactDetails:
    name: str
    email: str
    links: list[MemberLink]


def contact_details(
    session: Session, viewer: Any, request: MeetingRequest
) -> ContactDetails | None:
    """The other member's email and links: only on an accepted meeting, only to its
    members, and only if the other member shares their contact details."""
    if not _is_member(viewer) or viewer.id not in (request.sender_id, request.recipient_id):
        return None
    if request.status is not MeetingStatus.accepted:
        return None
    other = session.get(User, request.other_id(viewer.id))
    if other is None:
        return None
    profile = session.get(MemberProfile, other.id)
    if profile is None or not profile.show_contact_links:
        return None
    return ContactDetails(name=other.display_name, email=other.email, links=list(profile.links))


# --- Agenda locks and overlaps --------------------------------------------------------------


def _lock_agendas(session: Session, user_ids: Iterable[int]) -> None:
    """Lock each member's agenda row, in user-id order (no deadlocks), creating missing
    rows first (``ON CONFLICT DO NOTHING``: two first bookings at once both succeed)."""
    ids = sorted(set(user_ids))
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for user_id in ids:
        session.execute(insert(AgendaLock).values(user_id=user_id).on_conflict_do_nothing())
    session.execute(
        select(AgendaLock.user_id)
        .where(AgendaLock.user_id.in_(ids))
        .order_by(AgendaLock.user_id)
        .with_for_update()
    ).all()


def busy_with(
    session: Session,
    user_id: int,
    starts_at: datetime,
    ends_at: datetime,
    *,
    include_empty_slots: bool = False,
) -> MeetingRequest | OfficeHourBooking | OfficeHourSlot | None:
    """What of ``user_id``'s agenda overlaps [starts_at, ends_at): an accepted meeting,
    a slot they booked, or a slot they host that someone booked (any slot they host with
    ``include_empty_slots``). None: free."""
    meeting = session.scalar(
        select(MeetingRequest)
        .where(
            MeetingRequest.status == MeetingStatus.accepted,
            or_(MeetingRequest.sender_id == user_id, MeetingRequest.recipient_id == user_id),
            MeetingRequest.starts_at < ends_at,
            MeetingRequest.ends_at > starts_at,
        )
        .limit(1)
    )
    if meeting is not None:
        return meeting
    booking = session.scalar(
        select(OfficeHourBooking)
        .join(OfficeHourSlot, OfficeHourSlot.id == OfficeHourBooking.slot_id)
        .where(
            OfficeHourBooking.member_id == user_id,
            OfficeHourBooking.status == BookingStatus.booked,
            OfficeHourSlot.cancelled_at.is_(None),
            OfficeHourSlot.starts_at < ends_at,
            OfficeHourSlot.ends_at > starts_at,
        )
        .limit(1)
    )
    if booking is not None:
        return booking
    hosted = select(OfficeHourSlot).where(
        OfficeHourSlot.host_id == user_id,
        OfficeHourSlot.cancelled_at.is_(None),
        OfficeHourSlot.starts_at < ends_at,
        OfficeHourSlot.ends_at > starts_at,
    )
    if not include_empty_slots:
        hosted = hosted.where(OfficeHourSlot.booked_count > 0)
    return session.scalar(hosted.limit(1))


# --- Office hours ------------------------------------------------------------------------------


def may_host_office_hours(session: Session, user: Any) -> bool:
    """Members who offer mentoring or career chats on their profile."""
    if not _is_member(user):
        return False
    profile = session.get(MemberProfile, user.id)
    return profile is not None and any(code in OFFICE_HOURS_INTENTS for code in profile.offering)


def publish_slot(
    session: Session,
    *,
    actor: Any,
    starts_at: datetime,
    duration_minutes: int = 30,
    capacity: int = 1,
    place: str = "",
    video_url: str = "",
    note: str = "",
    event_id: int | None = None,
    now: datetime | None = None,
) -> OfficeHourSlot:
    """A member who offers mentoring or career chats publishes a slot others book; it may
    not overlap their own meetings or other slots."""
    actor = _require_member(actor)
    if not may_host_office_hours(session, actor):
        raise NotAllowed(
            N_("Add mentoring or career chats to what you offer on your profile first.")
        )
    now = now or utcnow()
    duration = _checked_duration(duration_minutes)
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        message = N_("Choose from 1 to 20 places.")
        raise InvalidInput(message, {"capacity": [message]})
    event = _event_for(session, actor, event_id)
    start = _aware(starts_at).replace(microsecond=0)
    end = start + timedelta(minutes=duration)
    problem = None
    if start <= now:
        problem = N_("Choose a time in the future.")
    elif event is not None and not (event.starts_at <= start and end <= event.ends_at):
        problem = N_("Choose a time during the event.")
    if problem is not None:
        raise InvalidInput(problem, {"starts_at": [problem]})
    _lock_agendas(session, [actor.id])
    if busy_with(session, actor.id, start, end, include_empty_slots=True) is not None:
        raise Conflict(N_("You already have a meeting or office hours at that time."))
    slot = OfficeHourSlot(
        host_id=actor.id,
        event_id=event.id if event else None,
        starts_at=start,
        ends_at=end,
        duration_minutes=duration,
        capacity=capacity,
        booked_count=0,
        place=(place or "").strip(),
        video_url=_checked_link(video_url),
        note=(note or "").strip(),
        created_at=now,
    )
    session.add(slot)
    session.flush()
    return slot


def _lock_slot(session: Session, slot: OfficeHourSlot) -> OfficeHourSlot:
    return session.execute(
        select(OfficeHourSlot)
        .where(OfficeHourSlot.id == slot.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def visible_slot(session: Session, viewer: Any, raw: Any) -> OfficeHourSlot:
    """A slot, for anyone who may see its host's profile."""
    try:
        slot = session.get(OfficeHourSlot, int(raw))
    except (TypeError, ValueError):
        slot = None
    if slot is None:
        raise NotFound(N_("There are no such office hours."))
    viewer_facts = members_service.viewer_for(session, viewer)
    if not may_see_profile(viewer_facts, _profile(session, slot.host)):
        raise NotFound(N_("There are no such office hours."))
    return slot


def open_slots(
    session: Session, host: User, *, now: datetime | None = None
) -> list[OfficeHourSlot]:
    """A host's upcoming, not cancelled slots, soonest first."""
    return list(
        session.scalars(
            select(OfficeHourSlot)
            .where(
                OfficeHourSlot.host_id == host.id,
                OfficeHourSlot.cancelled_at.is_(None),
                OfficeHourSlot.starts_at > (now or utcnow()),
            )
            .order_by(OfficeHourSlot.starts_at, OfficeHourSlot.id)
        )
    )


#: A profile page asks whether its member hosts office hours: built once, and one row.
_HAS_OPEN_SLOT = (
    select(OfficeHourSlot.id)
    .where(
        OfficeHourSlot.host_id == bindparam("host_id"),
        OfficeHourSlot.cancelled_at.is_(None),
        OfficeHourSlot.starts_at > bindparam("now"),
    )
    .limit(1)
)


def has_open_slots(session: Session, host_id: int) -> bool:
    """Whether the member has an upcoming, not cancelled slot (``open_slots`` not empty)."""
    return session.scalar(_HAS_OPEN_SLOT, {"host_id": host_id, "now": utcnow()}) is not None


def booking_of(session: Session, slot: OfficeHourSlot, user: Any) -> OfficeHourBooking | None:
    if not _is_member(user):
        return None
    return session.scalar(
        select(OfficeHourBooking).where(
            OfficeHourBooking.slot_id == slot.id, OfficeHourBooking.member_id == user.id
        )
    )


def booking_bar_until(
    session: Session, user_id: int, now: datetime | None = None
) -> datetime | None:
    """Until when a member may not book: once reported as a no-show NO_SHOW_LIMIT times,
    for NO_SHOW_BAR after the latest report. None: they may book."""
    reports = list(
        session.scalars(
            select(OfficeHourBooking.no_show_at)
            .where(
                OfficeHourBooking.member_id == user_id,
                OfficeHourBooking.status == BookingStatus.no_show,
                OfficeHourBooking.no_show_at.is_not(None),
            )
            .order_by(OfficeHourBooking.no_show_at.desc())
        )
    )
    if len(reports) < NO_SHOW_LIMIT or reports[0] is None:
        return None
    until = _aware(reports[0]) + NO_SHOW_BAR
    return until if until > (now or utcnow()) else None


def book_slot(
    session: Session, *, actor: Any, slot: OfficeHourSlot, now: datetime | None = None
) -> OfficeHourBooking:
    """A member takes a place in a slot: not their own, not across a block, not full
    (decided under the slot's row lock), not while barred for no-shows, and not when
    they or the host already have something at that time."""
    actor = _require_member(actor)
    now = now or utcnow()
    if slot.host_id == actor.id:
        raise InvalidInput(N_("You cannot book your own office hours."))
    if blocked_between(session, actor.id, slot.host_id):
        raise NotAllowed(N_("You cannot book this member's office hours."))
    barred = booking_bar_until(session, actor.id, now)
    if barred is not None:
        raise NotAllowed(
            gettext(
                "You missed three booked chats without cancelling, so you cannot book "
                "office hours until %(date)s.",
                date=format_date(barred, "long"),
            )
        )
    _lock_agendas(session, [actor.id, slot.host_id])
    slot = _lock_slot(session, slot)
    if slot.is_cancelled:
        raise Conflict(N_("These office hours were cancelled."))
    if _aware(slot.starts_at) <= now:
        raise Conflict(N_("These office hours have already started."))
    booking = booking_of(session, slot, actor)
    if booking is not None and booking.status is BookingStatus.booked:
        raise Conflict(N_("You already booked these office hours."))
    booked = (
        session.scalar(
            select(func.count())
            .select_from(OfficeHourBooking)
            .where(
                OfficeHourBooking.slot_id == slot.id,
                OfficeHourBooking.status == BookingStatus.booked,
            )
        )
        or 0
    )
    if booked >= slot.capacity:
        raise Conflict(N_("These office hours are full."))
    starts_at, ends_at = _aware(slot.starts_at), _aware(slot.ends_at)
    if busy_with(session, actor.id, starts_at, ends_at) is not None:
        raise Conflict(_clash_message(True))
    host_clash = busy_with(session, slot.host_id, starts_at, ends_at)
    if host_clash is not None and not (
        isinstance(host_clash, OfficeHourSlot) and host_clash.id == slot.id
    ):
        raise Conflict(_clash_message(False))
    if booking is None:
        booking = OfficeHourBooking(slot_id=slot.id, member_id=actor.id)
        session.add(booking)
    booking.status, booking.created_at, booking.cancelled_at = BookingStatus.booked, now, None
    booking.no_show_at = None
    slot.booked_count = booked + 1
    session.flush()
    _tell_slot(session, slot, actor_id=actor.id, kind=KIND_BOOKED, to=[slot.host_id])
    return booking


def cancel_booking(
    session: Session, *, actor: Any, booking: OfficeHourBooking
) -> OfficeHourBooking:
    """The member gives their place back (before the slot starts); the host is told."""
    actor = _require_member(actor)
    if booking.member_id != actor.id:
        raise NotFound(N_("There is no such booking."))
    slot = _lock_slot(session, booking.slot)
    if booking.status is not BookingStatus.booked:
        raise Conflict(N_("This booking is not active."))
    if _aware(slot.starts_at) <= utcnow():
        raise Conflict(N_("These office hours have already started."))
    booking.status, booking.cancelled_at = BookingStatus.cancelled, utcnow()
    slot.booked_count = max(0, slot.booked_count - 1)
    session.flush()
    _tell_slot(session, slot, actor_id=actor.id, kind=KIND_BOOKING_CANCELLED, to=[slot.host_id])
    return booking


def cancel_slot(session: Session, *, actor: Any, slot: OfficeHourSlot) -> OfficeHourSlot:
    """The host cancels a slot; everyone booked is told."""
    actor = _require_member(actor)
    if slot.host_id != actor.id:
        raise NotAllowed(N_("Only the host can cancel these office hours."))
    slot = _lock_slot(session, slot)
    if slot.is_cancelled:
        return slot
    now = utcnow()
    booked = [booking for booking in slot.bookings if booking.status is BookingStatus.booked]
    for booking in booked:
        booking.status, booking.cancelled_at = BookingStatus.cancelled, now
    slot.cancelled_at, slot.booked_count = now, 0
    session.flush()
    _tell_slot(
        session,
        slot,
        actor_id=actor.id,
        kind=KIND_BOOKING_CANCELLED,
        to=[booking.member_id for booking in booked],
    )
    return slot


def report_no_show(
    session: Session, *, actor: Any, booking: OfficeHourBooking, now: datetime | None = None
) -> OfficeHourBooking:
    """The host says a booked member did not come (once the slot has started)."""
    actor = _require_member(actor)
    slot = booking.slot
    if slot.host_id != actor.id:
        raise NotAllowed(N_("Only the host can report who did not come."))
    now = now or utcnow()
    if _aware(slot.starts_at) > now:
        raise Conflict(N_("You can report a no-show once the office hours have started."))
    if booking.status is not BookingStatus.booked:
        raise Conflict(N_("This booking is not active."))
    booking.status, booking.no_show_at = BookingStatus.no_show, now
    session.flush()
    _tell_slot(session, slot, actor_id=actor.id, kind=KIND_NO_SHOW, to=[booking.member_id])
    return booking


def visible_booking(session: Session, viewer: Any, raw: Any) -> OfficeHourBooking:
    """A booking, for its member and the slot's host."""
    try:
        booking = session.get(OfficeHourBooking, int(raw))
    except (TypeError, ValueError):
        booking = None
    if (
        booking is None
        or not _is_member(viewer)
        or viewer.id not in (booking.member_id, booking.slot.host_id)
    ):
        raise NotFound(N_("There is no such booking."))
    return booking


def my_slots(session: Session, *, actor: Any, now: datetime | None = None) -> list[OfficeHourSlot]:
    """The host's own slots from today on, with their bookings."""
    actor = _require_member(actor)
    since = (now or utcnow()) - timedelta(days=1)
    return list(
        session.scalars(
            select(OfficeHourSlot)
            .where(OfficeHourSlot.host_id == actor.id, OfficeHourSlot.ends_at > since)
            .order_by(OfficeHourSlot.starts_at, OfficeHourSlot.id)
            .options(selectinload(OfficeHourSlot.bookings).selectinload(OfficeHourBooking.member))
        )
    )


def my_bookings(
    session: Session, *, actor: Any, now: datetime | None = None
) -> list[OfficeHourBooking]:
    actor = _require_member(actor)
    return list(
        session.scalars(
            select(OfficeHourBooking)
            .join(OfficeHourSlot, OfficeHourSlot.id == OfficeHourBooking.slot_id)
            .where(
                OfficeHourBooking.member_id == actor.id,
                OfficeHourBooking.status == BookingStatus.booked,
                OfficeHourSlot.cancelled_at.is_(None),
                OfficeHourSlot.ends_at > (now or utcnow()),
            )
            .order_by(OfficeHourSlot.starts_at)
        )
    )


# --- My agenda ------------------------------------------------------------------------------


@dataclass
class AgendaItem:
    kind: str  # "meeting", "request", "booking", "hosting", "event", "session"
    starts_at: datetime
    ends_at: datetime | None
    title: str
    url: str
    subject: Any = None


@dataclass
class Agenda:
    items: list[AgendaItem] = field(default_factory=list)
    waiting: list[MeetingRequest] = field(default_factory=list)


def agenda(session: Session, *, actor: Any, now: datetime | None = None) -> Agenda:
    """What a member has coming: accepted meetings, office hours they booked or host
    (with bookings), and the events and sessions they are going to, in time order; and
    the requests still waiting for an answer."""
    actor = _require_member(actor)
    now = now or utcnow()
    result = Agenda()
    mine = or_(MeetingRequest.sender_id == actor.id, MeetingRequest.recipient_id == actor.id)
    for meeting in session.scalars(
        select(MeetingRequest)
        .where(mine, MeetingRequest.status == MeetingStatus.accepted, MeetingRequest.ends_at > now)
        .options(selectinload(MeetingRequest.sender), selectinload(MeetingRequest.recipient))
    ):
        other = meeting.recipient if meeting.sender_id == actor.id else meeting.sender
        assert meeting.starts_at is not None
        result.items.append(
            AgendaItem(
                "meeting",
                meeting.starts_at,
                meeting.ends_at,
                other.display_name,
                request_path(meeting),
                meeting,
            )
        )
    result.waiting = list(
        session.scalars(
            select(MeetingRequest)
            .where(mine, MeetingRequest.status.in_(OPEN_STATUSES))
            .order_by(MeetingRequest.created_at.desc())
            .options(
                selectinload(MeetingRequest.proposed_times),
                selectinload(MeetingRequest.sender),
                selectinload(MeetingRequest.recipient),
            )
        )
    )
    for booking in my_bookings(session, actor=actor, now=now):
        slot = booking.slot
        result.items.append(
            AgendaItem(
                "booking",
                slot.starts_at,
                slot.ends_at,
                slot.host.display_name,
                f"/office-hours/{slot.host.handle}",
                booking,
            )
        )
    for slot in my_slots(session, actor=actor, now=now):
        if slot.booked_count > 0 and not slot.is_cancelled and _aware(slot.ends_at) > now:
            result.items.append(
                AgendaItem("hosting", slot.starts_at, slot.ends_at, "", "/office-hours", slot)
            )
    going = session.scalars(
        select(Event)
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(
            Rsvp.user_id == actor.id,
            Rsvp.status == RsvpStatus.going,
            Event.ends_at > now,
            Event.cancelled_at.is_(None),
        )
        .options(selectinload(Event.sessions))
    )
    for event in going:
        path = events_service.event_path(event)
        result.items.append(
            AgendaItem("event", event.starts_at, event.ends_at, event.title, path, event)
        )
        for item in event.sessions:
            if _aware(item.ends_at) > now:
                result.items.append(
                    AgendaItem("session", item.starts_at, item.ends_at, item.title, path, item)
                )
    result.items.sort(key=lambda item: (_aware(item.starts_at), item.kind))
    return result


# --- Notifications ------------------------------------------------------------------------

_SUMMARIES = {
    KIND_REQUESTED: N_("%(name)s asked to meet you"),
    KIND_EDITED: N_("%(name)s changed their meeting request"),
    KIND_ACCEPTED: N_("%(name)s accepted your meeting"),
    KIND_DECLINED: N_("%(name)s declined your meeting request"),
    KIND_COUNTERED: N_("%(name)s proposed another time to meet"),
    KIND_WITHDRAWN: N_("%(name)s withdrew their meeting request"),
    KIND_CANCELLED: N_("%(name)s cancelled your meeting"),
    KIND_BOOKED: N_("%(name)s booked your office hours"),
    KIND_BOOKING_CANCELLED: N_("%(name)s cancelled office hours you booked"),
    KIND_NO_SHOW: N_("%(name)s reported that you missed their office hours"),
}


def _summary(kind: str, name: str) -> Any:
    def line(_kind: str) -> str:
        return gettext(_SUMMARIES[kind], name=name)

    return line


def _actor_name(session: Session, actor_id: int) -> str:
    user = session.get(User, actor_id)
    return user.display_name if user is not None else ""


def _tell(
    session: Session, request: MeetingRequest, *, actor_id: int, kind: str, to: Iterable[int]
) -> None:
    recipients = {user_id: kind for user_id in to if user_id != actor_id}
    if not recipients:
        return
    notifications.notify(
        session,
        recipients=recipients,
        actor_id=actor_id,
        subject_type=SUBJECT_TYPE,
        subject_id=request.id,
        url=request_path(request),
        summary=_summary(kind, _actor_name(session, actor_id)),
        excerpt=(request.response_note or request.message)[:300],
    )


def _tell_slot(
    session: Session, slot: OfficeHourSlot, *, actor_id: int, kind: str, to: Iterable[int]
) -> None:
    recipients = {user_id: kind for user_id in to if user_id != actor_id}
    if not recipients:
        return
    notifications.notify(
        session,
        recipients=recipients,
        actor_id=actor_id,
        subject_type=SLOT_SUBJECT_TYPE,
        subject_id=slot.id,
        url="/agenda",
        summary=_summary(kind, _actor_name(session, actor_id)),
        excerpt=slot.note,
    )
