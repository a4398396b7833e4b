"""No secret reaches an event, a log line, an export or a database dump."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

import pytest
import sqlalchemy as sa

from companion.seed import DEMO_PASSWORD
from tests.conftest import require
from tests.functional.companion.conftest import SECRET
from tests.functional.companion.test_accounts import form_for, link_in, log_in, log_out, messages, register, settings_form

PASSWORD = "a passphrase nobody else has 7Q"
NEW_PASSWORD = "the second passphrase 9Z"
RESET_PASSWORD = "the third passphrase 3K"


def dump(url) -> str:
    """Every row of every table, as text: pg_dump for PostgreSQL, iterdump for SQLite."""
    engine = sa.create_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            require("pg_dump", shutil.which("pg_dump") is not None, "apt-get install postgresql-client")
            return subprocess.run(["pg_dump", "--data-only", "-h", engine.url.host, "-p", str(engine.url.port),
                                   "-U", engine.url.username, engine.url.database],
                                  check=True, capture_output=True, text=True).stdout
        with engine.connect() as connection:
            return "\n".join(connection.connection.driver_connection.iterdump())
    finally:
        engine.dispose()


def test_no_secret_in_events_logs_exports_or_dumps(fresh_app, seeded_url, mail_dir, caplog):
    app = fresh_app
    caplog.set_level(logging.DEBUG)
    secrets = [PASSWORD, NEW_PASSWORD, RESET_PASSWORD, DEMO_PASSWORD, SECRET]

    register(app, password=PASSWORD)
    secrets.append(app.cookies["session_id"])
    verify_link = link_in(messages(mail_dir)[-1])
    app.get(verify_link)
    form = settings_form(app.get("/account/"), "password")
    secrets.append(form["csrf_token"].value)
    form["current_password"], form["new_password"], form["new_password_confirm"] = PASSWORD, NEW_PASSWORD, NEW_PASSWORD
    form.submit(status=303)
    log_out(app)
    log_in(app, "ann", "wrong " + NEW_PASSWORD, status=400)
    log_in(app, NEW_PASSWORD, NEW_PASSWORD, status=400)  # a password typed as the username

    form = form_for(app.get("/account/reset-password/"), "/account/reset-password/")
    form["email"] = "ann@example.com"
    form.submit()
    reset_link = link_in(messages(mail_dir)[-1])
    page = app.get(reset_link)
    form = next(iter(page.forms.values()))
    form["new_password"], form["new_password_confirm"] = RESET_PASSWORD, RESET_PASSWORD
    form.submit(status=303)
    tokens = [link.rstrip("/").rsplit("/", 1)[1] for link in (verify_link, reset_link)]
    secrets += tokens + [token.rsplit(".", 1)[-1] for token in tokens]

    log_in(app, "admin", DEMO_PASSWORD)
    exports = app.get("/admin/events/export.json").text + app.get("/admin/events/export.csv").text
    assert "account:password:reset" in exports

    logs = "\n".join(record.getMessage() for record in caplog.records)
    database = dump(seeded_url)
    assert "account:password:change" in database
    for where, text in (("a database dump", database), ("the logs", logs), ("an export", exports)):
        for secret in secrets:
            assert secret not in text, f"a secret ({secret[:4]}…) appears in {where}"


@pytest.mark.parametrize("typed", [NEW_PASSWORD, "x" * 200])
def test_an_unknown_username_is_kept_as_a_fingerprint(fresh_app, seeded_url, typed):
    from tests.functional.companion.events_helpers import events

    log_in(fresh_app, typed, "whatever", status=400)
    log_in(fresh_app, typed.upper(), "whatever", status=400)
    first, second = [event for event in events(seeded_url) if event.tag == "account:login:failure"]
    assert "username" not in first.additional and typed not in str(first.additional)
    assert re.fullmatch(r"[0-9a-f]{16}", first.additional["username_fingerprint"])
    assert first.additional == second.additional  # the same name typed twice can be told apart from others
