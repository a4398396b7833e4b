"""API token pages: creating (shown once), listing, revoking, a project's settings, and who may."""

from __future__ import annotations

import re

import pytest

from companion.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.functional.companion.events_helpers import events, user_id
from tests.functional.companion.test_accounts import form_for, log_in, log_out
from tests.functional.companion.test_mfa import later, password_step, submit_code

NEW = "/account/tokens/new/"


@pytest.fixture
def app(fresh_app):
    return fresh_app


def token_on(page) -> str:
    return re.search(r'<code id="token"[^>]*>([^<]+)</code>', page.text).group(1)


def create(app, description: str, scope: str | None = None, expires: str = "", status: int | str = 200, url=NEW):
    page = app.get(url)
    form = form_for(page, NEW)
    form["description"] = description
    if scope is not None:
        form["scope"].force_value(scope)
    form["expires"] = expires
    return form.submit(status=status)


def tags_of(url, username):
    subject = user_id(url, username)
    return [(e.tag, e.additional, e.actor) for e in events(url) if e.subject_id == subject and "api_token" in e.tag]


def test_a_token_is_shown_once_with_how_to_use_it(app, seeded_url):
    log_in(app, "alice", DEMO_PASSWORD)
    shown = create(app, "Laptop")
    raw = token_on(shown)
    assert raw.startswith("pypi-") and shown.headers["Cache-Control"] == "no-store"
    assert f"-u __token__ -p {raw} dist/*" in shown.text and "username = __token__" in shown.text
    assert "/simple/" in shown.text and 'data-copy="token"' in shown.text
    listed = app.get("/account/tokens/")
    assert "Laptop" in listed.text and "All your projects" in listed.text and raw not in listed.text
    [(tag, additional, actor)] = tags_of(seeded_url, "alice")
    assert tag == "account:api_token:created" and actor == f"user:{user_id(seeded_url, 'alice')}"
    assert additional["description"] == "Laptop" and additional["scope"] == "user" and raw not in str(additional)


def test_a_project_token_from_the_project_settings_page(app, seeded_url):
    log_in(app, "alice", DEMO_PASSWORD)
    detail = app.get("/project/fetchwell/")
    settings = detail.click(href="/project/fetchwell/settings/tokens/")
    page = settings.click(href=re.escape(NEW + "?project=fetchwell"))
    assert form_for(page, NEW)["scope"].value != "user"
    form = form_for(page, NEW)
    form["description"] = "CI for fetchwell"
    shown = form.submit(status=200)
    assert "fetchwell" in shown.text
    assert "CI for fetchwell" in app.get("/project/fetchwell/settings/tokens/").text
    [(_tag, additional, _actor)] = tags_of(seeded_url, "alice")
    assert additional["scope"].startswith("projects:")


def test_only_owners_see_a_projects_settings(app):
    app.get("/project/fetchwell/settings/tokens/", status=303)  # log in first
    log_in(app, "bob", DEMO_PASSWORD)  # a maintainer of fetchwell, not an owner
    app.get("/project/fetchwell/settings/tokens/", status=404)
    app.get("/project/no-such-project/settings/tokens/", status=404)


def test_the_scope_is_one_of_the_users_projects(app, seeded_url):
    log_in(app, "alice", DEMO_PASSWORD)
    page = app.get(NEW)
    names = {label for _value, _selected, label in form_for(page, NEW)["scope"].options}
    assert "fetchwell" in names and "asyncpipe" in names and "Zope.Demo_Utils" not in names
    create(app, "Stolen scope", scope="9999", status=400)
    assert tags_of(seeded_url, "alice") == []


def test_names_are_unique_among_active_tokens_and_revoking_frees_them(app, seeded_url):
    log_in(app, "alice", DEMO_PASSWORD)
    create(app, "Deploy")
    again = create(app, "Deploy", status=400)
    assert "You already have a token with this name." in again.text
    listed = app.get("/account/tokens/")
    confirm = listed.click(description="Revoke “Deploy”")
    done = form_for(confirm, confirm.request.path).submit(status=303).follow()
    assert "The token “Deploy” was revoked." in done.text and "You have no active API token." in done.text
    create(app, "Deploy")
    tags = [(tag, additional.get("reason")) for tag, additional, _actor in tags_of(seeded_url, "alice")]
    assert tags == [("account:api_token:created", None), ("account:api_token:removed", "user"),
                    ("account:api_token:created", None)]


def test_another_users_token_cannot_be_revoked(app):
    log_in(app, "alice", DEMO_PASSWORD)
    create(app, "Mine")
    revoke = re.search(r'href="(/account/tokens/\d+/revoke/)"', app.get("/account/tokens/").text).group(1)
    log_out(app)
    log_in(app, "bob", DEMO_PASSWORD)
    app.get(revoke, status=404)
    app.post(revoke, {"csrf_token": "x"}, status="*")
    log_out(app)
    log_in(app, "alice", DEMO_PASSWORD)
    assert "Mine" in app.get("/account/tokens/").text


def test_creating_needs_the_password_again_after_30_minutes(app, monkeypatch):
    log_in(app, "alice", DEMO_PASSWORD)
    later(monkeypatch, 31 * 60)
    again = app.get(NEW, status=303)
    assert "/account/reauthenticate/" in again.location and "factor=1" not in again.location  # no second factor
    page = again.follow()
    form = form_for(page, "/account/reauthenticate/")
    form["password"] = DEMO_PASSWORD
    assert form.submit(status=303).location.endswith(NEW)  # no second factor: straight back


def test_a_user_with_two_factor_confirms_it_too(app, monkeypatch):
    import pyotp

    from companion.mfa import totp

    page = password_step(app, "sam")
    submit_code(page, pyotp.TOTP(DEMO_TOTP_SECRET).now(), status=303)
    assert app.get(NEW).status_int == 200  # just logged in with both
    later(monkeypatch, 31 * 60)
    page = app.get(NEW, status=303).follow()
    form = form_for(page, "/account/reauthenticate/")
    form["password"] = DEMO_PASSWORD
    step = form.submit(status=303)
    assert "/account/login/two-factor/" in step.location
    monkeypatch.setattr(totp, "clock", lambda: __import__("time").time() + 60)  # the next code, not the used one
    code = pyotp.TOTP(DEMO_TOTP_SECRET).at(totp.clock())
    back = submit_code(step.follow(), code, status=303)
    assert NEW in back.location or "/recovery-codes/" in back.location
    assert app.get(NEW).status_int == 200
