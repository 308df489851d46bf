"""HTML forms for profiles. WTForms brings only rendering, CSRF, files and per-field
errors: no validators. The checks are ProfileUpdateSchema's and the service's, so the
page and the JSON API accept and refuse exactly the same things with the same messages
(``profile_payload`` builds the schema input; ``place_errors`` puts its field messages
back next to the form's fields).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from hallway.core.errors import DomainError
from hallway.core.forms import FlaskForm
from hallway.core.i18n import current_locale_name
from hallway.members import vocabulary
from hallway.members.models import MemberProfile, ProfileVisibility, TagKind
from hallway.members.schemas import MAX_LINKS


def _translated(labels: Any) -> list[tuple[str, Any]]:
    """(code, label translated when shown) for a vocabulary's labels (marked with N_)."""
    return [(code, _l(label)) for code, label in labels.items()]


def options(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


VISIBILITY_CHOICES = options(
    [
        (
            ProfileVisibility.public.value,
            _l("Public: anyone, including people who are not logged in"),
        ),
        (ProfileVisibility.members.value, _l("Members: only logged-in Hallway members")),
        (ProfileVisibility.private.value, _l("Only me (and Hallway's admins)")),
    ]
)


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes; the template draws it in a fieldset with a legend."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str, choices: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validate_choice", False)
        super().__init__(label, choices=options(choices), **kwargs)


def _select(label: str, choices: list[tuple[str, str]], blank: str, **kwargs: Any) -> SelectField:
    return SelectField(
        label, choices=options([("", blank), *choices]), validate_choice=False, **kwargs
    )


def split_entries(text: str | None) -> list[str]:
    """Split a comma list: "OER, H5P; podcasting" -> ["OER", "H5P", "podcasting"]."""
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


class EssentialsForm(FlaskForm):
    """What the welcome flow asks for; the full profile form has all of it too."""

    career_stage = RadioField(
        _l("Career stage"),
        choices=options(
            (code, _l(stage.label)) for code, stage in vocabulary.CAREER_STAGES.items()
        ),
        validate_choice=False,
    )
    role = StringField(_l("Current role"), description=_l("For example: Instructional Designer."))
    organisation = StringField(_l("Organisation"))
    sector = _select(_l("Sector"), _translated(vocabulary.SECTORS), _l("Choose a sector…"))
    country = _select(_l("Country"), list(vocabulary.COUNTRIES.items()), _l("Choose a country…"))
    region = _select(
        _l("Province, state or region"),
        [],
        "—",
        description=_l("Optional. The list follows the country you choose."),
    )
    city = StringField(_l("City"), description=_l("Optional."))
    time_zone = _select(
        _l("Time zone"),
        [(zone, zone.replace("_", " ")) for zone in vocabulary.TIME_ZONES],
        _l("Choose a time zone…"),
        description=_l("So members can suggest meeting times that suit you."),
    )
    interests = MultiCheckboxField(
        _l("Interests"), choices=[(tag, tag) for tag in vocabulary.INTEREST_TAGS]
    )
    other_interests = StringField(
        _l("Other interests"),
        description=_l(
            "Anything not in the list, separated by commas (e.g. Moodle plugins, xAPI)."
        ),
    )
    looking_for = MultiCheckboxField(
        _l("I am looking for"), choices=_translated(vocabulary.INTENTS)
    )
    offering = MultiCheckboxField(_l("I can offer"), choices=_translated(vocabulary.INTENTS))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = vocabulary.country_names(current_locale_name())
        self.country.choices = options([("", gettext("Choose a country…")), *countries.items()])

    def set_region_choices(self) -> None:
        """Regions of the chosen (or posted) country, so the page works without JavaScript."""
        country = (self.country.data or "").upper()
        self.region.choices = options([("", "—"), *vocabulary.subdivisions_for(country)])


class WelcomeForm(EssentialsForm):
    next = HiddenField()
    save = SubmitField(_l("Save and continue"))
    skip = SubmitField(_l("Skip for now"))


class LinkForm(Form):
    label = StringField(_l("Label"), description=_l("Optional, e.g. Portfolio."))
    url = URLField(_l("Web address"))


class ProfileForm(EssentialsForm):
    """The whole profile, in the sections the edit page shows."""

    # The browser asks for it; the check and its message are ProfileUpdateSchema's.
    display_name = StringField(_l("Display name"), render_kw={"required": True})
    headline = StringField(
        _l("Headline"), description=_l("One line people see next to your name in the directory.")
    )
    pronouns = StringField(_l("Pronouns"), description=_l("Optional, e.g. she/her, they/them."))
    bio = TextAreaField(
        _l("About you"),
        description=_l("A few sentences. Markdown works: *emphasis*, **bold**, lists and links."),
        render_kw={"rows": 6},
    )
    avatar = FileField(
        _l("Upload a new picture"),
        description=_l("PNG, JPEG, GIF or WebP, up to 2 MB. We crop it to a square."),
        render_kw={"accept": "image/png,image/jpeg,image/gif,image/webp"},
    )
    remove_avatar = BooleanField(_l("Remove my picture"))
    networks = MultiCheckboxField(
        _l("Networks and associations"), choices=[(code, code) for code in vocabulary.NETWORKS]
    )
    other_networks = StringField(
        _l("Other networks"), description=_l("Separated by commas (e.g. SALT, OpenETC).")
    )
    qualifications = MultiCheckboxField(
        _l("Qualifications"), choices=[(code, code) for code in vocabulary.QUALIFICATIONS]
    )
    other_qualifications = StringField(
        _l("Other qualifications"), description=_l("Separated by commas.")
    )
    links = FieldList(FormField(LinkForm), min_entries=MAX_LINKS, max_entries=MAX_LINKS)
    visibility = RadioField(
        _l("Who can see my profile"), choices=VISIBILITY_CHOICES, validate_choice=False
    )
    in_directory = BooleanField(
        _l("List me in the member directory"),
        description=_l(
            "Unlisted profiles can still be opened from your posts by those allowed to see them."
        ),
    )
    matchable = BooleanField(
        _l("Suggest me to members I might like to meet, and let them ask"),
        description=_l(
            "Off until you turn it on. Never applies while only you can see your profile."
        ),
    )
    novices_may_request = BooleanField(
        _l("Novice members may ask me for a meeting too"),
        description=_l("Mentoring newcomers is what many members are here for."),
    )
    show_contact_links = BooleanField(
        _l("Show my links to those who can see my profile"),
        description=_l("Logged-out visitors never see your links unless your profile is public."),
    )


class DeleteAccountForm(FlaskForm):
    # The service checks it (a blank one is simply not the member's password).
    password = PasswordField(_l("Your password"), render_kw={"required": True})


# --------------------------------------------------------------------------------------
# Between the form and the schema
# --------------------------------------------------------------------------------------

_CURATED = {
    "interests": (TagKind.interest, "other_interests", set(vocabulary.INTEREST_TAGS)),
    "networks": (TagKind.network, "other_networks", set(vocabulary.NETWORKS)),
    "qualifications": (
        TagKind.qualification,
        "other_qualifications",
        set(vocabulary.QUALIFICATIONS),
    ),
}
_PLAIN = ("display_name", "headline", "pronouns", "bio", "career_stage", "role",
          "organisation", "sector", "country", "region", "city", "time_zone")  # fmt: skip
_PRIVACY = ("visibility", "in_directory", "matchable", "novices_may_request",
            "show_contact_links")  # fmt: skip


def profile_payload(form: EssentialsForm) -> dict[str, Any]:
    """The form's fields in the shape ProfileUpdateSchema loads (as the JSON API sends)."""
    payload: dict[str, Any] = {name: form[name].data or "" for name in _PLAIN if name in form}
    for name, (_, other, _) in _CURATED.items():
        if name in form:
            payload[name] = [*(form[name].data or []), *split_entries(form[other].data)]
    payload["looking_for"] = list(form.looking_for.data or [])
    payload["offering"] = list(form.offering.data or [])
    if "links" in form:
        payload["links"] = [link for link in map(_link_of, form.links) if any(link.values())]
    if "visibility" in form:
        payload["privacy"] = {name: form[name].data for name in _PRIVACY}
        payload["privacy"]["visibility"] = form.visibility.data or ""
    return payload


def profile_form_data(profile: MemberProfile) -> dict[str, Any]:
    """A saved profile as form data: curated tags tick boxes, the rest go in "Other"."""
    data: dict[str, Any] = {
        name: getattr(profile, name) or "" for name in _PLAIN if name != "display_name"
    }
    data["display_name"] = profile.user.display_name
    for name, (kind, other, curated) in _CURATED.items():
        values = profile.tag_values(kind)
        data[name] = [value for value in values if value in curated]
        data[other] = ", ".join(value for value in values if value not in curated)
    data["looking_for"] = profile.looking_for
    data["offering"] = profile.offering
    data["links"] = [{"label": link.label, "url": link.url} for link in profile.links]
    data.update({name: getattr(profile, name) for name in _PRIVACY})
    data["visibility"] = str(profile.visibility)
    return data


def _link_of(entry: FormField) -> dict[str, str]:
    """One link row; an empty address is left out so the schema says it is missing."""
    row = entry.form  # entry.label would be the FormField's own <label>
    link = {"label": (row.label.data or "").strip(), "url": (row.url.data or "").strip()}
    return {key: value for key, value in link.items() if value}


def place_errors(form: FlaskForm, error: DomainError) -> None:
    """Put schema and service messages next to their fields (links by row, privacy inside)."""
    placed = False
    for name, messages in error.field_errors.items():
        if name == "links" and isinstance(messages, dict):
            placed |= _place_link_errors(form, messages)
            continue
        if name == "privacy" and isinstance(messages, dict):
            for inner, inner_messages in messages.items():
                placed |= _add(form, inner, inner_messages)
            continue
        placed |= _add(form, name, messages)
    if not placed:
        form.form_errors.append(error.message)


def _flatten(messages: Any) -> list[str]:
    if isinstance(messages, dict):
        return [text for value in messages.values() for text in _flatten(value)]
    if isinstance(messages, list | tuple):
        return [text for value in messages for text in _flatten(value)]
    # Messages marked N_ in the schemas are translated here; others already are.
    return [gettext(str(messages))]


def _add(form: FlaskForm, name: str, messages: Any) -> bool:
    field = getattr(form, name, None)
    if field is None:
        return False
    field.errors = [*field.errors, *_flatten(messages)]
    return True


def _place_link_errors(form: FlaskForm, messages: dict[Any, Any]) -> bool:
    # The payload skipped blank rows, so the n-th link is the n-th filled row.
    filled = [entry.form for entry in form.links if any(_link_of(entry).values())]
    placed = False
    for index, row_messages in messages.items():
        if not isinstance(index, int) or index >= len(filled):
            placed |= _add(form, "links", row_messages)
            continue
        for inner, inner_messages in (row_messages or {}).items():
            placed |= _add(filled[index], inner, inner_messages)
    return placed
