"""JSON API for members: the directory, profiles, one's own profile and data export.

The same privacy rules as the pages (the service asks hallway.members.privacy); writes
need the page's CSRF token in the X-CSRFToken header.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user, login_required
from flask_smorest import Blueprint
from marshmallow import RAISE

from hallway.core.errors import NotFound
from hallway.core.loading import loads
from hallway.db import db
from hallway.members import service, vocabulary
from hallway.members.privacy import ProfileView
from hallway.members.schemas import (
    DirectoryPageSchema,
    DirectoryQuerySchema,
    MemberSchema,
    ProfileUpdateSchema,
    RegionSchema,
)
from hallway.members.views import current_viewer

bp = Blueprint("members_api", __name__, description="Member profiles and the directory")


@bp.get("/members")
@bp.arguments(DirectoryQuerySchema, location="query", unknown=RAISE)
@bp.response(200, DirectoryPageSchema)
def directory(filters: dict[str, Any]):
    """The directory: the members you may see, filtered like the /members page."""
    return service.search_directory(db.session, current_viewer(), filters)


@bp.get("/members/<handle>")
@bp.response(200, MemberSchema)
@loads("view", service.visible_profile, arg="handle")
def member(view: ProfileView):
    """One member's profile, as much of it as you may see."""
    return view


@bp.get("/me/profile")
@login_required
@bp.response(200, MemberSchema)
def my_profile():
    """Your own profile, with your privacy settings."""
    return service.own_view(db.session, current_user._get_current_object())


@bp.patch("/me/profile")
@login_required
@bp.arguments(ProfileUpdateSchema)
@bp.response(200, MemberSchema)
def update_my_profile(changes: dict[str, Any]):
    """Change your profile: send only the fields to change. 422 lists what to correct."""
    user = current_user._get_current_object()
    service.update_profile(db.session, user, changes)
    return service.own_view(db.session, user)


@bp.get("/me/export")
@login_required
@bp.response(200)
def my_data():
    """Everything Hallway holds about you, as JSON."""
    return service.export_member_data(db.session, current_user._get_current_object())


@bp.get("/regions/<country>")
@bp.response(200, RegionSchema(many=True))
def regions(country: str):
    """Top-level regions (provinces, states...) of a country, for the profile form."""
    if not vocabulary.is_valid_country(country.upper()):
        raise NotFound("No such country code.")
    return vocabulary.subdivisions_for(country)
