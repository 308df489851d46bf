"""/styleguide: sample data for each component, no database."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template, request
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from hallway.core.forms import FlaskForm
from hallway.core.pagination import page_number, page_of
from hallway.db import utcnow

bp = Blueprint("styleguide", __name__)


class SampleForm(FlaskForm):
    """A form showing a field with help text, one with an error, a select and a switch."""

    class Meta:
        csrf = False

    display_name = StringField("Your name", description="Shown beside everything you post.")
    email = EmailField("Email")
    stage = SelectField(
        "Career stage",
        choices=[
            SelectChoice("novice", "Novice"),
            SelectChoice("career", "Career"),
            SelectChoice("advanced", "Advanced"),
        ],
    )
    about = TextAreaField("About you", description="A few lines; Markdown works.")
    open_to_requests = BooleanField(
        "Open to requests", description="Members may ask you for a coffee chat."
    )


#: Colour tokens shown as swatches: (token, what it is for).
COLOURS = [
    ("--hw-text", "Body text"),
    ("--hw-text-muted", "Secondary text, meta lines"),
    ("--hw-primary", "Links, primary buttons"),
    ("--hw-primary-hover", "Hover on primary"),
    ("--hw-primary-tint", "Current / selected background"),
    ("--hw-border", "Input and control boundaries"),
    ("--hw-divider", "Decorative separators"),
    ("--hw-surface", "Cards' headers, the header bar"),
    ("--hw-danger", "Destructive actions, errors"),
    ("--hw-success", "“Open to requests”, success"),
    ("--hw-warning-text", "Warnings"),
    ("--hw-focus", "Focus ring"),
]


@bp.get("/styleguide")
def index():
    form = SampleForm(formdata=None, data={"display_name": "Maya Okafor", "email": "maya@"})
    form.email.errors = ["Enter an email address like name@example.org."]
    number = request.args.get("page", 3, type=page_number)
    page = page_of(["sample"], page=min(number, 12), per_page=10, total=120)
    now = utcnow()
    return render_template(
        "styleguide/index.html",
        form=form,
        page=page,
        colours=COLOURS,
        recent=now - timedelta(hours=3),
        older=now - timedelta(days=40),
    )
