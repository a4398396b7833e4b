"""A file's size and digests, read once in chunks, within a size limit."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 1024 * 1024


class TooLarge(ValueError):
    pass


@dataclass(frozen=True)
class Digests:
    size: int
    sha256: str
    blake2_256: str
    md5: str

    def mismatch(self, given: dict[str, str]) -> str | None:
        """The first of the given hex digests (by form name) that is not this file's; None if all match."""
        for field, mine in (("sha256_digest", self.sha256), ("blake2_256_digest", self.blake2_256),
                            ("md5_digest", self.md5)):
            theirs = given.get(field)
            if theirs is not None and not hmac.compare_digest(theirs.strip().lower().encode(), mine.encode()):
                return field
        return None


def digest(source: BinaryIO, max_size: int) -> Digests:
    """Digests of ``source`` from its start; :class:`TooLarge` past ``max_size`` bytes."""
    sha256, blake2, md5 = hashlib.sha256(), hashlib.blake2b(digest_size=32), hashlib.md5(usedforsecurity=False)
    size = 0
    source.seek(0)
    while chunk := source.read(CHUNK):
        size += len(chunk)
        if size > max_size:
            raise TooLarge(size)
        for hasher in (sha256, blake2, md5):
            hasher.update(chunk)
    source.seek(0)
    return Digests(size, sha256.hexdigest(), blake2.hexdigest(), md5.hexdigest())
