"""Every action of the app records exactly its events, in the action's own transaction."""

from __future__ import annotations

import hashlib
import hmac

import pytest
import sqlalchemy as sa
from pyramid.view import view_config

import companion
from companion.accounts.models import User
from companion.seed import DEMO_PASSWORD, USERS, seed_database
from tests.functional.companion.conftest import SECRET, app_settings, running_app
from tests.functional.companion.events_helpers import events, last_id, summary, user_id
from tests.functional.companion.test_accounts import (
    form_for,
    link_in,
    log_in,
    log_out,
    messages,
    register,
    settings_form,
)


@pytest.fixture
def app(fresh_app):
    return fresh_app


def ids(url) -> dict[int, str]:
    names = [spec.username for spec in USERS] + ["ann"]
    return {found: name for name in names if (found := user_id(url, name)) is not None}


def _register(app, mail_dir):
    register(app)


def _login(app, mail_dir):
    log_in(app, "bob", DEMO_PASSWORD)


def _login_bad_password(app, mail_dir):
    log_in(app, "bob", "not the password", status=400)


def _login_unknown_user(app, mail_dir):
    log_in(app, "nobody-here", "whatever it is", status=400)


def _logout(app, mail_dir):
    log_out(app)


def _change_password(app, mail_dir):
    form = settings_form(app.get("/account/"), "password")
    form["current_password"], form["new_password"], form["new_password_confirm"] = (
        DEMO_PASSWORD, "a new long password", "a new long password")
    form.submit(status=303)


def _change_email(app, mail_dir):
    form = settings_form(app.get("/account/"), "email")
    form["email"] = "bob.new@example.com"
    form.submit(status=303)


def _change_language(app, mail_dir):
    form = settings_form(app.get("/account/"), "language")
    form["preferred_locale"] = "fr"
    form.submit(status=303)


def _switch_language(app, mail_dir):
    page = app.get("/")
    form = next(f for f in page.forms.values() if f.action == "/locale")
    form["locale"] = "ja"
    form.submit(status=303)


def _resend_verification(app, mail_dir):
    settings_form(app.get("/account/"), "verify").submit(status=303)


def _verify(app, mail_dir):
    settings_form(app.get("/account/"), "verify").submit(status=303)
    app.get(link_in(messages(mail_dir)[-1]))


def _reset_request(app, mail_dir):
    form = form_for(app.get("/account/reset-password/"), "/account/reset-password/")
    form["email"] = "bob@example.com"
    form.submit()


def _reset_request_unknown(app, mail_dir):
    form = form_for(app.get("/account/reset-password/"), "/account/reset-password/")
    form["email"] = "nobody@example.com"
    form.submit()


def _reset(app, mail_dir):
    _reset_request(app, mail_dir)
    page = app.get(link_in(messages(mail_dir)[-1]))
    form = next(iter(page.forms.values()))
    form["new_password"], form["new_password_confirm"] = "reset to this one", "reset to this one"
    form.submit(status=303)


SENT = "account:email:sent"
FINGERPRINT = hmac.new(SECRET.encode(), b"nobody-here", hashlib.sha256).hexdigest()[:16]
# (action, logged in as bob first, the events it records after the setup's: tag, subject, actor, additional)
ACTIONS = {
    "register": (_register, False, [
        ("account:create", "user:ann", "user:ann", {"username": "ann", "email": "ann@example.com"}),
        (SENT, "user:ann", "user:ann", {"template": "verify-email", "recipient": "ann@example.com"}),
    ]),
    "log in": (_login, False, [("account:login:success", "user:bob", "user:bob", {})]),
    "log in, wrong password": (_login_bad_password, False, [
        ("account:login:failure", "user:bob", "anonymous", {"reason": "bad_password", "username": "bob"})]),
    "log in, unknown user": (_login_unknown_user, False, [
        ("account:login:failure", "user:None", "anonymous", {"reason": "unknown_user",
                                                             "username_fingerprint": FINGERPRINT})]),
    "log out": (_logout, True, [("account:logout", "user:bob", "user:bob", {})]),
    "change password": (_change_password, True, [
        ("account:password:change", "user:bob", "user:bob", {}),
        (SENT, "user:bob", "user:bob", {"template": "password-changed", "recipient": "bob@example.com"}),
    ]),
    "change email": (_change_email, True, [
        ("account:email:change", "user:bob", "user:bob", {"old": "bob@example.com", "new": "bob.new@example.com"}),
        (SENT, "user:bob", "user:bob", {"template": "verify-email", "recipient": "bob.new@example.com"}),
    ]),
    "change preferred language": (_change_language, True, [
        ("account:locale:change", "user:bob", "user:bob", {"old": "", "new": "fr"})]),
    "switch language logged in": (_switch_language, True, [
        ("account:locale:change", "user:bob", "user:bob", {"old": "", "new": "ja"})]),
    "resend verification": (_resend_verification, True, [
        (SENT, "user:bob", "user:bob", {"template": "verify-email", "recipient": "bob@example.com"})]),
    "verify email": (_verify, True, [
        (SENT, "user:bob", "user:bob", {"template": "verify-email", "recipient": "bob@example.com"}),
        ("account:email:verified", "user:bob", "user:bob", {"email": "bob@example.com"}),
    ]),
    "request a reset": (_reset_request, False, [
        ("account:password:reset:request", "user:bob", "anonymous", {}),
        (SENT, "user:bob", "anonymous", {"template": "password-reset", "recipient": "bob@example.com"}),
    ]),
    "request a reset, unknown address": (_reset_request_unknown, False, []),
    "reset the password": (_reset, False, [
        ("account:password:reset:request", "user:bob", "anonymous", {}),
        (SENT, "user:bob", "anonymous", {"template": "password-reset", "recipient": "bob@example.com"}),
        ("account:password:reset", "user:bob", "user:bob", {}),
        (SENT, "user:bob", "anonymous", {"template": "password-changed", "recipient": "bob@example.com"}),
    ]),
}


@pytest.mark.parametrize("action, logged_in, expected", ACTIONS.values(), ids=ACTIONS.keys())
def test_each_action_records_exactly_its_events(app, seeded_url, mail_dir, action, logged_in, expected):
    if logged_in:
        log_in(app, "bob", DEMO_PASSWORD)
    before = last_id(seeded_url)
    action(app, mail_dir)
    recorded = events(seeded_url, before)
    names = ids(seeded_url)
    assert [summary(event, names) for event in recorded] == expected
    assert all(event.ip == "127.0.0.1" or event.ip is None for event in recorded)


def test_an_unknown_username_creates_nothing_and_answers_as_a_wrong_password(app, seeded_url):
    wrong_password = log_in(app, "bob", "not the password", status=400)
    unknown = log_in(app, "nobody-here", "whatever it is", status=400)
    assert unknown.text.replace("nobody-here", "bob") == wrong_password.text.replace("not the password", "")
    assert user_id(seeded_url, "nobody-here") is None


def test_rate_limited_logins_are_recorded_with_their_reason(app, seeded_url):
    for _ in range(5):
        log_in(app, "alice", "wrong", status=400)
    before = last_id(seeded_url)
    log_in(app, "alice", DEMO_PASSWORD, status=429)
    [event] = events(seeded_url, before)
    assert (event.tag, event.additional["reason"]) == ("account:login:failure", "rate_limited")


def test_the_seed_records_accounts_and_roles(migrated_database_url):
    report = seed_database(migrated_database_url)
    recorded = events(migrated_database_url)
    tags = [event.tag for event in recorded]
    assert tags.count("account:create") == report.users and tags.count("project:role:add") == report.roles
    assert {event.actor for event in recorded} == {"system"}
    seed_database(migrated_database_url)  # adds nothing, records nothing
    assert len(events(migrated_database_url)) == len(recorded)


# --- the same transaction -----------------------------------------------------------------------------------


@view_config(route_name="test.record", request_method="POST", require_csrf=False, renderer="string")
def _record_then(request):
    user = request.db.scalars(sa.select(User).where(User.username == "bob")).one()
    user.name = "Changed by the action"
    request.record_event("account:password:change", user)
    if request.params.get("fail"):
        raise RuntimeError("the action fails after recording")
    return "done"


@pytest.fixture
def app_with_test_view(seeded_url, mail_dir, compiled_catalogs):
    config = companion.configure(app_settings(seeded_url, **{"mail.dir": str(mail_dir), "redis.url": None,
                                                            "i18n_tool.catalogs": str(compiled_catalogs)}))
    config.add_route("test.record", "/test/record")
    config.add_view(_record_then, route_name="test.record", request_method="POST", require_csrf=False,
                    renderer="string")
    with running_app(config) as testapp:
        yield testapp


def last_position(url) -> int:
    return max(event.position for event in events(url))


def test_an_action_that_commits_has_its_event_chained_after_the_request(app_with_test_view, seeded_url):
    before, position = last_id(seeded_url), last_position(seeded_url)
    app_with_test_view.post("/test/record")
    [event] = events(seeded_url, before)
    assert event.tag == "account:password:change"
    assert event.position == position + 1 and len(event.hash) == 64


def test_an_action_that_rolls_back_has_none_and_leaves_no_gap(app_with_test_view, seeded_url):
    before, position = last_id(seeded_url), last_position(seeded_url)
    app_with_test_view.post("/test/record", {"fail": "1"}, status=500)
    assert events(seeded_url, before) == []
    engine = sa.create_engine(seeded_url)
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT name FROM users WHERE username = 'bob'")) != "Changed by the action"
    engine.dispose()
    app_with_test_view.post("/test/record")
    assert [event.position for event in events(seeded_url, before)] == [position + 1]
    assert verify_result(seeded_url) == (position + 1, None, 0)


def verify_result(url):
    from sqlalchemy.orm import Session

    from companion.db import create_engine
    from companion.events import chain

    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return chain.verify(session)
    finally:
        engine.dispose()


# --- role changes by an administrator (the command line) -----------------------------------------------------


def role(url, *args):
    from click.testing import CliRunner

    from companion.cli import main

    return CliRunner().invoke(main, ["role", *args], env={"DATABASE_URL": url}, catch_exceptions=False)


def test_role_changes_record_the_admin_as_the_actor(seeded_url):
    before = last_id(seeded_url)
    assert role(seeded_url, "add", "marie", "fetchwell", "--admin", "admin").exit_code == 0
    assert role(seeded_url, "change", "marie", "fetchwell", "--role", "Owner", "--admin", "admin").exit_code == 0
    assert role(seeded_url, "remove", "marie", "fetchwell").exit_code == 0
    names = ids(seeded_url)
    project = events(seeded_url, before)[0].subject_id
    assert [summary(event, names) for event in events(seeded_url, before)] == [
        ("project:role:add", f"project:{project}", "admin:admin", {"username": "marie", "role": "Maintainer"}),
        ("project:role:change", f"project:{project}", "admin:admin",
         {"username": "marie", "role": "Owner", "old": "Maintainer"}),
        ("project:role:remove", f"project:{project}", "system", {"username": "marie", "role": "Owner"}),
    ]


@pytest.mark.parametrize("args, message", [
    (("add", "alice", "fetchwell"), "already has a role"),
    (("remove", "marie", "fetchwell"), "has no role"),
    (("add", "nobody", "fetchwell"), "no such user"),
    (("add", "marie", "no-such-project"), "no such project"),
    (("add", "marie", "fetchwell", "--admin", "bob"), "not an administrator"),
])
def test_role_refusals_change_nothing(seeded_url, args, message):
    before = last_id(seeded_url)
    result = role(seeded_url, *args)
    assert result.exit_code == 2 and message in result.stderr
    assert events(seeded_url, before) == []
