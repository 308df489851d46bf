"""The members' part of the demo: accounts and full profiles (registered as a seeder).

Accounts go through the accounts service and profiles through the same schema and
service as a member's own edit, so the demo is made the way members would make it.
Each account is dated on its demo join day, in the past: demo members are not brand
new, and the posting limit for new members does not apply to them.
"""

from __future__ import annotations

import random
from datetime import timedelta

from rich.progress import Progress
from werkzeug.security import generate_password_hash

from hallway.accounts import service as accounts_service
from hallway.accounts.models import Role
from hallway.core.validation import load_or_refuse
from hallway.demo import DEMO_PASSWORD, DEMO_SEED, DemoContext, DemoData, DemoLogin
from hallway.members import service as members_service
from hallway.members.demo_generator import generate_members, load_pools
from hallway.members.demo_members import DemoMember, load_fixed_members
from hallway.members.schemas import ProfileUpdateSchema

ORDER = 10  # first: everyone else's seeders need the members


def demo_members(
    data: DemoData, count: int = 200, rng: random.Random | None = None
) -> list[DemoMember]:
    """The fixed members (admin, organiser, featured) then generated ones, so that there
    are ``count`` members besides the admin and organisers (never fewer than the featured
    members: the demo threads are theirs)."""
    fixed = load_fixed_members(data)
    featured = sum(member.account_role == "member" for member in fixed)
    generated = generate_members(
        load_pools(data),
        rng or random.Random(DEMO_SEED),
        count=max(count - featured, 0),
        fixed=fixed,
    )
    return [*fixed, *generated]


def _profile_payload(member: DemoMember) -> dict[str, object]:
    """A demo member as the profile form would send it (vocabulary codes throughout)."""
    return {
        "headline": member.headline,
        "bio": member.bio,
        "pronouns": member.pronouns or "",
        "career_stage": member.career_stage,
        "role": member.role,
        "organisation": member.organisation,
        "sector": member.sector,
        "country": member.country,
        "region": member.region,
        "city": member.city,
        "time_zone": member.time_zone,
        "interests": list(member.interests),
        "networks": list(member.networks),
        "qualifications": list(member.qualifications),
        "looking_for": list(member.looking_for),
        "offering": list(member.offering),
        "links": [{"url": url} for url in member.links],
        "privacy": {
            "visibility": member.profile_visibility,
            "in_directory": member.in_directory,
            "matchable": member.matchable,
            "novices_may_request": member.novices_may_request,
            "show_contact_links": member.show_contact_links,
        },
    }


def _login(member: DemoMember) -> DemoLogin:
    if member.account_role != "member":
        return DemoLogin(member.email, member.account_role)
    return DemoLogin(member.email, f"{member.career_stage}: {member.display_name}, {member.role}")


def demo_logins(data: DemoData) -> list[DemoLogin]:
    """The log-ins worth printing: the admin, the organisers and the featured members."""
    return [_login(member) for member in load_fixed_members(data)]


def seed_members(context: DemoContext) -> None:
    """Accounts and profiles for every demo member; the fixed ones' log-ins are printed."""
    session = context.session
    members = demo_members(context.data, context.member_count, context.rng)
    password_hash = generate_password_hash(DEMO_PASSWORD)
    schema = ProfileUpdateSchema()
    with Progress(transient=True) as progress:
        task = progress.add_task("Creating demo members", total=len(members))
        for member in members:
            user = accounts_service.sign_up(
                session,
                email=member.email,
                handle=member.handle,
                display_name=member.display_name,
                password=DEMO_PASSWORD,
                password_hash=password_hash,
                role=Role(member.account_role),
            )
            if member.language:
                accounts_service.set_language(user, member.language)
            joined = context.now - timedelta(days=member.joined_days_ago)
            user.created_at = joined
            profile = members_service.update_profile(
                session, user, load_or_refuse(schema, _profile_payload(member))
            )
            profile.created_at = profile.onboarded_at = joined
            context.users[member.handle] = user
            progress.advance(task)
    context.logins.extend(demo_logins(context.data))
    session.flush()
