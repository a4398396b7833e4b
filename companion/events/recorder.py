"""The one way to write an event: inserted in the caller's transaction, chained after it commits.

The event is inserted without a lock, a position or a hash, so writers never wait for each other;
an action that rolls back takes its event with it, and since only committed events are chained,
leaves no gap in the chain. :mod:`companion.events.chainer` chains it once the transaction has
committed (the app does that for every request; scripts call ``chainer.catch_up``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.db import utcnow
from companion.events.models import Event, SubjectKind
from companion.events.tags import TAGS

MAX_USER_AGENT = 300
MAX_IP = 45
# What an event's ``additional`` may never hold, whatever the caller passes.
SECRET_KEYS = frozenset({"password", "token", "link", "secret", "code", "recovery_code", "session", "challenge"})


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    id: int | None

    @classmethod
    def of(cls, thing, session: Session | None = None) -> Subject:
        from companion.accounts.models import User
        from companion.packaging.models import Project

        if isinstance(thing, Subject):
            return thing
        if session is not None and thing.id is None:
            session.flush()  # a user or project added in this transaction gets its id
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


# An INSERT statement, not an object for the unit of work, which costs an action several times more
# (an ORM-enabled one, so the request's transaction knows the session wrote).
_INSERT = sa.insert(Event).returning(Event.id)


def record_event(session: Session, tag: str, subject, origin: Origin = Origin(),
                 additional: Mapping | None = None) -> int:
    """Insert the event, unchained, in ``session``'s transaction: its id."""
    extra = checked(tag, additional)
    subject = Subject.of(subject, session)
    return session.execute(_INSERT, {
        "time": utcnow(), "subject_kind": str(subject.kind), "subject_id": subject.id,
        "actor": origin.actor[:80], "tag": tag, "ip": (origin.ip or None) and origin.ip[:MAX_IP],
        "user_agent": _cut(origin.user_agent), "additional": extra}).scalar_one()


def checked(tag: str, additional: Mapping | None) -> dict:
    """``additional`` as a dict, once the tag is known and no key names a secret."""
    if tag not in TAGS:
        raise ValueError(f"unknown event tag {tag!r}: add it to companion/events/tags.py")
    extra = dict(additional or {})
    leaked = SECRET_KEYS.intersection(extra)
    if leaked:
        raise ValueError(f"an event must not carry secrets: {sorted(leaked)}")
    return extra


def _cut(user_agent: str | None) -> str | None:
    if not user_agent:
        return None
    return user_agent[:MAX_USER_AGENT]
