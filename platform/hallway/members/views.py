"""Member pages: profiles, the directory, editing, the welcome flow, pictures, data export
and account deletion. Thin: each reads input, calls the service and renders; the request
commits (or, for a refusal, rolls back) once.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required, logout_user
from markupsafe import Markup
from marshmallow import ValidationError

from hallway.core import unit_of_work
from hallway.core.errors import DomainError, NotFound
from hallway.core.forms import csrf_token
from hallway.core.fragment_cache import cached_html, fragments
from hallway.core.i18n import current_locale_name
from hallway.core.loading import loads
from hallway.core.markdown import render_markdown
from hallway.core.shell import kept_page
from hallway.core.urls import profile_path, safe_next_path
from hallway.core.validation import load_or_refuse
from hallway.db import db
from hallway.extensions import limiter
from hallway.members import avatars, lookup, service, vocabulary
from hallway.members.forms import (
    DeleteAccountForm,
    ProfileForm,
    WelcomeForm,
    place_errors,
    profile_form_data,
    profile_payload,
)
from hallway.members.models import ProfileVisibility
from hallway.members.privacy import ProfileView, Viewer, directory_audience
from hallway.members.schemas import DirectoryQuerySchema, ProfileUpdateSchema, avatar_path
from hallway.moderation.service import blocked_user_ids

bp = Blueprint("members", __name__)

#: Versioned picture URLs never change content, so they may be cached for a year.
AVATAR_MAX_AGE = 365 * 24 * 3600


def current_viewer() -> Viewer:
    """The logged-in member (or anonymous visitor) as the privacy rules see them."""
    if "members_viewer" not in g:
        g.members_viewer = service.viewer_for(db.session, current_user)
    return g.members_viewer


# --------------------------------------------------------------------------------------
# Template helpers: labels, pictures and author links for every feature's pages
# --------------------------------------------------------------------------------------


@bp.app_template_global("member_labels")
def member_labels() -> dict[str, Any]:
    """The vocabulary as pages show it, in the page's language."""
    return _labels_in(current_locale_name())


@functools.lru_cache(maxsize=8)
def _labels_in(locale: str) -> dict[str, Any]:
    # The labels are the same for every page in one language: translated once per
    # process and language (the locale argument is the cache key; gettext reads the
    # request's locale, which is that one).
    return {
        "stages": vocabulary.translated_stages(),
        "sectors": vocabulary.translated(vocabulary.SECTORS),
        "intents": vocabulary.translated(vocabulary.INTENTS),
        "countries": vocabulary.country_names(locale),
        "networks": vocabulary.NETWORKS,
        "qualifications": vocabulary.QUALIFICATIONS,
        "region_name": lookup.subdivision_name,
        "subdivisions": vocabulary.subdivisions_for,
        "time_zones": vocabulary.TIME_ZONES,
        "interest_tags": vocabulary.INTEREST_TAGS,
        "interest_groups": vocabulary.translated_interest_groups(),
    }


@functools.cache
def _zone_options() -> tuple[tuple[str, str], ...]:
    return tuple((zone, zone.replace("_", " ")) for zone in vocabulary.TIME_ZONES)


@bp.app_template_global("directory_options")
def directory_options() -> dict[str, tuple[tuple[str, str], ...]]:
    """The directory filters' fixed (value, label) lists, built once per language."""
    return _directory_options_in(current_locale_name())


@functools.lru_cache(maxsize=8)
def _directory_options_in(locale: str) -> dict[str, tuple[tuple[str, str], ...]]:
    labels = _labels_in(locale)
    return {
        "stage": tuple((code, stage.label) for code, stage in labels["stages"].items()),
        "sector": tuple(labels["sectors"].items()),
        "intent": tuple(labels["intents"].items()),
        "country": tuple(vocabulary.country_names(locale).items()),
        "time_zone": _zone_options(),
    }


@functools.lru_cache(maxsize=64)
def _option_tags(options: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (
            value.upper(),
            str(Markup('<option value="%s">%s</option>') % (value, text)),
            str(Markup('<option value="%s" selected>%s</option>') % (value, text)),
        )
        for value, text in options
    )


@bp.app_template_global("option_tags")
def option_tags(options: Iterable[tuple[str, str]], selected: str | None) -> Markup:
    """``<option>`` tags for a filter, the one matching ``selected`` (any case) selected.

    The escaped tags of each list are made once: the directory's country and time-zone
    lists alone are 650 options on every page.
    """
    wanted = (selected or "").upper()
    return Markup(
        "".join(
            chosen if wanted and upper == wanted else plain
            for upper, plain, chosen in _option_tags(tuple(options))
        )
    )


@bp.app_template_global("member_work")
def member_work(profile: Any) -> str:
    """Role and organisation: "Tutor at Acme", or either alone."""
    if profile.role and profile.organisation:
        return gettext(
            "%(role)s at %(organisation)s", role=profile.role, organisation=profile.organisation
        )
    return str(profile.role or profile.organisation or "")


@bp.app_template_global("member_place")
def member_place(profile: Any) -> str:
    """City, region and country: "Leeds, England, United Kingdom"."""
    place = [
        profile.city,
        lookup.subdivision_name(profile.region),
        (
            vocabulary.country_names(current_locale_name()).get(profile.country)
            if profile.country
            else None
        ),
    ]
    return ", ".join(part for part in place if part)


@bp.app_template_global("member_summary")
def member_summary(profile: Any) -> str:
    """Stage, role and place in one line: "Novice · Tutor at Acme · Leeds, England, UK"."""
    parts = []
    if profile.career_stage:
        parts.append(member_labels()["stages"][profile.career_stage].label)
    if work := member_work(profile):
        parts.append(work)
    if place := member_place(profile):
        parts.append(place)
    return " · ".join(parts)


@bp.app_template_filter("member_intent")
def member_intent(code: str) -> str:
    return str(member_labels()["intents"].get(code, code))


@bp.app_template_global("avatar_of")
def avatar_of(view: Any) -> dict[str, str | None]:
    """What the avatar partial needs: a picture URL, or initials on a stable colour."""
    user = view.profile.user
    return {
        "url": avatar_path(view),
        "initials": avatars.initials(user.display_name),
        "colour": avatars.avatar_colour(str(user.id)),
    }


# --------------------------------------------------------------------------------------
# The directory and profiles
# --------------------------------------------------------------------------------------


@bp.get("/members")
def directory():
    """Search and filter the members this visitor may see; the URL holds the filters.

    The filters and results are the same HTML for everyone in one privacy audience, so
    they are rendered once per language, audience and query string and reused until a
    change to the directory bumps its content version (``service.DIRECTORY``). Only a
    query string that loaded cleanly is ever stored, so a stored copy needs no check.
    """
    raw = request.args.to_dict()
    viewer = current_viewer()
    try:
        content = cached_html(
            db.session,
            (
                "members.directory",
                current_locale_name(),
                directory_audience(viewer),
                request.query_string,
            ),
            depends_on=[service.DIRECTORY],
            render=lambda: _directory_content(
                page=service.search_directory(db.session, viewer, _DIRECTORY_QUERY.load(raw)),
                filters=raw,
                errors=[],
            ),
        )
    except ValidationError as error:
        messages = [
            f"{_FILTER_NAMES.get(name, name)}: {' '.join(_messages(found))}"
            for name, found in error.normalized_messages().items()
        ]
        refused = Markup(_directory_content(page=None, filters=raw, errors=messages))
        return kept_page("members/directory.html", title=gettext("Members"), content=refused), 400
    return kept_page("members/directory.html", title=gettext("Members"), content=content)


#: Loading is all it does, so one instance serves every request.
_DIRECTORY_QUERY = DirectoryQuerySchema()


#: The filters' names in error messages, as their labels say them.
_FILTER_NAMES = {
    "q": lazy_gettext("Name or keywords"),
    "stage": lazy_gettext("Career stage"),
    "sector": lazy_gettext("Sector"),
    "interest": lazy_gettext("Interest"),
    "network": lazy_gettext("Network"),
    "looking_for": lazy_gettext("Looking for"),
    "offering": lazy_gettext("Offering"),
    "country": lazy_gettext("Country"),
    "region": lazy_gettext("Province or state"),
    "time_zone": lazy_gettext("Time zone"),
    "sort": lazy_gettext("Sort by"),
    "page": lazy_gettext("Page"),
    "per_page": lazy_gettext("Per page"),
}

#: The filters in the "More filters" disclosure (the search words stay outside it).
_PANEL_FILTERS = frozenset(_FILTER_NAMES) - {"q", "page", "per_page"}


def _directory_content(page: Any, filters: dict[str, str], errors: list[str]) -> str:
    query = {key: value for key, value in filters.items() if key != "page" and value}
    active = sum(1 for key in _PANEL_FILTERS if filters.get(key))
    return render_template(
        "members/_directory.html",
        page=page,
        filters=filters,
        errors=errors,
        query=query,
        filters_active=active,
    )


def _messages(found: Any) -> list[str]:
    if isinstance(found, dict):
        return [text for value in found.values() for text in _messages(value)]
    if isinstance(found, list):
        return [gettext(str(text)) for text in found]
    return [gettext(str(found))]


# Other features add to a profile for a logged-in reader other than the member: members
# may not import them (they import members), so they register their parts at start-up.

#: Buttons in the profile's header, by feature: ``situation(session, view)`` gives the
#: reader's hashable facts (part of the kept article's key), ``render(view, situation)``
#: their HTML (kept with the article: it may not depend on anything else).
_HEADER_BUTTONS: dict[str, tuple[Callable[[Any, ProfileView], Any], Callable[..., str]]] = {}
#: Cards under the article, by feature: the content version they depend on (read with the
#: directory's) and ``card(view, version)`` giving their HTML for this reader.
_CARDS: dict[str, tuple[str, Callable[[ProfileView, int], str]]] = {}


def add_profile_buttons(
    feature: str, situation: Callable[[Any, ProfileView], Any], render: Callable[..., str]
) -> None:
    """Put a feature's buttons in every profile's header (for readers other than the member)."""
    _HEADER_BUTTONS[feature] = (situation, render)


def add_profile_card(
    feature: str, depends_on: str, card: Callable[[ProfileView, int], str]
) -> None:
    """Put a feature's card under every profile's article."""
    _CARDS[feature] = (depends_on, card)


def _visible_profile_and_versions(
    session: Any, account: Any, handle: str
) -> tuple[ProfileView, tuple[int, ...]]:
    names = (service.DIRECTORY, *(depends_on for depends_on, _card in _CARDS.values()))
    return service.visible_profile_and_versions(session, account, handle, names)


@bp.get("/members/<handle>")
@loads("page", _visible_profile_and_versions, arg="handle", ask_login=True)
def profile(page: tuple[ProfileView, tuple[int, ...]]):
    """A member's profile.

    The article, with the reader's block button and other features' buttons in it, is the
    same HTML for every reader in the same situation (what they may see of it; whether
    they blocked the member; the facts behind the buttons), so it is kept per situation
    until the directory changes (``service.DIRECTORY``); only the CSRF token is put in per
    request. The cards under it (matching's "Why you two should talk") keep their own
    HTML. Every content version is read with the profile, in one statement.
    """
    session = db.session
    view, (directory_version, *card_versions) = page
    cards = list(_CARDS.values())
    situation = _reader_situation(session, view)
    key = (
        "members.profile",
        current_locale_name(),
        view.profile.user_id,
        view.is_owner,
        view.as_admin,
        view.show_links,
        view.show_settings,
        view.may_request,
        situation,
        request.path,
    )
    article = fragments.get(key, (directory_version,))
    if article is None:
        article = _render_article(view, situation)
        fragments.put(key, (directory_version,), article)
    if situation is not None:
        article = article.replace(_CSRF_SLOT, csrf_token())
    response = current_app.make_response(
        kept_page(
            "members/profile.html",
            title=view.profile.user.display_name,
            content=Markup(article + "\n")
            + Markup(
                "".join(
                    card(view, version)
                    for (_, card), version in zip(cards, card_versions, strict=True)
                )
            ),
        )
    )
    if view.profile.visibility != "public":
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def _reader_situation(session: Any, view: ProfileView) -> tuple[Any, ...] | None:
    """For a logged-in reader on someone else's profile: whether they blocked the member,
    then each feature's facts behind its buttons. None for the owner and for visitors
    (no buttons)."""
    if not current_user.is_authenticated or view.is_owner:
        return None
    return (
        view.profile.user_id in blocked_user_ids(session, current_user.id),
        *(situation(session, view) for situation, _render in _HEADER_BUTTONS.values()),
    )


def _render_article(view: ProfileView, situation: tuple[Any, ...] | None) -> str:
    buttons = Markup("")
    if situation is not None:
        blocked, *facts = situation
        buttons = Markup(
            render_template(
                "moderation/_block_button.html",
                member=view.profile.user,
                is_blocked=blocked,
                csrf_token=lambda: _CSRF_SLOT,
            )
        ) + Markup("").join(
            Markup(render(view, fact))
            for (_situation, render), fact in zip(_HEADER_BUTTONS.values(), facts, strict=True)
        )
    return render_template(
        "members/_profile.html",
        view=view,
        bio_html=_bio_html(view.profile.bio),
        reader_buttons=buttons,
    )


#: Where the reader's CSRF token goes in a kept article (no escaped text of a member can
#: contain a comment).
_CSRF_SLOT = Markup("<!--csrf-token-->")


@functools.lru_cache(maxsize=256)
def _bio_html(bio: str) -> Markup:
    # A bio renders the same for every viewer (no mention links): the popular profiles'
    # HTML is kept rather than parsed and sanitised again on every view.
    return render_markdown(bio)


@bp.get("/members/<handle>/avatar")
@loads("view", service.visible_profile, arg="handle")
def avatar(view: ProfileView):
    """The member's picture, with the same privacy as their profile.

    The URL carries a prefix of the picture's hash, so a new picture has a new URL and a
    versioned request may be cached for a year (privately unless the profile is public).
    """
    picture = view.profile.avatar
    if picture is None:
        raise NotFound(gettext("This member has no picture."))
    is_public = view.profile.visibility is ProfileVisibility.public
    response = current_app.response_class(picture.data, mimetype=picture.content_type)
    response.set_etag(picture.content_hash)
    versioned = request.args.get("v") == picture.content_hash[:16]
    scope = "public" if is_public else "private"
    response.headers["Cache-Control"] = (
        f"{scope}, max-age={AVATAR_MAX_AGE}, immutable" if versioned else f"{scope}, no-cache"
    )
    if not is_public:
        response.vary.add("Cookie")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


# --------------------------------------------------------------------------------------
# Editing, and the first-run welcome
# --------------------------------------------------------------------------------------


def _upload_bytes(storage: Any) -> bytes | None:
    if not storage or not getattr(storage, "filename", ""):
        return None
    # One byte over the limit is enough for process_avatar to refuse it by size.
    return storage.stream.read(avatars.MAX_AVATAR_BYTES + 1)


@bp.route("/profile/edit", methods=["GET", "POST"])
@login_required
def edit_profile():
    user = current_user._get_current_object()
    saved = service.profile_of(db.session, user)
    form = ProfileForm(data=profile_form_data(saved))
    form.set_region_choices()
    if form.validate_on_submit() and _attempt(
        form,
        lambda: service.update_profile(
            db.session,
            user,
            _changes_from(form),
            avatar_upload=_upload_bytes(form.avatar.data),
            remove_avatar=bool(form.remove_avatar.data),
        ),
    ):
        flash(gettext("Your profile is saved."), "success")
        return redirect(url_for("members.edit_profile"))
    status = _explain_refusal(form)
    view = service.own_view(db.session, user)
    return render_template("members/edit.html", form=form, view=view), status


def _changes_from(form: Any) -> dict[str, Any]:
    """The form's input, checked by the same schema as the JSON API's."""
    return load_or_refuse(ProfileUpdateSchema(), profile_payload(form))


def _attempt(form: Any, action: Callable[[], object]) -> bool:
    """Run a service action (the request commits it); or roll back and show its refusal."""
    try:
        action()
    except DomainError as error:
        unit_of_work.rollback(db.session)
        place_errors(form, error)
        return False
    return True


def _explain_refusal(form: Any) -> int:
    """A summary above a refused form (field messages sit by their fields); the status."""
    if not form.is_submitted():
        return 200
    if not form.form_errors:
        form.form_errors.append(
            gettext("This form has expired. Please submit it again.")
            if form.csrf_token.errors
            else gettext("Please correct the highlighted fields.")
        )
    return 422


@bp.route("/welcome", methods=["GET", "POST"])
@login_required
def welcome():
    """First run after sign-up: the essentials, or skip; then on to ``next``."""
    user = current_user._get_current_object()
    form = WelcomeForm(data=profile_form_data(service.profile_of(db.session, user)))
    if not form.is_submitted():
        form.next.data = request.args.get("next", "")
    form.set_region_choices()
    next_path = safe_next_path(form.next.data, "")
    if form.validate_on_submit():
        if form.skip.data:
            service.skip_welcome(db.session, user)
            flash(gettext("You can fill in your profile any time from your account menu."), "info")
            return redirect(next_path or url_for("home.index"))
        if _attempt(form, lambda: service.complete_welcome(db.session, user, _changes_from(form))):
            flash(gettext("Thanks! Your profile is ready."), "success")
            return redirect(next_path or profile_path(user.handle))
    return render_template("members/welcome.html", form=form), _explain_refusal(form)


# --------------------------------------------------------------------------------------
# Your data: download it, or delete the account
# --------------------------------------------------------------------------------------


@bp.get("/account/data")
@login_required
def download_data():
    user = current_user._get_current_object()
    data = service.export_member_data(db.session, user)
    response = current_app.response_class(
        json.dumps(data, indent=2, ensure_ascii=False), mimetype="application/json"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="hallway-{user.handle}-data.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per 10 minutes", methods=["POST"])
def delete_account():
    form = DeleteAccountForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and _attempt(
        form, lambda: service.delete_account(db.session, user, password=form.password.data)
    ):
        logout_user()
        flash(
            gettext(
                "Your account and profile are deleted. Your posts now show as by a former member."
            ),
            "info",
        )
        return redirect(url_for("home.index"))
    return render_template("members/delete.html", form=form), _explain_refusal(form)
