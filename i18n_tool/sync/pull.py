"""``pull``: translations from Transifex into the local catalogs, without losing anyone's work.

Per locale: the language's statistics decide whether it is pulled (``minimum_perc``; a required
locale that is missing or below it fails the run, where the official client only skips it);
the file is downloaded (an async download, polled, then the file it redirects to), parsed and
checked like ``i18n-tool check``: one with errors is kept aside under ``.tx/rejected/`` and
reported, and the local catalog is not touched. A good one is applied to the local catalog: a
message the download translates takes that translation; everything else stays as it is, and a
translation for a message the catalog no longer has is kept as an obsolete entry. Local
translations not yet pushed that the download would overwrite are a conflict: reported, the
catalog kept, unless ``force``. Each catalog is written atomically, so an interrupted pull leaves
every file either old or new.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from i18n_tool.catalog import po as po_format
from i18n_tool.checks.runner import check_po
from i18n_tool.files import atomic_write
from i18n_tool.sync.client import SyncError
from i18n_tool.sync.state import conflicts, message_key, translation_of

STAT_FOR_MODE = {"reviewed": "reviewed_strings", "onlyreviewed": "reviewed_strings",
                 "proofread": "proofread_strings"}  # the others: translated_strings


@dataclass(frozen=True)
class PullOptions:
    mode: str = "default"
    minimum_perc: float | None = None  # None: each resource's minimum_perc from .tx/config
    force: bool = False
    dry_run: bool = False
    workers: int = 5
    poll_interval: float = 2.0


@dataclass
class Outcome:
    """What happened (or, with dry_run, would happen) to one locale of one resource."""

    resource: str
    locale: str
    status: str  # updated | unchanged | conflict | rejected | skipped | missing | failed
    path: str | None = None
    changed: int = 0  # translations taken from the download
    kept: int = 0  # translations for messages the catalog lacks, kept as obsolete entries
    message: str = ""
    conflicts: list = field(default_factory=list)  # msgids
    fails: bool = False  # this outcome fails the command

    def line(self) -> str:
        where = f"{self.path}: " if self.path else f"{self.resource} [{self.locale}]: "
        return where + (self.message or f"{self.status}: {self.changed} translations, {self.kept} kept as obsolete")


def percent(stats: dict, mode: str) -> float:
    total = stats.get("total_strings") or 0
    done = stats.get(STAT_FOR_MODE.get(mode, "translated_strings")) or 0
    return 100.0 * done / total if total else 0.0


@dataclass(frozen=True)
class Applied:
    catalog: po_format.PoFile
    changed: int  # translations taken from the download
    kept: int  # translations of messages the catalog lacks, kept as obsolete entries
    mismatched: int  # plural translations left out: another number of forms than the catalog's


def apply_download(local: po_format.PoFile, remote: po_format.PoFile) -> Applied:
    """The local catalog with the download's translations taken in."""
    theirs = {message_key(e): e for e in remote.active if translation_of(e) is not None}
    nplurals = local.nplurals
    entries, changed, mismatched = [], 0, 0
    for entry in local.entries:
        other = None if entry.obsolete else theirs.pop(message_key(entry), None)
        if other is not None and other.is_plural and len(other.forms) != nplurals:
            mismatched += 1
        elif other is not None and translation_of(entry) != translation_of(other):
            entry = replace(entry, msgstr=other.msgstr, flags=[f for f in entry.flags if f != "fuzzy"])
            changed += 1
        entries.append(entry)
    obsolete = {message_key(e) for e in local.entries if e.obsolete}
    kept = [replace(e, obsolete=True) for key, e in theirs.items() if key not in obsolete]
    return Applied(replace(local, entries=entries + kept), changed, len(kept), mismatched)


class Puller:
    """Pulls the locales of one resource; outcomes are collected, state is recorded in memory."""

    def __init__(self, client, resource, state, options: PullOptions, root: Path, required=()):
        self.client, self.resource, self.state, self.options = client, resource, state, options
        self.root, self.required = root, set(required)
        self.lock = threading.Lock()

    def run(self, locales, progress=None) -> list[Outcome]:
        stats = self._stats()
        outcomes: list = [None] * len(locales)

        def one(index_locale):
            index, locale = index_locale
            outcomes[index] = self._locale(locale, stats)
            if progress:
                with self.lock:
                    progress(sum(o is not None for o in outcomes), len(outcomes))

        with ThreadPoolExecutor(max_workers=max(1, self.options.workers)) as pool:
            list(pool.map(one, enumerate(locales)))
        return outcomes

    def _stats(self) -> dict[str, dict]:
        rows = self.client.ResourceLanguageStats.filter(project=self.resource.project_id,
                                                        resource=self.resource.id).all()
        return {row.id.rsplit(":l:", 1)[-1]: dict(row.attributes) for row in rows}

    def _outcome(self, locale, status, message, **extra) -> Outcome:
        return Outcome(self.resource.id, locale, status, message=message, **extra)

    def _locale(self, locale: str, stats: dict) -> Outcome:
        remote = self.resource.remote_language(locale)
        required = locale in self.required
        if remote not in stats:
            return self._outcome(locale, "missing", f"{remote} is not a language of the project on Transifex"
                                 + (": it is required" if required else ""), fails=required)
        minimum = self.options.minimum_perc if self.options.minimum_perc is not None else self.resource.minimum_perc
        done = percent(stats[remote], self.options.mode)
        if minimum and done < minimum:
            return self._outcome(locale, "skipped", f"{done:.0f} % translated ({self.options.mode}), "
                                 f"below the minimum of {minimum:g} %" + (": it is required" if required else ""),
                                 fails=required)
        try:
            data = self._download(remote)
        except SyncError as error:
            return self._outcome(locale, "failed", str(error), fails=True)
        return self._apply(locale, data)

    def _download(self, remote: str) -> bytes:
        return self.client.translations(self.resource.id, remote, self.options.mode, self.options.poll_interval)

    def _apply(self, locale: str, data: bytes) -> Outcome:
        path = self.resource.path_for(locale)
        shown = str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)
        try:
            download = po_format.parse(data, f"{self.resource.id} [{locale}]")
            errors = [f for f in check_po(download, locale) if f.severity == "error"]
        except po_format.PoSyntaxError as error:
            errors = [error]
        if errors:
            aside = self._keep_aside(locale, data)
            first = errors[0].format_text() if hasattr(errors[0], "format_text") else str(errors[0])
            return self._outcome(locale, "rejected", f"the download has {len(errors)} error(s), kept aside "
                                 f"in {aside} (first: {first}); the catalog is unchanged", path=shown, fails=True)
        local = po_format.parse_file(path) if path.exists() else replace(download, path=str(path))
        theirs = {message_key(e): translation_of(e) for e in download.active if translation_of(e) is not None}
        clashes = conflicts(local.active, theirs, self.state.recorded(self.resource.id, locale))
        if clashes and not self.options.force:
            return self._outcome(locale, "conflict", f"{len(clashes)} local translation(s) not pushed yet would be "
                                 "overwritten: kept (push them, or pull --force)", path=shown,
                                 conflicts=[e.msgid for e in clashes], fails=True)
        applied = apply_download(local, download)
        status = "updated" if applied.changed or applied.kept or not path.exists() else "unchanged"
        if not self.options.dry_run:
            if status == "updated":
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(path, po_format.write(applied.catalog))
            with self.lock:
                self.state.record(self.resource.id, locale, applied.catalog.entries)
        message = ""
        if applied.mismatched:
            message = (f"{status}: {applied.changed} translations, {applied.kept} kept as obsolete; "
                       f"{applied.mismatched} plural translation(s) left out: Transifex has "
                       f"{download.nplurals} forms for {locale}, the catalog {local.nplurals} (Plural-Forms)")
        return Outcome(self.resource.id, locale, status, shown, applied.changed, applied.kept, message)

    def _keep_aside(self, locale: str, data: bytes) -> str:
        aside = self.root / ".tx" / "rejected" / self.resource.slug / f"{locale}.po"
        if not self.options.dry_run:
            aside.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(aside, data)
        return str(aside.relative_to(self.root))
