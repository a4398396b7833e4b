"""API tokens: one row per macaroon, holding its random root key (never the token itself)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.accounts.models import User
from companion.db import Base, UTCDateTime, utcnow


class APIToken(Base):
    __tablename__ = "api_tokens"
    # A description names one of the user's active tokens; a revoked one frees its description.
    __table_args__ = (sa.Index("uq_api_tokens_active_description", "user_id", "description", unique=True,
                               postgresql_where=sa.text("revoked IS NULL"), sqlite_where=sa.text("revoked IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The macaroon's identifier: finds the row (and its key) from a presented token.
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.String(100))
    root_key: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    # The scope the site gave it, for pages and events (the macaroon's caveats are what is enforced):
    # None for user-wide, else the project ids.
    project_ids: Mapped[list[int] | None] = mapped_column(sa.JSON)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(20))  # "user", "leak", "operator"

    user: Mapped[User] = relationship()

    @property
    def scope(self) -> str:
        """``user``, or ``projects:ID,ID`` (for events)."""
        return "user" if self.project_ids is None else "projects:" + ",".join(map(str, self.project_ids))

    def __repr__(self) -> str:
        return f"<APIToken {self.id} user={self.user_id} scope={self.scope}>"
