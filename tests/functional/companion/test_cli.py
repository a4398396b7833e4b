"""The ``companion`` command through click's CliRunner."""

import pytest
import waitress
from click.testing import CliRunner

from companion.cli import main

from .conftest import SECRET


@pytest.fixture
def run(database_url):
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), env={"DATABASE_URL": database_url, "COMPANION_SECRET": SECRET})

    return run


def test_db_upgrade_then_seed_twice(run):
    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.output.rstrip().endswith(": at head")

    seeded = run("seed")
    assert seeded.exit_code == 0, seeded.output
    assert "Seeded 9 users, 13 projects, " in seeded.output
    assert "holds 9 users and 13 projects" in seeded.output
    assert "Demo logins: admin (administrator), " in seeded.output and "password: companion-demo" in seeded.output
    assert "Two-factor demo: sam " in seeded.output and "COMPANIONTWOFACTORDEMOSECRET2345" in seeded.output

    again = run("seed")
    assert again.exit_code == 0, again.output
    assert "Already seeded: nothing to add." in again.output
    assert "holds 9 users and 13 projects" in again.output


def test_db_downgrade_to_base(run):
    assert run("db", "upgrade").exit_code == 0
    result = run("db", "downgrade", "base")
    assert result.exit_code == 0, result.output
    assert run("seed").exit_code == 2  # no longer migrated


def test_seed_needs_a_migrated_database(run):
    result = run("seed")
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "run `companion db upgrade` first" in result.output
    assert "Traceback" not in result.output


def test_errors_are_one_line_and_hide_the_password():
    result = CliRunner().invoke(main, ["db", "upgrade"], env={
        "DATABASE_URL": "postgresql://postgres:hunter2@127.0.0.1:1/nowhere", "COMPANION_SECRET": SECRET})
    assert result.exit_code == 2
    assert result.output.startswith("error: postgresql+psycopg://postgres:***@127.0.0.1:1/nowhere: cannot upgrade")
    assert "hunter2" not in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_serve_prints_the_url_and_serves_the_app(monkeypatch):
    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: served.update(app=app, **kwargs))
    env = {"DATABASE_URL": "sqlite:///:memory:", "COMPANION_SECRET": SECRET}
    result = CliRunner().invoke(main, ["serve"], env=env)
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:6543/" in result.output
    assert (served["host"], served["port"]) == ("127.0.0.1", 6543)
    assert callable(served["app"])

    result = CliRunner().invoke(main, ["serve", "--host", "::1", "--port", "8080"], env=env)
    assert "http://[::1]:8080/" in result.output and served["port"] == 8080


def test_serve_without_catalogs_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: pytest.fail("served"))
    result = CliRunner().invoke(main, ["serve"], env={"DATABASE_URL": "sqlite:///:memory:", "COMPANION_SECRET": SECRET})
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {tmp_path / 'catalogs'}: no such directory; ")
    assert "COMPANION_CATALOGS" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "var").exists()
