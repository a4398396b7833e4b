"""Password hashing with argon2-cffi (argon2id, the library's current parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored hash; False for a user with no password."""
    if not stored:
        HASHER.hash(password)  # spend the same time, so timing does not tell whether a hash exists
        return False
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with other parameters than the hasher's current ones."""
    try:
        return HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True
