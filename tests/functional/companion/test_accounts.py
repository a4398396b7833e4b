"""Accounts: register, verify, log in and out, settings, failed-login limiting, CSRF, password reset."""

from __future__ import annotations

import email
import email.policy
import re
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from companion.accounts import tokens
from companion.accounts.passwords import needs_rehash
from companion.db import create_engine
from companion.models import User
from companion.seed import DEMO_PASSWORD
from tests.conftest import require
from tests.functional.companion.conftest import SECRET, make_app

REDIS_URL = "redis://127.0.0.1:6379/0"


# --- helpers ----------------------------------------------------------------------------------------------


@pytest.fixture
def app(fresh_app):
    return fresh_app


def user_row(url, username) -> User | None:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            user = session.scalars(sa.select(User).where(User.username == username)).one_or_none()
            if user is not None:
                session.expunge(user)
            return user
    finally:
        engine.dispose()


def update_user(url, username, **values) -> None:
    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            session.execute(sa.update(User).where(User.username == username).values(**values))
    finally:
        engine.dispose()


def form_for(response, action):
    return next(form for form in response.forms.values() if form.action == action)


def messages(mail_dir: Path) -> list[email.message.EmailMessage]:
    if not mail_dir.exists():
        return []
    paths = sorted(mail_dir.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in paths]


def text_body(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message) -> str:
    url = re.search(r"http://localhost(/account/\S+/)", text_body(message)).group(1)
    return url


def log_in(app, username, password, status=303, **kwargs):
    form = form_for(app.get("/account/login/"), "/account/login/")
    form["username"], form["password"] = username, password
    return form.submit(status=status, **kwargs)


def log_out(app):
    page = app.get("/account/")
    return form_for(page, "/account/logout/").submit(status=303)


def register(app, username="ann", address="ann@example.com", password="correct horse", confirm=None, status=303):
    form = form_for(app.get("/account/register/"), "/account/register/")
    form["username"], form["email"] = username, address
    form["password"], form["password_confirm"] = password, confirm or password
    return form.submit(status=status)


# --- register, verify, log in, language, log out ---------------------------------------------------------------


def test_register_verify_login_change_language_logout(app, seeded_url, mail_dir):
    response = register(app).follow()
    assert "Logged in as ann" in response.text
    user = user_row(seeded_url, "ann")
    assert user.password_hash.startswith("$argon2id$") and "correct horse" not in user.password_hash
    assert user.preferred_locale == "en"

    [verify] = messages(mail_dir)
    assert verify["To"] == "ann@example.com" and verify["Subject"] == "Verify your email address"
    assert verify.get_body(("html",)) is not None
    assert "Thank you: your email address is verified." in app.get(link_in(verify)).text

    log_out(app)
    assert 'href="/account/login/"' in app.get("/").text
    app.get("/account/", status=303)  # logged out: settings send you to log in

    response = log_in(app, "ann", "correct horse")
    assert response.location.endswith("/account/")
    page = response.follow()
    language = settings_form(page, "language")
    language["preferred_locale"] = "de"
    language.submit(status=303)
    assert user_row(seeded_url, "ann").preferred_locale == "de"
    home = app.get("/")
    assert '<html lang="de" dir="ltr">' in home.text  # the preference, with no cookie or header asking

    log_out(app)
    assert '<html lang="en" dir="ltr">' in app.get("/").text


def test_email_verification_is_stored_and_each_link_works_once(app, seeded_url, mail_dir):
    register(app)
    assert user_row(seeded_url, "ann").email_verified is False
    settings = app.get("/account/")
    assert "It is not verified yet." in settings.text
    settings_form(settings, "verify").submit(status=303)  # send it again
    first, second = messages(mail_dir)
    assert first["To"] == second["To"] == "ann@example.com"

    assert "Thank you: your email address is verified." in app.get(link_in(second)).text
    assert user_row(seeded_url, "ann").email_verified is True
    assert "This link is not valid" in app.get(link_in(second), status=400).text  # used
    assert "This link is not valid" in app.get(link_in(first), status=400).text  # signed before it was used
    settings = app.get("/account/")
    assert "It is verified." in settings.text
    assert not any("action" in f.fields and f["action"].value == "verify" for f in settings.forms.values())


def test_a_new_address_starts_unverified(app, seeded_url, mail_dir):
    log_in(app, "alice", DEMO_PASSWORD)
    assert user_row(seeded_url, "alice").email_verified is True
    form = settings_form(app.get("/account/"), "email")
    form["email"] = "alice@new.example"
    form.submit(status=303)
    assert user_row(seeded_url, "alice").email_verified is False
    [verify] = messages(mail_dir)
    app.get(link_in(verify))
    assert user_row(seeded_url, "alice").email_verified is True


def test_register_validates_with_messages(app, seeded_url):
    response = register(app, username="-bad-", address="not-an-address", password="short", confirm="other",
                        status=400)
    assert "Use letters, digits, and" in response.text
    assert "Enter an email address such as name@example.com." in response.text
    assert "Use at least 8 characters." in response.text
    assert "The passwords do not match." in response.text
    taken = register(app, username="Alice", address="ALICE@example.com", status=400)
    assert "This username is already taken." in taken.text
    assert "This email address is already used by an account." in taken.text
    assert user_row(seeded_url, "-bad-") is None


def test_seeded_users_log_in_with_the_demo_password(app):
    response = log_in(app, "alice", DEMO_PASSWORD).follow()
    assert "Logged in as alice" in response.text


def test_wrong_password_is_refused(app):
    response = log_in(app, "alice", "not the password", status=400)
    assert "The username or password is not correct." in response.text
    assert "Logged in as" not in response.text
    app.get("/account/", status=303)
    unknown = log_in(app, "nobody", "whatever", status=400)
    assert "The username or password is not correct." in unknown.text


def test_login_rehashes_when_parameters_changed(app, seeded_url):
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(DEMO_PASSWORD)
    update_user(seeded_url, "bob", password_hash=old)
    log_in(app, "bob", DEMO_PASSWORD)
    new = user_row(seeded_url, "bob").password_hash
    assert new != old and not needs_rehash(new)


def test_login_redirects_only_to_this_site(app):
    form = form_for(app.get("/account/login/", {"next": "//evil.example/"}), "/account/login/")
    form["username"], form["password"] = "alice", DEMO_PASSWORD
    assert form.submit(status=303).location.endswith("/account/")
    log_out(app)
    form = form_for(app.get("/account/login/", {"next": "/projects/"}), "/account/login/")
    form["username"], form["password"] = "alice", DEMO_PASSWORD
    assert form.submit(status=303).location.endswith("/projects/")


# --- failed-login limiting --------------------------------------------------------------------------------------


def test_failed_logins_are_limited_per_username(app):
    for _ in range(5):
        log_in(app, "alice", "wrong", status=400)
    limited = log_in(app, "alice", DEMO_PASSWORD, status=429)  # even the right password, for now
    assert "Too many failed attempts to log in." in limited.text
    assert limited.headers["Retry-After"]
    log_in(app, "bob", DEMO_PASSWORD, extra_environ={"REMOTE_ADDR": "192.0.2.9"})  # others are not affected


def test_failed_logins_are_limited_per_address(app):
    ip = {"REMOTE_ADDR": "198.51.100.7"}
    for index in range(5):
        log_in(app, f"nobody{index}", "wrong", status=400, extra_environ=ip)
    log_in(app, "alice", DEMO_PASSWORD, status=429, extra_environ=ip)
    log_in(app, "alice", DEMO_PASSWORD, extra_environ={"REMOTE_ADDR": "198.51.100.8"})


def test_limited_message_is_translated(app):
    for _ in range(5):
        log_in(app, "carol", "wrong", status=400)
    app.set_cookie("_LOCALE_", "de")
    limited = log_in(app, "carol", "wrong", status=429)
    assert '<html lang="de"' in limited.text


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def test_failed_logins_are_limited_with_redis(seeded_url, mail_dir):
    require("Redis", redis_available(), "not running on 127.0.0.1:6379")
    prefix = f"companion-test-{uuid.uuid4().hex}"
    settings = {"redis.url": REDIS_URL, "accounts.ratelimit_prefix": prefix}
    with make_app(seeded_url, mail_dir, **settings) as first, make_app(seeded_url, mail_dir, **settings) as second:
        for _ in range(5):
            log_in(first, "alice", "wrong", status=400)
        # Another process (another app) shares the counts through Redis.
        log_in(second, "alice", DEMO_PASSWORD, status=429)
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}*"))
    assert keys
    client.delete(*keys)


# --- CSRF --------------------------------------------------------------------------------------------------------


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(app, seeded_url, mail_dir):
    response = app.post("/account/register/", {"username": "eve", "email": "eve@example.com",
                                               "password": "long enough", "password_confirm": "long enough"},
                        status=403)
    assert "Form expired" in response.text
    assert user_row(seeded_url, "eve") is None and messages(mail_dir) == []

    log_in(app, "alice", DEMO_PASSWORD)
    app.post("/account/", {"action": "email", "email": "evil@example.com", "csrf_token": "wrong"}, status=403)
    assert user_row(seeded_url, "alice").email == "alice@example.com"
    app.post("/account/logout/", status=403)
    assert "Logged in as alice" in app.get("/account/").text


# --- settings --------------------------------------------------------------------------------------------------


def settings_form(page, action):
    return next(f for f in page.forms.values() if "action" in f.fields and f["action"].value == action)


def test_change_password_needs_the_current_one(app, seeded_url, mail_dir):
    log_in(app, "alice", DEMO_PASSWORD)
    form = settings_form(app.get("/account/"), "password")
    form["current_password"], form["new_password"], form["new_password_confirm"] = "wrong", "new password", \
        "new password"
    assert "The current password is not correct." in form.submit(status=400).text

    form = settings_form(app.get("/account/"), "password")
    form["current_password"] = DEMO_PASSWORD
    form["new_password"] = form["new_password_confirm"] = "new password"
    assert "Your password was changed." in form.submit(status=303).follow().text  # still logged in
    [changed] = messages(mail_dir)
    assert changed["Subject"] == "Your password was changed" and changed["To"] == "alice@example.com"
    log_out(app)
    log_in(app, "alice", DEMO_PASSWORD, status=400)
    log_in(app, "alice", "new password")


def test_change_email_sends_a_verification(app, seeded_url, mail_dir):
    log_in(app, "alice", DEMO_PASSWORD)
    form = settings_form(app.get("/account/"), "email")
    form["email"] = "bob@example.com"
    assert "This email address is already used by an account." in form.submit(status=400).text
    form = settings_form(app.get("/account/"), "email")
    form["email"] = "alice@new.example"
    form.submit(status=303)
    assert user_row(seeded_url, "alice").email == "alice@new.example"
    [verify] = messages(mail_dir)
    assert verify["To"] == "alice@new.example"


def test_changing_the_password_logs_out_other_sessions(app, seeded_url):
    log_in(app, "alice", DEMO_PASSWORD)
    update_user(seeded_url, "alice", password_hash=PasswordHasher().hash("changed elsewhere"))
    app.get("/account/", status=303)


# --- password reset ------------------------------------------------------------------------------------------


def request_reset(app, address):
    form = form_for(app.get("/account/reset-password/"), "/account/reset-password/")
    form["email"] = address
    return form.submit(status=200)


def test_password_reset_with_a_good_token(app, seeded_url, mail_dir):
    response = request_reset(app, "Alice@Example.com")
    assert "If an account uses that address" in response.text
    [reset] = messages(mail_dir)
    assert reset["To"] == "alice@example.com" and reset["Subject"] == "Reset your password"
    link = link_in(reset)

    form = form_for(app.get(link), link)
    form["new_password"] = form["new_password_confirm"] = "reset password"
    done = form.submit(status=303)
    assert done.location.endswith("/account/login/")
    assert "Log in with the new one." in done.follow().text
    log_in(app, "alice", DEMO_PASSWORD, status=400)
    log_in(app, "alice", "reset password")
    assert len(messages(mail_dir)) == 2  # and the password-changed notice
    app.get(link, status=400)  # used: the password it was signed for has changed


def test_password_reset_never_says_whether_an_email_exists(app, mail_dir):
    known = request_reset(app, "alice@example.com").text
    unknown = request_reset(app, "nobody@example.com").text
    strip = lambda text: re.sub(r'name="csrf_token" value="[^"]*"', "", text)  # noqa: E731
    assert strip(known) == strip(unknown)
    assert len(messages(mail_dir)) == 1


def test_password_reset_with_a_tampered_token(app, seeded_url, mail_dir):
    request_reset(app, "alice@example.com")
    link = link_in(messages(mail_dir)[0])
    user_id, expires, signature = link.split("/")[-2].split(".")
    bob = user_row(seeded_url, "bob")
    tampered = [f"{bob.id}.{expires}.{signature}", f"{user_id}.{int(expires) + 3600}.{signature}",
                f"{user_id}.{expires}.{signature[:-2]}AA", "garbage", f"{user_id}.{expires}."]
    for token in tampered:
        response = app.get(f"/account/reset-password/{token}/", status=400)
        assert "This link is not valid" in response.text
    app.post(f"/account/reset-password/{tampered[0]}/",
             {"new_password": "x" * 10, "new_password_confirm": "x" * 10,
              "csrf_token": form_for(app.get("/account/login/"), "/account/login/")["csrf_token"].value},
             status=400)
    assert user_row(seeded_url, "bob").password_hash == bob.password_hash


def test_password_reset_with_an_expired_token(app, seeded_url):
    alice = user_row(seeded_url, "alice")
    state = f"{alice.password_hash}\x00{alice.email}"
    expired = tokens.make_token(SECRET, tokens.RESET_PASSWORD, alice.id, state, 3600, now=time.time() - 3601 - 5)
    assert "This link is not valid" in app.get(f"/account/reset-password/{expired}/", status=400).text
    fresh = tokens.make_token(SECRET, tokens.RESET_PASSWORD, alice.id, state, 3600)
    app.get(f"/account/reset-password/{fresh}/", status=200)
    # a verification token is not a reset token
    other = tokens.make_token(SECRET, tokens.VERIFY_EMAIL, alice.id, state, 3600)
    app.get(f"/account/reset-password/{other}/", status=400)
