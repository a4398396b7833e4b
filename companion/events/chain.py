"""The hash chain over the events: each event's SHA-256 covers its content and the previous hash.

``hash = sha256(previous_hash + "\\n" + canonical(content))`` in id order, starting from
``GENESIS``; a prune leaves an anchor event (``events:prune``) holding the hash of the last event
it removed and the id the chain now starts at.
"""

from __future__ import annotations

import hashlib
import json
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


_WALK = sa.select(*_COLUMNS).order_by(_COLUMNS[0])


def _rows(session: Session, batch: int = 10_000) -> Iterator[tuple]:
    """Every event as a plain tuple in id order, from one query, so memory stays flat and the walk
    sees one snapshot. On psycopg the rows come straight from a binary server-side cursor (the
    driver's own tuples: SQLAlchemy's result layer cost as much as hashing); elsewhere from Core."""
    connection = session.connection()
    if connection.dialect.driver == "psycopg":
        with connection.connection.driver_connection.cursor(name="companion_events_walk", binary=True) as cursor:
            cursor.itersize = batch
            cursor.execute(str(_WALK.compile(dialect=connection.dialect)))
            while rows := cursor.fetchmany(batch):
                yield from rows
        return
    result = connection.execution_options(stream_results=True, yield_per=batch).execute(_WALK)
    for partition in result.partitions():
        yield from partition


def verify(session: Session, exported: Iterable[Head] = ()) -> tuple[int, Break | None]:
    """Walk the chain: (events checked, the first break or None); ``exported`` heads must still be there."""
    first_id, previous = start(session)
    wanted = {head.id: head.hash for head in exported}
    count = 0
    for row in _rows(session):
        event_id, found = row[0], row[9]
        if count == 0 and first_id is not None and event_id != first_id:
            return count, Break(event_id, f"the chain to start at event {first_id}", f"event {event_id}",
                                "the first event is not where the last prune left the chain")
        expected = link(previous, _content(row[1], row[2:8], _additional_json(row[8])))
        if expected != found:
            return count, Break(event_id, expected, found, "hash does not match its content and the previous hash")
        exported_hash = wanted.pop(event_id, None)
        if exported_hash is not None and exported_hash != found:
            return count, Break(event_id, exported_hash, found, "differs from the exported head")
        previous = found
        count += 1
    missing = [event_id for event_id in wanted if first_id is None or event_id >= first_id]
    if missing:
        event_id = max(missing)
        return count, Break(event_id, wanted[event_id], "nothing", "the exported head is missing (the tail was cut)")
    return count, None


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
