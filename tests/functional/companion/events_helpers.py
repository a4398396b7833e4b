"""Reading the events table from outside the app, for the event tests."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.db import create_engine
from companion.events.models import Event
from companion.models import User


def events(url, after: int = 0) -> list[Event]:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            found = list(session.scalars(sa.select(Event).where(Event.id > after).order_by(Event.id)))
            session.expunge_all()
            return found
    finally:
        engine.dispose()


def last_id(url) -> int:
    found = events(url)
    return found[-1].id if found else 0


def user_id(url, username) -> int | None:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return session.scalar(sa.select(User.id).where(User.username == username))
    finally:
        engine.dispose()


def summary(event, ids: dict[int, str]) -> tuple:
    """(tag, subject, actor, additional) with user ids shown as usernames."""
    def name(user_id):
        return ids.get(user_id, user_id)

    subject = f"{event.subject_kind}:{name(event.subject_id) if event.subject_kind == 'user' else event.subject_id}"
    kind, _, ident = event.actor.partition(":")
    actor = f"{kind}:{name(int(ident))}" if ident.isdigit() else event.actor
    return event.tag, subject, actor, event.additional
