"""Per-file extraction results, kept between runs and keyed by content hash.

A file whose size and modification time are unchanged is not read again; one
that changed is hashed, and its results are reused when the hash, the method,
the options and the keywords are the same. The cache also remembers what the
last run wrote, so a run in which nothing changed writes nothing.
"""

import hashlib
import os
import pickle
from importlib.util import find_spec
from pathlib import Path

from i18n_tool import extractors
from i18n_tool import __version__
from i18n_tool.files import atomic_write

FORMAT = 1


def _fingerprint() -> str:
    """Changes whenever the tool, its extractors, Babel or Jinja2 change."""
    parts = [__version__, str(FORMAT)]
    for name in ("babel", "jinja2"):  # their files, not their metadata: found without importing them
        spec = find_spec(name)
        origin = Path(spec.origin) if spec is not None and spec.origin else None
        parts.append(f"{origin}:{origin.stat().st_mtime_ns}" if origin else name)
    folder = Path(extractors.__file__).parent
    for path in sorted(folder.glob("*.py")) + [Path(__file__).with_name("extract.py")]:
        parts.append(f"{path.name}:{path.stat().st_mtime_ns}")
    return "|".join(parts)


def _digest(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


class ExtractCache:
    """One cache file per output: results of the files that output was made from."""

    def __init__(self, folder: str | os.PathLike, target: str):
        self.folder = Path(folder)
        self.file = self.folder / f"extract-{_digest(os.path.abspath(target))}.pickle"
        self.fingerprint = _fingerprint()
        self._stats, self._results, self.output = self._load()
        self._used_stats, self._used_results = {}, {}

    def _load(self):
        try:
            with open(self.file, "rb") as handle:
                saved = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return {}, {}, None
        if saved.get("fingerprint") != self.fingerprint:
            return {}, {}, None
        return saved["stats"], saved["results"], saved.get("output")

    def content_digest(self, path: str) -> str:
        """The hash of a file's content, without reading it when its stat is unchanged."""
        stat = os.stat(path)
        key = (stat.st_mtime_ns, stat.st_size)
        known = self._stats.get(path)
        if known and known[0] == key:
            digest = known[1]
        else:
            with open(path, "rb") as handle:
                digest = hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
        self._used_stats[path] = (key, digest)
        return digest

    def key(self, job, settings) -> str:
        options = sorted((k, repr(v)) for k, v in job.options.items())
        return _digest(job.display, self.content_digest(job.path), job.method, options,
                       sorted(settings.keywords.items(), key=repr), settings.comment_tags,
                       settings.strip_comment_tags)

    def get(self, job, settings):
        try:
            key = self.key(job, settings)
        except OSError:
            return None  # the extractor reports the unreadable file
        result = self._results.get(key)
        if result is not None:
            self._used_results[key] = result
        return result

    def put(self, job, settings, result):
        self._used_results[self.key(job, settings)] = result

    def run_digest(self, *extra) -> str:
        """One hash for every result of this run, plus what else shapes the output."""
        return _digest(sorted(self._used_results), extra)

    def save(self, output=None):
        """Keep what this run used (and what it wrote), so the cache never grows stale."""
        if (self._used_stats == self._stats and self._used_results.keys() == self._results.keys()
                and output == self.output):
            return  # what is saved already
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by i18n-tool\n*\n")
        saved = {"fingerprint": self.fingerprint, "stats": self._used_stats,
                 "results": self._used_results, "output": output}
        atomic_write(self.file, pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL))
