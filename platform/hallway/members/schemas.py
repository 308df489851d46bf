"""marshmallow schemas: what a profile update, a directory query and an import row may
contain (load), and how a member looks in JSON (dump, privacy already applied).

These are the one contract for a profile: the JSON API loads them, the pages map their
WTForms fields onto them (``members.forms.profile_payload``) and the CSV import and demo
seed load rows through them. Loading checks shape, length and choices and normalises
tags; the service then checks only what depends on the stored profile (a region must
belong to the member's country, the welcome essentials).
"""

from __future__ import annotations

import base64
from typing import Any

from flask_babel import gettext, lazy_gettext
from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    missing,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from hallway.core.schemas import PageNumber, PageSchema
from hallway.core.urls import profile_path
from hallway.members import avatars, lookup, vocabulary
from hallway.members.models import ProfileVisibility
from hallway.members.privacy import ProfileView
from hallway.members.vocabulary import N_

MAX_BIO_LENGTH = 2000
MAX_TAGS = 30
MAX_NAMES = 20
MAX_LINKS = 6
SORTS = ("name", "newest")
#: Field-level error_messages must be plain strings for marshmallow: these are marked
#: for translation (N_) and translated where they are shown (forms.place_errors).
DISPLAY_NAME_MESSAGE = N_("Tell us what to call you.")


def _labels(choices: dict[str, str]) -> str:
    return ", ".join(choices.values())


def _translated_labels(choices: dict[str, str]) -> str:
    """The choices' labels in the reader's language (vocabulary labels are msgids)."""
    return ", ".join(gettext(label) for label in choices.values())


#: What a Choice field asks for, named in its error message ("Choose a sector: ...").
_CHOICE_NAMES = {
    "career stage": lazy_gettext("career stage"),
    "sector": lazy_gettext("sector"),
    "reason to meet": lazy_gettext("reason to meet"),
    "visibility": lazy_gettext("visibility"),
}


class Choice(fields.String):
    """A code from a fixed vocabulary; "" and null mean "not set" (None)."""

    def __init__(self, choices: dict[str, str], what: str, **kwargs: Any) -> None:
        self.choices = choices
        self.what = what
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)

    # Read as a String, but "" comes out as None ("not set"): hence the override.
    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> str | None:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            return None
        if text not in self.choices:
            raise ValidationError(
                gettext(
                    "Choose a %(what)s: %(choices)s.",
                    what=str(_CHOICE_NAMES.get(self.what, self.what)),
                    choices=_translated_labels(self.choices),
                )
            )
        return text


class Text(fields.String):
    """A stripped string of at most ``max_length`` characters."""

    def __init__(self, max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Length(max=max_length))
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


def _stage_labels() -> dict[str, str]:
    return {code: stage.label for code, stage in vocabulary.CAREER_STAGES.items()}


def _visibility_labels() -> dict[str, str]:
    return {visibility.value: visibility.value for visibility in ProfileVisibility}


class LinkSchema(Schema):
    class Meta:
        unknown = RAISE

    label = Text(40, load_default="")
    url = fields.Url(
        required=True,
        schemes={"http", "https"},
        validate=validate.Length(max=500),
        error_messages={
            "invalid": N_("Enter a full web address starting with https://."),
            "required": N_("Add the web address, or clear this link's label."),
        },
    )


class PrivacySchema(Schema):
    class Meta:
        unknown = RAISE

    visibility = Choice(_visibility_labels(), "visibility", allow_none=False)
    in_directory = fields.Boolean()
    matchable = fields.Boolean()
    novices_may_request = fields.Boolean()
    show_contact_links = fields.Boolean()


def _unusable_tag(raw: str, max_length: int) -> str:
    return gettext(
        "“%(tag)s” cannot be used: keep each to %(count)s characters "
        "with at least one letter or digit.",
        tag=raw.strip()[:50],
        count=max_length,
    )


#: "List at most 20 interests.", one whole sentence per list (for translators).
_LIST_AT_MOST = {
    "interests": lambda count: lazy_gettext("List at most %(count)s interests.", count=count),
    "networks": lambda count: lazy_gettext("List at most %(count)s networks.", count=count),
    "qualifications": lambda count: lazy_gettext(
        "List at most %(count)s qualifications.", count=count
    ),
}


class TagList(fields.List[str]):
    """Freely typed tags of one kind, normalised: "UDL" and "universal design for
    learning" become "accessibility & UDL", duplicates go, the member's order stays.

    An entry that cannot be a tag (too long, no letter or digit) is refused with a
    message naming it, never silently dropped; blank entries are ignored.
    """

    def __init__(
        self, normalise: Any, max_length: int, max_items: int, what: str, **kwargs: Any
    ) -> None:
        self.normalise = normalise
        self.max_length = max_length
        kwargs.setdefault(
            "validate",
            validate.Length(
                max=max_items,
                error=_LIST_AT_MOST[what](max_items),
            ),
        )
        super().__init__(fields.String(), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[str | None]:
        values: list[str | None] = []
        seen: set[str] = set()
        unusable: list[str] = []
        for raw in super()._deserialize(value, attr, data, **kwargs):
            if raw is None or not raw.strip():
                continue
            # Far longer than any tag or synonym: refuse without normalising it.
            tag = self.normalise(raw) if len(raw) <= 4 * self.max_length else ""
            if not tag:
                unusable.append(_unusable_tag(raw, self.max_length))
            elif tag.casefold() not in seen:
                seen.add(tag.casefold())
                values.append(tag)
        if unusable:
            raise ValidationError(unusable)
        return values


_COUNTRY_MESSAGE = lazy_gettext("Choose a country from the list.")
_TIME_ZONE_MESSAGE = lazy_gettext("Choose a time zone from the list, like America/Toronto.")


def _is_country(text: str) -> bool:
    return vocabulary.is_valid_country(text.upper())


def _blank_or(check: Any, message: Any) -> Any:
    """A validator for optional codes: blank passes, anything else must pass ``check``."""

    def validator(value: str | None) -> None:
        if value and value.strip() and not check(value.strip()):
            raise ValidationError(str(message))

    return validator


def _intent_list() -> fields.List:
    return fields.List(Choice(dict(vocabulary.INTENTS), "reason to meet", allow_none=False))


class ProfileUpdateSchema(Schema):
    """A change to one's own profile. Every field is optional: only given ones change."""

    class Meta:
        unknown = RAISE

    display_name = Text(
        80,
        validate=[
            validate.Length(min=1, error=DISPLAY_NAME_MESSAGE),
            validate.Length(max=80),
        ],
        error_messages={"required": DISPLAY_NAME_MESSAGE, "null": DISPLAY_NAME_MESSAGE},
    )
    headline = Text(120)
    bio = Text(MAX_BIO_LENGTH)
    pronouns = Text(30)
    career_stage = Choice(_stage_labels(), "career stage")
    role = Text(120)
    organisation = Text(120)
    sector = Choice(dict(vocabulary.SECTORS), "sector")
    country = fields.String(allow_none=True, validate=_blank_or(_is_country, _COUNTRY_MESSAGE))
    region = fields.String(allow_none=True)
    city = Text(100)
    time_zone = fields.String(
        allow_none=True, validate=_blank_or(vocabulary.is_valid_time_zone, _TIME_ZONE_MESSAGE)
    )
    interests = TagList(vocabulary.normalise_tag, vocabulary.MAX_TAG_LENGTH, MAX_TAGS, "interests")
    networks = TagList(
        vocabulary.normalise_network, vocabulary.MAX_NAME_LENGTH, MAX_NAMES, "networks"
    )
    qualifications = TagList(
        vocabulary.normalise_qualification,
        vocabulary.MAX_NAME_LENGTH,
        MAX_NAMES,
        "qualifications",
    )
    looking_for = _intent_list()
    offering = _intent_list()
    links = fields.List(
        fields.Nested(LinkSchema),
        validate=validate.Length(
            max=MAX_LINKS, error=lazy_gettext("Share at most %(count)s links.", count=MAX_LINKS)
        ),
    )
    privacy = fields.Nested(PrivacySchema)

    @post_load
    def _tidy(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        """Empty means unset; the privacy group is applied like top-level fields."""
        for key in ("country", "region", "time_zone"):
            if key in data:
                value = (data[key] or "").strip()
                data[key] = (value.upper() if key != "time_zone" else value) or None
        data.update(data.pop("privacy", {}))
        return data


class DirectoryQuerySchema(Schema):
    """The directory's filters, from a shareable query string."""

    class Meta:
        unknown = RAISE

    q = Text(100)
    stage = Choice(_stage_labels(), "career stage")
    sector = Choice(dict(vocabulary.SECTORS), "sector")
    interest = Text(80)
    network = Text(120)
    country = fields.String(validate=_blank_or(_is_country, _COUNTRY_MESSAGE))
    region = fields.String()
    time_zone = fields.String(validate=_blank_or(vocabulary.is_valid_time_zone, _TIME_ZONE_MESSAGE))
    looking_for = Choice(dict(vocabulary.INTENTS), "reason to meet")
    offering = Choice(dict(vocabulary.INTENTS), "reason to meet")
    sort = fields.String(load_default="name", validate=validate.OneOf(SORTS))
    page = PageNumber(max=10_000)
    per_page = fields.Integer(load_default=24, validate=validate.Range(min=1, max=100))

    @pre_load
    def _drop_empty(self, data: Any, **_kwargs: Any) -> Any:
        """An unchosen <select> sends "": the same as not filtering."""
        if hasattr(data, "items"):
            return {key: value for key, value in data.items() if value not in ("", None)}
        return data

    @validates_schema
    def _check_region(self, data: dict[str, Any], **_kwargs: Any) -> None:
        region = data.get("region")
        if region is not None:
            country = data.get("country")
            if country is None:
                raise ValidationError(gettext("Choose a country first."), "region")
            if not vocabulary.is_valid_subdivision(country.upper(), region.upper()):
                raise ValidationError(
                    gettext("Choose a province or state of that country."), "region"
                )

    @post_load
    def _upper_places(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        for key in ("country", "region"):
            if key in data:
                data[key] = data[key].upper()
        return data


# --------------------------------------------------------------------------------------
# Output: a member as a viewer may see them
# --------------------------------------------------------------------------------------


def avatar_path(view: ProfileView) -> str | None:
    avatar = view.profile.avatar
    if avatar is None:
        return None
    return f"{profile_path(view.handle)}/avatar?v={avatar.content_hash[:16]}"


class RegionSchema(Schema):
    """A (code, name) pair of ``vocabulary.subdivisions_for``."""

    code = fields.Function(lambda pair: pair[0], dump_only=True)
    name = fields.Function(lambda pair: pair[1], dump_only=True)


class MemberLinkSchema(Schema):
    label = fields.String(dump_only=True)
    url = fields.String(dump_only=True)


class MemberSummarySchema(Schema):
    """A directory entry: dumped from a ProfileView, so privacy is already applied."""

    handle = fields.Function(lambda view: view.handle, dump_only=True)
    display_name = fields.Function(lambda view: view.profile.user.display_name, dump_only=True)
    profile_url = fields.Function(lambda view: profile_path(view.handle), dump_only=True)
    avatar_url = fields.Function(avatar_path, dump_only=True)
    initials = fields.Function(
        lambda view: avatars.initials(view.profile.user.display_name), dump_only=True
    )
    headline = fields.Function(lambda view: view.profile.headline, dump_only=True)
    pronouns = fields.Function(lambda view: view.profile.pronouns or None, dump_only=True)
    career_stage = fields.Function(lambda view: view.profile.career_stage, dump_only=True)
    role = fields.Function(lambda view: view.profile.role, dump_only=True)
    organisation = fields.Function(lambda view: view.profile.organisation, dump_only=True)
    sector = fields.Function(lambda view: view.profile.sector, dump_only=True)
    country = fields.Function(lambda view: view.profile.country, dump_only=True)
    region = fields.Function(lambda view: view.profile.region, dump_only=True)
    region_name = fields.Function(
        lambda view: lookup.subdivision_name(view.profile.region), dump_only=True
    )
    city = fields.Function(lambda view: view.profile.city, dump_only=True)
    time_zone = fields.Function(lambda view: view.profile.time_zone, dump_only=True)
    interests = fields.Function(lambda view: view.interests, dump_only=True)
    looking_for = fields.Function(lambda view: view.looking_for, dump_only=True)
    offering = fields.Function(lambda view: view.offering, dump_only=True)
    can_request = fields.Function(lambda view: view.may_request, dump_only=True)


class MemberPrivacySchema(Schema):
    visibility = fields.Function(lambda profile: str(profile.visibility), dump_only=True)
    in_directory = fields.Boolean(dump_only=True)
    matchable = fields.Boolean(dump_only=True)
    novices_may_request = fields.Boolean(dump_only=True)
    show_contact_links = fields.Boolean(dump_only=True)


class MemberSchema(MemberSummarySchema):
    """A whole profile. ``links`` and ``privacy`` are left out unless the viewer may see them."""

    bio = fields.Function(lambda view: view.profile.bio, dump_only=True)
    networks = fields.Function(lambda view: view.profile.networks, dump_only=True)
    qualifications = fields.Function(lambda view: view.profile.qualifications, dump_only=True)
    links = fields.Method("_links", dump_only=True)
    privacy = fields.Method("_privacy", dump_only=True)

    def _links(self, view: ProfileView) -> Any:
        if not view.show_links:
            return missing
        return MemberLinkSchema(many=True).dump(view.profile.links)

    def _privacy(self, view: ProfileView) -> Any:
        if not view.show_settings:
            return missing
        return MemberPrivacySchema().dump(view.profile)


class DirectoryPageSchema(PageSchema):
    items = fields.List(fields.Nested(MemberSummarySchema), dump_only=True)


# --------------------------------------------------------------------------------------
# The member's own data download (every field, whatever the privacy settings)
# --------------------------------------------------------------------------------------


class ProfileExportSchema(Schema):
    """A stored profile, whole, for its owner's "Download my data"."""

    headline = fields.String(dump_only=True)
    bio = fields.String(dump_only=True)
    pronouns = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    organisation = fields.String(dump_only=True)
    city = fields.String(dump_only=True)
    career_stage = fields.String(dump_only=True)
    sector = fields.String(dump_only=True)
    time_zone = fields.String(dump_only=True)
    country = fields.String(dump_only=True)
    region = fields.String(dump_only=True)
    interests = fields.List(fields.String(), dump_only=True)
    networks = fields.List(fields.String(), dump_only=True)
    qualifications = fields.List(fields.String(), dump_only=True)
    looking_for = fields.List(fields.String(), dump_only=True)
    offering = fields.List(fields.String(), dump_only=True)
    links = fields.List(fields.Nested(MemberLinkSchema), dump_only=True)
    privacy = fields.Function(lambda profile: MemberPrivacySchema().dump(profile), dump_only=True)
    onboarded_at = fields.DateTime(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class AvatarExportSchema(Schema):
    """The stored picture itself, base64-encoded."""

    content_type = fields.String(dump_only=True)
    sha256 = fields.String(attribute="content_hash", dump_only=True)
    data_base64 = fields.Function(
        lambda avatar: base64.b64encode(avatar.data).decode("ascii"), dump_only=True
    )


# --------------------------------------------------------------------------------------
# CSV import rows
# --------------------------------------------------------------------------------------


def _split(cell: str) -> list[str]:
    """A multi-valued cell: "OER; H5P" or "OER, H5P"."""
    return [part.strip() for part in cell.replace(";", ",").split(",") if part.strip()]


class _Coded(fields.String):
    """A cell read through a lookup (code, label or common spelling) into a code."""

    def __init__(self, read: Any, message: str, **kwargs: Any) -> None:
        self.read = read
        self.message = message
        super().__init__(**kwargs)

    # Read as a String, but "" comes out as None ("not set"): hence the override.
    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> str | None:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            return None
        code = self.read(text)
        if code is None:
            raise ValidationError(self.message.format(value=text))
        return code


class _Cells(fields.String):
    """A multi-valued cell, each item read through a lookup (None or "" means unusable).

    The values come out read (codes, normalised tags), without duplicates, in order.
    """

    def __init__(self, read: Any, message: str, **kwargs: Any) -> None:
        self.read = read
        self.message = message
        super().__init__(**kwargs)

    # Read as a String, but one cell holds many values: hence the override.
    def _deserialize(  # type: ignore[override]
        self, value: Any, attr: Any, data: Any, **kwargs: Any
    ) -> list[str]:
        items = _split(super()._deserialize(value, attr, data, **kwargs))
        unusable = [item for item in items if not self.read(item)]
        if unusable:
            raise ValidationError(self.message.format(value=", ".join(unusable)))
        read: dict[str, str] = {}
        for item in items:
            code = self.read(item)
            read.setdefault(code.casefold(), code)
        return list(read.values())


_UNUSABLE = "{value}: too long, or without a letter or digit."


_INTENT_MESSAGE = "Unknown {value}; use: " + _labels(dict(vocabulary.INTENTS)) + "."


class ImportRowSchema(Schema):
    """One row of an organiser's registration export (header names already tidied)."""

    class Meta:
        unknown = RAISE

    name = Text(80, required=True, error_messages={"required": "Give the member's name."})
    email = fields.Email(
        required=True,
        validate=validate.Length(max=254),
        error_messages={"required": "Give the member's email address."},
    )
    organisation = Text(120)
    role = Text(120)
    career_stage = _Coded(
        lookup.career_stage_code,
        "Unknown career stage {value}; use novice, career or advanced.",
    )
    interests = _Cells(vocabulary.normalise_tag, _UNUSABLE)
    networks = _Cells(vocabulary.normalise_network, _UNUSABLE)
    qualifications = _Cells(vocabulary.normalise_qualification, _UNUSABLE)
    sector = _Coded(
        lookup.sector_code,
        "Unknown sector {value}; use: " + _labels(dict(vocabulary.SECTORS)) + ".",
    )
    country = _Coded(lookup.country_code, "Unknown country {value}.")
    region = Text(100)
    city = Text(100)
    time_zone = fields.String(validate=_blank_or(vocabulary.is_valid_time_zone, _TIME_ZONE_MESSAGE))
    headline = Text(120)
    pronouns = Text(30)
    looking_for = _Cells(lookup.intent_code, _INTENT_MESSAGE)
    offering = _Cells(lookup.intent_code, _INTENT_MESSAGE)

    @pre_load
    def _drop_blank_optional(self, data: Any, **_kwargs: Any) -> Any:
        """Blank cells are simply not given: an update leaves those fields alone."""
        if not hasattr(data, "items"):
            return data
        return {key: value for key, value in data.items() if value and str(value).strip()}

    @validates_schema
    def _check_places(self, data: dict[str, Any], **_kwargs: Any) -> None:
        region = data.get("region")
        if region:
            country = data.get("country")
            if country is None:
                raise ValidationError("Give the country too.", "region")
            if lookup.subdivision_code(country, region) is None:
                raise ValidationError(
                    f"{region} is not a province or state of {vocabulary.country_name(country)}.",
                    "region",
                )

    @post_load
    def _to_codes(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        if data.get("region"):
            data["region"] = lookup.subdivision_code(data["country"], data["region"])
        if data.get("time_zone"):
            data["time_zone"] = data["time_zone"].strip()
        data["email"] = data["email"].strip().lower()
        return data
