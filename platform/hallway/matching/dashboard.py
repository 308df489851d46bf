"""The organisers' matching dashboard for one event, and its CSV export.

Everything is about the people going to the event and the meeting requests made for it
(``MeetingRequest.event_id``): who got suggestions, who asked or was asked, who met;
which novices have no meeting with someone more senior yet; who is asked most and who
has too many unanswered requests; what people look for that nobody going offers.
Only the event's organisers (owner, co-organisers, admins) may read it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core.errors import NotAllowed
from hallway.core.validation import N_
from hallway.events import service as events_service
from hallway.events.models import Event, Rsvp, RsvpStatus
from hallway.matching import service as matching_service
from hallway.meetings.models import MeetingRequest, MeetingStatus
from hallway.members.models import IntentDirection, MemberIntent, MemberProfile

#: Career stages from least to most senior: a "mentor meeting" is one with someone above.
STAGE_RANK: dict[str | None, int] = {"novice": 0, "career": 1, "advanced": 2}
#: This many unanswered requests waiting for someone: they are overloaded.
OVERLOAD_THRESHOLD = 5
#: How many of the most requested people the dashboard lists.
MOST_REQUESTED_SHOWN = 10


@dataclass
class AttendeeStats:
    user: User
    profile: MemberProfile | None
    opted_in: bool = False
    has_suggestion: bool = False
    sent: int = 0
    received: int = 0
    accepted: int = 0
    pending_incoming: int = 0
    has_mentor_meeting: bool = False

    @property
    def career_stage(self) -> str | None:
        return self.profile.career_stage if self.profile else None

    @property
    def is_novice(self) -> bool:
        return self.career_stage == "novice"

    @property
    def has_request(self) -> bool:
        return self.sent + self.received > 0


@dataclass
class Dashboard:
    event: Event
    attendees: list[AttendeeStats] = field(default_factory=list)
    #: (intent code, how many going look for it), most wanted first.
    unmet_needs: list[tuple[str, int]] = field(default_factory=list)

    @property
    def going(self) -> int:
        return len(self.attendees)

    @property
    def opted_in(self) -> int:
        return sum(row.opted_in for row in self.attendees)

    @property
    def with_suggestion(self) -> int:
        return sum(row.has_suggestion for row in self.attendees)

    @property
    def with_request(self) -> int:
        return sum(row.has_request for row in self.attendees)

    @property
    def with_accepted(self) -> int:
        return sum(row.accepted > 0 for row in self.attendees)

    @property
    def novices_without_mentor(self) -> list[AttendeeStats]:
        return [row for row in self.attendees if row.is_novice and not row.has_mentor_meeting]

    @property
    def most_requested(self) -> list[AttendeeStats]:
        asked = [row for row in self.attendees if row.received > 0]
        asked.sort(key=lambda row: (-row.received, row.user.display_name.casefold(), row.user.id))
        return asked[:MOST_REQUESTED_SHOWN]

    @property
    def overloaded(self) -> list[AttendeeStats]:
        busy = [row for row in self.attendees if row.pending_incoming >= OVERLOAD_THRESHOLD]
        busy.sort(key=lambda row: (-row.pending_incoming, row.user.id))
        return busy


def _require_manager(actor: Any, event: Event) -> None:
    if not events_service.can_manage(actor, event):
        raise NotAllowed(N_("Only this event's organisers can do that."))


def event_dashboard(session: Session, *, actor: Any, event: Event) -> Dashboard:
    """The numbers and lists of the organisers' dashboard (see the module's docstring)."""
    _require_manager(actor, event)
    rows = session.execute(
        select(User, MemberProfile)
        .join(Rsvp, Rsvp.user_id == User.id)
        .outerjoin(MemberProfile, MemberProfile.user_id == User.id)
        .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.going)
        .order_by(User.display_name, User.id)
    ).all()
    stats = {user.id: AttendeeStats(user, profile) for user, profile in rows}
    dashboard = Dashboard(event=event, attendees=list(stats.values()))
    if not stats:
        return dashboard
    for row in dashboard.attendees:
        row.opted_in = bool(row.profile and row.profile.matchable)
    suggested = matching_service.members_with_suggestions(
        session, [row.user.id for row in dashboard.attendees if row.opted_in], event_id=event.id
    )
    for row in dashboard.attendees:
        row.has_suggestion = row.user.id in suggested
    requests = session.execute(
        select(MeetingRequest.sender_id, MeetingRequest.recipient_id, MeetingRequest.status).where(
            MeetingRequest.event_id == event.id
        )
    ).all()
    stage_of = _stages(session, {user_id for row in requests for user_id in row[:2]})
    for sender_id, recipient_id, status in requests:
        if sender_id in stats:
            stats[sender_id].sent += 1
        if recipient_id in stats:
            stats[recipient_id].received += 1
        if status != MeetingStatus.accepted:
            continue
        for me, other in ((sender_id, recipient_id), (recipient_id, sender_id)):
            if me in stats:
                stats[me].accepted += 1
                if stage_of.get(me) == "novice" and STAGE_RANK.get(stage_of.get(other), 0) > 0:
                    stats[me].has_mentor_meeting = True
    pending = Counter(
        session.scalars(
            select(MeetingRequest.recipient_id).where(
                MeetingRequest.recipient_id.in_(list(stats)),
                MeetingRequest.status == MeetingStatus.pending,
            )
        )
    )
    for user_id, count in pending.items():
        stats[user_id].pending_incoming = count
    dashboard.unmet_needs = _unmet_needs(session, list(stats))
    return dashboard


def _stages(session: Session, user_ids: set[int]) -> dict[int, str | None]:
    if not user_ids:
        return {}
    return dict(
        session.execute(
            select(MemberProfile.user_id, MemberProfile.career_stage).where(
                MemberProfile.user_id.in_(user_ids)
            )
        ).all()
    )


def _unmet_needs(session: Session, user_ids: list[int]) -> list[tuple[str, int]]:
    """What people going look for that nobody going offers, most wanted first."""
    intents = session.execute(
        select(MemberIntent.direction, MemberIntent.intent, MemberIntent.user_id).where(
            MemberIntent.user_id.in_(user_ids)
        )
    ).all()
    offered = {intent for direction, intent, _ in intents if direction == IntentDirection.offering}
    wanted = Counter(
        intent
        for direction, intent, _ in intents
        if direction == IntentDirection.looking_for and intent not in offered
    )
    return sorted(wanted.items(), key=lambda item: (-item[1], item[0]))


CSV_COLUMNS = (
    "name", "handle", "career stage", "opted in to matching", "has a suggestion",
    "requests sent", "requests received", "accepted meetings", "pending requests to answer",
    "novice with a mentor meeting",
)  # fmt: skip
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A spreadsheet cell that cannot run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def dashboard_csv(dashboard: Dashboard) -> str:
    """One row per person going, then the summary and the needs nobody offers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in dashboard.attendees:
        writer.writerow(
            [
                _cell(row.user.display_name),
                _cell(row.user.handle),
                _cell(row.career_stage or ""),
                _yes_no(row.opted_in),
                _yes_no(row.has_suggestion),
                row.sent,
                row.received,
                row.accepted,
                row.pending_incoming,
                _yes_no(row.has_mentor_meeting) if row.is_novice else "",
            ]
        )
    writer.writerow([])
    writer.writerow(["summary", "count"])
    writer.writerow(["going", dashboard.going])
    writer.writerow(["with at least one suggestion", dashboard.with_suggestion])
    writer.writerow(["with at least one request", dashboard.with_request])
    writer.writerow(["with at least one accepted meeting", dashboard.with_accepted])
    writer.writerow(["novices without a mentor meeting", len(dashboard.novices_without_mentor)])
    writer.writerow([])
    writer.writerow(["looked for, offered by nobody going", "people looking"])
    for intent, count in dashboard.unmet_needs:
        writer.writerow([_cell(intent), count])
    return buffer.getvalue()
