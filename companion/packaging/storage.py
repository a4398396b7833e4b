"""Uploaded files' content on the local disk, content-addressed: ``ab/cd/<sha256>/<filename>``.

The directory is the ``files.dir`` setting (default ``var/files``). Writes are atomic, as
:func:`i18n_tool.files.atomic_write`'s: a temp file in the target directory, fsync, rename, the
mode of an ordinary write (``0o666 & ~umask``); the content is copied in chunks, never held whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from zope.interface import implementer

from companion.packaging.interfaces import IFileStorage
from i18n_tool.files import current_umask

FILES_DIR = "files.dir"
CHUNK = 1024 * 1024


def content_path(sha256: str, filename: str) -> str:
    """The relative path of a file's content: two levels of fan-out by digest, then the digest."""
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}/{filename}"


@implementer(IFileStorage)
class LocalFileStorage:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    def local_path(self, path: str) -> Path:
        full = (self.root / path).resolve()
        if not full.is_relative_to(self.root):
            raise ValueError(f"{path!r} is outside the file storage")
        return full

    def exists(self, path: str) -> bool:
        return self.local_path(path).is_file()

    def store(self, path: str, source: BinaryIO) -> None:
        target = self.local_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), 0o666 & ~current_umask())
                shutil.copyfileobj(source, handle, CHUNK)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def remove(self, path: str) -> None:
        self.local_path(path).unlink(missing_ok=True)


def from_settings(settings) -> LocalFileStorage:
    return LocalFileStorage(settings[FILES_DIR])
