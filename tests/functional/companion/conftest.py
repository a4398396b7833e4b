"""Fixtures for the companion app: fresh databases on SQLite and PostgreSQL, and the app on them.

Every database fixture is parametrized over both backends. SQLite lives in a temporary directory;
PostgreSQL gets a uniquely named database on 127.0.0.1:5432 (user ``postgres``), dropped after.
Without a PostgreSQL server those cases skip locally and fail when ``CI`` is set.

``seeded_database_url`` and ``app`` are session-scoped (migrated and seeded once per backend):
tests using them must only read. Tests that write take ``database_url`` (empty) or
``migrated_database_url`` (schema, no data), which are fresh for every test.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
import webtest
from psycopg import sql
from sqlalchemy.orm import Session

import companion
from companion import migrations
from companion.db import ENGINE, create_engine
from companion.models import User
from companion.seed import seed_database
from i18n_tool.catalog import po
from i18n_tool.catalog.lifecycle import compile_files, write_pseudo
from i18n_tool.config import load_config
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[3]
BACKENDS = ("sqlite", "postgresql")
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
PG_ADMIN_DSN = f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname=postgres connect_timeout=3"
SECRET = "companion-test-secret-not-for-production"


@functools.cache
def postgresql_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_DSN):
            return True
    except psycopg.Error:
        return False


@contextlib.contextmanager
def fresh_database(backend: str, directory: Path, template: str | None = None) -> Iterator[str]:
    """The URL of a new database on ``backend``, empty or a copy of ``template`` (a URL on the same
    backend); dropped (PostgreSQL) when done."""
    if backend == "sqlite":
        path = directory / "companion.sqlite3"
        if template is not None:
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
        yield f"sqlite:///{path}"
        return
    require("PostgreSQL", postgresql_available(), f"not running on {PG_HOST}:{PG_PORT}")
    name = f"companion_test_{uuid.uuid4().hex[:12]}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template.rsplit("/", 1)[1]))
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(create)
    try:
        yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


class Templates:
    """Each backend's database migrated, and migrated and seeded, once per session; a test that
    writes gets a copy (PostgreSQL's CREATE DATABASE … TEMPLATE, a file copy for SQLite), which is
    much faster than migrating and seeding for every test."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.made: dict[tuple[str, bool], str] = {}
        self.stack = contextlib.ExitStack()

    def of(self, backend: str, seeded: bool) -> str:
        key = (backend, seeded)
        if key not in self.made:
            directory = self.directory / f"{backend}-{'seeded' if seeded else 'migrated'}"
            directory.mkdir(parents=True, exist_ok=True)
            url = self.stack.enter_context(fresh_database(backend, directory))
            migrations.upgrade(url)
            if seeded:
                seed_database(url)
            if backend == "postgresql":  # a template must have no session open while it is copied
                with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = %s AND pid <> pg_backend_pid()", (url.rsplit("/", 1)[1],))
            self.made[key] = url
        return self.made[key]


@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    with made.stack:
        yield made


def app_settings(url: str, **extra) -> dict[str, object]:
    return {"database.url": url, "sessions.secret": SECRET, **extra}


@contextlib.contextmanager
def running_app(config) -> Iterator[webtest.TestApp]:
    """A TestApp for a Configurator; its engine is disposed after (PostgreSQL can drop the database)."""
    router = config.make_wsgi_app()
    try:
        yield webtest.TestApp(router)
    finally:
        router.registry[ENGINE].dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, tmp_path) -> Iterator[str]:
    """An empty database, new for this test."""
    with fresh_database(backend, tmp_path) as url:
        yield url


@pytest.fixture
def migrated_database_url(backend, tmp_path, templates) -> Iterator[str]:
    """A new database with the schema and no rows."""
    with fresh_database(backend, tmp_path, templates.of(backend, seeded=False)) as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_database_url(request, tmp_path_factory) -> Iterator[str]:
    """Migrated and seeded once per backend for the session: read it, do not write to it."""
    with fresh_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        migrations.upgrade(url)
        seed_database(url)
        yield url


@pytest.fixture(scope="session")
def app(seeded_database_url, compiled_catalogs) -> Iterator[webtest.TestApp]:
    """The app on the seeded database, with the default page size (10)."""
    settings = app_settings(seeded_database_url, **{"i18n_tool.catalogs": str(compiled_catalogs)})
    with running_app(companion.configure(settings)) as testapp:
        yield testapp


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def seeded_url(backend, tmp_path, templates) -> Iterator[str]:
    """A fresh migrated and seeded database this test may write to."""
    with fresh_database(backend, tmp_path, templates.of(backend, seeded=True)) as url:
        yield url


@pytest.fixture
def db(seeded_url) -> Iterator[Session]:
    """A session on this test's seeded database."""
    engine = create_engine(seeded_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def user_named(db: Session, username: str) -> User:
    return db.scalars(sa.select(User).where(User.username == username)).one()


def make_app(url, mail_dir, **extra):
    """The app on ``url``, writing emails to ``mail_dir``, failed logins limited in memory."""
    return running_app(companion.configure(app_settings(url, **{"mail.dir": str(mail_dir), "redis.url": None,
                                                                **extra})))


@pytest.fixture
def fresh_app(seeded_url, mail_dir, compiled_catalogs) -> Iterator[webtest.TestApp]:
    """The app on a seeded database of this test's own, which it may change."""
    with make_app(seeded_url, mail_dir, **{"i18n_tool.catalogs": str(compiled_catalogs)}) as testapp:
        yield testapp


# --- catalogs: built by the tests, never whatever happens to be compiled in the work tree ---------


def extract_sources(pot_path: Path) -> None:
    """The template extracted from the sources as they are now, so pages are checked even before
    ``i18n-tool extract`` refreshed the committed one (the catalog gate checks that it is fresh)."""
    from babel.messages.extract import DEFAULT_KEYWORDS

    from i18n_tool.extract import Settings, Source, Target, extract_target

    config = load_config(ROOT / "pyproject.toml")
    domain = config.domains["messages"]
    target = Target([Source(str(s.relative_to(ROOT)), str(s)) for s in domain.sources], domain.rules,
                    str(pot_path), config.output, config.ignore_dirs)
    report = extract_target(target, Settings(config.keywords or DEFAULT_KEYWORDS, tuple(config.comment_tags)))
    assert not report.fatal, report.fatal


@pytest.fixture(scope="session")
def compiled_catalogs(tmp_path_factory):
    """The project's catalogs with the pseudo-locales built and everything compiled, in a copy."""
    catalogs = tmp_path_factory.mktemp("catalogs")
    shutil.copytree(ROOT / "catalogs", catalogs, dirs_exist_ok=True)
    extract_sources(catalogs / "messages.pot")
    template = po.parse_file(catalogs / "messages.pot")
    for name in load_config(ROOT / "pyproject.toml").pseudo_locales:
        write_pseudo(template, name, catalogs / name / "LC_MESSAGES" / "messages.po")
    results = compile_files(sorted(catalogs.rglob("*.po")))
    assert all(result.mo for result in results), [r.findings for r in results if not r.mo]
    return catalogs
