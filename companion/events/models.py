"""Security events: one table for users' and projects' events, hash-chained in ``position`` order.

An event is inserted with neither ``position`` nor ``hash``; the chainer gives it both just after
its transaction commits (:mod:`companion.events.chainer`).
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from companion.db import Base, UTCDateTime


class SubjectKind(enum.StrEnum):
    USER = "user"
    PROJECT = "project"
    SYSTEM = "system"  # the chain itself: prune anchors


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        sa.Index("ix_events_subject", "subject_kind", "subject_id", "id"),
        sa.Index("ix_events_tag_id", "tag", "id"),
        sa.Index("ix_events_actor_id", "actor", "id"),
        sa.Index("ix_events_ip_id", "ip", "id"),
        sa.Index("ix_events_time", "time"),
        # Also finds the unchained events (position IS NULL) without a scan.
        sa.Index("ix_events_position", "position", unique=True),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    subject_kind: Mapped[str] = mapped_column(sa.String(16))
    # No foreign key: a subject's history outlives it (and an unknown username has no id).
    subject_id: Mapped[int | None] = mapped_column()
    actor: Mapped[str] = mapped_column(sa.String(80))  # user:ID, admin:ID, token:ID, system, anonymous
    tag: Mapped[str] = mapped_column(sa.String(64))
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    additional: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    position: Mapped[int | None] = mapped_column(sa.BigInteger())  # 1-based place in the chain, once chained
    hash: Mapped[str | None] = mapped_column(sa.String(64))

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.tag} {self.subject_kind}:{self.subject_id}>"
