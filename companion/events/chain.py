"""The hash chain over the events: each event's SHA-256 covers its content and the previous hash.

``hash = sha256(previous_hash + "\\n" + canonical(content))`` in ``position`` order (1, 2, …), starting
from ``GENESIS``. The chainer (:mod:`companion.events.chainer`) sets both just after the event's
transaction commits; until then an event is *unchained*. A prune leaves an anchor event
(``events:prune``) holding the hash and position of the last event it removed and the id of the
event the chain now starts at.

:func:`verify` walks the chained events by position: each must be at the position after the
previous one and link to its hash. An unchained event with an id above every chained one is
pending (counted, not a break). One with a lower id than a chained event is a break: the chainer
gives positions in id order to what has committed, so only a late commit, which its own chainer
chains at once, or someone who removed the event's place (to change it unseen) leaves one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.events.models import Event

GENESIS = "0" * 64
PRUNE_TAG = "events:prune"
_TABLE = Event.__table__
# ``additional`` as its stored text, parsed by json.loads here (psycopg's JSON loader decodes bytes first).
_COLUMNS = (*(_TABLE.c[name] for name in ("id", "time", "subject_kind", "subject_id", "actor", "tag", "ip",
                                          "user_agent")),
            sa.cast(_TABLE.c.additional, sa.Text), _TABLE.c.hash, _TABLE.c.position)
_CHAINED = _TABLE.c.position.is_not(None)
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


def row_content(row) -> str:
    """The canonical content of a row of :data:`_COLUMNS`, as stored."""
    return _content(row[1], row[2:8], _additional_json(row[8]))


def pending_query(limit: int) -> sa.Select:
    """The oldest ``limit`` unchained events, in id order, as rows of :data:`_COLUMNS`."""
    return sa.select(*_COLUMNS).where(_TABLE.c.position.is_(None)).order_by(_TABLE.c.id).limit(limit)


def link(previous: str, content: str) -> str:
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


HASH_MISMATCH = "hash does not match its content and the previous hash"
UNCHAINED_OLDER = "not chained, yet older than a chained event (its place in the chain was removed)"


@dataclass(frozen=True)
class Break:
    """The first link that does not hold."""

    id: int
    expected: str
    found: str
    reason: str

    def __str__(self) -> str:
        return f"event {self.id}: {self.reason}: expected {self.expected}, found {self.found}"


class Verification(NamedTuple):
    checked: int  # chained events whose links hold, up to the break
    broken: Break | None
    pending: int  # unchained events newer than every chained one: the next chainer run chains them


@dataclass(frozen=True)
class Head:
    id: int
    hash: str
    position: int | None = None  # not in exported heads

    def line(self) -> str:
        return f"{self.id} {self.hash}"


def head(session: Session) -> Head | None:
    """The chained event with the highest position."""
    row = session.execute(sa.select(_TABLE.c.id, _TABLE.c.hash, _TABLE.c.position).where(_CHAINED)
                          .order_by(_TABLE.c.position.desc()).limit(1)).first()
    return Head(*row) if row else None


@dataclass(frozen=True)
class Start:
    """Where the chain starts: the hash before it, its first position and (after a prune) its first id."""

    previous: str = GENESIS
    position: int | None = 1  # None: an anchor from before positions, which does not name it
    first_id: int | None = None


def start(session: Session) -> Start:
    anchor = session.scalars(sa.select(_TABLE.c.additional).where(_TABLE.c.tag == PRUNE_TAG, _CHAINED)
                             .order_by(_TABLE.c.position.desc()).limit(1)).first()
    if anchor is None:
        return Start()
    position = anchor["cut_position"] + 1 if "cut_position" in anchor else None
    return Start(anchor["cut_hash"], position, anchor["first_id"])


PARALLEL_ABOVE = 200_000  # events; below this a second process costs more than it saves


def _walk_query(low: int | None, high: int | None) -> sa.Select:
    query = sa.select(*_COLUMNS).where(_CHAINED).order_by(_TABLE.c.position)
    if low is not None:
        query = query.where(_TABLE.c.position >= low)
    if high is not None:
        query = query.where(_TABLE.c.position < high)
    return query


def _rows(session: Session, low: int | None = None, high: int | None = None, batch: int = 10_000) -> Iterator[tuple]:
    """The chained events with ``low <= position < high`` as plain tuples in position order, from one
    query, so memory stays flat and the walk sees one snapshot. On psycopg the rows come straight
    from a binary server-side cursor (the driver's own tuples: SQLAlchemy's result layer cost as
    much as hashing); elsewhere from Core."""
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


def _walk(session: Session, previous: str, position: int | None, low: int | None = None,
          high: int | None = None) -> tuple[int, Break | None]:
    """(events checked, the first break or None) over ``low <= position < high``, chained from
    ``previous`` and starting at ``position`` (None: wherever the first one is)."""
    count = 0
    sha256, content, additional_json = hashlib.sha256, _content, _additional_json  # locals: the loop is hot
    for row in _rows(session, low, high):
        expected = sha256(f"{previous}\n{content(row[1], row[2:8], additional_json(row[8]))}".encode()).hexdigest()
        if expected != row[9]:
            return count, Break(row[0], expected, row[9] or "no hash", HASH_MISMATCH)
        if row[10] != position:
            if position is not None:
                return count, Break(row[0], f"position {position}", f"position {row[10]}",
                                    "its position does not follow the previous event's")
            position = row[10]
        previous, position = expected, position + 1
        count += 1
    return count, None


def _walk_elsewhere(url: str, previous: str, position: int) -> tuple[int, Break | None]:
    """``_walk`` from ``position`` on, in a process of its own with a connection of its own."""
    from companion.db import create_engine

    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return _walk(session, previous, position, low=position)
    finally:
        engine.dispose()


def _halves(session: Session) -> tuple[int, str, int] | None:
    """(the position the second half starts at, the hash before it, the position after that one's),
    for a chain worth two processes."""
    total = session.scalar(sa.select(sa.func.count(_TABLE.c.position)))
    if total < PARALLEL_ABOVE or (os.cpu_count() or 1) < 2:
        return None
    middle = session.scalar(sa.select(_TABLE.c.position).where(_CHAINED).order_by(_TABLE.c.position)
                            .offset(total // 2).limit(1))
    before = session.execute(sa.select(_TABLE.c.hash, _TABLE.c.position).where(_TABLE.c.position < middle)
                             .order_by(_TABLE.c.position.desc()).limit(1)).one()
    return middle, before.hash, before.position + 1


def _walk_all(session: Session, begin: Start) -> tuple[int, Break | None]:
    """The whole chain; a long one in two halves at once (each link needs only the stored hash
    before it), the second half in another process."""
    halves = _halves(session)
    if halves is None:
        return _walk(session, begin.previous, begin.position)
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    middle, before, expected = halves
    url = session.get_bind().url.render_as_string(hide_password=False)
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        second = pool.submit(_walk_elsewhere, url, before, middle)
        first_count, first_break = _walk(session, begin.previous, begin.position, high=middle)
        second_count, second_break = second.result()
    if first_break is not None:
        return first_count, first_break
    if second_break is None and middle != expected:  # a gap right before the second half
        row = session.execute(sa.select(_TABLE.c.id).where(_TABLE.c.position == middle)).one()
        second_break = Break(row.id, f"position {expected}", f"position {middle}",
                             "its position does not follow the previous event's")
    return first_count + second_count, second_break


def verify(session: Session, exported: Iterable[Head] = ()) -> Verification:
    """Walk the chain by position; ``exported`` heads must still be there. Read only: run the
    chainer first (:func:`companion.events.chainer.verified` does both)."""
    begin = start(session)
    broken = _start_break(session, begin)
    count = 0
    if broken is None:
        count, broken = _walk_all(session, begin)
    if broken is None:
        broken = _unchained_break(session)
    if broken is None:
        broken = _exported_break(session, {head.id: head.hash for head in exported}, begin.first_id)
    pending = session.scalar(sa.select(sa.func.count()).select_from(_TABLE).where(_TABLE.c.position.is_(None)))
    return Verification(count, broken, pending)


def _start_break(session: Session, begin: Start) -> Break | None:
    """After a prune, the chain must start at the event the anchor names."""
    if begin.first_id is None:
        return None
    first = session.scalar(sa.select(_TABLE.c.id).where(_CHAINED).order_by(_TABLE.c.position).limit(1))
    if first == begin.first_id:
        return None
    return Break(first, f"the chain to start at event {begin.first_id}", f"event {first}",
                 "the first event is not where the last prune left the chain")


def _unchained_break(session: Session) -> Break | None:
    """The oldest unchained event with a lower id than a chained one."""
    newest = session.scalar(sa.select(sa.func.max(_TABLE.c.id)).where(_CHAINED))
    if newest is None:
        return None
    older = session.scalar(sa.select(sa.func.min(_TABLE.c.id)).where(_TABLE.c.position.is_(None),
                                                                     _TABLE.c.id < newest))
    if older is None:
        return None
    return Break(older, f"a place in the chain (event {newest} is chained)", "none", UNCHAINED_OLDER)


def _exported_break(session: Session, wanted: dict[int, str], first_id: int | None) -> Break | None:
    """The first exported head that differs from the chain, or the newest one that is gone."""
    if not wanted:
        return None
    found = dict(session.execute(sa.select(_TABLE.c.id, _TABLE.c.hash).where(_TABLE.c.id.in_(wanted))).all())
    for event_id in sorted(wanted):
        if event_id in found and found[event_id] != wanted[event_id]:
            return Break(event_id, wanted[event_id], found[event_id] or "no hash", "differs from the exported head")
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
