"""The event chain under load: 20 clients acting at once over HTTP leave a whole, linear chain.

A live waitress server (8 threads) on a fresh, migrated and seeded PostgreSQL database; 20
clients, each a thread with its own ``requests.Session`` and its own user, each log in
(``account:login:success``) and then change their preferred language 49 times
(``account:locale:change``, alternating values so that every change records). That is exactly
1,000 events, all of which must be there, chained by the app itself (none left unchained once
its chainer's rounds are over, without running the chainer from the test), the chain must verify without a break, and no
response may be a 5xx. No timing is asserted: the test checks what was written, not how fast.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.orm import Session

from i18n_tool.a11y.targets import serve_wsgi

import companion
from companion import migrations
from companion.db import ENGINE, create_engine
from companion.events import CHAINER, chain
from companion.events.models import Event, SubjectKind
from companion.models import User
from companion.seed import DEMO_PASSWORD, DEMO_PASSWORD_HASH, seed_database
from tests.functional.companion.conftest import app_settings, fresh_database

CLIENTS = 20
ACTIONS = 50  # per client: one login, then ACTIONS - 1 language changes
LOCALES = ("fr", "de")  # alternated, so that every change differs from the saved value
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TIMEOUT = 30  # seconds, per request: a hung server fails the test instead of hanging it


def create_users(url: str, count: int) -> dict[str, int]:
    """``count`` users with the demo password, added directly (no event): username → id."""
    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            users = [User(username=f"load{index:02}", email=f"load{index:02}@example.com", name=f"Load {index}",
                          password_hash=DEMO_PASSWORD_HASH, email_verified=True) for index in range(count)]
            session.add_all(users)
            session.flush()
            return {user.username: user.id for user in users}
    finally:
        engine.dispose()


def csrf_token(response: requests.Response) -> str:
    found = CSRF.search(response.text)
    assert found, f"no CSRF token on {response.url} ({response.status_code})"
    return found.group(1)


class Client:
    """One visitor: logs in as ``username``, then changes the preferred language again and again."""

    def __init__(self, base: str, username: str):
        self.base, self.username = base, username
        self.statuses: Counter[int] = Counter()
        self.http = requests.Session()

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        # Redirects are followed, as a browser would (the settings page pops the flashed message).
        response = self.http.request(method, self.base + path, timeout=TIMEOUT, **kwargs)
        for hop in (*response.history, response):
            self.statuses[hop.status_code] += 1
        return response

    def run(self, actions: int) -> None:
        try:
            page = self._send("GET", "/account/login/")
            response = self._send("POST", "/account/login/", data={
                "csrf_token": csrf_token(page), "username": self.username, "password": DEMO_PASSWORD, "next": ""})
            assert [hop.status_code for hop in response.history] == [303], (self.username, response.status_code)
            token = csrf_token(response)  # the settings page, with the new session's token
            for index in range(actions - 1):
                response = self._send("POST", "/account/", data={
                    "csrf_token": token, "action": "language", "preferred_locale": LOCALES[index % 2]})
                assert [hop.status_code for hop in response.history] == [303], (self.username, index,
                                                                                response.status_code)
                assert response.status_code == 200, (self.username, index, response.status_code)
        finally:
            self.http.close()


def recorded(url: str, after: int) -> tuple[list[tuple], int, chain.Verification]:
    """The (tag, subject kind, subject id) of the events after ``after``, how many events there are
    in all, and the chain's verification as the requests left it (no chainer run first)."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            rows = session.execute(sa.select(Event.tag, Event.subject_kind, Event.subject_id)
                                   .where(Event.id > after).order_by(Event.id)).all()
            total = session.scalar(sa.select(sa.func.count()).select_from(Event))
            return [tuple(row) for row in rows], total, chain.verify(session)
    finally:
        engine.dispose()


@pytest.mark.service("postgresql")
def test_concurrent_actions_leave_a_whole_chain(tmp_path, compiled_catalogs):
    with fresh_database("postgresql", tmp_path) as url:
        migrations.upgrade(url)
        seed_database(url)
        users = create_users(url, CLIENTS)
        engine = create_engine(url)
        try:
            with Session(engine) as session:
                baseline = session.scalar(sa.select(sa.func.coalesce(sa.func.max(Event.id), 0)))
        finally:
            engine.dispose()

        router = companion.main({}, **app_settings(url, **{
            "mail.dir": str(tmp_path / "mail"), "redis.url": None,
            "i18n_tool.catalogs": str(compiled_catalogs), "accounts.login_limit": "100000 per minute",
        }))
        try:
            with serve_wsgi(router, threads=8, join_timeout=10) as served:
                base = served.rstrip("/")
                clients = [Client(base, username) for username in users]
                with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                    for future in [pool.submit(client.run, ACTIONS) for client in clients]:
                        future.result()
                # The last requests' events may be in a round of the app's own chainer thread still.
                assert router.registry[CHAINER].settled()
        finally:
            router.registry[ENGINE].dispose()

        statuses = sum((client.statuses for client in clients), Counter())
        assert not {status: n for status, n in statuses.items() if status >= 500}, statuses

        events, total, (checked, broken, pending) = recorded(url, baseline)
        assert len(events) == CLIENTS * ACTIONS
        assert broken is None, str(broken)
        assert pending == 0
        assert checked == total  # the seed's events and these: the whole chain, from the start
        ids = set(users.values())
        assert all(kind == str(SubjectKind.USER) and subject in ids for _tag, kind, subject in events)
        per_user = Counter((subject, tag) for tag, _kind, subject in events)
        for user_id in ids:
            assert per_user[user_id, "account:login:success"] == 1, user_id
            assert per_user[user_id, "account:locale:change"] == ACTIONS - 1, user_id
