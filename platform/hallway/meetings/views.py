"""Meeting pages: the request form, the inbox and outbox, a request's page with its
actions, the .ics, office hours and My agenda. Thin: forms read the input, the service
applies the rules, the request commits once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallway.accounts.models import User
from hallway.core import unit_of_work
from hallway.core.errors import DomainError, InvalidInput
from hallway.core.forms import FlaskForm, id_or_none, show_field_errors
from hallway.core.i18n import viewer_time_zone_name, viewer_zone
from hallway.core.loading import loads
from hallway.core.validation import translated_messages
from hallway.db import db, utcnow
from hallway.events import service as events_service
from hallway.events.models import Event
from hallway.meetings import calendar, service
from hallway.meetings.forms import (
    AcceptForm,
    ConfirmForm,
    CounterForm,
    FeedbackForm,
    MeetingRequestForm,
    NoteForm,
    SlotForm,
    as_local_input,
    local_time,
)
from hallway.meetings.limits import explain_breach, limit_requests
from hallway.meetings.models import (
    BookingStatus,
    MeetingRequest,
    MeetingStatus,
    OfficeHourBooking,
    OfficeHourSlot,
)
from hallway.members import service as members_service
from hallway.members import views as members_views
from hallway.members.models import MemberProfile
from hallway.members.privacy import ProfileView

bp = Blueprint("meetings", __name__)
bp.register_error_handler(429, explain_breach)


def _viewer() -> Any:
    return current_user._get_current_object()


# --- On a member's profile ----------------------------------------------------------------


def _profile_situation(session: Session, view: ProfileView) -> tuple[bool, bool]:
    """(may the reader ask the member for a meeting, does the member hold upcoming
    office hours): what the profile's buttons depend on, decided on every view."""
    member_id = view.profile.user_id
    return (
        service.may_request(session, _viewer(), member_id),
        service.has_open_slots(session, member_id),
    )


def _profile_buttons(view: ProfileView, situation: tuple[bool, bool]) -> str:
    can_ask, hosts = situation
    if not (can_ask or hosts):
        return ""
    return render_template(
        "meetings/_profile_actions.html", member=view.profile.user, can_ask=can_ask, hosts=hosts
    )


members_views.add_profile_buttons("meetings", _profile_situation, _profile_buttons)


# --- Helpers ------------------------------------------------------------------------------


@dataclass
class Outcome:
    done: bool
    result: Any = None
    status: int = 200


def _translated(error: DomainError) -> DomainError:
    error.message = gettext(error.message) if error.message else error.message
    error.field_errors = translated_messages(error.field_errors)
    return error


#: Service field names shown next to another field of the page's form.
FIELD_ON_PAGE = {"proposed_times": "time_1"}


def _submit(form: FlaskForm, action: Callable[[], Any]) -> Outcome:
    if not form.validate_on_submit():
        return Outcome(False, status=422 if form.is_submitted() else 200)
    try:
        result = action()
    except DomainError as error:
        unit_of_work.rollback(db.session)
        error.field_errors = {
            FIELD_ON_PAGE.get(name, name): messages for name, messages in error.field_errors.items()
        }
        show_field_errors(form, _translated(error))
        return Outcome(False, status=error.status_code)
    return Outcome(True, result)


def _act(form: FlaskForm, action: Callable[[], Any], success: str) -> bool:
    """A button: do it, or roll back and flash why not."""
    if not form.validate_on_submit():
        flash(gettext("Please try again."), "error")
        return False
    try:
        action()
    except DomainError as error:
        unit_of_work.rollback(db.session)
        flash(_translated(error).message, "error")
        return False
    flash(success, "success")
    return True


def _zone_of(user_id: int) -> str | None:
    profile = db.session.get(MemberProfile, user_id)
    return profile.time_zone if profile is not None else None


def _request_url(meeting: MeetingRequest) -> str:
    return url_for("meetings.request_detail", request_id=meeting.id)


def _event_choices(viewer: Any) -> list[Event]:
    """Upcoming events the member is going to or organises (for slots)."""
    mine = events_service.my_events(db.session, actor=viewer)
    seen: dict[int, Event] = {}
    for event in [*mine.going, *mine.organising]:
        seen.setdefault(event.id, event)
    return list(seen.values())


# --- Requesting ----------------------------------------------------------------------------


@bp.route("/meetings/request", methods=["GET", "POST"])
@login_required
@limit_requests()
def request_form():
    """Ask a member for a meeting: ``?to=<user_id>&event=<event_id>`` prefills it."""
    form = MeetingRequestForm()
    raw_to = form.to.data if form.is_submitted() else request.args.get("to", "")
    raw_event = form.event.data if form.is_submitted() else request.args.get("event", "")
    recipient_id, event_id = id_or_none(raw_to), id_or_none(raw_event)
    if recipient_id is None:
        title = gettext("Choose who to meet from their profile first.")
        return render_template("error.html", title=title, status=404), 404
    refusal_error = service.request_refusal(db.session, _viewer(), recipient_id)
    if refusal_error is not None:
        error = _translated(refusal_error)
        return render_template(
            "error.html", title=gettext("You cannot request this meeting"), message=error.message
        ), error.status_code
    recipient = db.session.get(User, recipient_id)
    event = db.session.get(Event, event_id) if event_id else None
    if event is not None and not events_service.may_view(db.session, _viewer(), event):
        event = None
    if request.method == "GET":
        form.to.data = str(recipient_id)
        form.event.data = str(event.id) if event else ""
    zone = viewer_zone()

    def send() -> MeetingRequest:
        return service.request_meeting(
            db.session,
            actor=_viewer(),
            recipient_id=recipient_id,
            proposed_times=form.times_in(zone),
            duration_minutes=int(form.duration_minutes.data or 30),
            message=form.message.data or "",
            place=form.place.data or "",
            video_url=form.video_url.data or "",
            event_id=event.id if event else None,
            source=request.args.get("source", "profile"),
        )

    outcome = _submit(form, send)
    if outcome.done:
        flash(gettext("Your request is sent. You will hear when they answer."), "success")
        return redirect(_request_url(outcome.result))
    return render_template(
        "meetings/request_form.html",
        form=form,
        recipient=recipient,
        recipient_zone=_zone_of(recipient_id),
        viewer_zone=viewer_time_zone_name(),
        event=event,
        networking=service.networking_sessions(event) if event else [],
    ), outcome.status


# --- Inbox, outbox, a request ------------------------------------------------------------------


@bp.get("/meetings")
@login_required
def inbox():
    box = "sent" if request.args.get("box") == "sent" else "received"
    requests = service.list_requests(db.session, actor=_viewer(), box=box)
    return render_template("meetings/inbox.html", box=box, requests=requests)


def _detail_page(meeting: MeetingRequest, *, status: int = 200, **forms: Any):
    viewer = _viewer()
    accept_form = forms.get("accept_form") or AcceptForm()
    accept_form.offer(meeting.open_times)
    other_id = meeting.other_id(viewer.id)
    return render_template(
        "meetings/request.html",
        meeting=meeting,
        is_sender=viewer.id == meeting.sender_id,
        answering=meeting.answering_id == viewer.id,
        other=db.session.get(User, other_id),
        other_zone=_zone_of(other_id),
        viewer_zone=viewer_time_zone_name(),
        contact=service.contact_details(db.session, viewer, meeting),
        feedback=service.feedback_of(db.session, meeting, viewer.id),
        accept_form=accept_form,
        decline_form=forms.get("decline_form") or NoteForm(prefix="decline"),
        counter_form=forms.get("counter_form") or CounterForm(prefix="counter"),
        cancel_form=forms.get("cancel_form") or NoteForm(prefix="cancel"),
        feedback_form=forms.get("feedback_form") or FeedbackForm(prefix="feedback"),
        confirm_form=ConfirmForm(),
        now=utcnow(),
    ), status


@bp.get("/meetings/<int:request_id>")
@login_required
@loads("meeting", service.visible_request, arg="request_id", ask_login=True)
def request_detail(meeting: MeetingRequest):
    return _detail_page(meeting)


@bp.post("/meetings/<int:request_id>/accept")
@login_required
@loads("meeting", service.visible_request, arg="request_id")
def accept(meeting: MeetingRequest):
    form = AcceptForm()
    form.offer(meeting.open_times)
    time_id = id_or_none(form.time_id.data)
    _act(
        form,
        lambda: service.accept_request(
            db.session, actor=_viewer(), request=meeting, time_id=time_id or 0
        ),
        gettext("Accepted: the meeting is in both your agendas."),
    )
    return redirect(_request_url(meeting))


@bp.post("/meetings/<int:request_id>/decline")
@login_required
@loads("meeting", service.visible_request, arg="request_id")
def decline(meeting: MeetingRequest):
    form = NoteForm(prefix="decline")
    _act(
        form,
        lambda: service.decline_request(
            db.session, actor=_viewer(), request=meeting, note=form.note.data or ""
        ),
        gettext("You declined this request."),
    )
    return redirect(_request_url(meeting))


@bp.post("/meetings/<int:request_id>/counter")
@login_required
@loads("meeting", service.visible_request, arg="request_id")
def counter(meeting: MeetingRequest):
    form = CounterForm(prefix="counter")

    def propose() -> MeetingRequest:
        starts_at = local_time(form.starts_at.data, viewer_zone(), "starts_at")
        if starts_at is None:
            message = gettext("Give a date and a time.")
            raise InvalidInput(message, {"starts_at": [message]})
        return service.counter_request(
            db.session,
            actor=_viewer(),
            request=meeting,
            starts_at=starts_at,
            note=form.note.data or "",
        )

    outcome = _submit(form, propose)
    if outcome.done:
        flash(gettext("You proposed another time."), "success")
        return redirect(_request_url(meeting))
    return _detail_page(meeting, status=outcome.status or 422, counter_form=form)


@bp.post("/meetings/<int:request_id>/withdraw")
@login_required
@loads("meeting", service.visible_request, arg="request_id")
def withdraw(meeting: MeetingRequest):
    _act(
        ConfirmForm(),
        lambda: service.withdraw_request(db.session, actor=_viewer(), request=meeting),
        gettext("You withdrew your request."),
    )
    return redirect(_request_url(meeting))


@bp.post("/meetings/<int:request_id>/cancel")
@login_required
@loads("meeting", service.visible_request, arg="request_id")
def cancel(meeting: MeetingRequest):
    form = NoteForm(prefix="cancel")
    _act(
        form,
        lambda: service.cancel_meeting(
            db.session, actor=_viewer(), request=meeting, note=form.note.data or ""
        ),
        gettext("The meeting is cancelled."),
    )
    return redirect(_request_url(meeting))


@bp.post("/meetings/<int:request_id>/feedback")
@login_required
@loads("meeting", service.visible_request, arg="request_id")
def feedback(meeting: MeetingRequest):
    form = FeedbackForm(prefix="feedback")
    if form.is_submitted() and form.useful.data not in ("yes", "no"):
        flash(gettext("Choose yes or no."), "error")
        return redirect(_request_url(meeting))
    _act(
        form,
        lambda: service.leave_feedback(
            db.session,
            actor=_viewer(),
            request=meeting,
            useful=form.useful.data == "yes",
            note=form.note.data or "",
        ),
        gettext("Thank you: your answer helps us suggest better people to meet."),
    )
    return redirect(_request_url(meeting))


@bp.route("/meetings/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
@loads("meeting", service.visible_request, arg="request_id")
def edit(meeting: MeetingRequest):
    """The sender changes a request still waiting for an answer."""
    form = MeetingRequestForm()
    zone = viewer_zone()
    if request.method == "GET":
        times = [time.starts_at for time in meeting.proposed_times]
        form.process(
            data={
                "to": str(meeting.recipient_id),
                "event": str(meeting.event_id or ""),
                "message": meeting.message,
                "duration_minutes": str(meeting.duration_minutes),
                "place": meeting.place,
                "video_url": meeting.video_url,
                **{
                    f"time_{number}": as_local_input(moment, zone)
                    for number, moment in enumerate(times[:3], start=1)
                },
            }
        )

    def save() -> MeetingRequest:
        return service.edit_request(
            db.session,
            actor=_viewer(),
            request=meeting,
            changes={
                "proposed_times": form.times_in(zone),
                "duration_minutes": int(form.duration_minutes.data or 30),
                "message": form.message.data or "",
                "place": form.place.data or "",
                "video_url": form.video_url.data or "",
            },
        )

    outcome = _submit(form, save)
    if outcome.done:
        flash(gettext("Your request is updated."), "success")
        return redirect(_request_url(meeting))
    return render_template(
        "meetings/request_form.html",
        form=form,
        meeting=meeting,
        recipient=meeting.recipient,
        recipient_zone=_zone_of(meeting.recipient_id),
        viewer_zone=viewer_time_zone_name(),
        event=meeting.event,
        networking=service.networking_sessions(meeting.event) if meeting.event else [],
    ), outcome.status


@bp.get("/meetings/<int:request_id>.ics")
@login_required
@loads("meeting", service.visible_request, arg="request_id")
def request_ics(meeting: MeetingRequest):
    """An accepted (or cancelled) meeting as a calendar file."""
    if meeting.starts_at is None or meeting.status not in (
        MeetingStatus.accepted,
        MeetingStatus.cancelled,
    ):
        return render_template(
            "error.html", title=gettext("This meeting is not accepted yet."), status=404
        ), 404
    body = calendar.meeting_ics(meeting, base_url=current_app.config["BASE_URL"])
    response: Response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = calendar.CONTENT_TYPE
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{meeting.id}.ics"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# --- Agenda --------------------------------------------------------------------------------------


@bp.get("/agenda")
@login_required
def agenda():
    """My agenda: meetings, office hours, events and sessions, in the member's zone."""
    mine = service.agenda(db.session, actor=_viewer())
    return render_template("meetings/agenda.html", agenda=mine, viewer_zone=viewer_time_zone_name())


# --- Office hours -----------------------------------------------------------------------------


@bp.route("/office-hours", methods=["GET", "POST"])
@login_required
def office_hours():
    """The member's own office hours: publish a slot, see bookings, report no-shows."""
    viewer = _viewer()
    may_host = service.may_host_office_hours(db.session, viewer)
    form = SlotForm()
    events = _event_choices(viewer)
    form.add_events(events)
    outcome = Outcome(False)
    if may_host:

        def publish() -> OfficeHourSlot:
            starts_at = local_time(form.starts_at.data, viewer_zone(), "starts_at")
            if starts_at is None:
                message = gettext("Give a date and a time.")
                raise InvalidInput(message, {"starts_at": [message]})
            return service.publish_slot(
                db.session,
                actor=viewer,
                starts_at=starts_at,
                duration_minutes=int(form.duration_minutes.data or 30),
                capacity=form.capacity_value(),
                place=form.place.data or "",
                video_url=form.video_url.data or "",
                note=form.note.data or "",
                event_id=id_or_none(form.event_id.data),
            )

        outcome = _submit(form, publish)
        if outcome.done:
            flash(gettext("Your office hours are published."), "success")
            return redirect(url_for("meetings.office_hours"))
    return render_template(
        "meetings/office_hours.html",
        form=form,
        may_host=may_host,
        slots=service.my_slots(db.session, actor=viewer),
        bookings=service.my_bookings(db.session, actor=viewer),
        confirm_form=ConfirmForm(),
        now=utcnow(),
    ), outcome.status


@bp.get("/office-hours/<handle>")
def host_office_hours(handle: str):
    """One host's upcoming office hours, to book."""
    view = members_service.visible_profile(db.session, _viewer(), handle)
    host = view.profile.user
    slots = service.open_slots(db.session, host)
    viewer = _viewer()
    booked = set()
    if viewer.is_authenticated and slots:
        booked = set(
            db.session.scalars(
                select(OfficeHourBooking.slot_id).where(
                    OfficeHourBooking.member_id == viewer.id,
                    OfficeHourBooking.slot_id.in_([slot.id for slot in slots]),
                    OfficeHourBooking.status == BookingStatus.booked,
                )
            )
        )
    return render_template(
        "meetings/host_office_hours.html",
        host=host,
        host_zone=view.profile.time_zone,
        slots=slots,
        booked=booked,
        confirm_form=ConfirmForm(),
        viewer_zone=viewer_time_zone_name(),
    )


@bp.post("/office-hours/slots/<int:slot_id>/book")
@login_required
@loads("slot", service.visible_slot)
def book(slot: OfficeHourSlot):
    _act(
        ConfirmForm(),
        lambda: service.book_slot(db.session, actor=_viewer(), slot=slot),
        gettext("You booked this chat. It is in your agenda."),
    )
    return redirect(url_for("meetings.host_office_hours", handle=slot.host.handle))


@bp.post("/office-hours/slots/<int:slot_id>/cancel")
@login_required
@loads("slot", service.visible_slot)
def cancel_slot(slot: OfficeHourSlot):
    _act(
        ConfirmForm(),
        lambda: service.cancel_slot(db.session, actor=_viewer(), slot=slot),
        gettext("These office hours are cancelled; the people booked are told."),
    )
    return redirect(url_for("meetings.office_hours"))


@bp.post("/office-hours/bookings/<int:booking_id>/cancel")
@login_required
@loads("booking", service.visible_booking)
def cancel_booking(booking: OfficeHourBooking):
    _act(
        ConfirmForm(),
        lambda: service.cancel_booking(db.session, actor=_viewer(), booking=booking),
        gettext("Your booking is cancelled and the place is free again."),
    )
    return redirect(url_for("meetings.office_hours"))


@bp.post("/office-hours/bookings/<int:booking_id>/no-show")
@login_required
@loads("booking", service.visible_booking)
def no_show(booking: OfficeHourBooking):
    _act(
        ConfirmForm(),
        lambda: service.report_no_show(db.session, actor=_viewer(), booking=booking),
        gettext("Noted: they did not come."),
    )
    return redirect(url_for("meetings.office_hours"))
