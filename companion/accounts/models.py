"""Accounts: the people who maintain projects and use the index."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from companion.packaging.models import Role


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(50), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    # Set when the owner follows the verification link; a new address starts unverified.
    email_verified: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    name: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    # Nullable until the authentication work sets argon2 hashes.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    # A BCP 47 tag ("pt-BR"); None: negotiate from the request.
    preferred_locale: Mapped[str | None] = mapped_column(sa.String(35))
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, server_default=sa.func.now())

    roles: Mapped[list[Role]] = relationship(back_populates="user", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<User {self.username!r}>"


# Usernames are unique regardless of case, as on PyPI: "Alice" cannot register beside "alice".
sa.Index("ix_users_username_lower", sa.func.lower(User.username), unique=True)
