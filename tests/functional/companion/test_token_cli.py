"""``companion token create|revoke|list``: operators' API tokens, through click's CliRunner."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from companion.cli import main
from companion.models import APIToken, Project
from companion.tokens import services
from tests.functional.companion.conftest import user_named
from companion.tokens.services import TokenRefused
from tests.functional.companion.events_helpers import events, last_id

from .conftest import SECRET


@pytest.fixture(autouse=True)
def login_name(monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "ops-jane")


@pytest.fixture
def run(seeded_url):
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, ["token", *args], env={"DATABASE_URL": seeded_url, "COMPANION_SECRET": SECRET})

    return run


def project_id(db, name) -> int:
    return db.scalar(sa.select(Project.id).where(Project.normalized_name == name))


def tokens(db) -> list[APIToken]:
    db.expire_all()
    return list(db.scalars(sa.select(APIToken).order_by(APIToken.id)))


def test_create_prints_the_token_once_on_stdout_and_records_the_operator(run, db, seeded_url):
    before = last_id(seeded_url)
    result = run("create", "Alice", "--project", "FetchWell", "--project", "asyncpipe", "--expires", "30",
                 "--description", "Deploy from CI")
    assert result.exit_code == 0, result.output

    raw = result.stdout.strip()
    assert result.stdout == raw + "\n" and raw.startswith("pypi-")  # nothing else on stdout
    [token] = tokens(db)
    assert f"created token {token.id} " in result.stderr and "shown once" in result.stderr
    assert raw not in result.stderr
    verified = services.verify(db, raw)
    alice = user_named(db, "alice")
    assert verified.token.id == token.id and token.user_id == alice.id
    ids = sorted([project_id(db, "fetchwell"), project_id(db, "asyncpipe")])
    assert token.project_ids == ids and token.description == "Deploy from CI"
    assert verified.refusal_for(ids[0], "fetchwell") is None
    assert verified.refusal_for(project_id(db, "flasket"), "flasket") == "scope"
    expected = datetime.now(UTC) + timedelta(days=30)
    assert abs(token.expires - expected) < timedelta(minutes=5)

    [event] = events(seeded_url, before)
    assert (event.tag, event.subject_kind, event.subject_id, event.actor) == (
        "account:api_token:created", "user", alice.id, "operator:ops-jane")
    assert event.additional == {"token_id": token.id, "description": "Deploy from CI",
                                "scope": f"projects:{ids[0]},{ids[1]}", "expires": token.expires.isoformat()}
    assert raw.removeprefix("pypi-") not in json.dumps(event.additional)


def test_a_default_description_is_given_and_numbered_when_taken(run, db):
    first, second = run("create", "bob"), run("create", "bob")
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert [t.description for t in tokens(db)] == [f"Created by an operator on {today}",
                                                   f"Created by an operator on {today} (2)"]
    assert all(t.project_ids is None and t.expires is None for t in tokens(db))
    assert services.verify(db, first.stdout.strip()).token.scope == "user"


@pytest.mark.parametrize("args, message", [
    (("nobody",), "no such user 'nobody'"),
    (("alice", "--project", "no-such-project"), "no such project 'no-such-project'"),
    (("alice", "--project", "numbra"), "alice has no role on numbra"),
    (("alice", "--description", "   "), "the description is empty"),
    (("alice", "--description", "x" * 101), "longer than 100 characters"),
])
def test_create_refusals_are_one_line_exit_2_and_write_nothing(run, db, seeded_url, args, message):
    before = last_id(seeded_url)
    result = run("create", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert tokens(db) == [] and events(seeded_url, before) == []


def test_a_duplicate_active_description_is_refused(run, db, seeded_url):
    assert run("create", "alice", "--description", "Laptop").exit_code == 0
    before = last_id(seeded_url)
    result = run("create", "alice", "--description", "Laptop")
    assert result.exit_code == 2 and result.stdout == ""
    assert "alice already has an active token described 'Laptop'" in result.stderr
    assert len(tokens(db)) == 1 and events(seeded_url, before) == []
    assert run("create", "bob", "--description", "Laptop").exit_code == 0  # another user's is fine


def test_expiry_must_be_a_positive_number_of_days(run, db):
    result = run("create", "alice", "--expires", "0")
    assert result.exit_code == 2 and tokens(db) == []


def test_revoke_records_the_operator_and_the_token_stops_working(run, db, seeded_url):
    raw = run("create", "alice", "--description", "Old laptop").stdout.strip()
    [token] = tokens(db)
    before = last_id(seeded_url)

    result = run("revoke", str(token.id))

    assert result.exit_code == 0, result.output
    assert result.stdout == f'revoked token {token.id} "Old laptop" of alice\n'
    [token] = tokens(db)
    assert token.revoked is not None and token.revoked_reason == "operator"
    with pytest.raises(TokenRefused) as refused:
        services.verify(db, raw)
    assert refused.value.reason == "revoked"
    [event] = events(seeded_url, before)
    assert (event.tag, event.subject_id, event.actor) == ("account:api_token:removed", token.user_id,
                                                          "operator:ops-jane")
    assert event.additional == {"token_id": token.id, "description": "Old laptop", "scope": "user",
                                "expires": None, "reason": "operator"}

    again = run("revoke", str(token.id))
    assert again.exit_code == 2 and "already revoked" in again.stderr and "(operator)" in again.stderr
    assert len(events(seeded_url, before)) == 1


def test_revoking_an_unknown_token_is_exit_2(run, seeded_url):
    before = last_id(seeded_url)
    result = run("revoke", "999")
    assert result.exit_code == 2 and result.stderr == "error: no such token 999\n"
    assert events(seeded_url, before) == []
    assert run("revoke", "not-a-number").exit_code == 2


def test_list_shows_the_tokens_and_no_secret(run, db):
    wide = run("create", "alice", "--description", "Laptop").stdout.strip()
    scoped = run("create", "alice", "--project", "fetchwell", "--expires", "7", "--description", "CI").stdout.strip()
    run("create", "bob", "--description", "Bob's")
    revoked_id = tokens(db)[0].id
    assert run("revoke", str(revoked_id)).exit_code == 0
    services.mark_used(tokens(db)[1])
    db.commit()

    result = run("list", "alice")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "DESCRIPTION", "SCOPE", "CREATED", "LAST", "USED", "EXPIRES"]
    assert len(lines) == 2 and "CI" in lines[1] and "projects: fetchwell" in lines[1]
    assert "Laptop" not in result.stdout and "Bob's" not in result.stdout
    for raw in (wide, scoped):
        assert raw not in result.output and raw.removeprefix("pypi-")[:20] not in result.output

    everything = run("list", "alice", "--all", "--format", "json")
    assert everything.exit_code == 0, everything.output
    listed = json.loads(everything.stdout)
    assert [each["description"] for each in listed] == ["CI", "Laptop"]
    assert listed[0]["projects"] == ["fetchwell"] and listed[0]["last_used"] is not None
    assert listed[1]["revoked_reason"] == "operator" and listed[1]["scope"] == "user"
    assert not {"token", "root_key", "public_id"} & set(listed[0])
    assert wide not in everything.output and scoped not in everything.output

    text_all = run("list", "alice", "--all")
    assert "REVOKED" in text_all.stdout and "(operator)" in text_all.stdout


def test_list_for_a_user_without_tokens_and_an_unknown_user(run):
    empty = run("list", "marie")
    assert empty.exit_code == 0 and "marie has no active API tokens" in empty.stderr
    unknown = run("list", "nobody")
    assert unknown.exit_code == 2 and unknown.stderr == "error: no such user 'nobody'\n"


def test_the_commands_need_a_migrated_database(database_url):
    result = CliRunner().invoke(main, ["token", "create", "alice"],
                                env={"DATABASE_URL": database_url, "COMPANION_SECRET": SECRET})
    assert result.exit_code == 2 and "run `companion db upgrade` first" in result.stderr
    assert result.stdout == ""
