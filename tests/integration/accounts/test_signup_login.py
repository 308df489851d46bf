import re

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import User
from hallway.core.mail import mail_log_path
from tests.conftest import Browserless, confirmation_link, mailed_to
from tests.factories import DEFAULT_PASSWORD, make_user


@pytest.fixture(autouse=True)
def empty_mail_log(app):
    """Each test reads only the emails it caused."""
    mail_log_path(app).unlink(missing_ok=True)


def signup_data(**overrides):
    data = {
        "display_name": "Priya Raman",
        "handle": "priya",
        "email": "priya@example.org",
        "password": "a long enough password",
        "confirm": "a long enough password",
    }
    return {**data, **overrides}


def count_users(session) -> int:
    return session.scalar(select(func.count()).select_from(User))


def test_signup_creates_the_account_once_the_mailed_link_is_used(browserless, session):
    response = browserless.post_form("/signup", signup_data())
    assert response.headers["Location"] == "/signup/sent"
    sent = browserless.client.get("/signup/sent").get_data(as_text=True)
    assert "Check your email to confirm your address" in sent
    assert count_users(session) == 0  # nothing yet: the address is not confirmed

    link = confirmation_link(browserless.client.application, "priya@example.org")
    page = browserless.client.get(link).get_data(as_text=True)
    assert "Confirm and continue" in page and "@priya" in page
    assert count_users(session) == 0  # opening the link (a mail scanner may) changes nothing

    response = browserless.post_form(link, {})
    assert response.headers["Location"] == "/welcome"
    home = browserless.client.get("/").get_data(as_text=True)
    assert "Welcome, Priya Raman" in home
    user = session.scalar(select(User).where(User.email == "priya@example.org"))
    assert user.handle == "priya"
    assert user.password_hash != "a long enough password"


def test_signup_normalises_email_and_handle(browserless, session):
    browserless.sign_up(signup_data(email=" Priya@Example.ORG ", handle="@Priya"))
    user = session.scalar(select(User))
    assert (user.email, user.handle) == ("priya@example.org", "priya")


def test_signup_with_a_registered_email_answers_the_same_and_mails_its_owner(
    app, browserless, session
):
    make_user(session, email="priya@example.org", handle="someone", display_name="Priya R")
    session.commit()
    new = Browserless(app.test_client()).post_form(
        "/signup", signup_data(email="new@example.org", handle="newcomer")
    )
    taken = browserless.post_form("/signup", signup_data(email="PRIYA@example.org"))

    assert taken.status_code == new.status_code == 302
    assert taken.headers["Location"] == new.headers["Location"] == "/signup/sent"
    assert count_users(session) == 1
    [note] = mailed_to(app, "priya@example.org")
    [confirm] = mailed_to(app, "new@example.org")
    assert "/signup/confirm/" in confirm
    assert "already has an account" in note and "Hello Priya R" in note
    assert "/login" in note and "/password/reset/" in note
    assert "/signup/confirm/" not in note
    reset = re.search(r"https?://[^/\s]+(/password/reset/\S+)", note).group(1)
    assert "Choose a new password" in browserless.client.get(reset).get_data(as_text=True)


def test_a_confirmation_link_works_once(app, browserless, session):
    browserless.post_form("/signup", signup_data())
    link = confirmation_link(app, "priya@example.org")
    assert browserless.post_form(link, {}).status_code == 302
    browserless.log_out()

    again = browserless.client.post(link, data={"csrf_token": browserless.csrf_token()})
    assert again.headers["Location"] == "/login"
    page = browserless.client.get("/login").get_data(as_text=True)
    assert "expired or was already used" in page
    assert "Welcome, Priya" not in browserless.client.get("/").get_data(as_text=True)
    assert count_users(session) == 1


def test_a_forged_or_expired_link_makes_no_account(app, browserless, session, monkeypatch):
    browserless.post_form("/signup", signup_data())
    link = confirmation_link(app, "priya@example.org")
    assert browserless.client.get(link[:-3] + "xyz").headers["Location"] == "/login"
    from hallway.accounts import service

    monkeypatch.setattr(service, "SIGN_UP_MAX_AGE_SECONDS", -1)  # two days later
    assert browserless.client.get(link).headers["Location"] == "/login"
    assert count_users(session) == 0


def test_before_confirming_the_log_in_says_to_confirm_first(browserless, session):
    browserless.post_form("/signup", signup_data())
    response = browserless.log_in("priya@example.org", "a long enough password")
    assert response.status_code == 401
    assert "Please confirm your email address first" in response.get_data(as_text=True)
    wrong = browserless.log_in("priya@example.org", "not the password at all")
    assert "That email and password do not match an account." in wrong.get_data(as_text=True)


def test_two_sign_ups_for_one_username_the_second_to_confirm_is_told(app, session):
    first, second = Browserless(app.test_client()), Browserless(app.test_client())
    first.post_form("/signup", signup_data(email="one@example.org"))
    second.post_form("/signup", signup_data(email="two@example.org"))
    assert first.post_form(confirmation_link(app, "one@example.org"), {}).status_code == 302

    response = second.post_form(confirmation_link(app, "two@example.org"), {})
    assert response.headers["Location"] == "/signup"
    assert "took the username @priya" in second.client.get("/signup").get_data(as_text=True)
    assert count_users(session) == 1


def test_signup_with_short_password_and_mismatch_explains_both(browserless, session):
    response = browserless.post_form("/signup", signup_data(password="short", confirm="different"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use at least 10" in page
    assert "The passwords differ." in page
    assert 'aria-invalid="true"' in page
    assert count_users(session) == 0


def test_signup_with_bad_handle_is_refused(browserless, session):
    response = browserless.post_form("/signup", signup_data(handle="no spaces!"))
    assert response.status_code == 422
    assert "3 to 30 letters" in response.get_data(as_text=True)
    assert count_users(session) == 0


def test_login_with_wrong_password_says_so_without_naming_the_cause(browserless, member):
    wrong_password = browserless.log_in(member.email, "not the password")
    unknown_email = browserless.log_in("nobody@example.org", "not the password")
    assert wrong_password.status_code == unknown_email.status_code == 401
    message = "That email and password do not match an account."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown_email.get_data(as_text=True)


def test_login_then_logout(browserless, member):
    assert browserless.log_in(member.email).status_code == 302
    assert "Welcome, Maya Okafor" in browserless.client.get("/").get_data(as_text=True)
    assert browserless.log_out().status_code == 302
    page = browserless.client.get("/").get_data(as_text=True)
    assert "Welcome, Maya Okafor" not in page
    assert "Log in" in page


def test_logout_by_get_is_not_possible(logged_in):
    assert logged_in.client.get("/logout").status_code == 405


def test_change_password_requires_the_current_one(logged_in, member):
    response = logged_in.post_form(
        "/account/password",
        {
            "current_password": "wrong",
            "new_password": "brand new password",
            "confirm": "brand new password",
        },
    )
    assert response.status_code == 422
    assert "not your current password" in response.get_data(as_text=True)


def test_change_password_keeps_this_device_logged_in(logged_in, member, browserless):
    response = logged_in.post_form(
        "/account/password",
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password": "brand new password",
            "confirm": "brand new password",
        },
    )
    assert response.status_code == 302
    assert "Welcome, Maya Okafor" in logged_in.client.get("/").get_data(as_text=True)
    logged_in.log_out()
    assert logged_in.log_in(member.email, DEFAULT_PASSWORD).status_code == 401
    assert logged_in.log_in(member.email, "brand new password").status_code == 302


def test_account_pages_need_login(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_api_me_returns_the_logged_in_account(logged_in, member):
    response = logged_in.client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json == {
        "id": member.id,
        "handle": "maya",
        "display_name": "Maya Okafor",
        "role": "member",
    }


def test_api_me_without_login_is_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "error" in response.json


def test_openapi_document_lists_the_api(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["info"]["title"] == "Hallway API"
    assert "/api/v1/me" in spec["paths"]


def test_the_whole_api_lives_under_v1_and_the_old_paths_are_gone(logged_in):
    spec = logged_in.client.get("/api/v1/openapi.json").json
    assert {"/api/v1/me", "/api/v1/notifications", "/api/v1/threads"} <= set(spec["paths"])
    assert all(path.startswith("/api/v1/") for path in spec["paths"])
    assert logged_in.client.get("/api/openapi.json").status_code == 404
    old = logged_in.client.get("/api/me")
    assert old.status_code == 404
    assert "error" in old.json


def test_sign_ups_that_send_mail_are_throttled_per_address(app, browserless, session):
    for _ in range(3):  # mistakes send nothing, so they do not count
        typo = browserless.post_form("/signup", signup_data(password="short", confirm="short"))
        assert typo.status_code == 422
    for number in range(10):
        response = browserless.post_form(
            "/signup", signup_data(email=f"p{number}@example.org", handle=f"p-{number}")
        )
        assert response.status_code == 302
    late = browserless.post_form("/signup", signup_data(email="p10@example.org", handle="p-10"))
    assert late.status_code == 429
    assert not mailed_to(app, "p10@example.org")
