"""The companion's wheel: ``make demo``'s steps in a directory of its own, with nothing editable.

The app's files (var/) go to the working directory, never into site-packages.
"""

import socket
import subprocess
import time
import urllib.request

import pytest

from tests.packaging.conftest import copy_project

pytestmark = pytest.mark.packaging


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, deadline: float) -> tuple[int, str]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def demo(companion_venv, tmp_path_factory):
    """The catalogs compiled, the database migrated and seeded, in a fresh working directory."""
    cwd = copy_project(tmp_path_factory.mktemp("demo"), sources=False)
    for args in (["i18n-tool", "pseudo"], ["i18n-tool", "compile"], ["companion", "db", "upgrade"],
                 ["companion", "seed"]):
        companion_venv.run(*args, cwd=cwd)
    return cwd


def test_the_app_serves_its_pages_in_the_visitors_language(companion_venv, demo):
    port = free_port()
    with subprocess.Popen([str(companion_venv.bin / "companion"), "serve", "--port", str(port)], cwd=demo,
                          env=companion_venv.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as server:
        try:
            status, page = get(f"http://127.0.0.1:{port}/?_LOCALE_=de", time.monotonic() + 60)
        finally:
            server.terminate()
            output = server.communicate(timeout=30)[0]
    assert status == 200, output
    assert '<html lang="de"' in page


def test_var_is_the_working_directorys(companion_venv, demo):
    assert (demo / "var" / "companion.sqlite3").is_file() and (demo / "var" / "secret").is_file()
    assert not list(companion_venv.path.rglob("*.sqlite3")) and not (companion_venv.site_packages / "var").exists()


def test_the_dependencies_are_consistent_and_no_test_tool_is_installed(companion_venv):
    companion_venv.run("python", "-m", "pip", "check")
    for module in ("selenium", "transifex", "pytest"):
        assert companion_venv.run("python", "-c", f"import {module}", check=False).returncode != 0
