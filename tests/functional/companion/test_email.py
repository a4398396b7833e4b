"""Emails: .eml files in the mail directory, each in the recipient's language, sent only on commit."""

from __future__ import annotations

import email
import email.policy
import shutil
from pathlib import Path

import pytest
from pyramid_mailer.message import Message

import companion
from companion.email import DirectoryMailer
from companion.seed import DEMO_PASSWORD, seed_database
from i18n_tool.catalog import po
from i18n_tool.catalog.lifecycle import compile_files
from i18n_tool.catalog.model import Entry
from tests.functional.companion.conftest import ROOT, app_settings, extract_sources, running_app
from tests.functional.companion.test_accounts import form_for, log_in, settings_form

# German for the strings the tests look for (a translator's work; here in the test's copy only).
GERMAN = {
    "Reset your password": "Passwort zurücksetzen",
    "Your password was changed": "Ihr Passwort wurde geändert",
    "Verify your email address": "Bestätigen Sie Ihre E-Mail-Adresse",
    "Hello %(name)s,": "Hallo %(name)s,",
    "Reset password": "Passwort zurücksetzen",
    "The current password is not correct.": "Das aktuelle Passwort ist nicht richtig.",
    "Use at least %(min)d characters.": "Verwenden Sie mindestens %(min)d Zeichen.",
}


@pytest.fixture(scope="session")
def german_catalogs(tmp_path_factory) -> Path:
    catalogs = tmp_path_factory.mktemp("catalogs-de")
    shutil.copytree(ROOT / "catalogs", catalogs, dirs_exist_ok=True)
    extract_sources(catalogs / "messages.pot")
    path = catalogs / "de" / "LC_MESSAGES" / "messages.po"
    catalog = po.parse_file(path)
    entries = {(entry.msgctxt, entry.msgid): entry for entry in catalog.active}
    for msgid, msgstr in GERMAN.items():
        entry = entries.get((None, msgid))
        if entry is None:
            entry = Entry(msgid=msgid, flags=["python-format"] if "%(" in msgid else [])
            catalog.entries.append(entry)
        entry.msgstr = msgstr
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    path.write_bytes(po.write(catalog))
    [result] = compile_files([path])
    assert result.mo, result.findings
    return catalogs


@pytest.fixture
def app(migrated_database_url, german_catalogs, tmp_path):
    seed_database(migrated_database_url)
    settings = app_settings(migrated_database_url, **{"mail.dir": str(tmp_path / "mail"), "redis.url": None,
                                                      "i18n_tool.catalogs": str(german_catalogs)})
    with running_app(companion.configure(settings)) as testapp:
        testapp.mail_dir = tmp_path / "mail"
        yield testapp


def messages(mail_dir: Path):
    paths = sorted(mail_dir.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns) if mail_dir.exists() else []
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in paths]


def request_reset(app, address, **kwargs):
    form = form_for(app.get("/account/reset-password/", **kwargs), "/account/reset-password/")
    form["email"] = address
    return form.submit(status=200, **kwargs)


def test_email_goes_out_in_the_recipients_language(app):
    # lena prefers German; the request asking for the reset is in English.
    english = {"headers": {"Accept-Language": "en"}}
    response = request_reset(app, "lena@example.com", **english)
    assert '<html lang="en"' in response.text
    [message] = messages(app.mail_dir)
    assert message["Subject"] == "Passwort zurücksetzen"
    assert message["Content-Language"] == "de"
    assert "Hallo lena," in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hallo lena," in html and ">Passwort zurücksetzen</a>" in html


def test_a_user_without_a_preference_gets_the_default_language(app):
    app.set_cookie("_LOCALE_", "de")  # the requester reads German
    response = request_reset(app, "alice@example.com")
    assert '<html lang="de"' in response.text
    [message] = messages(app.mail_dir)
    assert message["Subject"] == "Reset your password" and message["Content-Language"] == "en"


def test_password_changed_email_in_the_recipients_language(app):
    log_in(app, "lena", DEMO_PASSWORD, headers={"Accept-Language": "en"})
    app.set_cookie("_LOCALE_", "en")  # the page is English, the email still German
    form = settings_form(app.get("/account/"), "password")
    form["current_password"] = DEMO_PASSWORD
    form["new_password"] = form["new_password_confirm"] = "neues Passwort"
    form.submit(status=303)
    [message] = messages(app.mail_dir)
    assert message["Subject"] == "Ihr Passwort wurde geändert" and message["To"] == "lena@example.com"


def test_form_messages_are_translated(app):
    app.set_cookie("_LOCALE_", "de")
    log_in(app, "lena", DEMO_PASSWORD)
    form = settings_form(app.get("/account/"), "password")
    form["current_password"], form["new_password"], form["new_password_confirm"] = "falsch", "kurz", "kurz"
    response = form.submit(status=400)
    assert "Das aktuelle Passwort ist nicht richtig." not in response.text  # validated fields first
    assert "Verwenden Sie mindestens 8 Zeichen." in response.text
    form = settings_form(app.get("/account/"), "password")
    form["current_password"] = "falsch"
    form["new_password"] = form["new_password_confirm"] = "lang genug"
    assert "Das aktuelle Passwort ist nicht richtig." in form.submit(status=400).text
    assert messages(app.mail_dir) == []


def test_no_email_when_the_request_is_refused(app):
    # Without the CSRF token nothing runs, so nothing is sent.
    app.post("/account/reset-password/", {"email": "lena@example.com"}, status=403)
    assert messages(app.mail_dir) == []


def test_directory_mailer_writes_whole_eml_files(tmp_path):
    mailer = DirectoryMailer(tmp_path / "out")
    path = mailer.send_immediately(Message(subject="Grüße", recipients=["a@example.com"], body="ä\n", html="<p>ä</p>"))
    assert path.suffix == ".eml" and list(path.parent.iterdir()) == [path]
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "Grüße" and parsed["From"] == "Companion <noreply@companion.invalid>"
    assert parsed.get_body(("plain",)).get_content() == "ä\n"
