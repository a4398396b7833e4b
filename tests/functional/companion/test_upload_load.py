"""Uploads under load on PostgreSQL: 10 uploaders with API tokens, 20 uploads each, at once.

A live waitress server (8 threads) on a fresh, migrated and seeded PostgreSQL database. Each
uploader is a user of its own with a user-wide token, uploading 20 versions of its own project
over HTTP (multipart, as twine sends it). Every file must be stored exactly once (a row and its
content on disk), every upload's event recorded exactly once with the token that made it, no
response a 5xx, and the event chain must verify. No timing is asserted.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.orm import Session

import companion
from i18n_tool.a11y.targets import serve_wsgi
from companion import migrations
from companion.db import ENGINE, create_engine
from companion.events import CHAINER, chain
from companion.events.models import Event
from companion.models import File
from companion.seed import seed_database
from companion.tokens import services
from tests.functional.companion.conftest import app_settings, fresh_database
from tests.functional.companion.dists import Dist
from tests.functional.companion.test_events_load import create_users

UPLOADERS = 10
UPLOADS = 20  # per uploader
TIMEOUT = 60


def tokens_for(url: str, users: dict[str, int]) -> dict[str, tuple[str, int]]:
    """A user-wide token for each user: username → (token, token id)."""
    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            made = {}
            for username, user_id in users.items():
                user = session.get(companion.models.User, user_id)
                raw, token = services.create(session, user, "Load test")
                made[username] = (raw, token.id)
            return made
    finally:
        engine.dispose()


def upload_all(base: str, username: str, token: str) -> Counter:
    statuses: Counter[int] = Counter()
    with requests.Session() as http:
        http.auth = ("__token__", token)
        for index in range(UPLOADS):
            fields, [(name, filename, content)] = Dist(f"Load.{username}", f"1.{index}").form()
            response = http.post(f"{base}legacy/", data=fields, files={name: (filename, content)}, timeout=TIMEOUT)
            statuses[response.status_code] += 1
    return statuses


@pytest.mark.service("postgresql")
def test_concurrent_token_uploads_store_each_file_once(tmp_path, compiled_catalogs):
    with fresh_database("postgresql", tmp_path) as url:
        migrations.upgrade(url)
        seed_database(url)
        users = create_users(url, UPLOADERS)
        tokens = tokens_for(url, users)
        files_dir = tmp_path / "files"
        router = companion.main({}, **app_settings(url, **{
            "mail.dir": str(tmp_path / "mail"), "redis.url": None, "files.dir": str(files_dir),
            "i18n_tool.catalogs": str(compiled_catalogs)}))
        try:
            with serve_wsgi(router, threads=8, join_timeout=10) as base:
                with ThreadPoolExecutor(max_workers=UPLOADERS) as pool:
                    futures = [pool.submit(upload_all, base, username, raw) for username, (raw, _id) in tokens.items()]
                    statuses = sum((future.result() for future in futures), Counter())
                assert router.registry[CHAINER].settled()
        finally:
            router.registry[ENGINE].dispose()

        assert statuses == Counter({200: UPLOADERS * UPLOADS}), statuses
        engine = create_engine(url)
        try:
            with Session(engine) as session:
                stored = session.scalars(sa.select(File).where(File.path.is_not(None))).all()
                added = session.scalars(sa.select(Event).where(Event.tag == "project:release:file:add")).all()
                checked, broken, pending = chain.verify(session)
        finally:
            engine.dispose()
        assert len(stored) == len({f.sha256 for f in stored}) == UPLOADERS * UPLOADS
        on_disk = [path for path in files_dir.rglob("*") if path.is_file()]
        assert len(on_disk) == UPLOADERS * UPLOADS
        assert all(hashlib.sha256(path.read_bytes()).hexdigest() == path.parent.name for path in on_disk)
        assert Counter(event.additional["filename"] for event in added) == Counter(f.filename for f in stored)
        token_ids = {str(token_id) for _raw, token_id in tokens.values()}
        assert {event.additional["token_id"] for event in added} == token_ids
        assert broken is None and pending == 0 and checked > UPLOADERS * UPLOADS
