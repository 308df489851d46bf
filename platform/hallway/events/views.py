"""Events' pages and file downloads (calendar files, the attendee CSV, the cover).

Each route loads the event through the same visibility rules as the API
(``service.visible_event``, ``event_by_link``, ``managed_event``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from babel import dates as babel_dates
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hallway.accounts import service as accounts_service
from hallway.core import unit_of_work
from hallway.core.errors import DomainError, InvalidInput, NotAllowed, NotFound
from hallway.core.forms import FlaskForm, csrf_token, show_field_errors
from hallway.core.fragment_cache import cached_html, current_versions
from hallway.core.fragment_cache import fragments as fragment_store
from hallway.core.i18n import (
    current_locale_name,
    format_date,
    time_tag,
    viewer_time_zone_name,
    zone_named,
)
from hallway.core.loading import loads
from hallway.core.markdown import render_markdown
from hallway.core.shell import kept_page
from hallway.core.validation import load_or_refuse, translated_messages
from hallway.db import db, utcnow
from hallway.events import calendar, service
from hallway.events.forms import (
    FORMAT_LABELS,
    AnnouncementForm,
    ConfirmForm,
    CoOrganiserForm,
    EventForm,
    HiddenForm,
    ImportForm,
    RsvpForm,
    SessionForm,
    event_values,
    session_values,
    speaker_lines,
)
from hallway.events.models import (
    CalendarFeed,
    Event,
    EventCover,
    EventFormat,
    EventNetwork,
    EventSession,
    RsvpStatus,
    SessionSpeaker,
)
from hallway.events.schemas import (
    AnnouncementInputSchema,
    AttendeeArgsSchema,
    EventCreateSchema,
    EventListArgsSchema,
    EventUpdateSchema,
    ImportInputSchema,
    SessionCreateSchema,
    SessionUpdateSchema,
)
from hallway.members.service import DIRECTORY
from hallway.members.vocabulary import TIME_ZONES, country_names, translated_stages

bp = Blueprint("events", __name__)


@bp.app_template_global("event_local")
def event_local(moment: datetime, zone: str, pattern: str) -> str:
    """A time in the event's zone with a CLDR pattern ("MMM", "d", "HH:mm")."""
    return babel_dates.format_datetime(
        moment, pattern, tzinfo=zone_named(zone), locale=current_locale_name()
    )


@bp.app_template_filter("event_markdown")
def event_markdown(text: str) -> Markup:
    """An event's, session's or announcement's restricted Markdown, as safe HTML."""
    return render_markdown(text)


def _viewer() -> Any:
    return current_user._get_current_object()


def _calendar_response(body: bytes, filename: str) -> Response:
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = calendar.CONTENT_TYPE
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _event_ics(event: Event) -> Response:
    body = calendar.event_ics(
        event,
        base_url=current_app.config["BASE_URL"],
        show_online_url=service.may_see_online_link(db.session, _viewer(), event),
    )
    return _calendar_response(body, f"event-{event.id}.ics")


@bp.get("/events/<int:event_id>/calendar.ics")
@loads("event", service.visible_event, ask_login=True)
def event_calendar(event: Event):
    """The event as an .ics file (add to calendar)."""
    return _event_ics(event)


@bp.get("/events/link/<token>/calendar.ics")
@loads("event", service.event_by_link, arg="token", ask_login=True)
def shared_event_calendar(event: Event):
    """An unlisted event's .ics, by its link."""
    return _event_ics(event)


@bp.get("/events/calendar/<token>.ics")
def personal_feed(token: str):
    """A member's feed of their events and sessions, at a secret URL (no login: calendar
    apps fetch it on their own). A revoked or unknown URL answers 404."""
    user = service.feed_owner(db.session, token)
    base_url = current_app.config["BASE_URL"]
    body = calendar.feed_ics(
        service.feed_events(db.session, user),
        base_url=base_url,
        name=f"Hallway: {user.display_name}",
        extra=calendar.other_feed_entries(db.session, user, base_url=base_url),
    )
    response = _calendar_response(body, "hallway.ics")
    response.headers["Content-Disposition"] = 'inline; filename="hallway.ics"'
    return response


@bp.get("/events/<int:event_id>/attendees.csv")
@login_required
@loads("event", service.managed_event)
def attendees_csv(event: Event):
    """Everyone going, then the waitlist in order (organisers)."""
    text = service.export_attendees_csv(db.session, actor=_viewer(), event=event)
    response = current_app.response_class(
        "\ufeff" + text, mimetype="text/csv"
    )  # the BOM makes spreadsheets read UTF-8
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="event-{event.id}-attendees.csv"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/events/<int:event_id>/cover")
@loads("event", service.visible_event)
def cover(event: Event):
    """The event's cover picture."""
    picture = db.session.get(EventCover, event.id)
    if picture is None:
        raise NotFound("This event has no cover picture.")
    response = current_app.response_class(picture.data, mimetype=picture.mime_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(f"{event.id}-{picture.updated_at.timestamp()}")
    return response.make_conditional(request)


# --- Pages -----------------------------------------------------------------------------
# Thin: read the input, call the service, answer. Forms are loaded with the API's input
# schemas (``forms.*_values`` + ``load_or_refuse``); a refusal (schema or service) is
# rolled back and shown next to its fields, with the status it carries.


@dataclass
class Outcome:
    done: bool
    result: Any = None
    status: int = 200


def _translated(error: DomainError) -> DomainError:
    """The service's and the schema's messages in the reader's language."""
    error.message = gettext(error.message) if error.message else error.message
    error.field_errors = translated_messages(error.field_errors)
    return error


def _submit(form: FlaskForm, action: Callable[[], Any]) -> Outcome:
    if not form.validate_on_submit():
        return Outcome(False, status=422 if form.is_submitted() else 200)
    try:
        result = action()
    except DomainError as error:
        unit_of_work.rollback(db.session)
        show_field_errors(form, _translated(error))
        return Outcome(False, status=error.status_code)
    return Outcome(True, result)


def _refuse(error: DomainError) -> None:
    """A button's refusal (no form to show it in): roll back and flash it."""
    unit_of_work.rollback(db.session)
    flash(_translated(error).message, "error")


def _event_url(event: Event) -> str:
    return url_for("events.event_page", event_id=event.id)


def _local_input(moment: datetime | None, zone: str) -> str:
    """A stored UTC time as the event's local time, for a datetime-local input."""
    if moment is None:
        return ""
    return moment.astimezone(zone_named(zone)).strftime("%Y-%m-%dT%H:%M")


#: The list's query-string filters: EventListArgsSchema's, shared with the API.
LIST_FILTERS = ("network", "place", "city", "region", "country", "format", "from", "to")


def _list_filters_given() -> dict[str, str]:
    """The list's filters in the query string, trimmed; empty ones and other parameters
    are left out (they change nothing the list shows)."""
    return {
        key: value.strip()
        for key, value in request.args.items()
        if key in ("when", *LIST_FILTERS) and value.strip()
    }


def _list_args() -> tuple[dict[str, Any], dict[str, str], dict[str, list[str]]]:
    """The list's filters: loaded values, the raw ones (for the form and the links),
    and any field errors (a bad filter shows next to its field, the list unfiltered by it)."""
    raw = _list_filters_given()
    query: dict[str, Any] = {**raw, "page": request.args.get("page", "1")}
    try:
        return load_or_refuse(EventListArgsSchema(), query), raw, {}
    except InvalidInput as error:
        errors = translated_messages(error.field_errors)
        for key in list(query):
            if key in errors or key == "page":
                query.pop(key)
        return load_or_refuse(EventListArgsSchema(), query), raw, errors


def _network_choices() -> list[str]:
    return list(
        db.session.scalars(
            select(EventNetwork.network).distinct().order_by(EventNetwork.network).limit(200)
        )
    )


def _country_choices() -> list[tuple[str, str]]:
    """The countries events are in, with their names in the reader's language."""
    names = country_names(current_locale_name())
    codes = db.session.scalars(
        select(Event.country).where(Event.country.is_not(None)).distinct().limit(300)
    )
    return sorted(((code, names.get(code, code)) for code in codes if code), key=lambda c: c[1])


@bp.get("/events")
def index():
    """Upcoming or past events, filtered by network, place, format and dates.

    The content is kept per filters and page, reader kind (visitor, member, organiser),
    language and zone while the events' version (``service.EVENTS``) holds and until
    the next event ends (it then moves from upcoming to past). Other query parameters
    (a campaign tag, a crawler's noise) share the plain list's copy."""
    viewer = _viewer()
    key = (
        "events-list",
        tuple(sorted(_list_filters_given().items())),
        request.args.get("page", "1"),
        bool(viewer.is_authenticated),
        bool(getattr(viewer, "is_organiser", False)),
        current_locale_name(),
        viewer_time_zone_name(),
    )
    versions = current_versions(db.session, [service.EVENTS])
    stored = fragment_store.get(key, versions)
    if stored is not None:
        header, _, html = stored.partition("\n")
        until, code, when = header.split(" ")
        if until == "-" or utcnow() <= datetime.fromisoformat(until):
            return _events_index(html, when), int(code)
    now = utcnow()
    html, status, when = _events_listing(viewer)
    next_end = service.next_event_end(db.session, now)
    until = next_end.isoformat() if next_end else "-"
    fragment_store.put(key, versions, f"{until} {status} {when}\n{html}")
    return _events_index(html, when), status


def _events_index(listing: str, when: str) -> Markup:
    title = gettext("Past events") if when == "past" else gettext("Events")
    return kept_page("events/index.html", title=title, content=Markup(listing))


def _events_listing(viewer: Any) -> tuple[str, int, str]:
    """The events page's content (HTML), its status and which list it is."""
    args, raw, errors = _list_args()
    page = service.list_events(
        db.session,
        viewer=viewer,
        filters=service.EventFilters.from_args(args),
        page=args["page"],
        per_page=20,
    )
    filters = {key: value for key, value in raw.items() if key != "when"}
    html = render_template(
        "events/_list.html",
        page=page,
        when=args["when"],
        filters=filters,
        filter_errors=errors,
        networks=_network_choices(),
        countries=_country_choices(),
        format_labels=FORMAT_LABELS,
        viewer_zone=viewer_time_zone_name(),
    )
    return html, 422 if errors else 200, args["when"]


def _agenda_html(event: Event) -> Markup:
    """The agenda section's HTML, kept per event version and language.

    Every change to the event or its sessions raises ``event.sequence`` (its calendar
    SEQUENCE); speakers' names and handles follow the members' ``directory`` version.
    Times are in the event's own zone, so the reader's zone does not matter.
    """
    key = ("event-agenda", event.id, event.sequence, event.time_zone, current_locale_name())
    return cached_html(
        db.session,
        key,
        depends_on=["directory"],
        render=lambda: render_template("events/_agenda.html", event=event, agenda=_agenda(event)),
    )


def _agenda(event: Event) -> list[tuple[str, list[tuple[str, list[EventSession]]]]]:
    """Sessions by day (in the event's zone) and, within a day, by track."""
    items = db.session.scalars(
        select(EventSession)
        .where(EventSession.event_id == event.id)
        .order_by(EventSession.starts_at, EventSession.id)
        .options(selectinload(EventSession.speakers).selectinload(SessionSpeaker.user))
    )
    zone = zone_named(event.time_zone)
    days: dict[str, dict[str, list[EventSession]]] = {}
    for item in items:
        day = format_date(item.starts_at, tz=zone, locale=current_locale_name(), format="full")
        days.setdefault(day, {}).setdefault(item.track, []).append(item)
    return [(day, list(tracks.items())) for day, tracks in days.items()]


def google_calendar_link(event: Event) -> str:
    """Google Calendar's "add event" address, with the event's times in UTC."""
    stamp = "%Y%m%dT%H%M%SZ"
    starts, ends = event.starts_at.astimezone(UTC), event.ends_at.astimezone(UTC)
    base = current_app.config["BASE_URL"].rstrip("/")
    where = event.venue if event.format is not EventFormat.online else ""
    place = ", ".join(part for part in (where, event.address, event.city) if part)
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{starts:{stamp}}/{ends:{stamp}}",
        "details": f"{event.summary}\n\n{base}{_event_url(event)}",
        "location": place,
        "ctz": event.time_zone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


#: Where one reader's parts go in shared HTML: ``<!--token:name:argument-->``, with a
#: token drawn per process, so nothing a member writes can pose as a slot.
_SLOT_TOKEN = secrets.token_hex(8)
_SLOT = re.compile(rf"<!--{_SLOT_TOKEN}:(\w+):([^>]*)-->")


def _slot(name: str, argument: str = "") -> Markup:
    return Markup(f"<!--{_SLOT_TOKEN}:{name}:{argument}-->")


def _attendees_html(
    event: Event, viewer: Any, standing: service.Standing, audience: str, versions: tuple[int, ...]
) -> str:
    """Who is going: the names and counts the reader's audience shares, kept per event
    version, audience (``service.attendee_audience``) and language. A reader going under
    a name their audience does not see (hidden, private profile) gets a list of their
    own, with their name in it."""
    session = db.session
    rsvp = standing.rsvp
    if (
        rsvp is not None
        and rsvp.status is RsvpStatus.going
        and not service.is_listed(session, viewer, rsvp, audience)
    ):
        return _render_attendees(service.attendee_summary(session, viewer=viewer, event=event))
    key = ("event-attendees", event.id, audience, current_locale_name())
    html = fragment_store.get(key, versions)
    if html is None:
        shared = service.attendee_summary(session, viewer=viewer, event=event, audience=audience)
        html = _render_attendees(shared)
        fragment_store.put(key, versions, html)
    return html


def _render_attendees(going: service.AttendeeSummary) -> str:
    return render_template(
        "events/_attendees.html",
        attendees=going.shown,
        attendees_more=going.more_count,
        attendees_unnamed=going.unnamed_count,
        attendees_total=going.total,
        stages=translated_stages(),
    )


def _event_body(event: Event, *, by_link: bool, is_past: bool, audience: str, rsvp: Any) -> str:
    """The page's body for every reader with this answer and audience (``_event_page``)."""
    session = db.session
    status = rsvp.status.value if rsvp else None
    is_manager = audience == "organisers"
    return render_template(
        "events/_event_body.html",
        slot=_slot,
        event=event,
        by_link=by_link,
        rsvp_status=status,
        has_rsvp=rsvp is not None,
        is_manager=is_manager,
        show_online_url=bool(event.online_url) and (is_manager or status == "going"),
        agenda_html=_agenda_html(event),
        announcements=service.list_announcements(session, event),
        has_cover=session.get(EventCover, event.id) is not None,
        google_link=google_calendar_link(event),
        is_past=is_past,
        hidden_form=HiddenForm(hidden_from_list=rsvp.hidden_from_list if rsvp else False),
        format_labels=FORMAT_LABELS,
        viewer_zone=viewer_time_zone_name(),
    )


def _event_page(event: Event, standing: service.Standing, *, by_link: bool):
    """The event page: its body is shared by the readers with the same answer, audience,
    language and zone, and kept per event version (``service.event_version``; the
    agenda's speakers and the organisers' names follow the directory's version). This
    reader's parts fill its slots: a few statements whatever the crowd or the agenda."""
    session = db.session
    viewer = _viewer()
    rsvp = standing.rsvp
    audience = service.attendee_audience(session, viewer, event, manages=standing.manages)
    is_past = event.ends_at <= utcnow()
    versions = standing.page_versions or current_versions(
        session, [service.event_version(event.id), DIRECTORY]
    )
    key = (
        "event-page",
        event.id,
        event.sequence,
        by_link,
        is_past,
        audience,
        rsvp.status.value if rsvp else None,
        bool(rsvp and rsvp.hidden_from_list),
        current_locale_name(),
        viewer_time_zone_name(),
    )
    body = fragment_store.get(key, versions)
    if body is None:
        body = _event_body(event, by_link=by_link, is_past=is_past, audience=audience, rsvp=rsvp)
        fragment_store.put(key, versions, body)

    parts = list(_slots_of(body))
    for index in range(1, len(parts), 3):
        name, argument = parts[index], parts[index + 1]
        if name == "csrf":
            parts[index] = csrf_token()
        elif name == "time":
            parts[index] = time_tag(datetime.fromisoformat(argument))
        elif name == "attendees":
            parts[index] = _attendees_html(event, viewer, standing, audience, versions)
        elif name == "position":
            parts[index] = str(service.waitlist_position(session, rsvp))
        else:  # "login"
            parts[index] = url_for("accounts.login", next=request.path)
        parts[index + 1] = ""
    return kept_page("events/event.html", title=event.title, content=Markup("".join(parts)))


@lru_cache(maxsize=64)
def _slots_of(body: str) -> tuple[str, ...]:
    """Shared HTML cut at its slots: text, then (name, argument, text) per slot. Kept per
    stored body (the same string object, whose hash Python keeps)."""
    return tuple(_SLOT.split(body))


@bp.get("/events/<int:event_id>")
@loads("found", service.visible_event_and_standing, arg="event_id", ask_login=True)
def event_page(found: tuple[Event, service.Standing]):
    """The event and the reader's standing come in one statement."""
    event, standing = found
    return _event_page(event, standing, by_link=False)


@bp.get("/events/link/<token>")
@loads("event", service.event_by_link, arg="token", ask_login=True)
def shared_event_page(event: Event):
    """An unlisted event, opened by its link."""
    return _event_page(event, service.standing(db.session, _viewer(), event), by_link=True)


def _answer(event: Event):
    form = RsvpForm()
    if form.validate_on_submit():
        status = form.status.data or ""
        if status not in ("going", "interested", "not_going"):
            flash(gettext("Choose going, interested or not going."), "error")
        else:
            try:
                rsvp = service.set_rsvp(db.session, actor=_viewer(), event=event, status=status)
            except DomainError as error:
                _refuse(error)
            else:
                flash(
                    _rsvp_message(rsvp.status, service.waitlist_position(db.session, rsvp)),
                    "success",
                )
    return redirect(_event_url(event))


def _rsvp_message(status: RsvpStatus, position: int | None) -> str:
    if status is RsvpStatus.going:
        return gettext("You are going. See you there!")
    if status is RsvpStatus.waitlisted:
        return gettext(
            "The event is full: you are on the waitlist, number %(position)s.", position=position
        )
    if status is RsvpStatus.interested:
        return gettext("Noted: you are interested.")
    return gettext("Noted: you are not going.")


@bp.post("/events/<int:event_id>/rsvp")
@login_required
@loads("event", service.visible_event)
def answer(event: Event):
    return _answer(event)


@bp.post("/events/link/<token>/rsvp")
@login_required
@loads("event", service.event_by_link, arg="token")
def answer_by_link(event: Event):
    return _answer(event)


@bp.post("/events/<int:event_id>/waitlist/leave")
@login_required
@loads("event", service.visible_event)
def leave_waitlist(event: Event):
    if ConfirmForm().validate_on_submit():
        try:
            service.leave_waitlist(db.session, actor=_viewer(), event=event)
        except DomainError as error:
            _refuse(error)
        else:
            flash(gettext("You left the waitlist."), "success")
    return redirect(_event_url(event))


@bp.post("/events/<int:event_id>/hidden")
@login_required
@loads("event", service.visible_event)
def hide_me(event: Event):
    form = HiddenForm()
    if form.validate_on_submit():
        hidden = bool(form.hidden_from_list.data)
        try:
            service.set_hidden_from_list(db.session, actor=_viewer(), event=event, hidden=hidden)
        except DomainError as error:
            _refuse(error)
        else:
            flash(
                gettext("Your name is hidden from the attendee list.")
                if hidden
                else gettext("Your name shows on the attendee list."),
                "success",
            )
    return redirect(_event_url(event) + "#attendees")


# --- Organisers ----------------------------------------------------------------------


def _require_organiser() -> None:
    if not getattr(_viewer(), "is_organiser", False):
        raise NotAllowed(gettext("Only organisers can create events."))


def _save_cover(form: EventForm, event: Event) -> None:
    upload = form.cover.data
    if upload and getattr(upload, "filename", ""):
        service.set_cover(db.session, actor=_viewer(), event=event, upload=upload.read())


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new_event():
    _require_organiser()
    form = EventForm()
    if request.method == "GET":
        form.time_zone.data = viewer_time_zone_name() or ""

    def create() -> Event:
        values = load_or_refuse(EventCreateSchema(), event_values(form))
        event = service.create_event(db.session, actor=_viewer(), data=values)
        _save_cover(form, event)
        return event

    outcome = _submit(form, create)
    if outcome.done:
        flash(gettext("Your event is created. Add its sessions next."), "success")
        return redirect(url_for("events.manage_sessions", event_id=outcome.result.id))
    return render_template(
        "events/event_form.html", form=form, event=None, time_zones=TIME_ZONES
    ), outcome.status


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
@loads("event", service.managed_event)
def edit_event(event: Event):
    form = EventForm()
    if request.method == "GET":
        form.process(
            data={
                "title": event.title,
                "summary": event.summary,
                "description": event.description,
                "starts_at": _local_input(event.starts_at, event.time_zone),
                "ends_at": _local_input(event.ends_at, event.time_zone),
                "time_zone": event.time_zone,
                "format": event.format.value,
                "venue": event.venue,
                "address": event.address,
                "city": event.city,
                "country": event.country or "",
                "region": event.region or "",
                "online_url": event.online_url,
                "capacity": "" if event.capacity is None else str(event.capacity),
                "networks": ", ".join(event.network_names),
                "visibility": event.visibility.value,
                "registration_open": event.registration_open,
            }
        )

    def save() -> Event:
        values = load_or_refuse(EventUpdateSchema(), event_values(form))
        service.edit_event(db.session, actor=_viewer(), event=event, changes=values)
        _save_cover(form, event)
        return event

    outcome = _submit(form, save)
    if outcome.done:
        flash(gettext("Your changes are saved."), "success")
        return redirect(_event_url(event))
    return render_template(
        "events/event_form.html", form=form, event=event, time_zones=TIME_ZONES
    ), outcome.status


def _speakers_from(lines: list[str]) -> list[dict[str, Any]]:
    speakers: list[dict[str, Any]] = []
    for line in lines:
        if line.startswith("@"):
            user = accounts_service.find_user_by_handle(db.session, line[1:])
            if user is None:
                message = gettext("No member has the username %(handle)s.", handle=line)
                raise InvalidInput(message, {"speakers": [message]})
            speakers.append({"user_id": user.id})
        else:
            speakers.append({"name": line})
    return speakers


def _session_form_data(item: EventSession, event: Event) -> dict[str, Any]:
    return {
        "title": item.title,
        "description": item.description,
        "starts_at": _local_input(item.starts_at, event.time_zone),
        "ends_at": _local_input(item.ends_at, event.time_zone),
        "location": item.location,
        "track": item.track,
        "speakers": "\n".join(
            f"@{speaker.user.handle}" if speaker.user else speaker.name for speaker in item.speakers
        ),
    }


@bp.route("/events/<int:event_id>/sessions", methods=["GET", "POST"])
@login_required
@loads("event", service.managed_event)
def manage_sessions(event: Event):
    """The agenda: the sessions so far and a form to add one."""
    form = SessionForm()

    def add() -> EventSession:
        values = session_values(form)
        values["speakers"] = _speakers_from(speaker_lines(form))
        loaded = load_or_refuse(SessionCreateSchema(), values)
        return service.add_session(db.session, actor=_viewer(), event=event, data=loaded)

    outcome = _submit(form, add)
    if outcome.done:
        flash(gettext("The session is added, with its own discussion."), "success")
        return redirect(url_for("events.manage_sessions", event_id=event.id))
    return render_template(
        "events/sessions.html",
        form=form,
        event=event,
        agenda_html=_agenda_html(event),
        delete_form=ConfirmForm(),
    ), outcome.status


@bp.route("/events/<int:event_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
@loads("event", service.managed_event)
@loads("agenda_item", service.session_in_event, arg="session_id", within="event")
def edit_session(event: Event, agenda_item: EventSession):
    form = SessionForm(
        data=_session_form_data(agenda_item, event) if request.method == "GET" else None
    )

    def save() -> EventSession:
        values = session_values(form)
        values["speakers"] = _speakers_from(speaker_lines(form))
        loaded = load_or_refuse(SessionUpdateSchema(), values)
        return service.edit_session(
            db.session, actor=_viewer(), event=event, agenda_item=agenda_item, changes=loaded
        )

    outcome = _submit(form, save)
    if outcome.done:
        flash(gettext("Your changes are saved."), "success")
        return redirect(url_for("events.manage_sessions", event_id=event.id))
    return render_template(
        "events/session_form.html", form=form, event=event, agenda_item=agenda_item
    ), outcome.status


@bp.post("/events/<int:event_id>/sessions/<int:session_id>/delete")
@login_required
@loads("event", service.managed_event)
@loads("agenda_item", service.session_in_event, arg="session_id", within="event")
def delete_session(event: Event, agenda_item: EventSession):
    if ConfirmForm().validate_on_submit():
        try:
            service.delete_session(
                db.session, actor=_viewer(), event=event, agenda_item=agenda_item
            )
        except DomainError as error:
            _refuse(error)
        else:
            flash(gettext("The session is removed; its discussion stays."), "success")
    return redirect(url_for("events.manage_sessions", event_id=event.id))


@bp.route("/events/<int:event_id>/organisers", methods=["GET", "POST"])
@login_required
@loads("event", service.managed_event)
def organisers(event: Event):
    """Co-organisers: everyone organising sees them; only the owner changes them."""
    form = CoOrganiserForm()
    is_owner = service.is_owner(_viewer(), event)

    def add() -> Any:
        if not is_owner:
            raise NotAllowed(gettext("Only the event's owner can do that."))
        user = accounts_service.find_user_by_handle(db.session, form.handle.data.lstrip("@"))
        if user is None:
            message = gettext("No member has this username.")
            raise InvalidInput(message, {"handle": [message]})
        return service.add_co_organiser(db.session, actor=_viewer(), event=event, user_id=user.id)

    outcome = _submit(form, add)
    if outcome.done:
        flash(
            gettext("%(name)s now co-organises this event.", name=outcome.result.display_name),
            "success",
        )
        return redirect(url_for("events.organisers", event_id=event.id))
    return render_template(
        "events/organisers.html",
        form=form,
        event=event,
        is_owner=is_owner,
        remove_form=ConfirmForm(),
    ), outcome.status


@bp.post("/events/<int:event_id>/organisers/<int:user_id>/remove")
@login_required
@loads("event", service.managed_event)
def remove_organiser(event: Event, user_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            service.remove_co_organiser(db.session, actor=_viewer(), event=event, user_id=user_id)
        except DomainError as error:
            _refuse(error)
        else:
            flash(gettext("The co-organiser is removed."), "success")
    return redirect(url_for("events.organisers", event_id=event.id))


@bp.route("/events/<int:event_id>/announce", methods=["GET", "POST"])
@login_required
@loads("event", service.managed_event)
def announce(event: Event):
    form = AnnouncementForm()

    def post() -> Any:
        values = load_or_refuse(
            AnnouncementInputSchema(),
            {"title": (form.title.data or "").strip(), "body": form.body.data or ""},
        )
        return service.post_announcement(db.session, actor=_viewer(), event=event, **values)

    outcome = _submit(form, post)
    if outcome.done:
        flash(gettext("Your announcement is sent to everyone going."), "success")
        return redirect(_event_url(event) + "#announcements")
    return render_template("events/announce.html", form=form, event=event), outcome.status


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
@login_required
@loads("event", service.managed_event)
def cancel(event: Event):
    form = ConfirmForm()
    outcome = _submit(form, lambda: service.cancel_event(db.session, actor=_viewer(), event=event))
    if outcome.done:
        flash(gettext("The event is cancelled; everyone going has been told."), "success")
        return redirect(_event_url(event))
    return render_template("events/cancel.html", form=form, event=event), outcome.status


@bp.route("/events/<int:event_id>/attendees", methods=["GET", "POST"])
@login_required
@loads("event", service.managed_event)
def manage_attendees(event: Event):
    """Attendees for the organisers: search, filters, the CSV export and import."""
    raw = {key: value.strip() for key, value in request.args.items() if value.strip()}
    try:
        args = load_or_refuse(
            AttendeeArgsSchema(),
            {key: raw[key] for key in ("status", "search", "stage") if key in raw},
        )
    except InvalidInput:
        args = {"status": "going"}
    form = ImportForm()
    report = None
    status = 200
    if form.validate_on_submit():
        upload = form.csv_file.data
        text = ""
        if upload and getattr(upload, "filename", ""):
            text = upload.read().decode("utf-8-sig", errors="replace")
        try:
            loaded = load_or_refuse(
                ImportInputSchema(), {"csv": text, "dry_run": bool(form.dry_run.data)}
            )
            report = service.import_attendees(
                db.session,
                actor=_viewer(),
                event=event,
                text=loaded["csv"],
                dry_run=loaded["dry_run"],
            )
        except DomainError as error:
            unit_of_work.rollback(db.session)
            error = _translated(error)
            form.csv_file.errors = [
                *error.field_errors.get("csv", []),
                *([] if error.field_errors.get("csv") else [error.message]),
            ]
            status = error.status_code
        else:
            if report.errors:
                unit_of_work.rollback(db.session)
                status = 422
    elif form.is_submitted():
        status = 422
    found = service.attendees(
        db.session,
        viewer=_viewer(),
        event=event,
        status=RsvpStatus(args["status"]),
        search=args.get("search"),
        stage=args.get("stage"),
    )
    return render_template(
        "events/attendees.html",
        event=event,
        attendees=found.named,
        args=args,
        raw=raw,
        form=form,
        report=report,
        stages=translated_stages(),
    ), status


# --- Mine ------------------------------------------------------------------------------


@bp.get("/events/mine")
@login_required
def mine():
    """What I am going to, waiting for, interested in and organising."""
    return render_template(
        "events/mine.html",
        mine=service.my_events(db.session, actor=_viewer()),
        format_labels=FORMAT_LABELS,
        viewer_zone=viewer_time_zone_name(),
    )


def _current_feed() -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.user_id == _viewer().id, CalendarFeed.revoked_at.is_(None)
        )
    )


@bp.route("/events/calendar", methods=["GET", "POST"])
@login_required
def calendar_page():
    """The personal calendar feed: its secret address, made on request, revocable."""
    form = ConfirmForm()
    if form.validate_on_submit():
        action = request.form.get("action", "make")
        if action in ("revoke", "regenerate"):
            service.revoke_calendar_feed(db.session, actor=_viewer())
        if action in ("make", "regenerate"):
            service.calendar_feed(db.session, actor=_viewer())
        flash(
            {
                "revoke": gettext("The old address no longer works."),
                "regenerate": gettext("Here is your new address; the old one no longer works."),
            }.get(action, gettext("Here is your calendar address.")),
            "success",
        )
        return redirect(url_for("events.calendar_page"))
    feed = _current_feed()
    feed_url = (
        current_app.config["BASE_URL"].rstrip("/")
        + url_for("events.personal_feed", token=feed.token)
        if feed
        else None
    )
    return render_template("events/calendar.html", form=form, feed_url=feed_url)
