"""Retention: old events go, and an anchor event keeps the chain verifiable from where it was cut."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.events.chain import PRUNE_TAG
from companion.events.models import Event, SubjectKind
from companion.events.recorder import Origin, Subject, lock_chain, record_event


def prune(session: Session, older_than: datetime, origin: Origin) -> tuple[int, int | None]:
    """Remove the events before ``older_than`` (never the newest one): (how many, the anchor's id)."""
    lock_chain(session)
    newest = session.scalar(sa.select(sa.func.max(Event.id)))
    cut = session.execute(sa.select(Event.id, Event.hash).where(Event.time < older_than, Event.id < newest)
                          .order_by(Event.id.desc()).limit(1)).first() if newest is not None else None
    if cut is None:
        return 0, None
    first = session.scalar(sa.select(sa.func.min(Event.id)).where(Event.id > cut.id))
    removed = session.execute(sa.delete(Event).where(Event.id <= cut.id)).rowcount
    anchor = record_event(session, PRUNE_TAG, Subject(SubjectKind.SYSTEM, None), origin, {
        "removed": removed, "cut_id": cut.id, "cut_hash": cut.hash, "first_id": first,
        "older_than": older_than.astimezone(UTC).isoformat(),
    })
    return removed, anchor.id
