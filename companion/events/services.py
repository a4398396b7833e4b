"""Reading events: a subject's history and the admin's filtered listing, keyset-paginated."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.events.models import Event, SubjectKind


@dataclass(frozen=True)
class KeysetPage:
    events: list[Event]
    older: int | None  # the ``before`` of the next (older) page
    newest: bool  # this is the first page


def keyset_page(session: Session, query: sa.Select, before: int | None, size: int) -> KeysetPage:
    if before is not None:
        query = query.where(Event.id < before)
    events = list(session.scalars(query.order_by(Event.id.desc()).limit(size + 1)))
    older = events[size - 1].id if len(events) > size else None
    return KeysetPage(events[:size], older, before is None)


def subject_events(kind: SubjectKind, subject_id: int, since: datetime | None = None) -> sa.Select:
    query = sa.select(Event).where(Event.subject_kind == str(kind), Event.subject_id == subject_id)
    return query.where(Event.time >= since) if since is not None else query


@dataclass(frozen=True)
class Filters:
    """The admin view's filters, each optional."""

    user_id: int | None = None
    project_id: int | None = None
    tag: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    ip: str | None = None
    actor: str | None = None


def filtered(filters: Filters) -> sa.Select:
    query = sa.select(Event)
    if filters.user_id is not None:
        query = query.where(Event.subject_kind == str(SubjectKind.USER), Event.subject_id == filters.user_id)
    if filters.project_id is not None:
        query = query.where(Event.subject_kind == str(SubjectKind.PROJECT), Event.subject_id == filters.project_id)
    if filters.tag:
        query = query.where(Event.tag == filters.tag if not filters.tag.endswith(":")
                            else Event.tag.startswith(filters.tag, autoescape=True))
    if filters.since is not None:
        query = query.where(Event.time >= filters.since)
    if filters.until is not None:
        query = query.where(Event.time < filters.until)
    if filters.ip:
        query = query.where(Event.ip == filters.ip)
    if filters.actor:
        query = query.where(Event.actor == filters.actor)
    return query


def stream(session: Session, query: sa.Select, batch: int = 1000) -> Iterator[Event]:
    """Every event of ``query``, newest first, ``batch`` rows at a time (memory stays flat)."""
    before = None
    while True:
        page = keyset_page(session, query, before, batch)
        yield from page.events
        session.expunge_all()
        if page.older is None:
            return
        before = page.older
