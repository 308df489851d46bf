from sqlalchemy import func, select

from hallway.accounts.models import Role, User
from hallway.demo import DEMO_PASSWORD
from hallway.discussions.models import Comment, Thread
from hallway.events.models import Event
from tests.conftest import Browserless
from tests.factories import make_user


def deepest_reply_chain(session) -> int:
    parents = dict(session.execute(select(Comment.id, Comment.parent_id)).all())

    def depth(comment_id):
        return 1 if parents[comment_id] is None else 1 + depth(parents[comment_id])

    return max(depth(comment_id) for comment_id in parents)


def test_promote_gives_an_account_the_organiser_role(app, session):
    user = make_user(session, email="org@example.org")
    session.commit()
    result = app.test_cli_runner().invoke(args=["users", "promote", "ORG@example.org"])
    assert result.exit_code == 0, result.output
    assert "org@example.org is now organiser." in result.output
    session.expire_all()
    assert session.get(User, user.id).role is Role.organiser


def test_promote_to_admin(app, session):
    user = make_user(session, email="boss@example.org")
    session.commit()
    result = app.test_cli_runner().invoke(
        args=["users", "promote", "boss@example.org", "--role", "admin"]
    )
    assert result.exit_code == 0
    session.expire_all()
    assert session.get(User, user.id).role is Role.admin


def test_promote_unknown_email_is_a_clear_error(app):
    result = app.test_cli_runner().invoke(args=["users", "promote", "ghost@example.org"])
    assert result.exit_code != 0
    assert "No account with the email ghost@example.org" in result.output
    assert "Traceback" not in result.output


def test_promote_refuses_an_unknown_role(app):
    result = app.test_cli_runner().invoke(
        args=["users", "promote", "x@example.org", "--role", "king"]
    )
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output


def test_seed_demo_creates_a_living_community_and_prints_logins(app, session):
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--members", "30"])
    assert result.exit_code == 0, result.output
    assert "Demo log-ins (password for all: hallway-demo-2026)" in result.output
    assert "organiser" in result.output
    for stage in ("novice:", "career:", "advanced:"):
        assert stage in result.output
    assert session.scalar(select(func.count()).select_from(User)) == 32
    organisers = session.scalars(select(User).where(User.role == Role.organiser)).all()
    assert len(organisers) == 1
    assert session.scalar(select(func.count()).select_from(Thread)) >= 3
    assert deepest_reply_chain(session) >= 5
    assert session.scalar(select(func.count()).select_from(Event)) >= 1


def test_seed_demo_if_empty_leaves_an_existing_community_alone(app, session):
    make_user(session)
    session.commit()
    result = app.test_cli_runner().invoke(args=["seed", "demo", "--if-empty"])
    assert result.exit_code == 0
    assert "already has members" in result.output
    assert "Demo log-ins" not in result.output  # real members: nobody's log-in to show
    assert session.scalar(select(func.count()).select_from(User)) == 1


def test_every_start_shows_the_demo_log_ins_again(app, session):
    first = app.test_cli_runner().invoke(args=["seed", "demo", "--members", "14"])
    assert first.exit_code == 0, first.output
    again = app.test_cli_runner().invoke(args=["seed", "demo", "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "already has members" in again.output
    first_logins = first.output[first.output.index("Demo log-ins") :]
    assert again.output.endswith(first_logins)
    # The admin, the organiser and the 16 featured members: never fewer than those.
    assert session.scalar(select(func.count()).select_from(User)) == 18


def test_home_page_shows_the_seeded_community(app, client):
    app.test_cli_runner().invoke(args=["seed", "demo", "--members", "20"])
    page = client.get("/").get_data(as_text=True)
    assert "22</strong> members" in page
    # Discussions are for members: a demo member sees the latest ones, French included.
    member = Browserless(client)
    assert member.log_in("priya.raman@example.org", DEMO_PASSWORD).status_code == 302
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Recent discussions" in page and "Generative AI policy for teaching" in page
    assert "Accessibilité des vidéos\u00a0: sous-titrage en français" in page
    assert "Upcoming events" in page and "Hallway Live" in page


def test_seeded_members_find_replies_waiting_in_their_notifications(app, session):
    from hallway.notifications.models import Notification

    app.test_cli_runner().invoke(args=["seed", "demo", "--members", "20"])
    kinds = set(session.scalars(select(Notification.kind)))
    assert "reply" in kinds
