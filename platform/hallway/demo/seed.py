"""Turn the demo content into rows: `flask seed demo`.

Goes through the services where they hold rules (accounts), so the demo
community is made the way real members would make it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from rich.progress import Progress
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from hallway.accounts import service as accounts_service
from hallway.accounts.models import Role, User
from hallway.core.markdown import extract_mentions
from hallway.core.validation import load_or_refuse
from hallway.demo import content
from hallway.discussions import service as discussions_service
from hallway.discussions.models import Comment, ReactionKind, Thread
from hallway.events.models import Event
from hallway.members import lookup
from hallway.members import service as members_service
from hallway.members.schemas import LinkSchema, ProfileUpdateSchema
from hallway.notifications import service as notifications_service

DEMO_PASSWORD = "hallway-demo-2026"
FEATURED_MEMBER_COUNT = 12


@dataclass(frozen=True)
class DemoLogin:
    email: str
    description: str


def community_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(User))


def _create_account(
    session: Session, member: content.DemoMember, role: Role, password_hash: str
) -> User:
    return accounts_service.sign_up(
        session,
        email=member.email,
        handle=member.handle,
        display_name=member.display_name,
        password=DEMO_PASSWORD,
        password_hash=password_hash,
        role=role,
    )


def _add_comments(
    session: Session,
    thread: Thread,
    comments: list[content.DemoComment],
    users: dict[str, User],
    parent: Comment | None,
    clock: datetime,
) -> datetime:
    """Replies through the discussions service (rendered HTML, path and depth), in order."""
    for demo_comment in comments:
        clock += timedelta(minutes=37)
        comment = discussions_service.reply(
            session,
            actor=users[demo_comment.author_handle],
            thread=thread,
            body=demo_comment.body,
            parent_id=parent.id if parent else None,
            imported_at=clock,
        ).post
        _notify_as_if_live(session, comment, users)
        clock = _add_comments(session, thread, demo_comment.replies, users, comment, clock)
    return clock


def _notify_as_if_live(session: Session, comment: Comment, users: dict[str, User]) -> None:
    """Imported replies notify nobody; the demo's do, dated when they were written,
    so demo members find replies and mentions waiting (no email is sent)."""
    mentioned = {users[handle].id for handle in extract_mentions(comment.body) if handle in users}
    for notice in notifications_service.notify_new_post(
        session, post=comment, mentioned_user_ids=mentioned
    ):
        notice.created_at = comment.created_at


def _add_reactions(
    session: Session, thread: Thread, readers: list[User], rng: random.Random
) -> None:
    """A few members react to the opening post and to about half of the replies."""
    comments = session.scalars(select(Comment).where(Comment.thread_id == thread.id)).all()
    posts: list[tuple[Comment | None, int]] = [(None, rng.randint(3, 12))]
    posts += [(comment, rng.randint(1, 5)) for comment in comments if rng.random() < 0.5]
    for comment, how_many in posts:
        for reader in rng.sample(readers, how_many):
            discussions_service.toggle_reaction(
                session,
                actor=reader,
                thread=thread,
                comment=comment,
                kind=rng.choice(list(ReactionKind)),
            )


def _event_time(day: date, hour: int, time_zone: str) -> datetime:
    local = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(time_zone))
    return local.astimezone(UTC)


def _seed_accounts(
    session: Session, members: list[content.DemoMember]
) -> dict[str, User]:
    users: dict[str, User] = {}
    password_hash = generate_password_hash(DEMO_PASSWORD)
    with Progress(transient=True) as progress:
        task = progress.add_task("Creating demo members", total=len(members) + 2)
        for member, role in [
            (content.DEMO_ADMIN, Role.admin),
            (content.DEMO_ORGANISER, Role.organiser),
            *((member, Role.member) for member in members),
        ]:
            users[member.handle] = _create_account(session, member, role, password_hash)
            progress.advance(task)
    return users


def _seed_discussions(session: Session, users: dict[str, User], now: datetime) -> None:
    """Categories, threads, replies and reactions, made by the discussions service as
    members would make them; the welcome thread is pinned."""
    admin = users[content.DEMO_ADMIN.handle]
    categories = {
        slug: discussions_service.create_category(
            session, actor=admin, name=name, description=description
        )
        for slug, name, description in content.DEMO_CATEGORIES
    }
    rng = random.Random(2026)
    readers = list(users.values())
    demo_threads = list(reversed(content.demo_threads()))
    with Progress(transient=True) as progress:
        task = progress.add_task("Starting discussions", total=len(demo_threads))
        for days_ago, demo_thread in enumerate(demo_threads, start=1):
            started = now - timedelta(days=days_ago * 2, hours=days_ago)
            thread = discussions_service.start_thread(
                session,
                actor=users[demo_thread.author_handle],
                category_id=categories[demo_thread.category_slug].id,
                title=demo_thread.title,
                body=demo_thread.body,
                tags=demo_thread.tags,
                imported_at=started,
            ).post
            _add_comments(session, thread, demo_thread.comments, users, None, started)
            _add_reactions(session, thread, readers, rng)
            if demo_thread.slug == "welcome-introduce-yourself":
                discussions_service.set_pinned(session, actor=admin, thread=thread, pinned=True)
            progress.advance(task)


def _seed_events(session: Session, users: dict[str, User], now: datetime) -> None:
    for demo_event in content.demo_events(now.date()):
        session.add(
            Event(
                organiser=users[content.DEMO_ORGANISER.handle],
                title=demo_event.title,
                summary=demo_event.summary,
                description=demo_event.description,
                starts_at=_event_time(
                    demo_event.start_date, demo_event.start_hour, demo_event.time_zone
                ),
                ends_at=_event_time(demo_event.end_date, demo_event.end_hour, demo_event.time_zone),
                time_zone=demo_event.time_zone,
                venue=demo_event.venue or "",
                city=demo_event.city or "",
                is_online=demo_event.is_online,
            )
        )
    session.flush()


def _is_valid_link(url: str) -> bool:
    """Generated demo hosts can contain "_", which is not valid in a host name; skip those."""
    return not LinkSchema().validate({"url": url})


def _profile_payload(member: content.DemoMember) -> dict[str, object]:
    """A demo member as the profile form would send it (names read as vocabulary codes)."""
    country = lookup.country_code(member.country)
    return {
        "headline": member.headline,
        "bio": member.bio,
        "pronouns": member.pronouns or "",
        "career_stage": member.career_stage,
        "role": member.role,
        "organisation": member.organisation,
        "sector": lookup.sector_code(member.sector),
        "country": country,
        "region": lookup.subdivision_code(country, member.region) if country else None,
        "city": member.city,
        "time_zone": member.time_zone,
        "interests": list(member.interests),
        "networks": list(member.networks),
        "qualifications": list(member.qualifications),
        "looking_for": list(member.looking_for),
        "offering": list(member.offering),
        "links": [{"url": url} for url in member.links if _is_valid_link(url)],
        "privacy": {
            "visibility": member.profile_visibility,
            "in_directory": member.in_directory,
            "matchable": member.matchable,
            "novices_may_request": member.novices_may_request,
            "show_contact_links": member.show_contact_links,
        },
    }


def _seed_profiles(
    session: Session, users: dict[str, User], members: list[content.DemoMember]
) -> None:
    """Full profiles, checked by the same schema and service as a member's own edit."""
    schema = ProfileUpdateSchema()
    with Progress(transient=True) as progress:
        task = progress.add_task("Filling in profiles", total=len(members))
        for member in members:
            user = users[member.handle]
            changes = load_or_refuse(schema, _profile_payload(member))
            members_service.update_profile(session, user, changes)
            members_service.skip_welcome(session, user)
            progress.advance(task)


def seed_demo_community(session: Session, *, member_count: int = 200) -> list[DemoLogin]:
    """Members across the three stages, an organiser, threads and upcoming events."""
    members = content.demo_members(member_count)
    now = datetime.now(UTC)
    users = _seed_accounts(session, members)
    _seed_profiles(session, users, [content.DEMO_ADMIN, content.DEMO_ORGANISER, *members])
    _seed_discussions(session, users, now)
    _seed_events(session, users, now)

    logins = [
        DemoLogin(content.DEMO_ADMIN.email, "admin"),
        DemoLogin(content.DEMO_ORGANISER.email, "organiser"),
    ]
    logins += [
        DemoLogin(member.email, f"{member.career_stage}: {member.display_name}, {member.role}")
        for member in members[:FEATURED_MEMBER_COUNT]
    ]
    return logins
