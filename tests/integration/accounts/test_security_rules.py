import re
import time

import pytest
from sqlalchemy import func, select

from hallway.accounts.models import User
from hallway.core import forms
from hallway.core.urls import safe_next_path
from tests.conftest import Browserless, csrf_token_from
from tests.factories import DEFAULT_PASSWORD


def test_form_without_csrf_token_is_refused_and_writes_nothing(client, session):
    response = client.post(
        "/signup",
        data={
            "display_name": "No Token",
            "handle": "notoken",
            "email": "notoken@example.org",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    )
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_login_with_forged_csrf_token_is_refused(client, member):
    response = client.post(
        "/login",
        data={"email": member.email, "password": DEFAULT_PASSWORD, "csrf_token": "forged"},
    )
    assert response.status_code == 400


def without_csrf_tokens(response) -> str:
    return re.sub(
        r'(csrf[-_]token"[^>]*?(content|value)=")[^"]+', r"\1", response.get_data(as_text=True)
    )


@pytest.mark.parametrize(
    "hostile_next",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/ok\r\nLocation: https://evil.example",
        "evil.example",
    ],
)
def test_login_never_redirects_off_site(browserless, member, hostile_next):
    response = browserless.log_in(member.email, next=hostile_next)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_same_site_next_path(browserless, member):
    response = browserless.log_in(member.email, next="/account/password?tab=security")
    assert response.headers["Location"] == "/account/password?tab=security"


@pytest.mark.parametrize(
    ("target", "expected"),
    [(None, "/"), ("", "/"), ("/members/maya", "/members/maya"), ("//x", "/"), ("x", "/")],
)
def test_safe_next_path(target, expected):
    assert safe_next_path(target) == expected


def test_repeated_failed_logins_are_throttled_the_same_for_unknown_accounts(browserless, member):
    for _ in range(5):
        assert browserless.log_in(member.email, "wrong password").status_code == 401
        assert browserless.log_in("ghost@example.org", "wrong password").status_code == 401
    known = browserless.log_in(member.email, "wrong password")
    unknown = browserless.log_in("ghost@example.org", "wrong password")
    assert known.status_code == unknown.status_code == 429
    # Identical but for the signed, time-stamped CSRF token every page carries.
    assert without_csrf_tokens(known) == without_csrf_tokens(unknown)
    assert "Too many attempts" in known.get_data(as_text=True)
    # Even the right password waits until the window has passed.
    assert browserless.log_in(member.email).status_code == 429


def test_successful_logins_are_not_counted_against_the_limit(browserless, member):
    for _ in range(8):
        assert browserless.log_in(member.email).status_code == 302
        browserless.log_out()


def log_out_everywhere(device: Browserless):
    return device.post_form("/logout/everywhere", {})


def is_logged_in(device: Browserless) -> bool:
    return "Welcome, Maya" in device.client.get("/").get_data(as_text=True)


def test_log_out_ends_only_this_devices_session(app, member):
    laptop = Browserless(app.test_client())
    phone = Browserless(app.test_client())
    laptop.log_in(member.email)
    phone.log_in(member.email)
    response = laptop.log_out()
    assert response.status_code == 302
    assert not is_logged_in(laptop)
    assert laptop.client.get("/account/password").status_code == 302
    assert is_logged_in(phone)
    assert phone.client.get("/account/password").status_code == 200


def test_log_out_forgets_this_browsers_keep_me_logged_in_cookie(app, member):
    phone = Browserless(app.test_client())
    phone.log_in(member.email, remember="y")
    phone.log_out()
    phone.client.delete_cookie("session")  # the browser was closed
    assert not is_logged_in(phone)


def test_log_out_everywhere_asks_first_and_changes_nothing_until_confirmed(app, member):
    laptop = Browserless(app.test_client())
    phone = Browserless(app.test_client())
    laptop.log_in(member.email)
    phone.log_in(member.email)
    page = laptop.client.get("/logout/everywhere")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'class="btn btn-danger"' in html and "Log out on every device" in html
    assert is_logged_in(laptop) and is_logged_in(phone)


def test_log_out_everywhere_ends_every_session(app, member):
    laptop = Browserless(app.test_client())
    phone = Browserless(app.test_client())
    laptop.log_in(member.email)
    phone.log_in(member.email)
    response = log_out_everywhere(laptop)
    assert response.status_code == 302
    assert "You are logged out on every device." in laptop.client.get("/").get_data(as_text=True)
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert phone.client.get("/account/password").status_code == 302


def test_log_out_everywhere_without_a_valid_form_changes_nothing(app, member):
    laptop = Browserless(app.test_client())
    phone = Browserless(app.test_client())
    laptop.log_in(member.email)
    phone.log_in(member.email)
    response = laptop.client.post("/logout/everywhere", data={"csrf_token": "forged"})
    assert response.status_code == 400  # refused by the CSRF check
    assert is_logged_in(laptop) and is_logged_in(phone)


def test_remembered_device_is_also_logged_out_everywhere(app, member):
    laptop = Browserless(app.test_client())
    phone = Browserless(app.test_client())
    phone.log_in(member.email, remember="y")
    assert phone.client.get_cookie("remember_token") is not None
    phone.client.delete_cookie("session")  # the browser was closed; only the cookie stays
    assert is_logged_in(phone)
    laptop.log_in(member.email)
    laptop.log_out()  # this device only: the remembered phone stays in
    phone.client.delete_cookie("session")
    assert is_logged_in(phone)
    laptop.log_in(member.email)
    log_out_everywhere(laptop)
    phone.client.delete_cookie("session")
    assert not is_logged_in(phone)


def test_changing_password_ends_other_sessions(app, member):
    laptop = Browserless(app.test_client())
    phone = Browserless(app.test_client())
    laptop.log_in(member.email)
    phone.log_in(member.email)
    laptop.post_form(
        "/account/password",
        {
            "current_password": DEFAULT_PASSWORD,
            "new_password": "brand new password",
            "confirm": "brand new password",
        },
    )
    assert "Welcome, Maya" in laptop.client.get("/").get_data(as_text=True)
    assert "Welcome, Maya" not in phone.client.get("/").get_data(as_text=True)


def test_session_and_remember_cookies_are_httponly_and_lax(browserless, member):
    response = browserless.log_in(member.email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session", "remember_token"):
        cookie = next(c for c in cookies if c.startswith(f"{name}="))
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # development serves plain HTTP


def test_production_config_marks_cookies_secure(monkeypatch, tmp_path):
    from hallway.config import ProductionConfig

    monkeypatch.setenv("HALLWAY_INSTANCE_PATH", str(tmp_path))
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE
    assert config.SESSION_COOKIE_HTTPONLY and config.REMEMBER_COOKIE_HTTPONLY


def test_a_sessions_csrf_token_is_signed_once_a_minute_and_older_ones_still_work(
    logged_in, monkeypatch
):
    clock = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])  # the token's minute and its stamp
    first = csrf_token_from(logged_in.client.get("/").get_data(as_text=True))
    assert csrf_token_from(logged_in.client.get("/members").get_data(as_text=True)) == first
    clock[0] += forms.CSRF_RESIGN_SECONDS
    later = csrf_token_from(logged_in.client.get("/").get_data(as_text=True))
    assert later != first  # signed again
    # The minute-old token is still this session's: tokens last as long as the session.
    kept = logged_in.client.post("/notifications/read-all", data={"csrf_token": first})
    assert kept.status_code == 302


def test_another_sessions_csrf_token_is_refused(app, logged_in, member):
    other = Browserless(app.test_client())
    theirs = csrf_token_from(other.client.get("/login").get_data(as_text=True))
    refused = logged_in.client.post("/notifications/read-all", data={"csrf_token": theirs})
    assert refused.status_code == 400
