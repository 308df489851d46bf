"""Events over JSON: the list, an event, RSVP and the waitlist, the agenda,
announcements, attendees (list, CSV import) and the personal calendar feed.

Routes are thin: ``@loads`` checks who may see the event, the schemas check the input,
the service applies the rules; the request commits once.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from hallway.core.loading import loads
from hallway.core.pagination import Page
from hallway.db import db
from hallway.events import service
from hallway.events.models import Event, EventSession, RsvpStatus
from hallway.events.schemas import (
    AnnouncementInputSchema,
    AnnouncementSchema,
    AttendeeArgsSchema,
    AttendeeListSchema,
    CalendarFeedSchema,
    CoOrganiserInputSchema,
    CoverUploadSchema,
    EventCreateSchema,
    EventDetailSchema,
    EventListArgsSchema,
    EventPageSchema,
    EventUpdateSchema,
    HiddenSchema,
    ImportInputSchema,
    ImportReportSchema,
    RsvpInputSchema,
    RsvpStateSchema,
    SessionCreateSchema,
    SessionSchema,
    SessionUpdateSchema,
    ShownEvent,
)

bp = Blueprint(
    "events_api",
    __name__,
    url_prefix="/events",
    description="Events: RSVP and waitlist, agenda, announcements, attendees, calendar feed",
)


def _viewer() -> Any:
    return current_user._get_current_object()


def shown_event(event: Event) -> ShownEvent:
    viewer = _viewer()
    rsvp = service.rsvp_of(db.session, event, viewer)
    return ShownEvent(
        event,
        show_online_url=service.may_see_online_link(db.session, viewer, event),
        is_organiser=service.can_manage(viewer, event),
        my_status=rsvp.status if rsvp else None,
        my_position=service.waitlist_position(db.session, rsvp),
        my_hidden=bool(rsvp and rsvp.hidden_from_list),
    )


def _rsvp_state(event: Event) -> dict[str, Any]:
    rsvp = service.rsvp_of(db.session, event, _viewer())
    return {
        "event_id": event.id,
        "status": rsvp.status if rsvp else RsvpStatus.not_going,
        "position": service.waitlist_position(db.session, rsvp),
        "hidden_from_list": bool(rsvp and rsvp.hidden_from_list),
        "going_count": event.going_count,
        "capacity": event.capacity,
    }


# --- events -------------------------------------------------------------------------------


@bp.get("")
@bp.arguments(EventListArgsSchema, location="query")
@bp.response(200, EventPageSchema)
def list_events(args: dict[str, Any]):
    """Upcoming (soonest first) or past events; filter by network, city, region, country
    (or ``place``: a city or a region code), format and dates (``from``/``to``, on the
    start: a date or an ISO 8601 date-time)."""
    page = service.list_events(
        db.session,
        viewer=_viewer(),
        filters=service.EventFilters.from_args(args),
        page=args["page"],
        per_page=args["per_page"],
    )
    items = [ShownEvent(event) for event in page.items]
    return Page(items, page=page.page, per_page=page.per_page, total=page.total)


@bp.post("")
@login_required
@bp.arguments(EventCreateSchema)
@bp.response(201, EventDetailSchema)
def create_event(data: dict[str, Any]):
    """Create an event (organisers)."""
    return shown_event(service.create_event(db.session, actor=_viewer(), data=data))


@bp.get("/<int:event_id>")
@bp.response(200, EventDetailSchema)
@loads("event", service.visible_event)
def read_event(event: Event):
    """An event, with the viewer's own answer; the online link only for those going."""
    return shown_event(event)


@bp.get("/link/<token>")
@bp.response(200, EventDetailSchema)
@loads("event", service.event_by_link, arg="token")
def read_event_by_link(event: Event):
    """An event by its shared link (how unlisted events are opened)."""
    return shown_event(event)


@bp.patch("/<int:event_id>")
@login_required
@bp.arguments(EventUpdateSchema)
@bp.response(200, EventDetailSchema)
@loads("event", service.visible_event)
def update_event(data: dict[str, Any], event: Event):
    """Edit an event (owner and co-organisers)."""
    service.edit_event(db.session, actor=_viewer(), event=event, changes=data)
    return shown_event(event)


@bp.delete("/<int:event_id>")
@login_required
@bp.response(204)
@loads("event", service.visible_event)
def delete_event(event: Event):
    """Delete an event (its owner only)."""
    service.delete_event(db.session, actor=_viewer(), event=event)


@bp.post("/<int:event_id>/cancel")
@login_required
@bp.response(200, EventDetailSchema)
@loads("event", service.visible_event)
def cancel_event(event: Event):
    """Cancel an event; everyone going is told."""
    service.cancel_event(db.session, actor=_viewer(), event=event)
    return shown_event(event)


@bp.post("/<int:event_id>/organisers")
@login_required
@bp.arguments(CoOrganiserInputSchema)
@bp.response(200, EventDetailSchema)
@loads("event", service.visible_event)
def add_co_organiser(data: dict[str, Any], event: Event):
    """Add a co-organiser (owner only)."""
    service.add_co_organiser(db.session, actor=_viewer(), event=event, user_id=data["user_id"])
    return shown_event(event)


@bp.delete("/<int:event_id>/organisers/<int:user_id>")
@login_required
@bp.response(204)
@loads("event", service.visible_event)
def remove_co_organiser(event: Event, user_id: int):
    """Remove a co-organiser (owner only)."""
    service.remove_co_organiser(db.session, actor=_viewer(), event=event, user_id=user_id)


# --- RSVP and the waitlist -------------------------------------------------------------------


@bp.get("/<int:event_id>/rsvp")
@login_required
@bp.response(200, RsvpStateSchema)
@loads("event", service.visible_event)
def read_rsvp(event: Event):
    """My answer and, when waiting, my place in the queue."""
    return _rsvp_state(event)


@bp.put("/<int:event_id>/rsvp")
@login_required
@bp.arguments(RsvpInputSchema)
@bp.response(200, RsvpStateSchema)
@loads("event", service.visible_event)
def answer_event(data: dict[str, Any], event: Event):
    """Answer going, interested or not going; "going" to a full event joins the waitlist."""
    service.set_rsvp(db.session, actor=_viewer(), event=event, **data)
    return _rsvp_state(event)


@bp.put("/<int:event_id>/rsvp/hidden")
@login_required
@bp.arguments(HiddenSchema)
@bp.response(200, RsvpStateSchema)
@loads("event", service.visible_event)
def hide_from_list(data: dict[str, Any], event: Event):
    """Show or hide my name on the event's attendee list."""
    service.set_hidden_from_list(
        db.session, actor=_viewer(), event=event, hidden=data["hidden_from_list"]
    )
    return _rsvp_state(event)


@bp.delete("/<int:event_id>/waitlist")
@login_required
@bp.response(200, RsvpStateSchema)
@loads("event", service.visible_event)
def leave_waitlist(event: Event):
    """Leave the waitlist."""
    service.leave_waitlist(db.session, actor=_viewer(), event=event)
    return _rsvp_state(event)


@bp.get("/<int:event_id>/waitlist")
@login_required
@bp.response(200, AttendeeListSchema)
@loads("event", service.visible_event)
def read_waitlist(event: Event):
    """The waitlist in order (organisers)."""
    rows = service.waitlist(db.session, actor=_viewer(), event=event)
    attendees = [service.Attendee(rsvp.user, rsvp, None) for rsvp in rows]
    return service.AttendeeList(named=attendees)


# --- attendees ------------------------------------------------------------------------------


@bp.get("/<int:event_id>/attendees")
@bp.arguments(AttendeeArgsSchema, location="query")
@bp.response(200, AttendeeListSchema)
@loads("event", service.visible_event)
def list_attendees(args: dict[str, Any], event: Event):
    """Who is going (or waiting, or interested): names the viewer may see, the rest counted."""
    return service.attendees(
        db.session,
        viewer=_viewer(),
        event=event,
        status=RsvpStatus(args["status"]),
        search=args.get("search"),
        stage=args.get("stage"),
    )


@bp.post("/<int:event_id>/attendees/import")
@login_required
@bp.arguments(ImportInputSchema)
@bp.response(200, ImportReportSchema)
@loads("event", service.visible_event)
def import_attendees(data: dict[str, Any], event: Event):
    """Import a registration CSV (organisers): new people get accounts, existing ones are
    matched by email, everyone is RSVPed going. ``dry_run`` writes nothing; any bad row
    imports nothing and is reported with its line number."""
    return service.import_attendees(
        db.session, actor=_viewer(), event=event, text=data["csv"], dry_run=data["dry_run"]
    )


# --- announcements -------------------------------------------------------------------------


@bp.get("/<int:event_id>/announcements")
@bp.response(200, AnnouncementSchema(many=True))
@loads("event", service.visible_event)
def list_announcements(event: Event):
    """The organisers' announcements, newest first."""
    return service.list_announcements(db.session, event)


@bp.post("/<int:event_id>/announcements")
@login_required
@bp.arguments(AnnouncementInputSchema)
@bp.response(201, AnnouncementSchema)
@loads("event", service.visible_event)
def post_announcement(data: dict[str, Any], event: Event):
    """Announce something to everyone going (organisers)."""
    return service.post_announcement(db.session, actor=_viewer(), event=event, **data)


# --- the agenda -------------------------------------------------------------------------------


@bp.get("/<int:event_id>/sessions")
@bp.response(200, SessionSchema(many=True))
@loads("event", service.visible_event)
def list_sessions(event: Event):
    """The agenda in time order."""
    return event.sessions


@bp.post("/<int:event_id>/sessions")
@login_required
@bp.arguments(SessionCreateSchema)
@bp.response(201, SessionSchema)
@loads("event", service.visible_event)
def add_session(data: dict[str, Any], event: Event):
    """Add a session (organisers); its discussion thread is started with it."""
    return service.add_session(db.session, actor=_viewer(), event=event, data=data)


@bp.get("/<int:event_id>/sessions/<int:session_id>")
@bp.response(200, SessionSchema)
@loads("event", service.visible_event)
@loads("agenda_item", service.session_in_event, arg="session_id", within="event")
def read_session(event: Event, agenda_item: EventSession):
    """One session."""
    return agenda_item


@bp.patch("/<int:event_id>/sessions/<int:session_id>")
@login_required
@bp.arguments(SessionUpdateSchema)
@bp.response(200, SessionSchema)
@loads("event", service.visible_event)
@loads("agenda_item", service.session_in_event, arg="session_id", within="event")
def update_session(data: dict[str, Any], event: Event, agenda_item: EventSession):
    """Edit a session (organisers)."""
    return service.edit_session(
        db.session, actor=_viewer(), event=event, agenda_item=agenda_item, changes=data
    )


@bp.delete("/<int:event_id>/sessions/<int:session_id>")
@login_required
@bp.response(204)
@loads("event", service.visible_event)
@loads("agenda_item", service.session_in_event, arg="session_id", within="event")
def delete_session(event: Event, agenda_item: EventSession):
    """Remove a session (organisers); its discussion stays."""
    service.delete_session(db.session, actor=_viewer(), event=event, agenda_item=agenda_item)


# --- the personal calendar feed ------------------------------------------------------------------


def _feed_url(token: str) -> dict[str, str]:
    return {"url": f"{current_app.config['BASE_URL']}/events/calendar/{token}.ics"}


@bp.get("/calendar-feed")
@login_required
@bp.response(200, CalendarFeedSchema)
def read_calendar_feed():
    """My personal feed's secret URL (made the first time)."""
    return _feed_url(service.calendar_feed(db.session, actor=_viewer()).token)


@bp.delete("/calendar-feed")
@login_required
@bp.response(204)
def revoke_calendar_feed():
    """Revoke my feed's URL: it answers 404 from now on."""
    service.revoke_calendar_feed(db.session, actor=_viewer())


# --- the cover picture ------------------------------------------------------------------------


@bp.put("/<int:event_id>/cover")
@login_required
@bp.arguments(CoverUploadSchema, location="files")
@bp.response(204)
@loads("event", service.visible_event)
def upload_cover(files: dict[str, Any], event: Event):
    """Give the event a cover picture (organisers; PNG, JPEG, GIF or WebP, at most 2 MB),
    sent as multipart form data in the field ``cover``."""
    service.set_cover(db.session, actor=_viewer(), event=event, upload=files["cover"].read())
