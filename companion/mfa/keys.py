"""Security keys (WebAuthn) as a kind of second factor: their table, and single-use challenges.

The ceremonies themselves are :mod:`companion.mfa.webauthn`'s; this module stores what they
produce and keeps each challenge usable once. The session holds the challenge (binding it to the
visitor); the database holds its SHA-256, deleted by the one verification that spends it, so a
session cookie replayed with an old answer finds no challenge.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from zope.interface import implementer

from companion.db import utcnow
from companion.mfa import webauthn
from companion.mfa.interfaces import ITwoFactorMethod
from companion.mfa.models import WebAuthnChallenge, WebAuthnCredential
from companion.mfa.services import Method


SETTINGS = "companion.mfa.webauthn_settings"  # registry key: the parsed WebAuthnSettings


@implementer(ITwoFactorMethod)
class SecurityKeys:
    kind = "webauthn"
    login_template = "mfa/_login_webauthn.html"
    settings_template = "mfa/_settings_webauthn.html"

    def __init__(self, session: Session, settings: webauthn.WebAuthnSettings):
        self.db = session
        self.settings = settings

    def rows(self, user) -> list[WebAuthnCredential]:
        return list(self.db.scalars(sa.select(WebAuthnCredential).where(WebAuthnCredential.user_id == user.id)
                                    .order_by(WebAuthnCredential.id)))

    def row(self, user, key_id: int) -> WebAuthnCredential | None:
        return self.db.scalars(sa.select(WebAuthnCredential).where(
            WebAuthnCredential.user_id == user.id, WebAuthnCredential.id == key_id)).one_or_none()

    def stored(self, user) -> list[webauthn.StoredCredential]:
        return [webauthn.StoredCredential(row.credential_id, row.public_key, row.sign_count, row.label,
                                          row.transports.split()) for row in self.rows(user)]

    def methods(self, user) -> list[Method]:
        return [Method(self.kind, row.id, row.label, row.created, row.last_used) for row in self.rows(user)]

    def login_context(self, request, user) -> dict:
        options, challenge = webauthn.authentication_options(self.settings, self.stored(user))
        issue_challenge(request, webauthn.AUTHENTICATE, challenge)
        return {"options": options}

    def registration(self, request, user) -> str:
        """The options JSON of adding a key (the user's keys excluded); its challenge is kept."""
        options, challenge = webauthn.registration_options(self.settings, user.id, user.username,
                                                           user.name or user.username, self.stored(user))
        issue_challenge(request, webauthn.REGISTER, challenge)
        return options

    def register(self, request, user, answer: str, label: str) -> WebAuthnCredential:
        """Verify the browser's answer and store the key, or WebAuthnError."""
        challenge = spend_challenge(request, webauthn.REGISTER)
        key = webauthn.verify_registration(self.settings, answer, challenge, label, self.stored(user),
                                           user_id=user.id)
        if self.db.scalar(sa.select(sa.func.count()).select_from(WebAuthnCredential)
                          .where(WebAuthnCredential.credential_id == key.credential_id)):
            raise webauthn.WebAuthnError("duplicate")  # registered to another account
        row = WebAuthnCredential(user_id=user.id, credential_id=key.credential_id, public_key=key.public_key,
                                 sign_count=key.sign_count, label=key.label, transports=" ".join(key.transports),
                                 created=utcnow())
        self.db.add(row)
        self.db.flush()
        return row

    def authenticate(self, request, user, answer: str) -> webauthn.StoredCredential:
        """Verify a login's answer and store the key's new counter: the key used, or WebAuthnError."""
        challenge = spend_challenge(request, webauthn.AUTHENTICATE)
        key, count = webauthn.verify_authentication(self.settings, answer, challenge, self.stored(user))
        # Compared with the count just checked, so two logins racing with one answer cannot both pass.
        updated = self.db.execute(
            sa.update(WebAuthnCredential)
            .where(WebAuthnCredential.credential_id == key.credential_id, WebAuthnCredential.user_id == user.id,
                   WebAuthnCredential.sign_count == key.sign_count)
            .values(sign_count=count, last_used=utcnow()).execution_options(synchronize_session=False)).rowcount
        if updated != 1:
            raise webauthn.WebAuthnError("cloned_key", key)
        return key

    def remove(self, row: WebAuthnCredential) -> Method:
        method = Method(self.kind, row.id, row.label, row.created, row.last_used)
        self.db.delete(row)
        self.db.flush()
        return method

    def remove_all(self, user) -> list[Method]:
        removed = self.methods(user)
        self.db.execute(sa.delete(WebAuthnCredential).where(WebAuthnCredential.user_id == user.id))
        return removed

    def token_state(self, user) -> str:
        return "webauthn:" + ",".join(f"{row.id}:{row.last_used}" for row in self.rows(user))


def factory(context, request) -> SecurityKeys:
    return SecurityKeys(request.db, request.registry[SETTINGS])


# --- challenges ------------------------------------------------------------------------------------------


def _digest(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def issue_challenge(request, purpose: str, challenge: bytes) -> None:
    """Keep ``challenge`` for one verification of ``purpose``, replacing the session's earlier one."""
    db = request.db
    earlier = request.session.get(webauthn.CHALLENGE_KEY)
    if isinstance(earlier, dict) and isinstance(earlier.get("challenge"), str):
        db.execute(sa.delete(WebAuthnChallenge).where(
            WebAuthnChallenge.digest == _digest(webauthn.base64url_to_bytes(earlier["challenge"]))))
    expired = utcnow() - timedelta(seconds=webauthn.CHALLENGE_MAX_AGE)
    db.execute(sa.delete(WebAuthnChallenge).where(WebAuthnChallenge.issued < expired))
    db.add(WebAuthnChallenge(digest=_digest(challenge), issued=utcnow()))
    webauthn.remember_challenge(request.session, purpose, challenge)


def spend_challenge(request, purpose: str) -> bytes:
    """The challenge kept for ``purpose``, spent whatever the verification's outcome; WebAuthnError
    ``no_challenge`` when there is none, it expired, or it was spent already."""
    challenge = webauthn.take_challenge(request.session, purpose)
    deleted = request.db.execute(sa.delete(WebAuthnChallenge).where(
        WebAuthnChallenge.digest == _digest(challenge))).rowcount
    if deleted != 1:
        raise webauthn.WebAuthnError("no_challenge")
    return challenge
