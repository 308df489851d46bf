"""The demo community comes with full, varied profiles made through the members service."""

from sqlalchemy import func, select

from hallway.accounts.models import User
from hallway.demo import seed_demo_community
from hallway.members.models import MemberProfile, MemberTag, TagKind


def test_every_demo_member_gets_a_full_profile(session, app_context):
    seed_demo_community(session, member_count=40)
    users = session.scalar(select(func.count()).select_from(User))
    profiles = list(session.scalars(select(MemberProfile)))
    assert len(profiles) == users
    assert {profile.career_stage for profile in profiles} == {"novice", "career", "advanced"}
    assert {str(profile.visibility) for profile in profiles} == {"public", "members", "private"}
    assert all(profile.country and profile.region and profile.time_zone for profile in profiles)
    assert all(profile.onboarded_at for profile in profiles)
    members_with_interests = session.scalar(
        select(func.count(func.distinct(MemberTag.user_id))).where(
            MemberTag.kind == TagKind.interest
        )
    )
    assert members_with_interests == users
    priya = session.scalar(select(MemberProfile).join(User).where(User.handle == "priya-raman"))
    assert (priya.career_stage, priya.region, priya.sector) == ("novice", "CA-BC", "k12")
    assert priya.looking_for == ["mentoring", "career_chat", "job_leads"]
