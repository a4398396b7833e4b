"""Signed, expiring tokens for links in emails (password reset, email verification).

``<user id>.<expiry>.<signature>``: the signature is an HMAC-SHA256, under a key derived from the
session secret, of the purpose, user id, expiry and a *state* string the caller derives from the
user (the password hash for a reset link, the address for a verification link), so a link stops
working once it has been used to change that state. Signatures are compared in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

RESET_PASSWORD = "reset-password"
VERIFY_EMAIL = "verify-email"
DEFAULT_MAX_AGE = {RESET_PASSWORD: 60 * 60, VERIFY_EMAIL: 48 * 60 * 60}  # seconds


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"companion.accounts.tokens", hashlib.sha256).digest()


def _signature(secret: str, purpose: str, user_id: int, expires: int, state: str) -> str:
    message = "\x00".join((purpose, str(user_id), str(expires), state)).encode()
    digest = hmac.new(_key(secret), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_token(secret: str, purpose: str, user_id: int, state: str, max_age: int, now: float | None = None) -> str:
    expires = int(time.time() if now is None else now) + int(max_age)
    return f"{user_id}.{expires}.{_signature(secret, purpose, user_id, expires, state)}"


def token_user_id(token: str) -> int | None:
    """The user id a token claims (not yet verified), None if it is malformed."""
    parts = token.split(".") if isinstance(token, str) and len(token) < 200 else []
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return int(parts[0])


def check_token(secret: str, purpose: str, token: str, state: str, now: float | None = None) -> bool:
    """Whether the token is well formed, unexpired and signed for this purpose, user and state."""
    user_id = token_user_id(token)
    if user_id is None:
        return False
    _, expires, signature = token.split(".")
    if int(expires) < (time.time() if now is None else now):
        return False
    expected = _signature(secret, purpose, user_id, int(expires), state)
    return hmac.compare_digest(expected.encode(), signature.encode())
