"""HTML forms for the event pages. WTForms brings rendering, CSRF and per-field errors,
not the rules: what a form holds is loaded by the JSON API's input schemas
(``events.schemas``) through ``*_values``, and the service decides the rest, so a page
and the API accept and refuse the same things with the same words.

The ``render_kw`` attributes only help the browser (the forms are ``novalidate``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from hallway.core.forms import FlaskForm
from hallway.events.models import EventFormat, EventVisibility
from hallway.events.schemas import (
    ANNOUNCEMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)

MARKDOWN_HELP = lazy_gettext("Markdown works: **bold**, _italic_, links and lists.")

FORMAT_LABELS = {
    EventFormat.in_person.value: lazy_gettext("In person"),
    EventFormat.online.value: lazy_gettext("Online"),
    EventFormat.hybrid.value: lazy_gettext("Hybrid"),
}
VISIBILITY_LABELS = {
    EventVisibility.public.value: lazy_gettext("Public: anyone can see it"),
    EventVisibility.members.value: lazy_gettext("Members: logged-in members only"),
    EventVisibility.unlisted.value: lazy_gettext("Unlisted: only people with the link"),
}
#: The local time inputs send "2026-12-01T09:30"; the service reads it in the event's zone.
LOCAL_TIME_FORMAT = "%Y-%m-%dT%H:%M"


def _text(form: FlaskForm, name: str) -> str:
    return (form[name].data or "").strip() if name in form else ""


def _local_time(field: Any) -> str:
    """The text of a datetime-local input: the schema gives the error when it is bad."""
    return str(field.data or "").strip()


def _event_time_field(label: Any) -> StringField:
    """A date and time typed in the event's own time zone (events and their sessions)."""
    return StringField(
        label,
        description=lazy_gettext("In the event's time zone."),
        render_kw={"required": True, "type": "datetime-local"},
    )


class EventForm(FlaskForm):
    """Loaded with EventCreateSchema (editing: EventUpdateSchema)."""

    title = StringField(
        lazy_gettext("Title"), render_kw={"required": True, "maxlength": TITLE_MAX_LENGTH}
    )
    summary = StringField(
        lazy_gettext("Summary"),
        description=lazy_gettext("One sentence shown on the event's card."),
        render_kw={"maxlength": SUMMARY_MAX_LENGTH},
    )
    description = TextAreaField(
        lazy_gettext("Description"),
        description=MARKDOWN_HELP,
        render_kw={"rows": 8, "maxlength": DESCRIPTION_MAX_LENGTH},
    )
    starts_at = _event_time_field(lazy_gettext("Starts"))
    ends_at = _event_time_field(lazy_gettext("Ends"))
    time_zone = StringField(
        lazy_gettext("Time zone"),
        description=lazy_gettext(
            "Where the event happens, e.g. America/Toronto or Australia/Sydney."
        ),
        render_kw={"required": True, "maxlength": 64, "list": "time-zones", "autocomplete": "off"},
    )
    format = SelectField(
        lazy_gettext("Format"),
        choices=[SelectChoice(value, label) for value, label in FORMAT_LABELS.items()],
        validate_choice=False,
    )
    venue = StringField(lazy_gettext("Venue"), render_kw={"maxlength": 200})
    address = StringField(lazy_gettext("Address"), render_kw={"maxlength": 300})
    city = StringField(
        lazy_gettext("City"),
        description=lazy_gettext("Needed for events in person or hybrid."),
        render_kw={"maxlength": 100},
    )
    country = StringField(
        lazy_gettext("Country"),
        description=lazy_gettext("Two-letter code, e.g. CA or AU."),
        render_kw={"maxlength": 2},
    )
    region = StringField(
        lazy_gettext("Province, state or region"),
        description=lazy_gettext("Its ISO code, e.g. CA-BC."),
        render_kw={"maxlength": 8},
    )
    online_url = StringField(
        lazy_gettext("Online link"),
        description=lazy_gettext("Shown only to people going. Starts with https://."),
        render_kw={"maxlength": 500, "inputmode": "url"},
    )
    capacity = StringField(
        lazy_gettext("Capacity"),
        description=lazy_gettext("Leave empty for no limit."),
        render_kw={"inputmode": "numeric"},
    )
    networks = StringField(
        lazy_gettext("Networks"),
        description=lazy_gettext("Separated by commas, e.g. WCET, ETUG."),
        render_kw={"maxlength": 400},
    )
    visibility = SelectField(
        lazy_gettext("Who can see it"),
        choices=[SelectChoice(value, label) for value, label in VISIBILITY_LABELS.items()],
        validate_choice=False,
    )
    registration_open = BooleanField(lazy_gettext("Registration is open"), default=True)
    cover = FileField(
        lazy_gettext("Cover picture"),
        description=lazy_gettext("JPEG, PNG or WebP. Optional."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )


def event_values(form: EventForm) -> dict[str, Any]:
    """The form's fields as EventCreateSchema loads them (as the API sends them)."""
    values: dict[str, Any] = {
        name: _text(form, name)
        for name in ("title", "summary", "venue", "address", "city", "online_url", "time_zone")
    }
    values["description"] = form.description.data or ""
    values["format"] = form.format.data or EventFormat.in_person.value
    values["visibility"] = form.visibility.data or EventVisibility.public.value
    values["country"] = _text(form, "country") or None
    values["region"] = _text(form, "region") or None
    values["registration_open"] = bool(form.registration_open.data)
    values["networks"] = [
        name.strip() for name in _text(form, "networks").split(",") if name.strip()
    ]
    for name in ("starts_at", "ends_at"):
        raw = _local_time(form[name])
        if raw:
            values[name] = raw
    capacity = _text(form, "capacity")
    if not capacity:
        values["capacity"] = None
    else:
        try:
            values["capacity"] = int(capacity)
        except ValueError:
            values["capacity"] = capacity  # the schema refuses it with its own message
    return values


class SessionForm(FlaskForm):
    """An agenda item, loaded with SessionCreateSchema."""

    title = StringField(
        lazy_gettext("Title"), render_kw={"required": True, "maxlength": TITLE_MAX_LENGTH}
    )
    description = TextAreaField(
        lazy_gettext("Description"), description=MARKDOWN_HELP, render_kw={"rows": 4}
    )
    starts_at = _event_time_field(lazy_gettext("Starts"))
    ends_at = _event_time_field(lazy_gettext("Ends"))
    location = StringField(lazy_gettext("Room or stream"), render_kw={"maxlength": 200})
    track = StringField(lazy_gettext("Track"), render_kw={"maxlength": 100})
    speakers = TextAreaField(
        lazy_gettext("Speakers"),
        description=lazy_gettext(
            "One per line: @username for a member, or a name for someone who is not one."
        ),
        render_kw={"rows": 3},
    )


def session_values(form: SessionForm) -> dict[str, Any]:
    """The session's fields; ``speakers`` stays as lines (the view looks up the members)."""
    values: dict[str, Any] = {
        "title": _text(form, "title"),
        "description": form.description.data or "",
        "location": _text(form, "location"),
        "track": _text(form, "track"),
    }
    for name in ("starts_at", "ends_at"):
        raw = _local_time(form[name])
        if raw:
            values[name] = raw
    return values


def speaker_lines(form: SessionForm) -> list[str]:
    return [line.strip() for line in (form.speakers.data or "").splitlines() if line.strip()]


class AnnouncementForm(FlaskForm):
    """Loaded with AnnouncementInputSchema."""

    title = StringField(
        lazy_gettext("Title"), render_kw={"required": True, "maxlength": TITLE_MAX_LENGTH}
    )
    body = TextAreaField(
        lazy_gettext("Message"),
        description=MARKDOWN_HELP,
        render_kw={"rows": 6, "maxlength": ANNOUNCEMENT_MAX_LENGTH},
    )


class CoOrganiserForm(FlaskForm):
    handle = StringField(
        lazy_gettext("Member's username"),
        description=lazy_gettext("Their @username, as on their profile."),
        render_kw={"required": True, "maxlength": 80, "autocomplete": "off"},
    )


class ImportForm(FlaskForm):
    """A registration CSV: the columns of the members import (email, name...)."""

    csv_file = FileField(
        lazy_gettext("Registration file (CSV)"),
        description=lazy_gettext(
            "Columns as in the members import: email, name and so on. A file with a bad "
            "row imports nothing."
        ),
        render_kw={"accept": ".csv,text/csv"},
    )
    dry_run = BooleanField(
        lazy_gettext("Dry run: check the file and show what would happen, change nothing"),
        default=True,
    )


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (cancel, remove, revoke...)."""


class RsvpForm(FlaskForm):
    status = HiddenField()


class HiddenForm(FlaskForm):
    hidden_from_list = BooleanField(lazy_gettext("Hide my name from the attendee list"))
