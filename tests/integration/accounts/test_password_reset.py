"""Forgotten passwords, and first passwords for members an organiser imported."""

import re

import pytest

from hallway.core import mail
from tests.conftest import Browserless


@pytest.fixture
def mail_log(app):
    path = mail.mail_log_path(app)
    path.unlink(missing_ok=True)
    return path


def reset_link(mail_log) -> str:
    match = re.search(r"http://[^/\s]+(/password/reset/\S+)", mail_log.read_text())
    assert match, "no reset link was mailed"
    return match.group(1)


def ask_for_link(browserless, email):
    return browserless.post_form("/password/forgot", {"email": email})


def test_forgot_password_mails_a_link_that_sets_a_new_password(browserless, member, mail_log):
    response = ask_for_link(browserless, member.email)
    assert response.status_code == 302
    assert "Choose a new Hallway password" in mail_log.read_text()
    link = reset_link(mail_log)
    page = browserless.client.get(link).get_data(as_text=True)
    assert "Choose a new password" in page and member.email in page
    response = browserless.post_form(
        link, {"new_password": "a fresh password!", "confirm": "a fresh password!"}
    )
    assert response.status_code == 302
    assert "Welcome, Maya" in browserless.client.get("/").get_data(as_text=True)
    browserless.log_out()
    assert browserless.log_in(member.email, "a fresh password!").status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_mail(browserless, member, mail_log):
    known = ask_for_link(browserless, member.email)
    mail_log.unlink()
    unknown = ask_for_link(browserless, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert not mail_log.exists()


def test_a_reset_link_works_only_once(browserless, member, mail_log):
    ask_for_link(browserless, member.email)
    link = reset_link(mail_log)
    data = {"new_password": "a fresh password!", "confirm": "a fresh password!"}
    assert browserless.post_form(link, data).status_code == 302
    again = Browserless(browserless.client.application.test_client())
    response = again.client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/password/forgot")


def test_forged_reset_link_is_refused(client):
    response = client.get("/password/reset/not-a-real-token", follow_redirects=True)
    assert "expired or was already used" in response.get_data(as_text=True)


def test_expired_reset_link_is_refused(app, session, member):
    from hallway.accounts import service
    from hallway.core.errors import InvalidInput

    token = service.password_reset_token(member, secret_key=app.config["SECRET_KEY"])
    with pytest.raises(InvalidInput):
        service.user_for_reset_token(
            session, token, secret_key=app.config["SECRET_KEY"], max_age=-1
        )


def test_weak_new_password_is_explained_and_changes_nothing(browserless, member, mail_log):
    ask_for_link(browserless, member.email)
    link = reset_link(mail_log)
    response = browserless.post_form(link, {"new_password": "short", "confirm": "short"})
    assert response.status_code == 422
    assert "Use at least 10" in response.get_data(as_text=True)
    assert browserless.log_in(member.email).status_code == 302


def test_resetting_ends_sessions_on_other_devices(app, member, mail_log):
    phone = Browserless(app.test_client())
    phone.log_in(member.email)
    laptop = Browserless(app.test_client())
    ask_for_link(laptop, member.email)
    laptop.post_form(
        reset_link(mail_log), {"new_password": "a fresh password!", "confirm": "a fresh password!"}
    )
    assert "Welcome, Maya" not in phone.client.get("/").get_data(as_text=True)


def test_reset_requests_are_rate_limited(browserless, member, mail_log):
    for _ in range(5):
        assert ask_for_link(browserless, "someone@example.org").status_code == 302
    assert ask_for_link(browserless, "someone@example.org").status_code == 429


def test_login_page_links_to_the_reset(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)
