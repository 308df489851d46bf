"""Matching's pages: "People to meet" (overall and per event), "Not for me", "Why you two
should talk" on a profile, the organisers' matching dashboard (and its CSV) and the
mentoring rounds. Thin: read the input, call the services, answer.

Every page works without JavaScript: "Not for me" is a form in a disclosure; a round's
choices are plain selects.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.routing import BuildError

from hallway.accounts.models import User
from hallway.core import unit_of_work
from hallway.core.errors import DomainError
from hallway.core.i18n import current_locale_name, zone_named
from hallway.core.loading import loads
from hallway.core.urls import safe_next_path
from hallway.core.validation import load_or_refuse, translated_messages
from hallway.db import db
from hallway.events import service as events_service
from hallway.events.models import Event, Rsvp, RsvpStatus
from hallway.matching import dashboard as dashboard_service
from hallway.matching import jobs, rounds
from hallway.matching.forms import (
    ConfirmForm,
    DismissForm,
    RoundForm,
    dismiss_values,
    pair_choices,
    round_people,
    round_values,
)
from hallway.matching.round_models import MentoringRound
from hallway.matching.schemas import DismissInputSchema, RoundFormSchema
from hallway.members import service as members_service
from hallway.members import views as members_views
from hallway.members.models import MemberProfile
from hallway.members.privacy import ProfileView, is_suggestable, view_profile
from hallway.members.vocabulary import translated_stages
from hallway.moderation.service import blocked_between

bp = Blueprint("matching", __name__)

#: How many people the page suggests.
PAGE_LIMIT = 10


def _viewer() -> Any:
    return current_user._get_current_object()


def _matching() -> Any:
    from hallway.matching import service

    return service


def _translated(error: DomainError) -> DomainError:
    error.message = gettext(error.message) if error.message else error.message
    error.field_errors = translated_messages(error.field_errors)
    return error


def _refuse(error: DomainError) -> None:
    """A refusal with no form to show it in: roll back and flash it."""
    unit_of_work.rollback(db.session)
    flash(_translated(error).message, "error")


# --- Showing suggestions -----------------------------------------------------------------


@dataclass(frozen=True)
class ShownSuggestion:
    """A suggestion with what the page and the API show of the person."""

    user: User
    view: ProfileView
    score: float
    factors: dict[str, float]
    reasons: list[str]

    @property
    def profile(self) -> MemberProfile:
        return self.view.profile


def request_url(user_id: int, event_id: int | None = None) -> str:
    """The meetings' request form, prefilled with the person (and the event); the
    request is recorded as coming from a suggestion."""
    args: dict[str, Any] = {"to": user_id}
    if event_id is not None:
        args["event"] = event_id
    args["source"] = "suggestion"
    try:
        return url_for("meetings.request_form", **args)
    except BuildError:
        query = "&".join(f"{key}={value}" for key, value in args.items())
        return f"/meetings/request?{query}"


def shown_suggestions(session: Session, viewer: Any, found: list[Any]) -> list[ShownSuggestion]:
    """The suggestions' people, in one query, as this viewer may see them (a profile
    that turned private since the index was built is left out)."""
    ids = [item.user_id for item in found]
    if not ids:
        return []
    profiles = {
        profile.user_id: profile
        for profile in session.scalars(
            select(MemberProfile)
            .where(MemberProfile.user_id.in_(ids))
            .options(selectinload(MemberProfile.avatar))
        )
    }
    members_viewer = members_service.viewer_for(session, viewer)
    shown = []
    for item in found:
        profile = profiles.get(item.user_id)
        if profile is None:
            continue
        view = view_profile(members_viewer, profile)
        if not view.visible or not is_suggestable(profile):
            continue
        shown.append(
            ShownSuggestion(
                user=profile.user,
                view=view,
                score=float(item.score),
                factors=dict(item.factors),
                reasons=list(item.reasons),
            )
        )
    return shown


def opted_in(session: Session, viewer: Any) -> bool:
    """Whether the member opted in to matching (the reader's: read with their account)."""
    own = members_service.own_profile_facts(session, viewer.id)
    return own is not None and bool(own.matchable)


def viewer_profile_is_private(session: Session, viewer: Any) -> bool:
    profile = session.get(MemberProfile, viewer.id)
    return profile is not None and profile.visibility == "private"


def consent_url() -> str:
    return url_for("members.edit_profile") + "#edit-privacy"


def _going_events(session: Session, viewer: Any) -> list[Event]:
    return list(events_service.my_events(session, actor=viewer).going)


def _people_page(event: Event | None):
    session = db.session
    viewer = _viewer()
    is_opted_in = opted_in(session, viewer)
    shown: list[ShownSuggestion] = []
    if is_opted_in:
        found = _matching().suggestions(
            session, viewer, event_id=event.id if event else None, limit=PAGE_LIMIT
        )
        shown = shown_suggestions(session, viewer, found)
    is_going = False
    if event is not None:
        rsvp = events_service.rsvp_of(session, event, viewer)
        is_going = rsvp is not None and rsvp.status is RsvpStatus.going
    return render_template(
        "matching/people.html",
        event=event,
        is_going=is_going,
        opted_in=is_opted_in,
        is_private=viewer_profile_is_private(session, viewer),
        suggestions=shown,
        going_events=_going_events(session, viewer),
        consent_url=consent_url(),
        dismiss_form=DismissForm(),
        stages=translated_stages(),
        request_url=request_url,
        next_path=request.full_path.rstrip("?"),
    )


@bp.get("/people-to-meet")
@login_required
def people():
    """People to meet: the viewer's best matches, each with why."""
    return _people_page(None)


@bp.get("/events/<int:event_id>/people-to-meet")
@login_required
@loads("event", events_service.visible_event)
def event_people(event: Event):
    """People to meet among those going to one event."""
    return _people_page(event)


@bp.post("/people-to-meet/<int:user_id>/dismiss")
@login_required
def dismiss(user_id: int):
    """ "Not for me": the person is no longer suggested; the next list adjusts."""
    form = DismissForm()
    target = safe_next_path(form.next.data, url_for("matching.people"))
    if not form.validate_on_submit():
        flash(gettext("Please try again: the form had expired."), "error")
        return redirect(target)
    try:
        values = load_or_refuse(DismissInputSchema(), dismiss_values(form, user_id))
        _matching().dismiss(
            db.session,
            actor=_viewer(),
            other_id=values["user_id"],
            reason=values["reason"],
            note=values["note"],
        )
    except DomainError as error:
        _refuse(error)
    else:
        other = db.session.get(User, user_id)
        flash(
            gettext(
                "%(name)s will not be suggested to you again.",
                name=other.display_name if other else "",
            ),
            "success",
        )
    return redirect(target)


# --- Why you two should talk (on a profile) ----------------------------------------------


@bp.app_template_global("why_you_two_should_talk")
def why_you_two_should_talk(other_id: int) -> list[str]:
    """The reasons the logged-in member and ``other_id`` should talk, from the reader's
    side (each of the two sees their own wording). Nothing unless both opted in to
    matching, neither blocked the other, and it is not the reader's own profile."""
    viewer = _viewer()
    if not getattr(viewer, "is_authenticated", False) or viewer.id == other_id:
        return []
    session = db.session
    other = session.get(MemberProfile, other_id)
    if other is None or not is_suggestable(other) or not opted_in(session, viewer):
        return []
    if blocked_between(session, viewer.id, other_id):
        return []
    return list(_matching().pair_reasons(session, viewer, other_id))


def why_talk_card(view: ProfileView, index_version: int) -> str:
    """The card under a profile for the logged-in reader, or nothing: the rules of
    ``why_you_two_should_talk`` (consent, privacy, blocks) are checked on every view;
    the reasons are kept per pair, language and matching index version (read with the
    profile), and their HTML per language and reasons."""
    viewer = _viewer()
    other = view.profile
    if not getattr(viewer, "is_authenticated", False) or viewer.id == other.user_id:
        return ""
    session = db.session
    if (
        not is_suggestable(other)
        or not opted_in(session, viewer)
        or blocked_between(session, viewer.id, other.user_id)
    ):
        return ""
    reasons = _matching().pair_reasons(session, viewer, other.user_id, index_version=index_version)
    return _why_talk_html(current_locale_name(), tuple(reasons)) if reasons else ""


@functools.lru_cache(maxsize=1024)
def _why_talk_html(locale: str, reasons: tuple[str, ...]) -> str:
    # The request's language is ``locale`` (the cache key): the card's title is in it.
    return render_template("matching/_why_talk.html", reasons=reasons)


members_views.add_profile_card("matching", jobs.INDEX_VERSION, why_talk_card)


# --- The organisers' dashboard ---------------------------------------------------------


@bp.get("/events/<int:event_id>/matching")
@login_required
@loads("event", events_service.managed_event)
def dashboard(event: Event):
    """How matching goes at this event, and its mentoring rounds."""
    board = dashboard_service.event_dashboard(db.session, actor=_viewer(), event=event)
    return render_template(
        "matching/dashboard.html",
        event=event,
        board=board,
        rounds=rounds.rounds_of(db.session, actor=_viewer(), event=event),
        stages=translated_stages(),
        overload_threshold=dashboard_service.OVERLOAD_THRESHOLD,
    )


@bp.get("/events/<int:event_id>/matching.csv")
@login_required
@loads("event", events_service.managed_event)
def dashboard_csv(event: Event):
    board = dashboard_service.event_dashboard(db.session, actor=_viewer(), event=event)
    response = current_app.response_class(
        "\ufeff" + dashboard_service.dashboard_csv(board), mimetype="text/csv"
    )
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="event-{event.id}-matching.csv"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- Mentoring rounds --------------------------------------------------------------------


def _going_people(event: Event) -> list[tuple[User, MemberProfile | None]]:
    return [
        (user, profile)
        for user, profile in db.session.execute(
            select(User, MemberProfile)
            .join(Rsvp, Rsvp.user_id == User.id)
            .outerjoin(MemberProfile, MemberProfile.user_id == User.id)
            .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.going)
            .order_by(User.display_name, User.id)
        ).all()
    ]


def _local_to_utc(moment: datetime, zone: str) -> datetime:
    return moment.replace(tzinfo=zone_named(zone))


def _default_role(profile: MemberProfile | None) -> str:
    """A first guess the organiser can change: novices as mentees, those who offer
    mentoring as mentors."""
    if profile is None:
        return ""
    if profile.career_stage == "novice":
        return "mentee"
    if "mentoring" in profile.offering or "career_chat" in profile.offering:
        return "mentor"
    return ""


@bp.route("/events/<int:event_id>/matching/rounds/new", methods=["GET", "POST"])
@login_required
@loads("event", events_service.managed_event)
def new_round(event: Event):
    """Pick mentees and mentors among people going; the best assignment is computed."""
    form = RoundForm()
    people = _going_people(event)
    field_errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "GET":
        form.starts_at.data = event.starts_at.astimezone(zone_named(event.time_zone)).strftime(
            "%Y-%m-%dT%H:%M"
        )
    if form.validate_on_submit():
        try:
            values = load_or_refuse(RoundFormSchema(), round_values(form))
            mentees, mentors = round_people(request.form, [user.id for user, _ in people])
            created = rounds.create_round(
                db.session,
                actor=_viewer(),
                event=event,
                data=rounds.RoundInput(
                    title=values["title"],
                    starts_at=_local_to_utc(values["starts_at"], event.time_zone),
                    duration_minutes=values["duration_minutes"],
                    place=values["place"],
                    message=values["message"],
                    mentee_ids=mentees,
                    mentor_capacities=mentors,
                ),
            )
        except DomainError as error:
            unit_of_work.rollback(db.session)
            error = _translated(error)
            field_errors = error.field_errors
            for name in ("title", "starts_at", "duration_minutes", "place", "message"):
                if name in field_errors:
                    form[name].errors = list(field_errors[name])
            flash(error.message, "error")
            status = error.status_code
        else:
            flash(gettext("Here is the best assignment. Review it, then publish."), "success")
            return redirect(url_for("matching.round_page", event_id=event.id, round_id=created.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "matching/round_new.html",
        event=event,
        form=form,
        people=people,
        chosen=request.form if request.method == "POST" else None,
        default_role=_default_role,
        field_errors=field_errors,
        stages=translated_stages(),
    ), status


@dataclass(frozen=True)
class ShownPair:
    mentee: User
    mentor: User | None
    score: float | None
    reasons: list[str]
    proposed_at: datetime | None
    published: bool


def _round_view(mentoring_round: MentoringRound) -> dict[str, Any]:
    session = db.session
    people = {person.user_id: person for person in mentoring_round.people}
    users = {
        user.id: user for user in session.scalars(select(User).where(User.id.in_(list(people))))
    }
    pairs_by_mentee = {pair.mentee_id: pair for pair in mentoring_round.pairs}
    shown = []
    matching = _matching()
    for mentee_id in rounds.mentee_ids_of(mentoring_round):
        pair = pairs_by_mentee.get(mentee_id)
        mentee = users[mentee_id]
        if pair is None:
            shown.append(ShownPair(mentee, None, None, [], None, False))
            continue
        shown.append(
            ShownPair(
                mentee=mentee,
                mentor=users.get(pair.mentor_id),
                score=pair.score,
                reasons=list(matching.pair_reasons(session, mentee, pair.mentor_id)),
                proposed_at=rounds.proposed_time(mentoring_round, pair),
                published=pair.is_published,
            )
        )
    capacities = rounds.mentor_capacities_of(mentoring_round)
    load: dict[int, int] = {}
    for pair in mentoring_round.pairs:
        load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
    mentors = [
        (users[user_id], capacity, load.get(user_id, 0))
        for user_id, capacity in capacities.items()
        if user_id in users
    ]
    mentors.sort(key=lambda item: item[0].display_name.casefold())
    return {
        "pairs": shown,
        "mentors": mentors,
        "unpublished": sum(1 for pair in mentoring_round.pairs if not pair.is_published),
        "total_score": sum(pair.score for pair in mentoring_round.pairs),
    }


@bp.route("/events/<int:event_id>/matching/rounds/<int:round_id>", methods=["GET", "POST"])
@login_required
@loads("event", events_service.managed_event)
@loads("mentoring_round", rounds.round_in_event, arg="round_id", within="event")
def round_page(event: Event, mentoring_round: MentoringRound):
    """Review the pairs (each with its reasons), change them, then publish."""
    form = ConfirmForm()
    field_errors: dict[str, list[str]] = {}
    status = 200
    if form.validate_on_submit():
        try:
            choices = pair_choices(request.form, rounds.mentee_ids_of(mentoring_round))
            rounds.edit_pairs(
                db.session, actor=_viewer(), mentoring_round=mentoring_round, choices=choices
            )
        except DomainError as error:
            unit_of_work.rollback(db.session)
            error = _translated(error)
            field_errors = error.field_errors
            flash(error.message, "error")
            status = error.status_code
            db.session.refresh(mentoring_round)
        else:
            flash(gettext("Your changes are saved."), "success")
            return redirect(
                url_for("matching.round_page", event_id=event.id, round_id=mentoring_round.id)
            )
    elif form.is_submitted():
        status = 422
    return render_template(
        "matching/round.html",
        event=event,
        mentoring_round=mentoring_round,
        form=form,
        field_errors=field_errors,
        chosen=request.form if status != 200 else None,
        zone=event.time_zone,
        **_round_view(mentoring_round),
    ), status


def _round_url(event: Event, mentoring_round: MentoringRound) -> str:
    return url_for("matching.round_page", event_id=event.id, round_id=mentoring_round.id)


@bp.post("/events/<int:event_id>/matching/rounds/<int:round_id>/recompute")
@login_required
@loads("event", events_service.managed_event)
@loads("mentoring_round", rounds.round_in_event, arg="round_id", within="event")
def recompute_round(event: Event, mentoring_round: MentoringRound):
    """Start again from the best assignment (pairs already sent stay)."""
    if ConfirmForm().validate_on_submit():
        try:
            rounds.assign(db.session, actor=_viewer(), mentoring_round=mentoring_round)
        except DomainError as error:
            _refuse(error)
        else:
            flash(gettext("The best assignment is computed again."), "success")
    return redirect(_round_url(event, mentoring_round))


@bp.post("/events/<int:event_id>/matching/rounds/<int:round_id>/publish")
@login_required
@loads("event", events_service.managed_event)
@loads("mentoring_round", rounds.round_in_event, arg="round_id", within="event")
def publish_round(event: Event, mentoring_round: MentoringRound):
    """Send each pair not yet sent as a meeting request (all or none)."""
    if ConfirmForm().validate_on_submit():
        try:
            sent = rounds.publish_round(
                db.session, actor=_viewer(), mentoring_round=mentoring_round
            )
        except DomainError as error:
            _refuse(error)
        else:
            if sent:
                flash(
                    ngettext(
                        "%(num)s meeting request is sent.",
                        "%(num)s meeting requests are sent.",
                        sent,
                    ),
                    "success",
                )
            else:
                flash(gettext("Every pair's request was already sent."), "success")
    return redirect(_round_url(event, mentoring_round))


@bp.post("/events/<int:event_id>/matching/rounds/<int:round_id>/delete")
@login_required
@loads("event", events_service.managed_event)
@loads("mentoring_round", rounds.round_in_event, arg="round_id", within="event")
def delete_round(event: Event, mentoring_round: MentoringRound):
    if ConfirmForm().validate_on_submit():
        try:
            rounds.delete_round(db.session, actor=_viewer(), mentoring_round=mentoring_round)
        except DomainError as error:
            _refuse(error)
            return redirect(_round_url(event, mentoring_round))
        flash(gettext("The draft round is deleted."), "success")
    return redirect(url_for("matching.dashboard", event_id=event.id))
