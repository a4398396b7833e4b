"""Recovery codes: 8 single-use codes of 80 bits with a prefix secret scanners can match.

A code reads ``cprc_abcd-efgh-ijkl-mnop``: the prefix ``cprc_`` ("companion recovery code"),
then 16 characters of lowercase base32 (80 bits from ``secrets``) in groups of four. A scanner's
pattern: ``\\bcprc_[a-z2-7]{4}(?:-[a-z2-7]{4}){3}\\b``. Typed codes may leave out the prefix and
the dashes and may use capitals or spaces. Stored hashed with argon2id (the hash covers the 16
characters); the parameters are lighter than for passwords, as the codes have 80 random bits.
"""

from __future__ import annotations

import base64
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PREFIX = "cprc_"
COUNT = 8
BITS = 80
PATTERN = re.compile(r"\bcprc_[a-z2-7]{4}(?:-[a-z2-7]{4}){3}\b")
_BODY = re.compile(r"[a-z2-7]{16}")
# OWASP's minimum for argon2id (19 MiB, 2 passes): enough for random 80-bit codes.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def new_code() -> str:
    body = base64.b32encode(secrets.token_bytes(BITS // 8)).decode("ascii").lower()
    return PREFIX + "-".join(body[index:index + 4] for index in range(0, len(body), 4))


def new_codes(count: int = COUNT) -> list[str]:
    return [new_code() for _ in range(count)]


def normalize(typed: str | None) -> str | None:
    """The 16 characters of a typed code; None when it cannot be one."""
    text = re.sub(r"[\s\-]+", "", (typed or "").strip().lower())
    if text.startswith(PREFIX):
        text = text[len(PREFIX):]
    elif text.startswith(PREFIX.rstrip("_")):
        text = text[len(PREFIX) - 1:]
    return text if _BODY.fullmatch(text) else None


def hash_code(code: str) -> str:
    body = normalize(code)
    if body is None:
        raise ValueError("not a recovery code")
    return HASHER.hash(body)


def matches(stored: str, body: str) -> bool:
    try:
        return HASHER.verify(stored, body)
    except (VerificationError, InvalidHashError):
        return False
