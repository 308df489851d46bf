"""HTML forms for the meeting pages. WTForms brings rendering, CSRF and per-field
errors; the rules are the service's, so a page and the API refuse alike.

Times are typed in ``datetime-local`` inputs, in the member's own time zone
(``local_time``); the service gets them in UTC.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from flask_babel import gettext, lazy_gettext
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from hallway.core.errors import InvalidInput
from hallway.core.forms import FlaskForm
from hallway.meetings.schemas import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH

LOCAL_TIME_FORMAT = "%Y-%m-%dT%H:%M"
TIME_FIELDS = ("time_1", "time_2", "time_3")


def duration_choices() -> list[SelectChoice]:
    return [
        SelectChoice("15", gettext("15 minutes")),
        SelectChoice("20", gettext("20 minutes")),
        SelectChoice("30", gettext("30 minutes")),
        SelectChoice("45", gettext("45 minutes")),
        SelectChoice("60", gettext("1 hour")),
        SelectChoice("90", gettext("1 hour 30 minutes")),
    ]


def _time_field(label: Any) -> StringField:
    return StringField(
        label,
        description=lazy_gettext("In your time zone."),
        render_kw={"type": "datetime-local"},
    )


def local_time(text: str | None, zone: tzinfo, field_name: str) -> datetime | None:
    """A ``datetime-local`` value read in ``zone``; None when empty; InvalidInput when bad."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.strptime(text[:16], LOCAL_TIME_FORMAT)
    except ValueError:
        message = gettext("Give a date and a time.")
        raise InvalidInput(message, {field_name: [message]}) from None
    return moment.replace(tzinfo=zone)


def as_local_input(moment: datetime | None, zone: tzinfo) -> str:
    if moment is None:
        return ""
    return moment.astimezone(zone).strftime(LOCAL_TIME_FORMAT)


class MeetingRequestForm(FlaskForm):
    to = HiddenField()
    event = HiddenField()
    message = TextAreaField(
        lazy_gettext("Message"),
        description=lazy_gettext("Say who you are and what you would like to talk about."),
        render_kw={"rows": 5, "maxlength": MESSAGE_MAX_LENGTH},
    )
    time_1 = _time_field(lazy_gettext("First proposed time"))
    time_2 = _time_field(lazy_gettext("Second proposed time (optional)"))
    time_3 = _time_field(lazy_gettext("Third proposed time (optional)"))
    duration_minutes = SelectField(lazy_gettext("Length"), default="30")
    place = StringField(
        lazy_gettext("Place"),
        description=lazy_gettext("A table, a meetup room, a café… (optional)"),
        render_kw={"maxlength": 200},
    )
    video_url = StringField(
        lazy_gettext("Video link"),
        description=lazy_gettext("For an online chat (optional), starting with https://."),
        render_kw={"maxlength": 500, "type": "url"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duration_minutes.choices = duration_choices()

    def times_in(self, zone: tzinfo) -> list[datetime]:
        times = []
        for name in TIME_FIELDS:
            moment = local_time(self[name].data, zone, name)
            if moment is not None:
                times.append(moment)
        if not times:
            message = gettext("Propose one to three different times.")
            raise InvalidInput(message, {"time_1": [message]})
        return times


class AcceptForm(FlaskForm):
    time_id = RadioField(lazy_gettext("Time"), choices=[], validate_choice=False)

    def offer(self, times: Any) -> None:
        self.time_id.choices = [SelectChoice(str(time.id), str(time.id)) for time in times]


class NoteForm(FlaskForm):
    note = TextAreaField(
        lazy_gettext("Note (optional)"),
        render_kw={"rows": 3, "maxlength": NOTE_MAX_LENGTH},
    )


class CounterForm(FlaskForm):
    starts_at = _time_field(lazy_gettext("Another time"))
    note = TextAreaField(
        lazy_gettext("Note (optional)"),
        render_kw={"rows": 3, "maxlength": NOTE_MAX_LENGTH},
    )


class FeedbackForm(FlaskForm):
    useful = RadioField(
        lazy_gettext("Was this meeting useful?"),
        choices=[SelectChoice("yes", lazy_gettext("Yes")), SelectChoice("no", lazy_gettext("No"))],
    )
    note = TextAreaField(
        lazy_gettext("Anything to add? (optional)"),
        render_kw={"rows": 3, "maxlength": NOTE_MAX_LENGTH},
    )


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token."""


class SlotForm(FlaskForm):
    starts_at = _time_field(lazy_gettext("Starts"))
    duration_minutes = SelectField(lazy_gettext("Length"), default="30")
    capacity = StringField(
        lazy_gettext("Places"),
        default="1",
        description=lazy_gettext("How many people may book it (1 to 20)."),
        render_kw={"type": "number", "min": 1, "max": 20, "inputmode": "numeric"},
    )
    event_id = SelectField(lazy_gettext("At an event (optional)"), default="")
    place = StringField(lazy_gettext("Place"), render_kw={"maxlength": 200})
    video_url = StringField(
        lazy_gettext("Video link"),
        description=lazy_gettext("For an online chat (optional), starting with https://."),
        render_kw={"maxlength": 500, "type": "url"},
    )
    note = StringField(
        lazy_gettext("Note"),
        description=lazy_gettext("What the chat is for, e.g. “CV review for career changers”."),
        render_kw={"maxlength": 300},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duration_minutes.choices = duration_choices()
        self.event_id.choices = [SelectChoice("", gettext("No event"))]

    def add_events(self, events: Any) -> None:
        self.event_id.choices = [
            *self.event_id.choices,
            *(SelectChoice(str(event.id), event.title) for event in events),
        ]

    def capacity_value(self) -> int:
        try:
            return int(str(self.capacity.data or "").strip())
        except ValueError:
            message = gettext("Choose from 1 to 20 places.")
            raise InvalidInput(message, {"capacity": [message]}) from None
