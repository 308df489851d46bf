"""marshmallow schemas: every input and output of events.

Input schemas refuse unknown fields (RAISE); list query strings ignore them (EXCLUDE),
since links from elsewhere carry tracking parameters. Times come in as ISO 8601: with
an offset they mean that instant; without one they are local to the event's time zone
(the service places them). They go out in UTC, with the event's zone beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from flask_smorest.fields import Upload
from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from hallway.accounts.schemas import MemberRefSchema
from hallway.core.markdown import render_markdown
from hallway.core.schemas import Id, PageNumber, PageSchema, Text
from hallway.core.validation import N_
from hallway.events.models import Event, EventFormat, EventVisibility, RsvpStatus
from hallway.members import vocabulary

TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 300
DESCRIPTION_MAX_LENGTH = 20_000
ANNOUNCEMENT_MAX_LENGTH = 5_000
MAX_CAPACITY = 100_000
MAX_NETWORKS = 10
MAX_SPEAKERS = 20
MAX_IMPORT_CHARACTERS = 2_000_000

_TIME_ZONE_MESSAGE = N_("Unknown time zone; use an IANA name such as America/Toronto.")
_CAPACITY_MESSAGE = (
    f"Capacity must be a whole number from 1 to {MAX_CAPACITY:,} (leave it empty for no limit)."
)


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class QuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE


def _title(required: bool) -> Text:
    return Text(
        required=required,
        validate=validate.Length(
            min=1,
            max=TITLE_MAX_LENGTH,
            error=f"Give a title of 1 to {TITLE_MAX_LENGTH} characters.",
        ),
        error_messages={"required": N_("Give a title.")},
    )


def _length(limit: int) -> validate.Length:
    return validate.Length(max=limit, error=f"At most {limit:,} characters.")


class Networks(fields.List):
    """Network names, normalised to the members vocabulary ("alt" -> "ALT")."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            fields.String(validate=_length(vocabulary.MAX_NAME_LENGTH)),
            validate=validate.Length(max=MAX_NETWORKS, error=f"At most {MAX_NETWORKS} networks."),
            **kwargs,
        )

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[Any]:
        names = super()._deserialize(value, attr, data, **kwargs)
        return vocabulary.normalise_networks(str(name) for name in names if name)


class EventCreateSchema(StrictSchema):
    """A new event (all fields) or, loaded with ``partial=True``, an edit."""

    title = _title(required=True)
    summary = Text(validate=_length(SUMMARY_MAX_LENGTH))
    description = fields.String(validate=_length(DESCRIPTION_MAX_LENGTH))
    starts_at = fields.DateTime(required=True, error_messages={"required": N_("Give a start.")})
    ends_at = fields.DateTime(required=True, error_messages={"required": N_("Give an end.")})
    time_zone = fields.String(
        required=True, error_messages={"required": N_("Give the event's time zone.")}
    )
    format = fields.String(
        validate=validate.OneOf(
            [kind.value for kind in EventFormat], error="Choose in_person, online or hybrid."
        )
    )
    venue = Text(validate=_length(200))
    address = Text(validate=_length(300))
    city = Text(validate=_length(100))
    country = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    online_url = Text(validate=_length(500))
    capacity = fields.Integer(
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_CAPACITY, error=_CAPACITY_MESSAGE),
        error_messages={"invalid": _CAPACITY_MESSAGE},
    )
    networks = Networks()
    visibility = fields.String(
        validate=validate.OneOf(
            [kind.value for kind in EventVisibility], error="Choose public, members or unlisted."
        )
    )
    registration_open = fields.Boolean()

    @validates_schema
    def _check_fields(self, data: dict[str, Any], **_kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        zone = data.get("time_zone")
        if zone is not None and not vocabulary.is_valid_time_zone(zone):
            errors["time_zone"] = [_TIME_ZONE_MESSAGE]
        country = (data.get("country") or "").strip().upper()
        if country and not vocabulary.is_valid_country(country):
            errors["country"] = [N_("Unknown country; use its two-letter ISO code (CA, AU...).")]
        region = (data.get("region") or "").strip().upper()
        if region and country and not vocabulary.is_valid_subdivision(country, region):
            errors["region"] = [f"Unknown region of {country}; use its ISO code (CA-BC...)."]
        url = data.get("online_url")
        if url and not url.startswith("https://"):
            errors["online_url"] = [N_("The online link must start with https://.")]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _tidy_codes(self, loaded: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        for name in ("country", "region"):
            if name in loaded:
                loaded[name] = (loaded[name] or "").strip().upper() or None
        return loaded


class EventUpdateSchema(EventCreateSchema):
    """An edit: only the fields given change."""

    class Meta:
        unknown = RAISE

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(**kwargs)


class DayOrDateTime(fields.DateTime):
    """An ISO 8601 date-time, or a plain date (an HTML date input) meaning its midnight."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and len(value.strip()) == 10:
            value = value.strip() + "T00:00:00"
        return super()._deserialize(value, attr, data, **kwargs)


def _looks_like_region(place: str) -> bool:
    """ "CA-BC" is an ISO 3166-2 region code; anything else is a city."""
    return len(place) <= 8 and "-" in place and place[:2].isalpha()


class EventListArgsSchema(QuerySchema):
    """The events list's filters, the same for the API and the /events page.

    ``place`` is the page's one box for "a city or a region": a region code ("CA-BC")
    filters by region, anything else by city (``city``/``region`` given explicitly win).
    """

    when = fields.String(load_default="upcoming", validate=validate.OneOf(["upcoming", "past"]))
    network = Text(validate=_length(vocabulary.MAX_NAME_LENGTH))
    place = Text(validate=_length(100), load_only=True)
    city = Text(validate=_length(100))
    region = Text(validate=_length(8))
    country = Text(validate=_length(2))
    format = fields.String(validate=validate.OneOf([kind.value for kind in EventFormat]))
    starts_from = DayOrDateTime(data_key="from")
    starts_before = DayOrDateTime(data_key="to")
    page = PageNumber()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))

    @validates_schema
    def _check_range(self, data: dict[str, Any], **_kwargs: Any) -> None:
        start, end = data.get("starts_from"), data.get("starts_before")
        if start and end and _aware(end) <= _aware(start):
            raise ValidationError({"to": ["The end of the range must be after its start."]})

    @post_load
    def _tidy(self, loaded: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        place = loaded.pop("place", None)
        if place and not loaded.get("city") and not loaded.get("region"):
            loaded["region" if _looks_like_region(place) else "city"] = place
        for name in ("starts_from", "starts_before"):
            if loaded.get(name) is not None:
                loaded[name] = _aware(loaded[name])
        if loaded.get("network"):
            loaded["network"] = vocabulary.normalise_network(loaded["network"])
        for name in ("region", "country"):
            if loaded.get(name):
                loaded[name] = loaded[name].upper()
        return loaded


def _aware(moment: Any) -> Any:
    """Query-string times without an offset are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))


class RsvpInputSchema(StrictSchema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(
            ["going", "interested", "not_going"], error="Choose going, interested or not_going."
        ),
    )
    hidden_from_list = fields.Boolean()


class HiddenSchema(StrictSchema):
    hidden_from_list = fields.Boolean(required=True)


class CoOrganiserInputSchema(StrictSchema):
    user_id = Id(required=True)


class SpeakerInputSchema(StrictSchema):
    user_id = Id()
    name = Text(validate=_length(120))

    @validates_schema
    def _one_of(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if bool(data.get("user_id")) == bool(data.get("name")):
            raise ValidationError("Give either a member (user_id) or a name.")


class SessionCreateSchema(StrictSchema):
    title = _title(required=True)
    description = fields.String(validate=_length(DESCRIPTION_MAX_LENGTH))
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    location = Text(validate=_length(200))
    track = Text(validate=_length(100))
    speakers = fields.List(
        fields.Nested(SpeakerInputSchema),
        validate=validate.Length(max=MAX_SPEAKERS, error=f"At most {MAX_SPEAKERS} speakers."),
    )


class SessionUpdateSchema(SessionCreateSchema):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(**kwargs)


class AnnouncementInputSchema(StrictSchema):
    title = _title(required=True)
    body = fields.String(load_default="", validate=_length(ANNOUNCEMENT_MAX_LENGTH))


class AttendeeArgsSchema(QuerySchema):
    status = fields.String(
        load_default="going",
        validate=validate.OneOf(["going", "waitlisted", "interested"]),
    )
    search = Text(validate=_length(80))
    stage = fields.String(validate=validate.OneOf(list(vocabulary.CAREER_STAGES)))


class CoverUploadSchema(StrictSchema):
    cover = Upload(required=True, error_messages={"required": "Choose a picture."})


class ImportInputSchema(StrictSchema):
    csv = fields.String(
        required=True,
        validate=validate.Length(
            min=1,
            max=MAX_IMPORT_CHARACTERS,
            error=N_("The file must be between 1 and 2,000,000 characters."),
        ),
    )
    dry_run = fields.Boolean(load_default=False)


# --- What goes out ------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownEvent:
    """An event as one viewer may see it."""

    event: Event
    show_online_url: bool = False
    is_organiser: bool = False
    my_status: RsvpStatus | None = None
    my_position: int | None = None
    my_hidden: bool = False


def _local(moment: Any, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).isoformat()


class EventSchema(Schema):
    id = fields.Function(lambda shown: shown.event.id)
    title = fields.Function(lambda shown: shown.event.title)
    summary = fields.Function(lambda shown: shown.event.summary)
    url = fields.Function(lambda shown: f"/events/{shown.event.id}")
    starts_at = fields.Function(lambda shown: shown.event.starts_at.isoformat())
    ends_at = fields.Function(lambda shown: shown.event.ends_at.isoformat())
    time_zone = fields.Function(lambda shown: shown.event.time_zone)
    local_starts_at = fields.Function(
        lambda shown: _local(shown.event.starts_at, shown.event.time_zone)
    )
    local_ends_at = fields.Function(
        lambda shown: _local(shown.event.ends_at, shown.event.time_zone)
    )
    format = fields.Function(lambda shown: shown.event.format.value)
    venue = fields.Function(lambda shown: shown.event.venue)
    city = fields.Function(lambda shown: shown.event.city)
    region = fields.Function(lambda shown: shown.event.region)
    country = fields.Function(lambda shown: shown.event.country)
    capacity = fields.Function(lambda shown: shown.event.capacity)
    going_count = fields.Function(lambda shown: shown.event.going_count)
    is_full = fields.Function(
        lambda shown: (
            shown.event.capacity is not None and shown.event.going_count >= shown.event.capacity
        )
    )
    networks = fields.Function(lambda shown: shown.event.network_names)
    visibility = fields.Function(lambda shown: shown.event.visibility.value)
    registration_open = fields.Function(lambda shown: shown.event.registration_open)
    cancelled = fields.Function(lambda shown: shown.event.is_cancelled)


class EventDetailSchema(EventSchema):
    description = fields.Function(lambda shown: shown.event.description)
    description_html = fields.Function(lambda shown: str(render_markdown(shown.event.description)))
    address = fields.Function(lambda shown: shown.event.address)
    online_url = fields.Function(
        lambda shown: shown.event.online_url if shown.show_online_url else None
    )
    owner = fields.Function(
        lambda shown: MemberRefSchema().dump(shown.event.owner) if shown.event.owner else None
    )
    co_organisers = fields.Function(
        lambda shown: MemberRefSchema(many=True).dump(
            [organiser.user for organiser in shown.event.co_organisers]
        )
    )
    share_url = fields.Function(
        lambda shown: f"/events/link/{shown.event.share_token}" if shown.is_organiser else None
    )
    is_organiser = fields.Function(lambda shown: shown.is_organiser)
    my_rsvp = fields.Function(
        lambda shown: (
            None
            if shown.my_status is None
            else {
                "status": shown.my_status.value,
                "position": shown.my_position,
                "hidden_from_list": shown.my_hidden,
            }
        )
    )


class EventPageSchema(PageSchema):
    items = fields.List(fields.Nested(EventSchema), dump_only=True)


class RsvpStateSchema(Schema):
    event_id = fields.Integer()
    status = fields.Function(lambda state: state["status"].value)
    position = fields.Integer(allow_none=True)
    hidden_from_list = fields.Boolean()
    going_count = fields.Integer()
    capacity = fields.Integer(allow_none=True)


class SpeakerSchema(Schema):
    name = fields.Function(lambda speaker: speaker.display_name)
    member = fields.Function(
        lambda speaker: MemberRefSchema().dump(speaker.user) if speaker.user else None
    )


class SessionSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    description_html = fields.Function(lambda item: str(render_markdown(item.description)))
    starts_at = fields.Function(lambda item: item.starts_at.isoformat())
    ends_at = fields.Function(lambda item: item.ends_at.isoformat())
    location = fields.String()
    track = fields.String()
    thread_id = fields.Integer(allow_none=True)
    thread_url = fields.Function(lambda item: f"/t/{item.thread_id}" if item.thread_id else None)
    speakers = fields.List(fields.Nested(SpeakerSchema))


class AnnouncementSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    body = fields.String()
    body_html = fields.Function(lambda item: str(render_markdown(item.body)))
    author = fields.Nested(MemberRefSchema, allow_none=True)
    created_at = fields.Function(lambda item: item.created_at.isoformat())


class AttendeeSchema(Schema):
    id = fields.Function(lambda row: row.user.id)
    handle = fields.Function(lambda row: row.user.handle)
    display_name = fields.Function(lambda row: row.user.display_name)
    status = fields.Function(lambda row: row.rsvp.status.value)
    career_stage = fields.Function(lambda row: row.profile.career_stage if row.profile else None)


class AttendeeListSchema(Schema):
    attendees = fields.Function(lambda result: AttendeeSchema(many=True).dump(result.named))
    unnamed_count = fields.Integer()
    total = fields.Integer()


class ImportReportSchema(Schema):
    dry_run = fields.Boolean()
    imported = fields.Boolean()
    errors = fields.Function(
        lambda report: [{"line": line, "message": message} for line, message in report.errors]
    )
    ignored_columns = fields.List(fields.String())
    new_accounts = fields.List(fields.String())
    existing_accounts = fields.List(fields.String())
    going = fields.List(fields.String())
    waitlisted = fields.List(fields.String())
    already = fields.List(fields.String())


class CalendarFeedSchema(Schema):
    url = fields.String()
