"""The hash chain over the events: each event's SHA-256 covers its content and the previous hash.

``hash = sha256(previous_hash + "\\n" + canonical(content))`` in id order, starting from
``GENESIS``; a prune leaves an anchor event (``events:prune``) holding the hash of the last event
it removed and the id the chain now starts at.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.events.models import Event

GENESIS = "0" * 64
PRUNE_TAG = "events:prune"
_TABLE = Event.__table__
# ``additional`` as its stored text, parsed by json.loads here (psycopg's JSON loader decodes bytes first).
_COLUMNS = (*(_TABLE.c[name] for name in ("id", "time", "subject_kind", "subject_id", "actor", "tag", "ip",
                                          "user_agent")),
            sa.cast(_TABLE.c.additional, sa.Text), _TABLE.c.hash)
# What json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False) builds on every call.
_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical(time: datetime, subject_kind: str, subject_id, actor: str, tag: str, ip, user_agent,
              additional) -> str:
    """The JSON list ``[time, subject_kind, subject_id, actor, tag, ip, user_agent, additional]``."""
    return _content(time, (subject_kind, subject_id, actor, tag, ip, user_agent), _ENCODE(additional or {}))


def _content(time: datetime, fields: tuple, additional_json: str) -> str:
    # The list encoded without its last item, then that item: what encoding the whole list gives.
    stamp = time.astimezone(UTC).isoformat(timespec="microseconds")[:-6] + "Z"  # ...T10:00:00.000000Z
    return f"{_ENCODE([stamp, *fields])[:-1]},{additional_json}]"


@lru_cache(maxsize=4096)
def _additional_json(stored: str) -> str:
    """The canonical JSON of ``additional`` from its stored text (most events repeat a few)."""
    return _ENCODE(json.loads(stored) or {})


def link(previous: str, content: str) -> str:
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first link that does not hold."""

    id: int
    expected: str
    found: str
    reason: str

    def __str__(self) -> str:
        return f"event {self.id}: {self.reason}: expected {self.expected}, found {self.found}"


@dataclass(frozen=True)
class Head:
    id: int
    hash: str

    def line(self) -> str:
        return f"{self.id} {self.hash}"


def head(session: Session) -> Head | None:
    row = session.execute(sa.select(Event.id, Event.hash).order_by(Event.id.desc()).limit(1)).first()
    return Head(row.id, row.hash) if row else None


def start(session: Session) -> tuple[int | None, str]:
    """Where the chain starts: (first id, previous hash) after the last prune, else (None, GENESIS)."""
    anchor = session.scalars(sa.select(Event.additional).where(Event.tag == PRUNE_TAG)
                             .order_by(Event.id.desc()).limit(1)).first()
    if anchor is None:
        return None, GENESIS
    return anchor["first_id"], anchor["cut_hash"]


PARALLEL_ABOVE = 200_000  # events; below this a second process costs more than it saves


def _walk_query(low: int | None, high: int | None) -> sa.Select:
    query = sa.select(*_COLUMNS).order_by(_COLUMNS[0])
    if low is not None:
        query = query.where(_TABLE.c.id >= low)
    if high is not None:
        query = query.where(_TABLE.c.id < high)
    return query


def _rows(session: Session, low: int | None = None, high: int | None = None, batch: int = 10_000) -> Iterator[tuple]:
    """The events with ``low <= id < high`` as plain tuples in id order, from one query, so memory
    stays flat and the walk sees one snapshot. On psycopg the rows come straight from a binary
    server-side cursor (the driver's own tuples: SQLAlchemy's result layer cost as much as
    hashing); elsewhere from Core."""
    connection = session.connection()
    query = _walk_query(low, high)
    if connection.dialect.driver == "psycopg":
        compiled = query.compile(dialect=connection.dialect)
        with connection.connection.driver_connection.cursor(name="companion_events_walk", binary=True) as cursor:
            cursor.itersize = batch
            cursor.execute(str(compiled), compiled.params)
            while rows := cursor.fetchmany(batch):
                yield from rows
        return
    result = connection.execution_options(stream_results=True, yield_per=batch).execute(query)
    for partition in result.partitions():
        yield from partition


def _walk(session: Session, previous: str, low: int | None = None, high: int | None = None):
    """(events checked, the first break or None) over ``low <= id < high``, chained from ``previous``."""
    count = 0
    for row in _rows(session, low, high):
        expected = link(previous, _content(row[1], row[2:8], _additional_json(row[8])))
        if expected != row[9]:
            return count, Break(row[0], expected, row[9], "hash does not match its content and the previous hash")
        previous = row[9]
        count += 1
    return count, None


def _walk_elsewhere(url: str, previous: str, low: int) -> tuple[int, Break | None]:
    """``_walk`` from ``low`` on, in a process of its own with a connection of its own."""
    from companion.db import create_engine

    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return _walk(session, previous, low)
    finally:
        engine.dispose()


def _halves(session: Session) -> tuple[int, str] | None:
    """(the id the second half starts at, the hash before it), for a chain worth two processes."""
    total = session.scalar(sa.select(sa.func.count()).select_from(_TABLE))
    if total < PARALLEL_ABOVE or (os.cpu_count() or 1) < 2:
        return None
    middle = session.scalar(sa.select(_TABLE.c.id).order_by(_TABLE.c.id).offset(total // 2).limit(1))
    before = session.scalar(sa.select(_TABLE.c.hash).where(_TABLE.c.id < middle).order_by(_TABLE.c.id.desc()).limit(1))
    return middle, before


def _walk_all(session: Session, previous: str) -> tuple[int, Break | None]:
    """The whole chain; a long one in two halves at once (each link needs only the stored hash
    before it), the second half in another process."""
    halves = _halves(session)
    if halves is None:
        return _walk(session, previous)
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    middle, before = halves
    url = session.get_bind().url.render_as_string(hide_password=False)
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        second = pool.submit(_walk_elsewhere, url, before, middle)
        first_count, first_break = _walk(session, previous, high=middle)
        second_count, second_break = second.result()
    if first_break is not None:
        return first_count, first_break
    return first_count + second_count, second_break


def verify(session: Session, exported: Iterable[Head] = ()) -> tuple[int, Break | None]:
    """Walk the chain: (events checked, the first break or None); ``exported`` heads must still be there."""
    first_id, previous = start(session)
    if first_id is not None:
        oldest = session.scalar(sa.select(sa.func.min(_TABLE.c.id)))
        if oldest != first_id:
            return 0, Break(oldest, f"the chain to start at event {first_id}", f"event {oldest}",
                            "the first event is not where the last prune left the chain")
    count, broken = _walk_all(session, previous)
    if broken is not None:
        return count, broken
    return count, _exported_break(session, {head.id: head.hash for head in exported}, first_id)


def _exported_break(session: Session, wanted: dict[int, str], first_id: int | None) -> Break | None:
    """The first exported head that differs from the chain, or the newest one that is gone."""
    if not wanted:
        return None
    found = dict(session.execute(sa.select(_TABLE.c.id, _TABLE.c.hash).where(_TABLE.c.id.in_(wanted))).all())
    for event_id in sorted(wanted):
        if event_id in found and found[event_id] != wanted[event_id]:
            return Break(event_id, wanted[event_id], found[event_id], "differs from the exported head")
    missing = [event_id for event_id in wanted if event_id not in found and (first_id is None or event_id >= first_id)]
    if missing:
        event_id = max(missing)
        return Break(event_id, wanted[event_id], "nothing", "the exported head is missing (the tail was cut)")
    return None


def read_exported(lines: Iterable[str], source: str) -> list[Head]:
    """Heads written by ``companion events head --export``: ``ID HASH [TIME]`` per line."""
    heads = []
    for number, line in enumerate(lines, 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) < 2 or not parts[0].isdigit() or len(parts[1]) != 64:
            raise ValueError(f"{source}:{number}: not an exported head (ID HASH): {line.strip()[:80]!r}")
        heads.append(Head(int(parts[0]), parts[1]))
    return heads
