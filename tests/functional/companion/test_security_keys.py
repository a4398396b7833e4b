"""Security keys in the companion: adding, logging in, refusals, removal, on SQLite and PostgreSQL.

The key is tests/functional/companion/soft_key.py, answering the options the pages carry; the
browser's own virtual authenticator is in tests/browser/test_webauthn.py.
"""

from __future__ import annotations

import html
import json
import logging
import re
import sqlite3
import subprocess

import pytest
import sqlalchemy as sa

from companion.mfa import demo_key
from companion.seed import DEMO_PASSWORD
from tests.functional.companion.conftest import make_app
from tests.functional.companion.events_helpers import events, user_id
from tests.functional.companion.soft_key import SoftKey, b64url, unb64url
from tests.functional.companion.test_accounts import form_for, log_in, log_out, messages
from tests.functional.companion.test_mfa import later, password_step, second_step_form

ORIGIN = "http://localhost:6543"  # the default webauthn.origin
ADD = "/account/two-factor/security-keys/"


@pytest.fixture
def app(fresh_app):
    return fresh_app


def options_of(page) -> str:
    return html.unescape(re.search(r'data-options="([^"]*)"', page.text).group(1))


def add_key(app, key: SoftKey, label: str, status: int | str = "*", origin: str | None = None):
    page = app.get(ADD)
    form = form_for(page, ADD)
    form["label"] = label
    form["credential"] = key.create(options_of(page), origin)
    return form.submit(status=status)


def key_step(page, key: SoftKey, status: int | str = "*", origin: str | None = None):
    form = second_step_form(page, "webauthn")
    form["credential"] = key.get(options_of(page), origin)
    return form.submit(status=status)


def demo(**kwargs) -> SoftKey:
    return SoftKey(ORIGIN, private_key=demo_key.private_key(), credential_id=demo_key.CREDENTIAL_ID, **kwargs)


def tags_of(url: str, username: str) -> list[tuple[str, dict]]:
    subject = user_id(url, username)
    return [(event.tag, event.additional) for event in events(url) if event.subject_id == subject]


def sign_count(url: str, label: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text("SELECT sign_count FROM webauthn_credentials WHERE label = :label"),
                                     {"label": label})
    finally:
        engine.dispose()


def test_adding_the_first_key_shows_recovery_codes_and_records_its_label(app, seeded_url, mail_dir):
    log_in(app, "bob", DEMO_PASSWORD)
    shown = add_key(app, SoftKey(ORIGIN), "Blue key", status=200)
    assert "Your security key “Blue key” is added. Save these recovery codes now." in shown.text
    assert re.search(r"cprc_[a-z2-7]{4}", shown.text)
    overview = app.get("/account/two-factor/")
    assert "Blue key" in overview.text and "Remove the key “Blue key”" in overview.text
    assert ("account:two_factor:method_added", {"method": "webauthn", "label": "Blue key"}) in tags_of(seeded_url, "bob")
    assert "“Blue key”" in messages(mail_dir)[-2].get_body(("plain",)).get_content()

    second = add_key(app, SoftKey(ORIGIN), "Green key", status=303)
    assert "Your security key “Green key” is added." in second.follow().text
    log_out(app)
    page = password_step(app, "bob")
    assert "Log in with a security key" in page.text and page.headers["Referrer-Policy"] == "no-referrer"


def test_the_page_refuses_what_a_key_or_a_person_gets_wrong(app, seeded_url):
    log_in(app, "bob", DEMO_PASSWORD)
    add_key(app, SoftKey(ORIGIN), "Work key", status=200)
    assert "You already have a security key with this name." in add_key(app, SoftKey(ORIGIN), "work KEY", 400).text
    assert "This field is required." in add_key(app, SoftKey(ORIGIN), "  ", 400).text
    wrong = add_key(app, SoftKey(ORIGIN), "Phish key", 400, origin="http://localhost.evil.example")
    assert "The security key answered for another site address." in wrong.text
    page = app.get(ADD)
    form = form_for(page, ADD)
    form["label"] = "No script"
    assert "Security keys need JavaScript" in form.submit(status=400).text  # posted without the key's answer
    assert len(app.get("/account/two-factor/").html.select("ul.keys li")) == 1
    reasons = [extra["reason"] for tag, extra in tags_of(seeded_url, "bob") if tag.endswith("method_add_failure")]
    assert reasons == ["label_taken", "wrong_origin", "no_answer"]


def test_the_same_key_cannot_be_registered_twice_even_to_another_account(app, seeded_url):
    key = SoftKey(ORIGIN)
    log_in(app, "bob", DEMO_PASSWORD)
    add_key(app, key, "Shared key", status=200)
    assert "This security key is already registered." in add_key(app, key, "Shared key again", 400).text
    log_out(app)
    log_in(app, "alice", DEMO_PASSWORD)
    assert "This security key is already registered." in add_key(app, key, "Shared key", 400).text


def test_the_demo_user_logs_in_with_the_demo_key_and_its_counter_is_kept(app, seeded_url):
    key = demo(sign_count=4)
    done = key_step(password_step(app, "sam"), key, status=303)
    assert done.location.endswith("/account/two-factor/recovery-codes/")  # sam has no codes yet
    assert sign_count(seeded_url, demo_key.LABEL) == 5
    assert ("account:two_factor:login:success", {"method": "webauthn", "label": demo_key.LABEL}) in tags_of(
        seeded_url, "sam")


def test_a_key_whose_counter_goes_back_is_refused_as_cloned(app, seeded_url):
    key_step(password_step(app, "sam"), demo(sign_count=9), status=303)
    log_out(app)
    refused = key_step(password_step(app, "sam"), demo(sign_count=3), status=400)
    assert "its counter went back, so it may have been copied" in refused.text
    tags = tags_of(seeded_url, "sam")
    assert ("account:two_factor:cloned_key", {"method": "webauthn", "label": demo_key.LABEL}) in tags
    assert ("account:two_factor:login:failure",
            {"method": "webauthn", "reason": "cloned_key", "label": demo_key.LABEL}) in tags
    assert sign_count(seeded_url, demo_key.LABEL) == 10  # the clone did not lower it


def test_a_passkey_without_counter_logs_in_every_time(app, seeded_url):
    for _ in range(2):
        key_step(password_step(app, "sam"), demo(step=0), status=303)
        log_out(app)
    assert sign_count(seeded_url, demo_key.LABEL) == 0


def test_a_challenge_works_once_even_with_the_old_session_cookie_back(app, seeded_url):
    page = password_step(app, "sam")
    options, cookie = options_of(page), app.cookies["session_id"]
    first = second_step_form(page, "webauthn")
    first["credential"] = demo(step=0).get(options, origin="https://companion.evil.example")
    first.submit(status=400)  # a failed verification spends the challenge too
    app.set_cookie("session_id", cookie)  # the session as it was, challenge and all
    again = second_step_form(page, "webauthn")
    again["credential"] = demo(step=0).get(options)  # a passkey: no counter would catch a replay
    assert "This page was open too long or was already used." in again.submit(status=400).text
    failures = [extra["reason"] for tag, extra in tags_of(seeded_url, "sam") if tag == "account:two_factor:login:failure"]
    assert failures == ["wrong_origin", "no_challenge"]


def allowing(options_json: str, key: SoftKey) -> str:
    """The options as a page offering ``key`` would carry them (the key only answers for itself)."""
    options = json.loads(options_json)
    options["allowCredentials"] = [{"id": b64url(key.credential_id), "type": "public-key"}]
    return json.dumps(options)


def test_wrong_origin_unknown_key_and_no_answer_at_the_second_step(app, seeded_url):
    page = password_step(app, "sam")
    wrong = key_step(page, demo(), status=400, origin="https://companion.evil.example")
    assert "answered for another site address" in wrong.text
    form = second_step_form(wrong, "webauthn")
    stranger = SoftKey(ORIGIN)
    form["credential"] = stranger.get(allowing(options_of(wrong), stranger))
    assert "not one of the keys of your account" in form.submit(status=400).text
    bare = second_step_form(password_step(app, "sam"), "webauthn").submit(status=400)
    assert "Security keys need JavaScript" in bare.text
    reasons = [extra["reason"] for tag, extra in tags_of(seeded_url, "sam") if tag == "account:two_factor:login:failure"]
    assert reasons == ["wrong_origin", "unknown_key", "no_answer"]


def test_webauthn_failures_share_the_second_steps_limiter(app, seeded_url):
    page = password_step(app, "sam")
    for _ in range(10):
        page = key_step(page, demo(), status=400, origin="https://companion.evil.example")
    locked = key_step(page, demo(), status=429)
    assert locked.headers["Retry-After"].isdigit()
    assert "Too many failed attempts at the second step." in locked.text


def test_user_verification_required_by_the_setting(seeded_url, mail_dir, compiled_catalogs):
    settings = {"i18n_tool.catalogs": str(compiled_catalogs), "webauthn.user_verification": "required"}
    with make_app(seeded_url, mail_dir, **settings) as app:
        assert '"userVerification": "required"' in options_of(password_step(app, "sam"))
        refused = key_step(password_step(app, "sam"), demo(), status=400)
        assert "verify that it is you, with a PIN or a fingerprint" in refused.text
        key_step(password_step(app, "sam"), demo(verifies_user=True), status=303)


def test_removal_needs_a_recent_password_and_the_key_stops_working(app, seeded_url, mail_dir, monkeypatch):
    log_in(app, "bob", DEMO_PASSWORD)
    key = SoftKey(ORIGIN)
    add_key(app, key, "Old key", status=200)
    overview = app.get("/account/two-factor/")
    remove = re.search(r'href="(/account/two-factor/security-keys/\d+/remove/)"', overview.text).group(1)
    later(monkeypatch, 31 * 60)
    assert "/account/reauthenticate/" in app.get(remove, status=303).location
    monkeypatch.undo()
    confirm = app.get(remove)
    assert "Remove the key “Old key”" in confirm.text
    done = form_for(confirm, remove).submit(status=303).follow()
    assert "Your security key “Old key” was removed." in done.text
    assert messages(mail_dir)[-1]["Subject"] == "A second factor was removed from your account"
    app.get(remove, status=404)
    assert ("account:two_factor:method_removed", {"method": "webauthn", "label": "Old key"}) in tags_of(
        seeded_url, "bob")
    log_out(app)
    assert log_in(app, "bob", DEMO_PASSWORD).location.endswith("/account/")  # no second factor left


def test_another_users_key_cannot_be_removed(app):
    log_in(app, "bob", DEMO_PASSWORD)
    app.get("/account/two-factor/security-keys/1/remove/", status=404)  # sam's demo key


def dump(url: str) -> str:
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()
    name = url.rsplit("/", 1)[1]
    return subprocess.run(["pg_dump", "--inserts", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True,
                          text=True, check=True).stdout


def test_a_pending_challenge_is_stored_only_as_its_digest(app, seeded_url, mail_dir, caplog):
    caplog.set_level(logging.DEBUG)
    page = password_step(app, "sam")
    challenge = json.loads(options_of(page))["challenge"]
    raw = unb64url(challenge)
    pending = dump(seeded_url)
    assert "webauthn_challenges" in pending and challenge not in pending and raw.hex() not in pending
    key_step(page, demo(), status=303)
    for event in events(seeded_url):
        assert challenge not in json.dumps(event.additional)
    assert challenge not in caplog.text and challenge not in app.get("/account/history/").text
    assert all(challenge not in message.as_string() for message in messages(mail_dir))


def test_the_second_step_with_every_method_has_unique_ids(app):
    codes_page = key_step(password_step(app, "sam"), demo(), status=303).follow()
    generate = next(f for f in codes_page.forms.values() if "action" in f.fields and f["action"].value == "generate")
    generate.submit(status=200)
    log_out(app)
    page = password_step(app, "sam")
    assert {form["method"].value for form in page.forms.values() if "method" in form.fields} == {
        "totp", "webauthn", "recovery_code"}
    ids = [element["id"] for element in page.html.select("[id]")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
