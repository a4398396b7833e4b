"""Tamper evidence: the hash chain, `companion events verify|head|prune`, and concurrent writers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.orm import Session

from companion.cli import main
from companion.db import create_engine
from companion.events import Origin, Subject, record_event
from companion.events.models import Event, SubjectKind

USER = Subject(SubjectKind.USER, 1)


def add_events(url, count, tag="account:login:success", when=None):
    engine = create_engine(url)
    try:
        for index in range(count):
            with Session(engine) as session, session.begin():
                event = record_event(session, tag, USER, Origin("user:1", "203.0.113.7", "Firefox"), {"n": index})
                if when is not None:
                    event.time = when  # rewritten below with its hash, as if recorded then
                    session.flush()
                    _rehash_from(session, event.id)
    finally:
        engine.dispose()


def _rehash_from(session, first_id):
    from companion.events import chain

    previous = session.scalar(sa.select(Event.hash).where(Event.id < first_id).order_by(Event.id.desc()).limit(1))
    for event in session.scalars(sa.select(Event).where(Event.id >= first_id).order_by(Event.id)):
        event.hash = chain.link(previous or chain.GENESIS, chain.canonical(
            event.time, event.subject_kind, event.subject_id, event.actor, event.tag, event.ip, event.user_agent,
            event.additional))
        previous = event.hash


def sql(url, statement, **params):
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(statement), params)
    finally:
        engine.dispose()


def ids(url):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(sa.text("SELECT id FROM events ORDER BY id")))
    finally:
        engine.dispose()


def companion(url, *args):
    return CliRunner().invoke(main, ["events", *args], env={"DATABASE_URL": url}, catch_exceptions=False)


def test_an_intact_chain_verifies(migrated_database_url):
    add_events(migrated_database_url, 12)
    result = companion(migrated_database_url, "verify")
    assert result.exit_code == 0 and "ok: 12 events verified" in result.output


def test_an_updated_row_is_found(migrated_database_url):
    add_events(migrated_database_url, 10)
    target = ids(migrated_database_url)[4]
    sql(migrated_database_url, "UPDATE events SET ip = '198.51.100.1' WHERE id = :id", id=target)
    result = companion(migrated_database_url, "verify")
    assert result.exit_code == 1
    assert f"event {target}: hash does not match" in result.stderr and "4 events verified before it" in result.stderr


def test_a_deleted_row_is_found_at_the_next_one(migrated_database_url):
    add_events(migrated_database_url, 10)
    found = ids(migrated_database_url)
    sql(migrated_database_url, "DELETE FROM events WHERE id = :id", id=found[3])
    result = companion(migrated_database_url, "verify")
    assert result.exit_code == 1 and f"event {found[4]}: hash does not match" in result.stderr


def test_reordered_rows_are_found(migrated_database_url):
    add_events(migrated_database_url, 10)
    found = ids(migrated_database_url)
    a, b = found[2], found[6]
    sql(migrated_database_url, "UPDATE events SET id = -1 WHERE id = :a", a=a)
    sql(migrated_database_url, "UPDATE events SET id = :a WHERE id = :b", a=a, b=b)
    sql(migrated_database_url, "UPDATE events SET id = :b WHERE id = -1", b=b)
    result = companion(migrated_database_url, "verify")
    assert result.exit_code == 1 and f"event {a}: hash does not match" in result.stderr


def test_a_cut_tail_is_found_against_the_exported_head(migrated_database_url, tmp_path):
    heads = tmp_path / "heads.txt"
    add_events(migrated_database_url, 5)
    assert companion(migrated_database_url, "head", "--export", str(heads)).exit_code == 0
    add_events(migrated_database_url, 5)
    result = companion(migrated_database_url, "head", "--export", str(heads))
    last = ids(migrated_database_url)[-1]
    assert result.output.split()[0] == str(last) and len(heads.read_text().splitlines()) == 2
    assert companion(migrated_database_url, "verify", "--against", str(heads)).exit_code == 0

    sql(migrated_database_url, "DELETE FROM events WHERE id >= :id", id=ids(migrated_database_url)[-3])
    assert companion(migrated_database_url, "verify").exit_code == 0  # the chain alone cannot tell
    result = companion(migrated_database_url, "verify", "--against", str(heads))
    assert result.exit_code == 1 and f"event {last}: the exported head is missing" in result.stderr


def test_a_garbled_heads_file_is_a_one_line_error(migrated_database_url, tmp_path):
    heads = tmp_path / "heads.txt"
    heads.write_text("12 not-a-hash\n")
    result = companion(migrated_database_url, "verify", "--against", str(heads))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "heads.txt:1:" in result.stderr


def test_prune_leaves_an_anchor_and_the_chain_verifies(migrated_database_url):
    add_events(migrated_database_url, 6, when=datetime.now(UTC) - timedelta(days=400))
    add_events(migrated_database_url, 4)
    result = companion(migrated_database_url, "prune", "--older-than", "365")
    assert result.exit_code == 0 and "removed 6 events" in result.output
    engine = create_engine(migrated_database_url)
    with Session(engine) as session:
        remaining = list(session.scalars(sa.select(Event).order_by(Event.id)))
    engine.dispose()
    assert [event.tag for event in remaining] == ["account:login:success"] * 4 + ["events:prune"]
    assert remaining[-1].additional["removed"] == 6 and remaining[-1].actor == "system"
    assert companion(migrated_database_url, "verify").exit_code == 0
    add_events(migrated_database_url, 2)
    assert "ok: 7 events verified" in companion(migrated_database_url, "verify").output

    sql(migrated_database_url, "DELETE FROM events WHERE id = :id", id=remaining[0].id)  # after the cut
    assert companion(migrated_database_url, "verify").exit_code == 1


def test_prune_never_removes_the_newest_event(migrated_database_url):
    add_events(migrated_database_url, 3, when=datetime.now(UTC) - timedelta(days=400))
    assert "removed 2 events" in companion(migrated_database_url, "prune", "--older-than", "30").output
    assert companion(migrated_database_url, "verify").exit_code == 0


def test_verify_on_an_unmigrated_database_says_what_to_do(database_url):
    result = companion(database_url, "verify")
    assert result.exit_code == 2 and "companion db upgrade" in result.stderr


def test_concurrent_writers_keep_one_linear_chain(migrated_database_url):
    engine = create_engine(migrated_database_url, pool_size=10)
    errors = []

    def writer(number):
        try:
            for index in range(15):
                with Session(engine) as session, session.begin():
                    record_event(session, "account:logout", Subject(SubjectKind.USER, number), Origin(f"user:{number}"),
                                 {"n": index})
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert errors == []
    assert len(ids(migrated_database_url)) == 120
    assert "ok: 120 events verified" in companion(migrated_database_url, "verify").output


def test_an_event_refuses_secret_fields_and_unknown_tags(migrated_database_url):
    engine = create_engine(migrated_database_url)
    with Session(engine) as session:
        with pytest.raises(ValueError, match="secrets"):
            record_event(session, "account:login:success", USER, Origin(), {"password": "hunter2"})
        with pytest.raises(ValueError, match="unknown event tag"):
            record_event(session, "account:made-up", USER)
    engine.dispose()


@pytest.mark.parametrize("tampered", [None, 3, 15])
def test_a_long_chain_is_walked_in_two_halves_alike(migrated_database_url, monkeypatch, tampered):
    from companion.events import chain

    add_events(migrated_database_url, 20)
    found = ids(migrated_database_url)
    if tampered is not None:
        sql(migrated_database_url, "UPDATE events SET actor = 'user:666' WHERE id = :id", id=found[tampered])
    monkeypatch.setattr(chain, "PARALLEL_ABOVE", 10)
    engine = create_engine(migrated_database_url)
    with Session(engine) as session:
        assert chain._halves(session) is not None
        count, broken = chain.verify(session)
    engine.dispose()
    if tampered is None:
        assert (count, broken) == (20, None)
    else:
        assert broken.id == found[tampered] and count == tampered
