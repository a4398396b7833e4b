"""What each catalog's translations were at the last pull or push, to tell local edits from
translators' work.

The state file (``.tx/i18n-tool-state.json``) keeps, per resource and locale, a short hash of
each translated message's translation, keyed by a short hash of its msgctxt and msgid. A local
translation that differs from the recorded one (or has no record: a new message, or no pull yet)
is work a pull must not overwrite; one equal to it may take the translators' newer version.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from i18n_tool.errors import InputError
from i18n_tool.files import atomic_write

STATE_NAME = "i18n-tool-state.json"
VERSION = 1


def _short(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def message_key(entry) -> str:
    return _short(f"{entry.msgctxt or ''}\x04{entry.msgid}")


def translation_of(entry) -> tuple[str, ...] | None:
    """The entry's translation (every plural form), None when it has none or is fuzzy."""
    forms = tuple(entry.forms)
    if entry.obsolete or "fuzzy" in entry.flags or not all(forms):
        return None
    return forms


def fingerprint(entries) -> dict[str, str]:
    """Message key -> hash of its translation, for the translated entries."""
    result = {}
    for entry in entries:
        forms = translation_of(entry)
        if forms is not None:
            result[message_key(entry)] = _short("\x00".join(forms))
    return result


def conflicts(local_entries, remote: dict[str, tuple[str, ...]], recorded: dict[str, str] | None) -> list:
    """The local entries a pull would overwrite although they hold work not yet pushed.

    ``remote``: message key -> the downloaded translation. An entry conflicts when the download
    translates it differently and its local translation is not the one recorded at the last
    pull or push (an edit here since, or no record at all).
    """
    found = []
    for entry in local_entries:
        forms = translation_of(entry)
        key = message_key(entry)
        theirs = remote.get(key)
        if forms is None or theirs is None or theirs == forms:
            continue
        if recorded is None or recorded.get(key) != _short("\x00".join(forms)):
            found.append(entry)
    return found


class State:
    """The state file: ``{"version": 1, "resources": {resource id: {locale: {key: hash}}}}``."""

    def __init__(self, path: Path, data: dict):
        self.path, self.data = Path(path), data

    @classmethod
    def load(cls, path: Path) -> State:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path, {"version": VERSION, "resources": {}})
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read the sync state: {exc}", path=str(path),
                             hint="delete it to start over; the next pull then treats nothing as a local edit") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("resources"), dict):
            raise InputError("not an i18n-tool sync state file", path=str(path))
        return cls(path, data)

    def recorded(self, resource: str, locale: str) -> dict[str, str] | None:
        return self.data["resources"].get(resource, {}).get(locale)

    def record(self, resource: str, locale: str, entries) -> None:
        self.data["resources"].setdefault(resource, {})[locale] = fingerprint(entries)

    def save(self) -> None:
        text = json.dumps(self.data, indent=1, sort_keys=True) + "\n"
        atomic_write(self.path, text.encode("utf-8"))
