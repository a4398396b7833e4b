"""Tamper evidence: the hash chain, `companion events chain|verify|head|prune`, and concurrent writers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.orm import Session

from companion.cli import main
from companion.db import create_engine
from companion.events import Origin, Subject, chain, chainer, record_event
from companion.events.models import Event, SubjectKind

USER = Subject(SubjectKind.USER, 1)


def add_events(url, count, tag="account:login:success", when=None, chained=True):
    """``count`` events, each in its own transaction, chained after its commit as the app does
    (``chained=False``: as if the process died right after the commit)."""
    engine = create_engine(url)
    try:
        for index in range(count):
            with Session(engine) as session, session.begin():
                event_id = record_event(session, tag, USER, Origin("user:1", "203.0.113.7", "Firefox"), {"n": index})
                if when is not None:  # as if recorded then: the chainer hashes what is stored
                    session.execute(sa.update(Event).where(Event.id == event_id).values(time=when))
            if chained:
                chainer.catch_up(engine, wait=False)
    finally:
        engine.dispose()


def sql(url, statement, **params):
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(statement), params)
    finally:
        engine.dispose()


def ids(url):
    return [event_id for event_id, _position in places(url)]


def places(url):
    """(id, position) of every event, in id order."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text("SELECT id, position FROM events ORDER BY id"))]
    finally:
        engine.dispose()


def verified(url):
    """``chain.verify`` alone, without chaining first."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return chain.verify(session)
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
    a, b = found[2], found[6]  # their places in the chain swapped: b comes third
    sql(migrated_database_url, "UPDATE events SET position = -1 WHERE id = :a", a=a)
    sql(migrated_database_url, "UPDATE events SET position = 3 WHERE id = :b", b=b)
    sql(migrated_database_url, "UPDATE events SET position = 7 WHERE id = :a", a=a)
    result = companion(migrated_database_url, "verify")
    assert result.exit_code == 1 and f"event {b}: hash does not match" in result.stderr
    assert "2 events verified before it" in result.stderr


def test_a_renumbered_position_is_found(migrated_database_url):
    add_events(migrated_database_url, 5)
    last = ids(migrated_database_url)[-1]
    sql(migrated_database_url, "UPDATE events SET position = 9 WHERE id = :id", id=last)
    result = companion(migrated_database_url, "verify")
    assert result.exit_code == 1
    assert f"event {last}: its position does not follow the previous event's: expected position 5" in result.stderr


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
    assert [event.position for event in remaining] == [7, 8, 9, 10, 11]
    assert remaining[-1].additional["removed"] == 6 and remaining[-1].actor == "system"
    assert (remaining[-1].additional["cut_position"], remaining[-1].additional["first_id"]) == (6, remaining[0].id)
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
    # Two "processes" (an engine and a chainer each), four writers each, chaining after every
    # commit as the app does: none waits for another chainer, and none of the events is left out.
    engines = [create_engine(migrated_database_url, pool_size=6) for _ in range(2)]
    chainers = [chainer.Chainer(engine) for engine in engines]
    errors = []

    def writer(number):
        engine, after_commit = engines[number % 2], chainers[number % 2].after_commit
        try:
            for index in range(15):
                with Session(engine) as session, session.begin():
                    record_event(session, "account:logout", Subject(SubjectKind.USER, number), Origin(f"user:{number}"),
                                 {"n": index})
                after_commit()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(events_chainer.settled() for events_chainer in chainers)
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sorted(position for _id, position in places(migrated_database_url)) == list(range(1, 121))
    assert verified(migrated_database_url) == (120, None, 0)
    assert "ok: 120 events verified" in companion(migrated_database_url, "verify").output


def test_a_busy_chainer_leaves_the_next_commits_to_another_round(migrated_database_url, monkeypatch):
    engine = create_engine(migrated_database_url)
    events_chainer = chainer.Chainer(engine)
    started, release, rounds = threading.Event(), threading.Event(), []

    def slow_round(connection, wait):
        rounds.append(threading.current_thread().name)
        started.set()
        release.wait(10)
        return 0, False

    monkeypatch.setattr(chainer, "_chain_round", slow_round)
    first = threading.Thread(target=events_chainer.after_commit, name="first request")
    first.start()
    assert started.wait(10)
    events_chainer.after_commit()  # returns at once: the running round's thread will do another
    assert rounds == ["first request"]
    release.set()
    first.join(10)
    assert events_chainer.settled(10)
    assert rounds == ["first request", "companion-events-chainer"]
    engine.dispose()


def test_concurrent_chainers_give_each_event_one_place(migrated_database_url):
    add_events(migrated_database_url, 300, chained=False)
    engines = [create_engine(migrated_database_url) for _ in range(2)]
    counts, errors = [], []

    def chain_all(engine):
        try:
            counts.append(chainer.catch_up(engine))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=chain_all, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == [] and sum(counts) == 300
    assert [position for _id, position in places(migrated_database_url)] == list(range(1, 301))
    assert verified(migrated_database_url) == (300, None, 0)


def test_an_event_committed_but_not_chained_is_chained_by_the_next_run(migrated_database_url):
    add_events(migrated_database_url, 3)
    add_events(migrated_database_url, 2, chained=False)  # the process died between commit and chaining
    assert [position for _id, position in places(migrated_database_url)] == [1, 2, 3, None, None]
    assert verified(migrated_database_url) == (3, None, 2)  # pending, not a break

    add_events(migrated_database_url, 1)  # the next request's chainer takes them too, in id order
    assert [position for _id, position in places(migrated_database_url)] == [1, 2, 3, 4, 5, 6]
    assert verified(migrated_database_url) == (6, None, 0)


def test_companion_events_chain_chains_what_a_crash_left(migrated_database_url):
    add_events(migrated_database_url, 2)
    add_events(migrated_database_url, 3, chained=False)
    result = companion(migrated_database_url, "chain")
    assert result.exit_code == 0 and "chained 3 events" in result.output
    assert [position for _id, position in places(migrated_database_url)] == [1, 2, 3, 4, 5]
    assert "chained 0 events" in companion(migrated_database_url, "chain").output
    assert "ok: 5 events verified" in companion(migrated_database_url, "verify").output


def test_verify_and_head_chain_first(migrated_database_url):
    add_events(migrated_database_url, 2, chained=False)
    result = companion(migrated_database_url, "head")
    assert result.exit_code == 0 and result.output.split()[0] == str(ids(migrated_database_url)[-1])
    add_events(migrated_database_url, 2, chained=False)
    assert "ok: 4 events verified" in companion(migrated_database_url, "verify").output


def test_an_unchained_event_older_than_a_chained_one_is_a_break(migrated_database_url):
    add_events(migrated_database_url, 3)
    engine = create_engine(migrated_database_url)
    with engine.begin() as connection:  # in a gap of the ids below the chained ones, never chained
        connection.execute(sa.insert(Event.__table__).values(
            id=0, time=datetime.now(UTC), subject_kind="user", subject_id=1, actor="user:1",
            tag="account:login:success", additional={}))
    engine.dispose()
    checked, broken, pending = verified(migrated_database_url)
    assert (checked, pending, broken.id, broken.reason) == (3, 1, 0, chain.UNCHAINED_OLDER)


def test_a_removed_place_is_a_break_even_once_chained_again(migrated_database_url):
    add_events(migrated_database_url, 6)
    found = ids(migrated_database_url)
    sql(migrated_database_url, "UPDATE events SET ip = '198.51.100.1', position = NULL, hash = NULL WHERE id = :id",
        id=found[2])
    checked, broken, _pending = verified(migrated_database_url)
    assert broken.id == found[3] and checked == 2  # the next event no longer links

    result = companion(migrated_database_url, "verify")  # chains it again, at the end: the gap stays
    assert result.exit_code == 1 and f"event {found[3]}: hash does not match" in result.stderr


def test_a_nulled_hash_is_a_break_at_its_place(migrated_database_url):
    add_events(migrated_database_url, 5)
    target = ids(migrated_database_url)[1]
    sql(migrated_database_url, "UPDATE events SET hash = NULL WHERE id = :id", id=target)
    result = companion(migrated_database_url, "verify")
    assert result.exit_code == 1 and f"event {target}: hash does not match" in result.stderr


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite serializes writers: a later id cannot commit first
def test_a_late_commit_is_chained_after_the_newer_events(migrated_database_url):
    engine = create_engine(migrated_database_url)
    try:
        with Session(engine) as late:
            with late.begin():
                older = record_event(late, "account:logout", USER, Origin("user:1"))  # not committed yet
                add_events(migrated_database_url, 2)  # a newer id commits and is chained first
                assert verified(migrated_database_url) == (2, None, 0)
            # Committed, and this instant before its chainer runs: older than chained events.
            assert verified(migrated_database_url).broken.reason == chain.UNCHAINED_OLDER
            chainer.catch_up(engine, wait=False)  # what its request's chainer does next
    finally:
        engine.dispose()
    assert dict(places(migrated_database_url))[older] == 3
    assert verified(migrated_database_url) == (3, None, 0)


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
    add_events(migrated_database_url, 20)
    found = ids(migrated_database_url)
    if tampered is not None:
        sql(migrated_database_url, "UPDATE events SET actor = 'user:666' WHERE id = :id", id=found[tampered])
    monkeypatch.setattr(chain, "PARALLEL_ABOVE", 10)
    engine = create_engine(migrated_database_url)
    with Session(engine) as session:
        assert chain._halves(session) is not None
        count, broken, _pending = chain.verify(session)
    engine.dispose()
    if tampered is None:
        assert (count, broken) == (20, None)
    else:
        assert broken.id == found[tampered] and count == tampered


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite has one durability for every commit
def test_the_apps_rounds_skip_the_wal_flush_and_the_command_lines_flush_it(migrated_database_url, monkeypatch):
    seen = []
    real = chainer.chain_pending

    def observed(connection):
        seen.append((connection.scalar(sa.text("SHOW synchronous_commit")),
                     connection.scalar(sa.text("SELECT txid_current_if_assigned() IS NOT NULL"))))
        return real(connection)

    monkeypatch.setattr(chainer, "chain_pending", observed)
    add_events(migrated_database_url, 1)  # the app's round, after the commit
    engine = create_engine(migrated_database_url)
    try:
        chainer.catch_up(engine)  # what verify, head and prune run first
    finally:
        engine.dispose()
    assert seen == [("off", False), ("on", True)]
    assert verified(migrated_database_url) == (1, None, 0)
