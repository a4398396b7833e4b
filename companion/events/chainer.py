"""Chaining: committed events get their place in the chain and their hash, after the commit.

The action's transaction inserts its event with neither, so actions never wait for each other.
The chainer appends the unchained events in id order, in a short transaction of its own under
the chain lock (a PostgreSQL advisory lock, SQLite's write lock). The command line runs it,
waiting for the lock, before ``verify``, ``head`` and ``prune``, and by hand as ``companion
events chain``. A crash between a commit and the chaining loses nothing: the event is there,
unchained, for the next run.

The app runs it right after a request's transaction commits (:class:`Chainer`), never waiting:
- another process holding the lock picks the event up, because a chainer looks for unchained
  events again each time it has released the lock, and the event committed before the lock was
  found taken;
- in this process, a request whose chainer is already running leaves its event to that one,
  which does another round; the request that started it does one round in its own thread (so
  a lone request's events are chained when it answers), further rounds run in a thread of
  their own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from companion.events import chain
from companion.events.models import Event

log = logging.getLogger(__name__)
CHAIN_LOCK = 0x636F6D70  # "comp": the advisory lock key of the event chain
BATCH = 1000  # events hashed per statement
PAUSE = 0.005  # seconds between the rounds of a busy process: more events per round, fewer rounds
_TABLE = Event.__table__
_SET_LINK = (sa.update(_TABLE).where(_TABLE.c.id == sa.bindparam("event_id"))
             .values(position=sa.bindparam("place"), hash=sa.bindparam("digest")))


# PostgreSQL: the app's rounds (no wait) commit without waiting for the WAL flush, so a writer's
# thread does not wait twice; a crash can lose only such a chaining, which the next round redoes
# alike. The command line's rounds (wait) take a transaction id, so their commit flushes the WAL and
# with it every earlier chaining, before verify, head --export or prune read the chain.
_DURABILITY = {False: sa.text("SET LOCAL synchronous_commit = off"), True: sa.text("SELECT txid_current()")}


def lock(connection: Connection, wait: bool = True) -> bool:
    """Take the chain lock until the transaction ends; without ``wait``, only if it is free."""
    if connection.dialect.name == "postgresql":
        if not wait:
            return connection.scalar(sa.text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
        return True
    # SQLite: a write that changes nothing takes the database's write lock (waiting for it: SQLite
    # serializes every writer anyway) until the transaction ends.
    connection.execute(sa.text("UPDATE events SET id = id WHERE 0"))
    return True


def chain_pending(connection: Connection) -> int:
    """Chain every unchained event this transaction sees, in id order; the caller holds the lock."""
    head = connection.execute(sa.select(_TABLE.c.position, _TABLE.c.hash).where(_TABLE.c.position.is_not(None))
                              .order_by(_TABLE.c.position.desc()).limit(1)).first()
    position, previous = (head.position, head.hash) if head else (0, chain.GENESIS)
    chained = 0
    while True:
        rows = connection.execute(chain.pending_query(BATCH)).all()
        links = []
        for row in rows:
            position += 1
            previous = chain.link(previous, chain.row_content(row))
            links.append({"event_id": row[0], "place": position, "digest": previous})
        if links:
            connection.execute(_SET_LINK, links)
        chained += len(links)
        if len(rows) < BATCH:
            return chained


def _has_pending(connection: Connection) -> bool:
    with connection.begin():
        return connection.scalar(sa.select(_TABLE.c.id).where(_TABLE.c.position.is_(None)).limit(1)) is not None


def _chain_round(connection: Connection, wait: bool) -> tuple[int, bool]:
    """One chaining under the lock: (events chained, whether unchained ones are left for another
    round). Without ``wait``, nothing when another holds the lock: it chains the rest."""
    with connection.begin():
        if not lock(connection, wait):
            return 0, False
        if connection.dialect.name == "postgresql":
            connection.execute(_DURABILITY[wait])
        chained = chain_pending(connection)
    return chained, _has_pending(connection)  # after the release: see the module's docstring


def catch_up(bind: Engine | Connection, wait: bool = True) -> int:
    """Chain until no unchained event is left (how many were chained); without ``wait``, stop as
    soon as another process holds the lock."""
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return catch_up(connection, wait)
    total, more = _chain_round(bind, wait)
    while more:
        chained, more = _chain_round(bind, wait)
        total += chained
    return total


class Chainer:
    """This process's chaining after commits on ``engine``: one round at a time."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._mutex = threading.Condition()
        self._dirty = False  # a commit since the running round began
        self._running = False

    def after_commit(self, committed: bool = True) -> None:
        """A transaction that recorded events has ended (a transaction's after-commit hook)."""
        if not committed:
            return
        with self._mutex:
            self._dirty = True
            if self._running:
                return
            self._running = True
        if self._round(self.engine):  # one round in this thread, any further ones in another
            threading.Thread(target=self._rounds, name="companion-events-chainer", daemon=True).start()

    def _round(self, bind: Engine | Connection) -> bool:
        """Chain what has committed: whether a commit since, or one seen unchained, asks for another round."""
        with self._mutex:
            self._dirty = False
        try:
            if isinstance(bind, Engine):
                with bind.connect() as connection:
                    _chained, more = _chain_round(connection, wait=False)
            else:
                _chained, more = _chain_round(bind, wait=False)
        except Exception:  # the events stay unchained, for the next commit's round
            log.exception("chaining the security events failed")
            with self._mutex:
                self._running = False
                self._mutex.notify_all()
            return False
        with self._mutex:
            self._running = self._dirty or more
            self._mutex.notify_all()
            return self._running

    def _rounds(self) -> None:
        try:
            with self.engine.connect() as connection:
                while not time.sleep(PAUSE) and self._round(connection):
                    pass
        except Exception:  # no connection: the events stay unchained, for the next commit's round
            log.exception("chaining the security events failed")
            with self._mutex:
                self._running = False
                self._mutex.notify_all()

    def settled(self, timeout: float = 30) -> bool:
        """Wait until no round runs in this process (for tests and benchmarks): whether it came to that."""
        with self._mutex:
            return self._mutex.wait_for(lambda: not self._running, timeout)


def verified(engine: Engine, exported: Iterable[chain.Head] = ()) -> chain.Verification:
    """``companion events verify``: chain what has committed, then walk the chain.

    An unchained event older than a chained one can be a commit that landed between the two steps
    (its own chainer is a moment away): the chainer runs again and the walk is done once more. An
    event whose place was removed stays a break then, at the gap its chaining leaves.
    """
    exported = list(exported)
    for _attempt in range(2):
        catch_up(engine)
        with Session(engine) as session:
            result = chain.verify(session, exported)
        if result.broken is None or result.broken.reason != chain.UNCHAINED_OLDER:
            return result
    return result
