"""The demo community's members, read from ``hallway/demo/data/members.toml`` and checked
against the members vocabulary (codes, as profiles store them: ``non_profit``, ``CA-BC``).

No Flask, no database: the seeder (``members/demo.py``) turns these into accounts and
profiles; tests read them directly.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from hallway.accounts.models import Role
from hallway.accounts.service import HANDLE_PATTERN
from hallway.core.i18n import LANGUAGES
from hallway.demo.loader import DemoData, Record
from hallway.members import vocabulary
from hallway.members.models import ProfileVisibility

MEMBERS_FILE = "members.toml"
#: Fictional people get reserved addresses (RFC 2606 and its .edu twin).
EMAIL_PATTERN = re.compile(r"^[a-z0-9._-]+@([a-z0-9-]+\.)*example\.(org|edu|com|net)$")
LINK_PATTERN = re.compile(r"^https://([a-z0-9-]+\.)*example\.(org|edu|com|net)(/\S*)?$")


@dataclass(frozen=True)
class DemoMember:
    display_name: str
    handle: str
    email: str
    career_stage: str
    headline: str
    bio: str
    pronouns: str | None
    role: str  # the job
    organisation: str
    sector: str
    country: str  # ISO 3166-1 alpha-2
    region: str  # ISO 3166-2, a top-level region of the country
    city: str
    time_zone: str
    interests: tuple[str, ...]
    networks: tuple[str, ...]
    qualifications: tuple[str, ...]
    looking_for: tuple[str, ...]
    offering: tuple[str, ...]
    links: tuple[str, ...] = ()
    profile_visibility: str = "members"
    in_directory: bool = True
    matchable: bool = True
    novices_may_request: bool = True
    show_contact_links: bool = False
    account_role: str = "member"  # the site role: member, organiser or admin
    joined_days_ago: int = 365  # the account is that old when the demo is seeded
    language: str | None = None  # "en" or "fr_CA"; None: whatever their browser asks for

    def joined(self, days_ago: int) -> DemoMember:
        return dataclasses.replace(self, joined_days_ago=days_ago)


# --------------------------------------------------------------------------------------
# Checks shared with the generator's pools
# --------------------------------------------------------------------------------------


def check_place(
    record: Record,
    country: str,
    region: str | None,
    time_zone: str | None,
    *,
    country_field: str = "country",
    region_field: str = "region",
    zone_field: str = "time_zone",
) -> None:
    """Country as an ISO code, region as one of its top-level ISO 3166-2 codes, time zone
    as an IANA name (what the profile form accepts)."""
    if not vocabulary.is_valid_country(country):
        raise record.error(country_field, f"{country!r} is not an ISO 3166-1 country code")
    if region is not None and not vocabulary.is_valid_subdivision(country, region):
        codes = ", ".join(code for code, _ in vocabulary.subdivisions_for(country)[:12])
        raise record.error(
            region_field, f"{region!r} is not a region code of {country} (such as {codes})"
        )
    if time_zone is not None and not vocabulary.is_valid_time_zone(time_zone):
        raise record.error(zone_field, f"{time_zone!r} is not an IANA time zone")


def check_qualifications(record: Record, field: str, values: Sequence[str]) -> None:
    """Curated codes ("MEd") or free names written as the profile would store them."""
    for index, value in enumerate(values):
        if vocabulary.normalise_qualification(value) != value:
            raise record.error(
                f"{field}[{index}]",
                f"{value!r} would be stored as "
                f"{vocabulary.normalise_qualification(value)!r}; write that",
            )


# --------------------------------------------------------------------------------------
# members.toml
# --------------------------------------------------------------------------------------


def _member(item: Record) -> DemoMember:
    handle = item.text("handle")
    if not HANDLE_PATTERN.match(handle):
        raise item.error("handle", "use 3 to 30 lowercase letters, digits, '-' or '_'")
    email = item.text("email")
    if not EMAIL_PATTERN.match(email):
        raise item.error("email", f"{email!r} should use a reserved example.* domain")
    privacy = item.record("privacy")
    member = DemoMember(
        display_name=item.text("display_name"),
        handle=handle,
        email=email,
        account_role=item.choice("account_role", [role.value for role in Role], "member"),
        joined_days_ago=item.integer("joined_days_ago", minimum=1),
        language=item.choice("language", LANGUAGES, "") or None,
        career_stage=item.choice("career_stage", vocabulary.CAREER_STAGES),
        headline=item.text("headline"),
        bio=item.markdown("bio"),
        pronouns=item.text("pronouns", "", allow_empty=True) or None,
        role=item.text("role"),
        organisation=item.text("organisation"),
        sector=item.choice("sector", vocabulary.SECTORS),
        country=item.text("country"),
        region=item.text("region"),
        city=item.text("city"),
        time_zone=item.text("time_zone"),
        interests=item.choices("interests", vocabulary.INTEREST_TAGS),
        networks=item.choices("networks", vocabulary.NETWORKS, ()),
        qualifications=item.texts("qualifications", ()),
        looking_for=item.choices("looking_for", vocabulary.INTENTS, ()),
        offering=item.choices("offering", vocabulary.INTENTS, ()),
        links=item.texts("links", ()),
        profile_visibility=privacy.choice(
            "visibility", [visibility.value for visibility in ProfileVisibility]
        ),
        in_directory=privacy.boolean("in_directory"),
        matchable=privacy.boolean("matchable"),
        novices_may_request=privacy.boolean("novices_may_request"),
        show_contact_links=privacy.boolean("show_contact_links"),
    )
    privacy.finish()
    item.finish()
    check_place(item, member.country, member.region, member.time_zone)
    check_qualifications(item, "qualifications", member.qualifications)
    for index, link in enumerate(member.links):
        if not LINK_PATTERN.match(link):
            raise item.error(f"links[{index}]", f"{link!r} should be https:// on an example.* host")
    return member


def load_fixed_members(data: DemoData) -> list[DemoMember]:
    """The admin, the organiser and the featured members, in file order. Handles, e-mails
    and names are unique; there is exactly one admin and at least one organiser."""
    file = data.toml(MEMBERS_FILE)
    members = []
    seen: dict[str, set[str]] = {"handle": set(), "email": set(), "display_name": set()}
    for item in file.records("members"):
        member = _member(item)
        for field, values in seen.items():
            value = getattr(member, field)
            if value in values:
                raise item.error(field, f"{value!r} is used by another member")
            values.add(value)
        members.append(member)
    file.finish()
    roles = [member.account_role for member in members]
    if roles.count("admin") != 1 or "organiser" not in roles:
        raise file.error("members", "needs exactly one admin and at least one organiser")
    return members
