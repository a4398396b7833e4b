"""Results of ``check`` and ``compile`` per catalog, kept between runs and keyed by content hash.

In CI or a pre-commit hook most catalogs did not change since the last run: their findings
(and, for compile, the .mo written) are taken from the cache. A catalog whose size and
modification time are unchanged is not read; one that changed is hashed, and its result is
reused when the hash is the same. The key also holds the tool's version (and its check and
catalog code), Babel's, and the command's configuration, so any of those changing starts
afresh. One pickle per command in the cache directory, written atomically, and only when
something changed.
"""

import hashlib
import os
import pickle
import time
from importlib.util import find_spec
from pathlib import Path

from i18n_tool import __version__
from i18n_tool.files import atomic_write

FORMAT = 1
DEFAULT_DIR = ".i18n-tool-cache"
SETTLED_NS = 2_000_000_000


def _code_fingerprint() -> str:
    """Changes whenever the tool, its checks or catalog code, or Babel (locale data) change."""
    package = Path(__file__).parent
    files = sorted(package.glob("checks/*.py")) + sorted(package.glob("catalog/*.py")) + [Path(__file__)]
    babel = find_spec("babel")
    if babel is not None and babel.origin:
        files.append(Path(babel.origin))
    return "|".join([__version__, str(FORMAT)] + [f"{path}:{path.stat().st_mtime_ns}" for path in files])


def _name(path: str) -> tuple:
    """Results name the path as given: the same file given another way is another entry."""
    return os.path.abspath(path), path


def stat(path) -> tuple | None:
    """(mtime, size) of a file, when old enough for them to tell it unchanged; else None.

    File times come from a coarse clock: a file written twice within one tick keeps its
    mtime, so one modified less than SETTLED_NS ago is hashed instead (as git does).
    """
    try:
        result = os.stat(path)
    except OSError:
        return None
    if time.time_ns() - result.st_mtime_ns < SETTLED_NS:
        return None
    return result.st_mtime_ns, result.st_size


def unchanged(path, known_stat, digest) -> bool:
    """Whether the file at ``path`` still has the content hashed as ``digest`` (stat first)."""
    return (known_stat is not None and stat(path) == known_stat) or file_digest(path) == digest


def _digest(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return content_digest(handle.read())
    except OSError:
        return None


class CatalogCache:
    """One command's results per catalog path: ``get(path)`` before the work, ``put`` after, ``save()``."""

    def __init__(self, folder: str | os.PathLike, command: str, configuration):
        self.folder = Path(folder)
        self.file = self.folder / f"{command}.pickle"
        self.key = _digest(_code_fingerprint(), command, configuration)
        self._entries, self._notes = self._load()  # path -> (stat, digest, result, extra); name -> (key, value)
        self._digests = {}  # path -> digest of the content this run used
        self._changed = False

    def _load(self) -> dict:
        try:
            with open(self.file, "rb") as handle:
                saved = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return {}, {}
        if not isinstance(saved, dict) or saved.get("key") != self.key:
            return {}, {}
        return saved["entries"], saved.get("notes", {})

    @staticmethod
    def stat(path: str) -> tuple | None:
        """See ``stat``."""
        return stat(path)

    def get(self, path: str):
        """(result, extra) recorded for the present content of ``path``, or None."""
        name = _name(path)
        known = self._entries.get(name)
        if known is None:
            return None
        now = stat(path)
        if known[0] is None or known[0] != now:
            if file_digest(path) != known[1]:
                return None
            if now is not None:  # settled since: the next run need not read it
                self._entries[name] = (now, *known[1:])
                self._changed = True
        self._digests[path] = known[1]
        return known[2], known[3]

    def put(self, path: str, stat_before, digest: str | None, result, extra=None):
        """Record ``result`` for the content whose hash is ``digest`` (None: forget the file).

        ``stat_before`` is ``stat(path)`` taken before the file was read.
        """
        if digest is None:
            self._entries.pop(_name(path), None)
        else:
            self._entries[_name(path)] = (stat_before, digest, result, extra)
        self._digests[path] = digest
        self._changed = True

    def run_key(self, paths, *more) -> str | None:
        """A hash of the contents of ``paths`` as this run used them (and ``more``); None when one
        is not known. What is derived from them alone can be remembered under it."""
        digests = [self._digests.get(str(path)) for path in paths]
        return None if None in digests else _digest(digests, [str(path) for path in paths], more)

    def recall(self, name: str, key):
        note = self._notes.get(name)
        return note[1] if key is not None and note is not None and note[0] == key else None

    def remember(self, name: str, key, value):
        if key is not None and self._notes.get(name) != (key, value):
            self._notes[name] = (key, value)
            self._changed = True

    def set_extra(self, path: str, extra):
        name = _name(path)
        if name in self._entries:
            self._entries[name] = (*self._entries[name][:3], extra)
            self._changed = True

    def save(self):
        if not self._changed:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by i18n-tool\n*\n")
        data = {"key": self.key, "entries": self._entries, "notes": self._notes}
        atomic_write(self.file, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        self._changed = False
