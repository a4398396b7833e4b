"""Creating, verifying and revoking API tokens (macaroons, through pymacaroons).

A token is ``PREFIX + macaroon.serialize()``: the macaroon's identifier is the row's public id,
its key the row's random root key, and its caveats (companion/tokens/caveats.py) the scope the
site gave it. Only the key is stored; the token is shown once and never kept.

    raw, token = create(db, user, "CI for fetchwell", projects=[project], expires=when)
    verified = verify(db, raw)             # TokenRefused(reason) unless every caveat holds
    identify(db, raw)                      # its row if the signature holds, caveats unchecked (leaks)
    verified.refusal_for(project)          # None, or why this token may not act on the project
    revoke(token, "user")
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from pymacaroons import Macaroon, Verifier
from pymacaroons.exceptions import MacaroonException
from sqlalchemy.orm import Session

from companion.db import utcnow
from companion.tokens import caveats
from companion.tokens.models import APIToken

DEFAULT_PREFIX = "pypi-"
LOCATION = "companion"
PUBLIC_ID = re.compile(r"[0-9a-f]{32}")
LAST_USED_PRECISION = timedelta(minutes=1)  # last_used is written at most once a minute


class TokenRefused(Exception):
    """``reason``: malformed, invalid (unknown, forged or another user's), revoked, expired,
    not_yet_valid, or scope (not for this project)."""

    def __init__(self, reason: str, token: APIToken | None = None):
        super().__init__(reason)
        self.reason = reason
        self.token = token


@dataclass(frozen=True)
class VerifiedToken:
    token: APIToken
    conditions: tuple[caveats.Caveat, ...]

    def refusal_for(self, project_id: int | None, normalized_name: str) -> str | None:
        """None when every caveat lets the token act on this project (None id: a project it
        would create), else ``scope``."""
        if all(caveats.allows_project(each, project_id, normalized_name) for each in self.conditions):
            return None
        return "scope"


def create(db: Session, user, description: str, project_ids=None, expires: datetime | None = None,
           prefix: str = DEFAULT_PREFIX) -> tuple[str, APIToken]:
    """``(the token, to show once, its row)``; ``project_ids`` None makes it user-wide."""
    token = APIToken(public_id=uuid.uuid4().hex, user_id=user.id, description=description,
                     root_key=secrets.token_bytes(32), created=utcnow(), expires=expires,
                     project_ids=None if project_ids is None else sorted(set(project_ids)))
    db.add(token)
    db.flush()
    macaroon = Macaroon(location=LOCATION, identifier=token.public_id, key=token.root_key)
    macaroon.add_first_party_caveat(caveats.dump_user(user.id))
    if token.project_ids is not None:
        macaroon.add_first_party_caveat(caveats.dump_projects(token.project_ids))
    if expires is not None:
        macaroon.add_first_party_caveat(caveats.dump_window(expires=int(expires.timestamp())))
    return prefix + macaroon.serialize(), token


def _deserialize(raw: str, prefix: str) -> Macaroon:
    if not isinstance(raw, str) or not raw.startswith(prefix) or len(raw) > 4096:
        raise TokenRefused("malformed")
    try:
        return Macaroon.deserialize(raw[len(prefix):])
    except Exception:  # pymacaroons raises whatever its decoders raise on garbage
        raise TokenRefused("malformed") from None


def _row(db: Session, macaroon: Macaroon) -> APIToken | None:
    """The row the macaroon's identifier names (public ids are 32 hex digits; anything else, such as
    a NUL that PostgreSQL would refuse in a query, names none)."""
    identifier = macaroon.identifier
    identifier = identifier.decode("latin-1") if isinstance(identifier, bytes) else str(identifier)
    if not PUBLIC_ID.fullmatch(identifier):
        return None
    return db.scalars(sa.select(APIToken).where(APIToken.public_id == identifier)).one_or_none()


def verify(db: Session, raw: str, prefix: str = DEFAULT_PREFIX, now: float | None = None) -> VerifiedToken:
    """The token's row and conditions once its signature and every caveat hold; else TokenRefused."""
    macaroon = _deserialize(raw, prefix)
    token = _row(db, macaroon)
    if token is None:
        raise TokenRefused("invalid")
    verifier = Verifier()
    verifier.satisfy_general(lambda text: caveats.parse(text) is not None)  # any unknown one fails closed
    try:
        verifier.verify(macaroon, token.root_key)
    except MacaroonException:
        raise TokenRefused("invalid", token) from None
    conditions = tuple(caveats.parse(caveat.caveat_id) for caveat in macaroon.first_party_caveats())
    if token.revoked is not None:
        raise TokenRefused("revoked", token)
    now = time.time() if now is None else now
    if token.expires is not None and now > token.expires.timestamp():
        raise TokenRefused("expired", token)
    if not any(each.user == token.user_id for each in conditions):
        raise TokenRefused("invalid", token)
    for each in conditions:
        if reason := caveats.refusal(each, token.user_id, now):
            raise TokenRefused(reason, token)
    return VerifiedToken(token, conditions)


def identify(db: Session, raw: str, prefix: str = DEFAULT_PREFIX) -> APIToken | None:
    """The row of a token the site issued (its signature holds with the row's key), whatever its
    caveats say: expired, revoked or narrowed, a leaked token is still ours. None otherwise."""
    try:
        macaroon = _deserialize(raw, prefix)
    except TokenRefused:
        return None
    token = _row(db, macaroon)
    if token is None:
        return None
    verifier = Verifier()
    verifier.satisfy_general(lambda text: True)  # only the signature chain is checked
    try:
        verifier.verify(macaroon, token.root_key)
    except MacaroonException:
        return None
    return token


def mark_used(token: APIToken) -> None:
    """After a successful use: ``last_used`` now, unless it was set less than a minute ago."""
    now = utcnow()
    if token.last_used is None or now - token.last_used >= LAST_USED_PRECISION:
        token.last_used = now


def revoke(token: APIToken, reason: str) -> bool:
    """Revoke ``token`` (``reason``: user, leak, operator); False when it already was."""
    if token.revoked is not None:
        return False
    token.revoked, token.revoked_reason = utcnow(), reason
    return True


def event_details(token: APIToken) -> dict:
    """The ``additional`` of a token's ``account:api_token:*`` events: never the token, nor its key."""
    return {"token_id": token.id, "description": token.description, "scope": token.scope,
            "expires": token.expires.isoformat() if token.expires else None}


def active(db: Session, user) -> list[APIToken]:
    return list(db.scalars(sa.select(APIToken).where(APIToken.user_id == user.id, APIToken.revoked.is_(None))
                           .order_by(APIToken.created.desc(), APIToken.id.desc())))
