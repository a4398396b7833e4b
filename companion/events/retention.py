"""Retention: old events go, and an anchor event keeps the chain verifiable from where it was cut."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.events.chain import PRUNE_TAG
from companion.events.chainer import chain_pending, lock
from companion.events.models import Event, SubjectKind
from companion.events.recorder import Origin, Subject, record_event


def prune(session: Session, older_than: datetime, origin: Origin) -> tuple[int, int | None]:
    """Remove the chained events before ``older_than`` (never the newest one), in chain order:
    (how many, the anchor's id). Holds the chain lock until ``session``'s transaction ends."""
    connection = session.connection()
    lock(connection)
    chain_pending(connection)
    newest = session.scalar(sa.select(sa.func.max(Event.position)))
    cut = session.execute(sa.select(Event.id, Event.position, Event.hash)
                          .where(Event.time < older_than, Event.position < newest)
                          .order_by(Event.position.desc()).limit(1)).first() if newest is not None else None
    if cut is None:
        return 0, None
    first = session.scalar(sa.select(Event.id).where(Event.position > cut.position).order_by(Event.position).limit(1))
    removed = session.execute(sa.delete(Event).where(Event.position <= cut.position)).rowcount
    anchor_id = record_event(session, PRUNE_TAG, Subject(SubjectKind.SYSTEM, None), origin, {
        "removed": removed, "cut_id": cut.id, "cut_position": cut.position, "cut_hash": cut.hash,
        "first_id": first, "older_than": older_than.astimezone(UTC).isoformat(),
    })
    chain_pending(connection)
    return removed, anchor_id
