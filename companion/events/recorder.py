"""The one way to write an event: in the caller's transaction, chained to the previous event.

Writers are serialized for the length of their transaction, so the chain stays linear: on
PostgreSQL by a transaction-level advisory lock, on SQLite by taking its write lock before the
previous hash is read. The lock is released when the action's transaction commits or rolls
back, so an action that rolls back leaves no event and no gap in the chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.db import utcnow
from companion.events import chain
from companion.events.models import Event, SubjectKind
from companion.events.tags import TAGS

CHAIN_LOCK = 0x636F6D70  # "comp": the advisory lock key of the event chain
MAX_USER_AGENT = 300
MAX_IP = 45
# What an event's ``additional`` may never hold, whatever the caller passes.
SECRET_KEYS = frozenset({"password", "token", "link", "secret", "code", "recovery_code", "session", "challenge"})


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    id: int | None

    @classmethod
    def of(cls, thing) -> Subject:
        from companion.accounts.models import User
        from companion.packaging.models import Project

        if isinstance(thing, Subject):
            return thing
        if isinstance(thing, User):
            return cls(SubjectKind.USER, thing.id)
        if isinstance(thing, Project):
            return cls(SubjectKind.PROJECT, thing.id)
        raise TypeError(f"an event's subject is a user or a project, not {thing!r}")


@dataclass(frozen=True)
class Origin:
    """Who acted and from where."""

    actor: str = "system"
    ip: str | None = None
    user_agent: str | None = None


def record_event(session: Session, tag: str, subject, origin: Origin = Origin(),
                 additional: Mapping | None = None) -> Event:
    """Add the event to ``session``'s transaction (flushed, so it has its id)."""
    extra = checked(tag, additional)
    subject = Subject.of(subject)
    lock_chain(session)
    last = chain.head(session)
    event = Event(time=utcnow(), subject_kind=str(subject.kind), subject_id=subject.id,
                  actor=origin.actor[:80], tag=tag, ip=(origin.ip or None) and origin.ip[:MAX_IP],
                  user_agent=_cut(origin.user_agent), additional=extra)
    content = chain.canonical(event.time, event.subject_kind, event.subject_id, event.actor, event.tag,
                              event.ip, event.user_agent, event.additional)
    event.hash = chain.link(last.hash if last else chain.GENESIS, content)
    session.add(event)
    session.flush()
    return event


def checked(tag: str, additional: Mapping | None) -> dict:
    """``additional`` as a dict, once the tag is known and no key names a secret."""
    if tag not in TAGS:
        raise ValueError(f"unknown event tag {tag!r}: add it to companion/events/tags.py")
    extra = dict(additional or {})
    leaked = SECRET_KEYS.intersection(extra)
    if leaked:
        raise ValueError(f"an event must not carry secrets: {sorted(leaked)}")
    return extra


def lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    else:  # a write that changes nothing takes SQLite's write lock until the transaction ends
        session.execute(sa.text("UPDATE events SET id = id WHERE 0"))


def _cut(user_agent: str | None) -> str | None:
    if not user_agent:
        return None
    return user_agent[:MAX_USER_AGENT]
