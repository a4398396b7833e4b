"""Baselines and suppressions: which violations are known, so that a run fails only on new ones.

A fingerprint is made of the rule, the route (``/project/{name}/``, not the URL) and the target
with what changes for unrelated reasons taken out (positions such as ``:nth-child(3)``, numbers
in ids and classes), so it survives edits elsewhere on the page; the locale and the UI state are
not part of it, so one entry covers a violation in every language.

The baseline file is JSON, ``{"version": 1, "entries": [{"fingerprint", "rule", "route",
"target"}, …]}`` sorted by fingerprint, written atomically.

A suppression (``[[tool.i18n-tool.audit.suppress]]``) has a rule, a selector (a glob matched
against the normalized target), a reason and an expiry date; after that date it suppresses
nothing and fails the run until someone fixes the violation or renews it with a new reason.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from i18n_tool.a11y.findings import FRAME_SEPARATOR, SHADOW_SEPARATOR, AuditFinding
from i18n_tool.errors import InputError
from i18n_tool.files import atomic_write

VERSION = 1
_POSITIONAL = re.compile(r":(?:nth-(?:last-)?(?:child|of-type)\([^)]*\)|(?:first|last|only)-(?:child|of-type))")
_NUMBER = re.compile(r"\d+")
_SPACE = re.compile(r"\s*([>+~])\s*|\s+")


_BOUNDARY = re.compile(f"({re.escape(SHADOW_SEPARATOR)}|{re.escape(FRAME_SEPARATOR)})")


def _normalize_selector(selector: str) -> str:
    selector = _NUMBER.sub("N", _POSITIONAL.sub("", selector))
    return _SPACE.sub(lambda m: f" {m[1]} " if m[1] else " ", selector).strip()


def normalize_target(target: str) -> str:
    """The target without positions and numbers: ``ul > li:nth-child(3) > a#item-12`` -> ``ul > li > a#item-N``."""
    parts = _BOUNDARY.split(target)  # selectors, with the frame and shadow separators between them
    return "".join(part if index % 2 else _normalize_selector(part) for index, part in enumerate(parts))


def fingerprint(finding: AuditFinding) -> str:
    key = "\x00".join((finding.rule, finding.route or finding.url, normalize_target(finding.target)))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def entry(finding: AuditFinding) -> dict:
    return {"fingerprint": fingerprint(finding), "rule": finding.rule, "route": finding.route or finding.url,
            "target": normalize_target(finding.target)}


def read_baseline(path: Path) -> dict[str, dict]:
    """Fingerprint -> entry; an unreadable or malformed file is an InputError (exit 2)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("baseline file does not exist", path=str(path),
                         hint="create it with --update-baseline") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read baseline: {exc}", path=str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"baseline is not JSON: {exc.msg}", path=str(path), line=exc.lineno, col=exc.colno) from None
    entries = data.get("entries") if isinstance(data, dict) and data.get("version") == VERSION else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "fingerprint" in e for e in entries):
        raise InputError(f"not an i18n-tool audit baseline (version {VERSION})", path=str(path))
    return {e["fingerprint"]: e for e in entries}


def write_baseline(path: Path, findings) -> int:
    """Rewrite the baseline from ``findings``; the number of entries written."""
    entries = {e["fingerprint"]: e for e in map(entry, findings)}
    data = {"version": VERSION, "entries": [entries[key] for key in sorted(entries)]}
    atomic_write(Path(path), (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
    return len(entries)


@dataclass(frozen=True)
class Split:
    new: list
    known: list
    suppressed: list
    fixed: list  # baseline entries no longer found
    expired: list  # suppressions past their date, as dicts


def _suppresses(suppression, finding: AuditFinding) -> bool:
    return suppression.rule == finding.rule and fnmatch.fnmatchcase(
        normalize_target(finding.target), normalize_target(suppression.selector))


def split(findings, baseline: dict[str, dict] | None, suppressions=(), today: date | None = None) -> Split:
    """The findings sorted into new, known (in the baseline) and suppressed, and what is stale."""
    today = today or date.today()
    active = [s for s in suppressions if s.expires >= today]
    expired = [{"rule": s.rule, "selector": s.selector, "reason": s.reason, "expires": s.expires.isoformat()}
               for s in suppressions if s.expires < today]
    new, known, suppressed, seen = [], [], [], set()
    for finding in findings:
        key = fingerprint(finding)
        seen.add(key)
        if any(_suppresses(s, finding) for s in active):
            suppressed.append(finding)
        elif baseline is not None and key in baseline:
            known.append(finding)
        else:
            new.append(finding)
    fixed = [baseline[key] for key in sorted(baseline or ()) if key not in seen]
    return Split(new, known, suppressed, fixed, expired)
