"""Meetings: meeting requests, mentoring office hours and My agenda."""

from flask import Flask
from flask_babel import lazy_gettext
from icalendar import Event as CalendarEvent
from sqlalchemy.orm import Session

from hallway.accounts.models import User


def init_app(app: Flask) -> None:
    """Pages, JSON API, notification kinds."""
    from hallway.api import register_api_blueprint
    from hallway.demo import register_seeder
    from hallway.events import calendar as events_calendar
    from hallway.meetings import api, demo, service, views
    from hallway.notifications.kinds import register_kind

    app.register_blueprint(views.bp)
    register_api_blueprint(api.bp)
    # Personal notices: emailed as the "email me when someone mentions me" switch says.
    labels = {
        service.KIND_REQUESTED: lazy_gettext("Meeting request"),
        service.KIND_EDITED: lazy_gettext("Meeting request changed"),
        service.KIND_ACCEPTED: lazy_gettext("Meeting accepted"),
        service.KIND_DECLINED: lazy_gettext("Meeting declined"),
        service.KIND_COUNTERED: lazy_gettext("Another time proposed"),
        service.KIND_WITHDRAWN: lazy_gettext("Meeting request withdrawn"),
        service.KIND_CANCELLED: lazy_gettext("Meeting cancelled"),
        service.KIND_BOOKED: lazy_gettext("Office hours booked"),
        service.KIND_BOOKING_CANCELLED: lazy_gettext("Office hours cancelled"),
        service.KIND_NO_SHOW: lazy_gettext("Missed office hours"),
    }
    for kind, label in labels.items():
        register_kind(
            kind,
            label=label,
            email_preference="email_on_mention",
            email_reason=lazy_gettext(
                "You get this email because a member wrote to you about a meeting."
            ),
        )
    register_seeder("meetings", demo.seed_meetings, order=demo.ORDER)
    events_calendar.register_feed_part(_feed_meetings)


def _feed_meetings(session: Session, user: User, base_url: str) -> list[CalendarEvent]:
    """Accepted (and cancelled) meetings in the member's personal calendar feed."""
    from hallway.meetings import calendar, service

    return calendar.feed_components(service.feed_meetings(session, user), base_url=base_url)
