"""API tokens with the real twine 7 against a live server: what uploads, what is refused and why,
what the events say, and that no token string is kept. SQLite; one server for the module."""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
from string import Template
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from pymacaroons import Macaroon
from sqlalchemy.orm import Session

from i18n_tool.a11y.targets import serve_wsgi
from companion import migrations
from companion.db import create_engine
from companion.events.tags import sentence
from companion.models import Event, Project, User
from companion.seed import seed_database
from companion.tokens import services
from tests.conftest import require
from tests.functional.companion.dists import Dist
from tests.functional.companion.test_twine_pip import TWINE, clean_environment, run

NEW = Dist("Token.Check", "1.0", module_text="ANSWER = 1\n")


class Site:
    def __init__(self, url: str, base: str, tmp, environ):
        self.url, self.base, self.tmp, self.environ = url, base, tmp, environ
        self.engine = create_engine(url)
        self.tokens: list[str] = []

    def token(self, username: str, description: str, projects=(), expires=None, revoked=False) -> str:
        with Session(self.engine) as db:
            user = db.scalars(sa.select(User).where(User.username == username)).one()
            ids = [db.scalars(sa.select(Project.id).where(Project.normalized_name == name)).one()
                   for name in projects] or None
            raw, token = services.create(db, user, description, ids, expires)
            if revoked:
                services.revoke(token, "user")
            db.commit()
        self.tokens.append(raw)
        return raw

    def upload(self, token: str, dist: Dist, name: str):
        files = dist.write(self.tmp / name)
        return run([TWINE, "upload", "--non-interactive", "--disable-progress-bar", "--repository-url",
                    f"{self.base}legacy/", "-u", "__token__", "-p", token, *files], self.environ)

    def files(self) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(sa.text("SELECT count(*) FROM release_files"))

    def file_events(self) -> list[Event]:
        with Session(self.engine) as db:
            return list(db.scalars(sa.select(Event).where(Event.tag == "project:release:file:add").order_by(Event.id)))


@pytest.fixture(scope="module")
def site(tmp_path_factory, compiled_catalogs):
    require("twine", TWINE.exists(), "make install: twine>=7 is in the dev extra")
    from tests.functional.companion.upload_helpers import upload_app

    tmp = tmp_path_factory.mktemp("twine-tokens")
    url = f"sqlite:///{tmp / 'companion.sqlite3'}"
    migrations.upgrade(url)
    seed_database(url)
    captured = CapturingHandler()
    logging.getLogger().addHandler(captured)
    try:
        with upload_app(url, tmp, tmp / "files", compiled_catalogs, **{"upload.password_login": "false"}) as app, \
                serve_wsgi(app.app) as base:
            site = Site(url, base, tmp, clean_environment(tmp / "home"))
            site.log = captured
            yield site
            site.engine.dispose()
    finally:
        logging.getLogger().removeHandler(captured)


class CapturingHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def refused(result) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_a_user_wide_token_uploads_a_new_project_and_the_events_name_the_token(site):
    raw = site.token("alice", "Laptop")
    result = site.upload(raw, NEW, "new")
    assert result.returncode == 0, result.stdout + result.stderr
    events = site.file_events()
    assert len(events) == 2  # the sdist and the wheel
    with Session(site.engine) as db:
        token = services.verify(db, raw).token
        assert token.last_used is not None
        for event in events:
            assert event.actor == f"token:{token.id}"
            assert event.additional["token_id"] == str(token.id) and event.additional["scope"] == "user"
    message, mapping = sentence(events[0].tag, events[0].additional)  # what the project's history shows
    assert Template(str(message)).substitute(mapping) == (
        f"File {events[0].additional['filename']} uploaded by alice with the API token {token.id}")


def test_a_project_token_uploads_to_its_project_only(site):
    site.upload(site.token("alice", "Owner wide"), Dist("Scoped.Own", "1.0"), "own-first")
    scoped = site.token("alice", "CI for scoped-own", projects=["scoped-own"])
    assert site.upload(scoped, Dist("Scoped.Own", "1.1"), "own-next").returncode == 0
    before = site.files()
    output = refused(site.upload(scoped, Dist("Scoped.Other", "1.0"), "other"))
    assert "403" in output and "This API token is scoped to other projects" in output
    output = refused(site.upload(scoped, Dist("Token.Check", "2.0"), "existing-other"))
    assert "This API token is not valid for project 'Token.Check'" in output
    assert site.files() == before


@pytest.mark.parametrize("kind, reason", [
    ("revoked", "this token was revoked"),
    ("expired", "this token has expired"),
    ("narrowed", "This API token is not valid for project"),
    ("tampered", "Invalid API token"),
    ("foreign", "Invalid API token"),
])
def test_refused_tokens_say_why_and_store_nothing(site, kind, reason):
    if kind == "revoked":
        token = site.token("alice", "Revoked one", revoked=True)
    elif kind == "expired":
        token = site.token("alice", "Expired one", expires=datetime.now(UTC) - timedelta(seconds=1))
    elif kind == "narrowed":
        macaroon = Macaroon.deserialize(site.token("alice", "Narrowed one").removeprefix("pypi-"))
        macaroon.add_first_party_caveat(json.dumps({"project_names": ["fetchwell"]}))
        token = "pypi-" + macaroon.serialize()
    elif kind == "tampered":
        macaroon = Macaroon.deserialize(site.token("alice", "Tampered one").removeprefix("pypi-"))
        forged = Macaroon(location=macaroon.location, identifier=macaroon.identifier, key=b"x" * 32)
        forged.add_first_party_caveat(macaroon.first_party_caveats()[0].caveat_id)
        token = "pypi-" + forged.serialize()
    else:
        token = "pypi-" + Macaroon(location="elsewhere", identifier="0" * 32, key=b"y" * 32).serialize()
    before = site.files()
    output = refused(site.upload(token, Dist("Token.Check", f"3.{len(kind)}"), f"refused-{kind}"))
    assert "403" in output and reason in output
    assert site.files() == before


@pytest.mark.parametrize("header", ["Basic !!!not-base64", "Bearer pypi-abc",
                                    "Basic " + base64.b64encode(b"__token__:not-a-token").decode()])
def test_a_garbage_authorization_header_is_a_403_with_a_reason(site, header):
    request = urllib.request.Request(f"{site.base}legacy/", data=b":action=file_upload", method="POST",
                                     headers={"Authorization": header})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert caught.value.code == 403 and caught.value.reason


def test_no_token_string_in_the_database_or_the_logs(site):
    assert site.tokens, "run with the other tests of the module"
    connection = sqlite3.connect(site.url.removeprefix("sqlite:///"))
    try:
        dump = "\n".join(connection.iterdump())
    finally:
        connection.close()
    logs = "\n".join(site.log.lines)
    for raw in site.tokens:
        body = raw.removeprefix("pypi-")
        assert body not in dump and body not in logs
