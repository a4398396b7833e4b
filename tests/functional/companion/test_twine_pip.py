"""The real clients: twine 7 uploads to /legacy/ on a live server with an API token, pip downloads
from /simple/ (PEP 691 JSON, which pip asks for first) and installs into a fresh venv, checking the
hash. SQLite; one server for the module."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from i18n_tool.a11y.targets import serve_wsgi
from companion import migrations
from companion.accounts.models import User
from companion.db import create_engine
from companion.seed import DEMO_PASSWORD, seed_database
from companion.tokens import services
from tests.conftest import require
from tests.functional.companion.dists import Dist
from tests.functional.companion.upload_helpers import upload_app

BIN = Path(sys.executable).parent
TWINE = BIN / "twine"
DIST = Dist("Twine-Pip.Check", "0.1.0", module_text='ANSWER = 42\n')
TIMEOUT = 120


def clean_environment(home: Path) -> dict[str, str]:
    """No pip or twine configuration, no proxy, no ~/.pypirc: only what the command line says."""
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith(("PIP_", "TWINE_")) and "proxy" not in key.lower()}
    return {**environ, "HOME": str(home), "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "NO_COLOR": "1", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


@pytest.fixture(scope="module")
def server(tmp_path_factory, compiled_catalogs):
    """(base URL, the dist files, a clean environment) with the files built and the app served."""
    require("twine", TWINE.exists(), "make install: twine>=7 is in the dev extra")
    tmp = tmp_path_factory.mktemp("twine-pip")
    url = f"sqlite:///{tmp / 'companion.sqlite3'}"
    migrations.upgrade(url)
    seed_database(url)
    with upload_app(url, tmp, tmp / "files", compiled_catalogs) as app, serve_wsgi(app.app) as base:
        yield base, DIST.write(tmp / "dist"), clean_environment(tmp / "home"), url


def run(command, environ, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], env=environ, cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT)


def twine_upload(base, files, environ, username="__token__", password=DEMO_PASSWORD):
    return run([TWINE, "upload", "--non-interactive", "--disable-progress-bar", "--repository-url",
                f"{base}legacy/", "-u", username, "-p", password, *files], environ)


def user_wide_token(url: str, username: str) -> str:
    engine = create_engine(url)
    try:
        with Session(engine) as db, db.begin():
            user = db.scalars(sa.select(User).where(User.username == username)).one()
            raw, _token = services.create(db, user, "twine and pip", None, None)
        return raw
    finally:
        engine.dispose()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def uploaded(server):
    base, files, environ, url = server
    result = twine_upload(base, files, environ, password=user_wide_token(url, "alice"))
    assert result.returncode == 0, result.stdout + result.stderr
    return base, files, environ


def test_twine_uploads_an_sdist_and_a_wheel(uploaded):
    base, files, environ = uploaded
    result = run([sys.executable, "-c", "import json, sys, urllib.request; request = urllib.request.Request("
                  f"'{base}simple/twine-pip-check/', headers={{'Accept': 'application/vnd.pypi.simple.v1+json'}}); "
                  "print(json.dumps(json.load(urllib.request.urlopen(request))))"], environ)
    assert result.returncode == 0, result.stderr
    for path in files:
        assert path.name in result.stdout and sha256(path) in result.stdout


def test_pip_downloads_the_wheel_with_the_uploaded_hash(uploaded, tmp_path):
    base, files, environ = uploaded
    result = run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir", "--index-url",
                  f"{base}simple/", "--dest", tmp_path, "Twine_Pip.check"], environ)
    assert result.returncode == 0, result.stdout + result.stderr
    (downloaded,) = tmp_path.iterdir()
    wheel = next(path for path in files if path.suffix == ".whl")
    assert downloaded.name == wheel.name and sha256(downloaded) == sha256(wheel)


def test_pip_installs_it_into_a_fresh_venv_checking_its_hash(uploaded, tmp_path):
    base, files, environ = uploaded
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", "--without-pip", venv], environ).returncode == 0
    python = venv / "bin" / "python"
    wheel = next(path for path in files if path.suffix == ".whl")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"twine-pip-check=={DIST.version} --hash=sha256:{sha256(wheel)}\n")
    result = run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-cache-dir",
                  "--only-binary", ":all:", "--index-url", f"{base}simple/", "--require-hashes", "-r", requirements],
                 environ)
    assert result.returncode == 0, result.stdout + result.stderr
    check = run([python, "-c", "import twine_pip_check; print(twine_pip_check.ANSWER)"], environ)
    assert check.stdout.strip() == "42", check.stderr


def test_pip_refuses_a_hash_that_is_not_the_uploaded_one(uploaded, tmp_path):
    base, _files, environ = uploaded
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"twine-pip-check=={DIST.version} --hash=sha256:{'0' * 64}\n")
    result = run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir", "--only-binary", ":all:",
                  "--index-url", f"{base}simple/", "--dest", tmp_path / "got", "--require-hashes", "-r",
                  requirements], environ)
    assert result.returncode != 0 and "THESE PACKAGES DO NOT MATCH THE HASHES" in result.stdout + result.stderr


def test_twine_with_a_password_where_the_setting_allows_it(uploaded, tmp_path):
    base, _files, environ = uploaded
    newer = Dist(DIST.name, "0.1.1", module_text="ANSWER = 42\n").write(tmp_path)
    result = twine_upload(base, newer, environ, username="alice")
    assert result.returncode == 0, result.stdout + result.stderr


def test_twine_prints_our_reason_when_an_upload_is_refused(uploaded, tmp_path):
    base, _files, environ = uploaded
    newer = Dist(DIST.name, "0.2.0", module_text="ANSWER = 43\n").write(tmp_path)
    result = twine_upload(base, newer, environ, username="haruto")  # a password: the setting allows it
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "403 Forbidden" in output
    assert "The user 'haruto' isn't allowed to upload to project 'Twine-Pip.Check'" in output


def test_twine_prints_our_reason_when_a_file_is_uploaded_again(uploaded):
    base, files, environ = uploaded
    result = twine_upload(base, files[:1], environ, username="alice")
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "409 Conflict" in output and f"File already exists: '{files[0].name}'" in output
