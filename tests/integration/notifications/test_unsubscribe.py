"""The link in every email stops all emails, without logging in."""

from hallway.notifications import service
from hallway.notifications.models import NotificationPreference


def unsubscribe_path(app, user_id: int) -> str:
    with app.test_request_context():
        return f"/notifications/unsubscribe/{service.unsubscribe_token(user_id)}"


def test_the_link_asks_first_then_stops_every_email(app, client, session, member):
    path = unsubscribe_path(app, member.id)
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop all Hallway emails?" in page.get_data(as_text=True)
    assert session.get(NotificationPreference, member.id) is None  # a GET changes nothing
    done = client.post(path)  # mail clients' one-click POST: no login, no CSRF token
    assert done.status_code == 200
    assert "You will get no more emails" in done.get_data(as_text=True)
    session.expire_all()
    stored = session.get(NotificationPreference, member.id)
    assert (stored.email_on_reply, stored.email_on_mention, stored.digest.value) == (
        False,
        False,
        "off",
    )


def test_a_forged_or_stale_link_is_404(app, client, session, member):
    assert client.post("/notifications/unsubscribe/1.forged").status_code == 404
    assert client.get("/notifications/unsubscribe/not-a-token").status_code == 404
    assert client.post(unsubscribe_path(app, 999_999)).status_code == 404
    assert session.get(NotificationPreference, member.id) is None


def test_a_token_from_another_secret_is_refused(app, monkeypatch, client, member):
    path = unsubscribe_path(app, member.id)
    monkeypatch.setattr(app, "secret_key", "a different secret")
    assert client.post(path).status_code == 404
