"""Member profile rules: editing, the welcome flow, the directory, pictures, the data
export, account deletion and the organisers' import.

Functions take a Session and explicit arguments, add and flush, and never commit; they
refuse with InvalidInput / NotAllowed / NotFound / Conflict. What a viewer may SEE is
decided in ``hallway.members.privacy``; this module only asks it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from flask_babel import gettext, lazy_gettext
from sqlalchemy import and_, bindparam, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, selectinload
from werkzeug.security import check_password_hash

from hallway.accounts import service as accounts_service
from hallway.accounts.models import User
from hallway.accounts.schemas import AccountExportSchema
from hallway.core import signals
from hallway.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from hallway.core.export import export_parts
from hallway.core.fragment_cache import ContentVersion, bump, current_versions
from hallway.core.pagination import Page, paginate
from hallway.db import fold, utcnow
from hallway.members import avatars, vocabulary
from hallway.members.models import (
    IntentDirection,
    MemberAvatar,
    MemberIntent,
    MemberLink,
    MemberProfile,
    MemberTag,
    ProfileVisibility,
    TagKind,
)
from hallway.members.privacy import (
    ANONYMOUS,
    ProfileView,
    Viewer,
    directory_clause,
    view_profile,
)
from hallway.members.schemas import AvatarExportSchema, ProfileExportSchema
from hallway.realtime import notify, user_topic

PROFILE_TEXT_FIELDS = ("headline", "bio", "pronouns", "role", "organisation", "city")
CHOICE_FIELDS = ("career_stage", "sector", "time_zone")
PRIVACY_FIELDS = ("visibility", "in_directory", "matchable", "novices_may_request",
                  "show_contact_links")  # fmt: skip
WELCOME_ESSENTIALS = {
    "career_stage": lazy_gettext("Choose the stage that fits you best."),
    "country": lazy_gettext("Choose your country."),
    "time_zone": lazy_gettext("Choose your time zone, so people can find a time to meet."),
    "interests": lazy_gettext("Pick at least one interest."),
}

#: The content version of the directory's cached pages: every change to what the
#: directory lists or shows of a member bumps it (see hallway.core.fragment_cache).
DIRECTORY = "directory"

_TAG_FIELDS = {
    "interests": TagKind.interest,
    "networks": TagKind.network,
    "qualifications": TagKind.qualification,
}
_INTENT_FIELDS = {
    "looking_for": IntentDirection.looking_for,
    "offering": IntentDirection.offering,
}

# --------------------------------------------------------------------------------------
# Finding profiles and viewers
# --------------------------------------------------------------------------------------


class OwnProfileFacts(NamedTuple):
    """What every page may need of the reader's own profile, read once per request."""

    career_stage: str | None
    visibility: ProfileVisibility
    in_directory: bool
    time_zone: str | None
    #: Opted in to matching: a profile page's "Why you two should talk" asks on every view.
    matchable: bool


_OWN_FACTS = "hallway.members.own_facts"
_OWN_FACTS_OF = select(
    MemberProfile.career_stage,
    MemberProfile.visibility,
    MemberProfile.in_directory,
    MemberProfile.time_zone,
    MemberProfile.matchable,
).where(MemberProfile.user_id == bindparam("user_id"))


def own_profile_facts(session: Session, user_id: int) -> OwnProfileFacts | None:
    """The member's own stage, privacy, time zone and matching consent (None without a
    saved profile).

    One query per request (the session lives for one request) whoever asks: the privacy
    rules and the time zone of every time on the page. A change to the profile in this
    request forgets it (``_forget_own_facts``).
    """
    known: dict[int, OwnProfileFacts | None] = session.info.setdefault(_OWN_FACTS, {})
    if user_id not in known:
        row = session.execute(_OWN_FACTS_OF, {"user_id": user_id}).first()
        known[user_id] = OwnProfileFacts(*row) if row is not None else None
    return known[user_id]


def _forget_own_facts(session: Session) -> None:
    session.info.pop(_OWN_FACTS, None)


def register_own_facts_with_user() -> None:
    """Read the reader's own facts in the statement that loads them (every logged-in page
    asks for the time zone): ``accounts.service.load_with_user``, kept as above."""
    columns = [
        select(column).where(MemberProfile.user_id == User.id).correlate(User).scalar_subquery()
        for column in _OWN_FACTS_OF.selected_columns
    ]

    def receive(session: Session, user: User, values: tuple[Any, ...]) -> None:
        # A saved profile always has a visibility: without one there is no profile.
        facts = OwnProfileFacts(*values) if values[1] is not None else None
        session.info.setdefault(_OWN_FACTS, {})[user.id] = facts

    accounts_service.load_with_user("members.own_profile_facts", columns, receive)


def viewer_for(session: Session, user: Any) -> Viewer:
    """The Viewer for an account (or Flask-Login's anonymous user, or None)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    own = own_profile_facts(session, user.id)
    if own is None:
        return Viewer(user_id=user.id, is_admin=user.is_admin)
    return Viewer(
        user_id=user.id,
        is_admin=user.is_admin,
        career_stage=own.career_stage,
        listed_privately=bool(own.in_directory) and own.visibility == ProfileVisibility.private,
    )


def blank_profile(user: User) -> MemberProfile:
    """An unsaved profile with the defaults, for members who have not filled theirs in."""
    return MemberProfile(
        user_id=user.id,
        user=user,
        headline="",
        bio="",
        pronouns="",
        role="",
        organisation="",
        city="",
        visibility=ProfileVisibility.members,
        in_directory=True,
        matchable=False,
        novices_may_request=True,
        show_contact_links=False,
        tags=[],
        intents=[],
        links=[],
    )


def profile_of(session: Session, user: User) -> MemberProfile:
    """The member's saved profile, or an unsaved blank one."""
    return session.get(MemberProfile, user.id) or blank_profile(user)


def ensure_profile(session: Session, user: User) -> MemberProfile:
    """The member's profile row, created with the safe defaults when missing."""
    profile = session.get(MemberProfile, user.id)
    if profile is None:
        profile = blank_profile(user)
        profile.search_text = search_text_of(profile)
        session.add(profile)
        session.flush()
        _forget_own_facts(session)
        bump(session, DIRECTORY)
    return profile


def own_view(session: Session, user: User) -> ProfileView:
    """The member's own profile, as they see it."""
    return view_profile(viewer_for(session, user), profile_of(session, user))


#: A profile with its account, by handle, in one query (the statement built once).
_PROFILE_BY_HANDLE = (
    select(MemberProfile)
    .join(MemberProfile.user)
    .options(contains_eager(MemberProfile.user))
    .where(User.handle == bindparam("handle"))
)


def visible_profile(session: Session, account: Any, handle: str) -> ProfileView:
    """What ``account`` (or an anonymous visitor) may see of the member with ``handle``.

    The loader of every route on a profile (``@loads("view", visible_profile,
    arg="handle")``). An unknown handle and a hidden profile refuse alike with NotFound,
    so handles cannot be probed.
    """
    return visible_profile_and_versions(session, account, handle, ())[0]


@functools.lru_cache(maxsize=8)
def _profile_with_versions(names: tuple[str, ...]) -> Any:
    return _PROFILE_BY_HANDLE.add_columns(
        *(
            select(ContentVersion.version).where(ContentVersion.name == name).scalar_subquery()
            for name in names
        )
    )


def visible_profile_and_versions(
    session: Session, account: Any, handle: str, names: tuple[str, ...]
) -> tuple[ProfileView, tuple[int, ...]]:
    """``visible_profile``, and the content versions ``names`` read in the same statement
    (so before anything else on the page): the profile page's kept HTML depends on them.
    """
    row = session.execute(
        _profile_with_versions(names), {"handle": accounts_service.normalise_handle(handle)}
    ).first()
    if row is not None:
        profile, versions = row[0], tuple(version or 0 for version in row[1:])
    else:  # no profile saved yet: the account's blank one, if any
        versions = current_versions(session, names)
        user = accounts_service.find_user_by_handle(session, handle)
        profile = blank_profile(user) if user is not None else None
    if profile is not None:
        view = view_profile(viewer_for(session, account), profile)
        if view.visible:
            return view, versions
    raise NotFound(gettext("There is no profile here, or its owner keeps it private."))


#: Built once: every new comment's broadcast asks (building it cost more than running it).
_PRIVATE_AMONG = select(MemberProfile.user_id).where(
    MemberProfile.user_id.in_(bindparam("user_ids", expanding=True)),
    MemberProfile.visibility == ProfileVisibility.private,
)


def private_profile_user_ids(session: Session, user_ids: Iterable[int]) -> set[int]:
    """Which of these members keep their profile to themselves (one query). Pages that
    list many authors use this to withhold profile links without a query per author."""
    wanted = list(user_ids)
    if not wanted:
        return set()
    return set(session.scalars(_PRIVATE_AMONG, {"user_ids": wanted}))


# --------------------------------------------------------------------------------------
# Editing a profile
# --------------------------------------------------------------------------------------


def link_label(url: str) -> str:
    """A readable label for a link the member did not name."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    known = {
        "linkedin.com": "LinkedIn",
        "github.com": "GitHub",
        "orcid.org": "ORCID",
        "bsky.app": "Bluesky",
        "youtube.com": "YouTube",
        "scholar.google.com": "Google Scholar",
    }
    for domain, label in known.items():
        if host == domain or host.endswith("." + domain):
            return label
    if parts.path.startswith("/@"):
        return "Mastodon"
    return "Website"


def _replace_tags(profile: MemberProfile, kind: TagKind, values: list[str]) -> None:
    """Keep rows that stay (so the unique index never sees a delete-then-insert clash)."""
    current = {tag.value: tag for tag in profile.tags if tag.kind is kind}
    keep = [tag for tag in profile.tags if tag.kind is not kind]
    for position, value in enumerate(values):
        tag = current.get(value) or MemberTag(kind=kind, value=value)
        tag.position = position
        keep.append(tag)
    profile.tags = keep


def _replace_intents(
    profile: MemberProfile, direction: IntentDirection, codes: Iterable[str]
) -> None:
    current = {row.intent: row for row in profile.intents if row.direction is direction}
    keep = [row for row in profile.intents if row.direction is not direction]
    for position, code in enumerate(dict.fromkeys(codes)):
        row = current.get(code) or MemberIntent(direction=direction, intent=code)
        row.position = position
        keep.append(row)
    profile.intents = keep


def _region_error(country: str | None, region: str | None) -> str | None:
    if region is None:
        return None
    if country is None:
        return gettext("Choose a country first.")
    if not vocabulary.is_valid_subdivision(country, region):
        name = vocabulary.country_name(country)
        return gettext(
            "Choose a province, state or region of %(country)s (or leave it empty).", country=name
        )
    return None


def _avatar_from(upload: bytes) -> MemberAvatar:
    try:
        data = avatars.process_avatar(upload)
    except avatars.AvatarError as error:
        raise InvalidInput(
            gettext("Please choose another picture."), {"avatar": [str(error)]}
        ) from error
    return MemberAvatar(
        content_hash=hashlib.sha256(data).hexdigest(),
        content_type=avatars.AVATAR_MIME_TYPE,
        byte_size=len(data),
        data=data,
    )


def update_profile(
    session: Session,
    user: User,
    changes: Mapping[str, Any],
    *,
    avatar_upload: bytes | None = None,
    remove_avatar: bool = False,
) -> MemberProfile:
    """Change the member's own profile; only the keys in ``changes`` change.

    ``changes`` is what ProfileUpdateSchema loads (or ImportRowSchema: the same keys),
    so its shape, lengths, choices and tags are already checked and normalised; what is
    left needs the stored profile. Everything is checked before anything is written, so
    a refused change (a region outside the country, a rejected picture) leaves the
    profile exactly as it was. A new country without a region clears the old region.
    """
    errors: dict[str, list[str]] = {}
    existing = session.get(MemberProfile, user.id)
    current = existing or blank_profile(user)

    new_avatar = _avatar_from(avatar_upload) if avatar_upload else None

    country = changes.get("country", current.country)
    region = changes.get("region", current.region)
    if "country" in changes and "region" not in changes and country != current.country:
        region = None
    if message := _region_error(country, region):
        errors["region"] = [message]

    if errors:
        raise InvalidInput(gettext("Please correct the highlighted fields."), errors)

    profile = existing or ensure_profile(session, user)
    user.display_name = changes.get("display_name", user.display_name)
    for name in PROFILE_TEXT_FIELDS:
        if name in changes:
            setattr(profile, name, changes[name] or "")
    for name in CHOICE_FIELDS:
        if name in changes:
            setattr(profile, name, changes[name] or None)
    profile.country, profile.region = country, region
    for name in PRIVACY_FIELDS:
        if name in changes:
            value = changes[name]
            setattr(profile, name, ProfileVisibility(value) if name == "visibility" else value)
    for name, kind in _TAG_FIELDS.items():
        if name in changes:
            _replace_tags(profile, kind, changes[name])
    for direction in IntentDirection:
        if direction.value in changes:
            _replace_intents(profile, direction, changes[direction.value])
    if "links" in changes:
        profile.links = [
            MemberLink(
                label=(link.get("label") or "").strip() or link_label(link["url"]),
                url=link["url"],
                position=position,
            )
            for position, link in enumerate(changes["links"])
        ]
    if new_avatar is not None:
        _store_avatar(profile, new_avatar)
    elif remove_avatar:
        profile.avatar = None
    profile.search_text = search_text_of(profile)
    profile.updated_at = utcnow()
    session.flush()
    _forget_own_facts(session)
    bump(session, DIRECTORY)
    signals.profile_changed.send(session, user_id=user.id)
    return profile


def _store_avatar(profile: MemberProfile, new_avatar: MemberAvatar) -> None:
    if profile.avatar is None:
        profile.avatar = new_avatar
        return
    for name in ("content_hash", "content_type", "byte_size", "data"):
        setattr(profile.avatar, name, getattr(new_avatar, name))
    profile.avatar.updated_at = utcnow()


# --------------------------------------------------------------------------------------
# The first-run welcome flow
# --------------------------------------------------------------------------------------


def needs_welcome(session: Session, user: User) -> bool:
    """True until the member has completed or skipped the welcome flow."""
    onboarded = session.scalar(
        select(MemberProfile.onboarded_at).where(MemberProfile.user_id == user.id)
    )
    return onboarded is None


def complete_welcome(session: Session, user: User, changes: Mapping[str, Any]) -> MemberProfile:
    """Save the essentials; career stage, country, time zone and an interest are required."""
    current = profile_of(session, user)
    missing_essentials = {
        name: [str(message)]
        for name, message in WELCOME_ESSENTIALS.items()
        if not (changes[name] if name in changes else getattr(current, name))
    }
    if missing_essentials:
        raise InvalidInput(gettext("A few essentials are missing."), missing_essentials)
    profile = update_profile(session, user, changes)
    profile.onboarded_at = profile.onboarded_at or utcnow()
    return profile


def skip_welcome(session: Session, user: User) -> MemberProfile:
    """Remember the member chose to fill their profile in later."""
    profile = ensure_profile(session, user)
    profile.onboarded_at = profile.onboarded_at or utcnow()
    session.flush()
    return profile


# --------------------------------------------------------------------------------------
# The directory
# --------------------------------------------------------------------------------------


def _has_tag(kind: TagKind, value: str, *, ignore_case: bool = False) -> Any:
    column = func.lower(MemberTag.value) if ignore_case else MemberTag.value
    return exists().where(
        MemberTag.user_id == MemberProfile.user_id,
        MemberTag.kind == kind,
        column == (value.lower() if ignore_case else value),
    )


def _has_intent(direction: IntentDirection, code: str) -> Any:
    return exists().where(
        MemberIntent.user_id == MemberProfile.user_id,
        MemberIntent.direction == direction,
        MemberIntent.intent == code,
    )


def search_text_of(profile: MemberProfile) -> str:
    """What the directory's text search looks in, folded: one field per line, so a word
    never matches across two fields. Stored in ``member_profiles.search_text``."""
    user = profile.user
    fields = (
        user.display_name,
        user.handle,
        profile.headline,
        profile.role,
        profile.organisation,
        profile.bio,
        profile.city,
    )
    return "\n".join(fold(value) for value in fields if value)


def _text_matches(words: list[str]) -> Any:
    """Every word is in the folded search text: ``search_text LIKE '%word%'``, the word
    folded in Python like the column, so both databases find the same members with no
    function per row."""
    return and_(
        *(MemberProfile.search_text.contains(fold(word), autoescape=True) for word in words)
    )


def directory_conditions(filters: Mapping[str, Any]) -> list[Any]:
    """SQL conditions for the directory's filters (DirectoryQuerySchema's output)."""
    conditions: list[Any] = []
    if words := (filters.get("q") or "").split()[:8]:
        conditions.append(_text_matches(words))
    for name in ("sector", "country", "region", "time_zone"):
        if filters.get(name):
            conditions.append(getattr(MemberProfile, name) == filters[name])
    if filters.get("stage"):
        conditions.append(MemberProfile.career_stage == filters["stage"])
    if filters.get("interest"):
        conditions.append(_has_tag(TagKind.interest, vocabulary.normalise_tag(filters["interest"])))
    if filters.get("network"):
        network = vocabulary.normalise_network(filters["network"])
        conditions.append(_has_tag(TagKind.network, network, ignore_case=True))
    for direction in IntentDirection:
        if filters.get(direction.value):
            conditions.append(_has_intent(direction, filters[direction.value]))
    return conditions


def search_directory(
    session: Session, viewer: Viewer, filters: Mapping[str, Any]
) -> Page[ProfileView]:
    """One page of the directory as this viewer may see it, filtered and sorted.

    Five queries for any page size: the count, the profiles with their accounts, their
    picture hashes (selectinload), and the interests and intents of that page as plain
    columns (loading every tag row as an object was half the page's time).
    """
    statement = (
        select(MemberProfile)
        .join(MemberProfile.user)
        .options(contains_eager(MemberProfile.user), selectinload(MemberProfile.avatar))
        .where(directory_clause(viewer), *directory_conditions(filters))
    )
    if filters.get("sort") == "newest":
        statement = statement.order_by(User.created_at.desc(), User.id.desc())
    else:
        statement = statement.order_by(func.lower(User.display_name), User.id)
    page = paginate(session, statement, page=filters.get("page"), per_page=filters.get("per_page"))
    lists = _interests_and_intents(session, [profile.user_id for profile in page.items])
    return dataclasses.replace(
        page,
        items=[
            dataclasses.replace(view_profile(viewer, profile), preloaded=lists[profile.user_id])
            for profile in page.items
        ],
    )


def _interests_and_intents(
    session: Session, user_ids: list[int]
) -> dict[int, dict[str, list[str]]]:
    """{user id: {"interests": [...], "looking_for": [...], "offering": [...]}} in each
    member's own order, in two queries for the whole page."""
    lists: dict[int, dict[str, list[str]]] = {
        user_id: {"interests": [], "looking_for": [], "offering": []} for user_id in user_ids
    }
    if not user_ids:
        return lists
    tags = session.execute(
        select(MemberTag.user_id, MemberTag.value)
        .where(MemberTag.user_id.in_(user_ids), MemberTag.kind == TagKind.interest)
        .order_by(MemberTag.user_id, MemberTag.position)
    )
    for user_id, value in tags:
        lists[user_id]["interests"].append(value)
    intents = session.execute(
        select(MemberIntent.user_id, MemberIntent.direction, MemberIntent.intent)
        .where(MemberIntent.user_id.in_(user_ids))
        .order_by(MemberIntent.user_id, MemberIntent.direction, MemberIntent.position)
    )
    for user_id, direction, intent in intents:
        lists[user_id][IntentDirection(direction).value].append(intent)
    return lists


# --------------------------------------------------------------------------------------
# Download my data
# --------------------------------------------------------------------------------------


def export_member_data(session: Session, user: User) -> dict[str, Any]:
    """Everything Hallway holds about the member, as JSON-ready data.

    The account, profile and picture are the document's base; every other feature's
    rows (posts, reactions, notifications, flags, blocks...) come from the parts they
    registered with ``hallway.core.export.register_export_part``. A part cannot
    replace a section of the base.
    """
    profile = session.get(MemberProfile, user.id)
    data: dict[str, Any] = {
        "format": "hallway-export/1",
        "exported_at": utcnow().isoformat(),
        "account": AccountExportSchema().dump(user),
        "profile": ProfileExportSchema().dump(profile) if profile else None,
        "avatar": AvatarExportSchema().dump(profile.avatar) if profile and profile.avatar else None,
    }
    for name, part in export_parts(session, user).items():
        data.setdefault(name, part)
    return data


# --------------------------------------------------------------------------------------
# Deleting an account
# --------------------------------------------------------------------------------------


def delete_account(session: Session, user: User, *, password: str) -> None:
    """Delete the account and everything personal, after the member confirms their password.

    The database does the rest in the same transaction: the profile and its tags, intents,
    links and picture go (ON DELETE CASCADE); posts stay with no author and show as
    "former member" (ON DELETE SET NULL).
    """
    if not check_password_hash(user.password_hash, password or ""):
        raise InvalidInput(
            gettext("Your password is not right."),
            {"password": [gettext("That is not your password.")]},
        )
    # Pages still open on other devices close once the deletion is committed.
    notify(session, user_topic(user.id), "session_ended", {})
    user_id = user.id
    session.delete(user)
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(
            gettext(
                "Your account could not be deleted because other records still point to it. "
                "Please contact an administrator."
            )
        ) from error
    _forget_own_facts(session)
    bump(session, DIRECTORY)
    signals.profile_changed.send(session, user_id=user_id)


# --------------------------------------------------------------------------------------
# Organisers' import from a registration export
# --------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


_IMPORT_PROFILE_FIELDS = (
    "organisation", "role", "career_stage", "sector", "country", "region", "city",
    "time_zone", "headline", "pronouns", "interests", "networks", "qualifications",
    "looking_for", "offering",
)  # fmt: skip


def handle_from_name(session: Session, name: str) -> str:
    """A free handle made from a name: "Émilie Tremblay" -> "emilie-tremblay" (then -2...)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:26].strip("-")
    if len(base) < 3:
        base = f"member-{base}".strip("-") if base else "member"
    candidate, number = base, 1
    while accounts_service.find_user_by_handle(session, candidate) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _unusable_password_hash() -> str:
    """Not a hash of anything, so no password matches: imported members need a reset."""
    return "!unusable-" + secrets.token_hex(16)


def import_members(
    session: Session, organiser: User, rows: Iterable[Mapping[str, Any]]
) -> ImportOutcome:
    """Create or update members from validated rows (ImportRowSchema), keyed by email.

    Only organisers and admins may import. Importing the same file again updates the same
    accounts and never duplicates one. New accounts get an unusable password and a handle
    made from their name; their profile keeps the safe privacy defaults. Once a member
    has logged in, their own words win: an import only fills what they left blank.
    """
    if not organiser.is_organiser:
        raise NotAllowed(gettext("Only organisers and admins may import members."))
    outcome = ImportOutcome()
    for row in rows:
        user = accounts_service.find_user_by_email(session, row["email"])
        if user is None:
            user = accounts_service.sign_up(
                session,
                email=row["email"],
                handle=handle_from_name(session, row["name"]),
                display_name=row["name"],
                password=secrets.token_urlsafe(24),
                password_hash=_unusable_password_hash(),
            )
            outcome.created.append(user.email)
        else:
            outcome.updated.append(user.email)
        changes = {name: row[name] for name in _IMPORT_PROFILE_FIELDS if name in row}
        changes["display_name"] = row["name"]
        if user.last_login_at is not None:
            changes = _only_blank_fields(session.get(MemberProfile, user.id), changes)
        update_profile(session, user, changes)
    return outcome


def _only_blank_fields(profile: MemberProfile | None, changes: dict[str, Any]) -> dict[str, Any]:
    """The part of an import row that fills what a member's profile leaves empty."""
    if profile is None:
        return {name: value for name, value in changes.items() if name != "display_name"}
    tag_kinds = {tag.kind for tag in profile.tags}
    intent_directions = {intent.direction for intent in profile.intents}
    kept: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "display_name":
            continue
        if name in _TAG_FIELDS:
            blank = _TAG_FIELDS[name] not in tag_kinds
        elif name in _INTENT_FIELDS:
            blank = _INTENT_FIELDS[name] not in intent_directions
        elif name == "region":  # a region only makes sense with its own country
            blank = not profile.country
        else:
            blank = not getattr(profile, name)
        if blank:
            kept[name] = value
    return kept
