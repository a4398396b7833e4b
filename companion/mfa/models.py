"""Two-factor authentication: a user's TOTP secret, recovery codes and WebAuthn keys.

Every kind of method is listed through :class:`companion.mfa.interfaces.ITwoFactorMethod`.
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


class WebAuthnCredential(Base):
    """A security key or passkey of a user: its public key, counter and label (unique per user)."""

    __tablename__ = "webauthn_credentials"
    __table_args__ = (sa.UniqueConstraint("user_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(sa.LargeBinary(1023), unique=True)
    public_key: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sign_count: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    label: Mapped[str] = mapped_column(sa.String(64))
    transports: Mapped[str] = mapped_column(sa.String(200), default="")  # space-separated, as the key said
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<WebAuthnCredential user={self.user_id} label={self.label!r}>"


class WebAuthnChallenge(Base):
    """A ceremony's challenge not yet answered, as its SHA-256: the session holds the challenge,
    this row makes it single-use (a replayed session cookie finds the row gone)."""

    __tablename__ = "webauthn_challenges"

    digest: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    issued: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
