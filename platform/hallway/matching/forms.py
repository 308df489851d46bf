"""HTML forms for the matching pages. WTForms brings rendering, CSRF and per-field
errors; what a form holds is loaded by ``matching.schemas`` and the rules are the
services', so a page and the JSON API refuse the same things with the same words.

The round's per-person choices (role and capacity for each person going, a mentor for
each mentee) are one field per person, named ``role-<user id>``, ``capacity-<user id>``
and ``mentor-<user id>``, read by ``round_people`` and ``pair_choices``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from hallway.core.errors import InvalidInput
from hallway.core.forms import FlaskForm
from hallway.core.validation import N_
from hallway.matching.schemas import (
    NOTE_MAX_LENGTH,
    ROUND_DURATIONS,
    ROUND_MESSAGE_MAX_LENGTH,
    ROUND_PLACE_MAX_LENGTH,
    ROUND_TITLE_MAX_LENGTH,
)
from hallway.matching.service import DISMISS_REASONS


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (publish, recompute, delete)."""


class DismissForm(FlaskForm):
    """ "Not for me", with an optional reason and note."""

    reason = SelectField(
        lazy_gettext("Why? (optional)"),
        choices=[SelectChoice("", lazy_gettext("No reason given"))]
        + [SelectChoice(code, label) for code, label in DISMISS_REASONS.items()],
        validate_choice=False,
    )
    note = StringField(
        lazy_gettext("Anything to add? (optional)"),
        render_kw={"maxlength": NOTE_MAX_LENGTH},
    )
    next = HiddenField()


def dismiss_values(form: DismissForm, user_id: int) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "reason": form.reason.data or None,
        "note": (form.note.data or "").strip(),
    }


class RoundForm(FlaskForm):
    """The round's meeting details (loaded with RoundFormSchema)."""

    title = StringField(
        lazy_gettext("Title"),
        default=lazy_gettext("Mentoring round"),
        render_kw={"required": True, "maxlength": ROUND_TITLE_MAX_LENGTH},
    )
    starts_at = StringField(
        lazy_gettext("First meetings start"),
        description=lazy_gettext(
            "In the event's time zone. A mentor with several mentees meets them one after another."
        ),
        render_kw={"required": True, "type": "datetime-local"},
    )
    duration_minutes = SelectField(
        lazy_gettext("Each meeting lasts"),
        choices=[
            SelectChoice(str(minutes), lazy_gettext("%(minutes)s minutes", minutes=minutes))
            for minutes in ROUND_DURATIONS
        ],
        default="30",
        validate_choice=False,
    )
    place = StringField(
        lazy_gettext("Where"),
        description=lazy_gettext("A room, a table, or a meetup room."),
        render_kw={"maxlength": ROUND_PLACE_MAX_LENGTH},
    )
    message = TextAreaField(
        lazy_gettext("Message sent with each request"),
        render_kw={"rows": 3, "maxlength": ROUND_MESSAGE_MAX_LENGTH},
    )


def round_values(form: RoundForm) -> dict[str, Any]:
    return {
        "title": (form.title.data or "").strip(),
        "starts_at": (form.starts_at.data or "").strip(),
        "duration_minutes": (form.duration_minutes.data or "30").strip(),
        "place": form.place.data or "",
        "message": form.message.data or "",
    }


def round_people(
    values: Mapping[str, str], candidate_ids: Iterable[int]
) -> tuple[list[int], dict[int, int]]:
    """Mentees and mentors (with capacities) from the ``role-<id>`` / ``capacity-<id>``
    fields, for the people offered (anything else posted is ignored)."""
    mentees: list[int] = []
    mentors: dict[int, int] = {}
    errors: dict[str, list[str]] = {}
    for user_id in candidate_ids:
        role = values.get(f"role-{user_id}", "")
        if role == "mentee":
            mentees.append(user_id)
        elif role == "mentor":
            raw = values.get(f"capacity-{user_id}", "1").strip() or "1"
            try:
                mentors[user_id] = int(raw)
            except ValueError:
                errors[f"capacity-{user_id}"] = [N_("Enter a whole number of mentees.")]
    if errors:
        raise InvalidInput(N_("Please correct the highlighted fields."), errors)
    return mentees, mentors


def pair_choices(values: Mapping[str, str], mentee_ids: Iterable[int]) -> dict[int, int | None]:
    """Each mentee's chosen mentor from the ``mentor-<id>`` selects ("" is nobody)."""
    choices: dict[int, int | None] = {}
    errors: dict[str, list[str]] = {}
    for mentee_id in mentee_ids:
        name = f"mentor-{mentee_id}"
        if name not in values:
            continue
        raw = values[name].strip()
        if not raw:
            choices[mentee_id] = None
            continue
        try:
            choices[mentee_id] = int(raw)
        except ValueError:
            errors[name] = [N_("Choose one of the mentors offered.")]
    if errors:
        raise InvalidInput(N_("Please correct the highlighted fields."), errors)
    return choices
