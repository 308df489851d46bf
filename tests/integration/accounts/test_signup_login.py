from sqlalchemy import func, select

from hallway.accounts.models import User
from tests.factories import DEFAULT_PASSWORD, make_user


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


def test_signup_creates_account_and_logs_in(browserless, session):
    response = browserless.post_form("/signup", signup_data())
    assert response.status_code == 302
    home = browserless.client.get("/").get_data(as_text=True)
    assert "Welcome, Priya Raman" in home
    user = session.scalar(select(User).where(User.email == "priya@example.org"))
    assert user.handle == "priya"
    assert user.password_hash != "a long enough password"


def test_signup_normalises_email_and_handle(browserless, session):
    browserless.post_form("/signup", signup_data(email=" Priya@Example.ORG ", handle="@Priya"))
    user = session.scalar(select(User))
    assert (user.email, user.handle) == ("priya@example.org", "priya")


def test_signup_with_taken_email_shows_field_error_and_writes_nothing(browserless, session):
    make_user(session, email="priya@example.org", handle="someone")
    session.commit()
    response = browserless.post_form("/signup", signup_data(email="PRIYA@example.org"))
    assert response.status_code == 422
    assert "already registered" in response.get_data(as_text=True)
    assert count_users(session) == 1


def test_signup_with_short_password_and_mismatch_explains_both(browserless, session):
    response = browserless.post_form(
        "/signup", signup_data(password="short", confirm="different")
    )
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
        {"current_password": "wrong", "new_password": "brand new password",
         "confirm": "brand new password"},
    )
    assert response.status_code == 422
    assert "not your current password" in response.get_data(as_text=True)


def test_change_password_keeps_this_device_logged_in(logged_in, member, browserless):
    response = logged_in.post_form(
        "/account/password",
        {"current_password": DEFAULT_PASSWORD, "new_password": "brand new password",
         "confirm": "brand new password"},
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
    response = logged_in.client.get("/api/me")
    assert response.status_code == 200
    assert response.json == {
        "id": member.id, "handle": "maya", "display_name": "Maya Okafor", "role": "member",
    }


def test_api_me_without_login_is_401_json(client):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert "error" in response.json


def test_openapi_document_lists_the_api(client):
    spec = client.get("/api/openapi.json").json
    assert spec["info"]["title"] == "Hallway API"
    assert "/api/me" in spec["paths"]
