"""Uploading to the app under test, and counting what is stored (rows and files on disk)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import sqlalchemy as sa

from companion.db import ENGINE
from companion.models import Event, File, Project, Release, Role
from companion.seed import DEMO_PASSWORD
from tests.functional.companion.conftest import make_app

TABLES = {"projects": Project, "releases": Release, "files": File, "roles": Role, "events": Event}


def basic(username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def upload(app, dist, filetype="bdist_wheel", user="alice", headers=None, status=200, **kwargs):
    fields, files = dist.form(filetype, **kwargs)
    return app.post("/legacy/", fields, upload_files=files, headers=basic(user) if headers is None else headers,
                    status=status)


def stored(app, files_dir: Path) -> dict[str, int]:
    """How many rows each table holds, and how many files are on disk (temp files included)."""
    with app.app.registry[ENGINE].connect() as connection:
        counts = {name: connection.scalar(sa.select(sa.func.count()).select_from(model))
                  for name, model in TABLES.items()}
    counts["on disk"] = sum(1 for path in files_dir.rglob("*") if path.is_file()) if files_dir.exists() else 0
    return counts


@pytest.fixture
def files_dir(tmp_path) -> Path:
    return tmp_path / "files"


def upload_app(url, tmp_path, files_dir, catalogs, **settings):
    return make_app(url, tmp_path / "mail", **{"files.dir": str(files_dir), "upload.password_login": "true",
                                               "i18n_tool.catalogs": str(catalogs), **settings})
