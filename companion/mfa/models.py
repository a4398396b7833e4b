"""Two-factor authentication: a user's TOTP secret and recovery codes.

WebAuthn keys live in their own table (companion/mfa/webauthn.py); every kind of method is
listed through :class:`companion.mfa.interfaces.ITwoFactorMethod`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from companion.db import Base, UTCDateTime, utcnow


class TOTPCredential(Base):
    """One authenticator app per user (as on PyPI): its secret and the last time step it accepted."""

    __tablename__ = "totp_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str] = mapped_column(sa.String(64))  # base32, as the app was given it
    # Any step at or before this one is refused: a code works once, and never after a newer one.
    last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<TOTPCredential user={self.user_id}>"


class RecoveryCode(Base):
    """One of a user's recovery codes, hashed with argon2; burned (with the time) when used."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the user proved they saved the set by typing one of its codes (the set's every row).
    confirmed: Mapped[datetime | None] = mapped_column(UTCDateTime)
    burned: Mapped[datetime | None] = mapped_column(UTCDateTime)
