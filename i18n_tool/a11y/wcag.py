"""The 38 WCAG 2.0 success criteria of levels A and AA, and the per-run table of what happened to each.

A criterion is *failed* when a finding names it, *checked* when a rule that ran covers it and
found nothing, and *not automatable* when no rule covers it: a person has to judge it (captions,
meaningful sequence, focus order...), and the table says so rather than implying a pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FAILED, CHECKED, NOT_AUTOMATABLE = "failed", "checked", "not automatable"


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    level: str


CRITERIA = tuple(Criterion(*row) for row in (
    ("1.1.1", "Non-text Content", "A"),
    ("1.2.1", "Audio-only and Video-only (Prerecorded)", "A"),
    ("1.2.2", "Captions (Prerecorded)", "A"),
    ("1.2.3", "Audio Description or Media Alternative (Prerecorded)", "A"),
    ("1.2.4", "Captions (Live)", "AA"),
    ("1.2.5", "Audio Description (Prerecorded)", "AA"),
    ("1.3.1", "Info and Relationships", "A"),
    ("1.3.2", "Meaningful Sequence", "A"),
    ("1.3.3", "Sensory Characteristics", "A"),
    ("1.4.1", "Use of Color", "A"),
    ("1.4.2", "Audio Control", "A"),
    ("1.4.3", "Contrast (Minimum)", "AA"),
    ("1.4.4", "Resize text", "AA"),
    ("1.4.5", "Images of Text", "AA"),
    ("2.1.1", "Keyboard", "A"),
    ("2.1.2", "No Keyboard Trap", "A"),
    ("2.2.1", "Timing Adjustable", "A"),
    ("2.2.2", "Pause, Stop, Hide", "A"),
    ("2.3.1", "Three Flashes or Below Threshold", "A"),
    ("2.4.1", "Bypass Blocks", "A"),
    ("2.4.2", "Page Titled", "A"),
    ("2.4.3", "Focus Order", "A"),
    ("2.4.4", "Link Purpose (In Context)", "A"),
    ("2.4.5", "Multiple Ways", "AA"),
    ("2.4.6", "Headings and Labels", "AA"),
    ("2.4.7", "Focus Visible", "AA"),
    ("3.1.1", "Language of Page", "A"),
    ("3.1.2", "Language of Parts", "AA"),
    ("3.2.1", "On Focus", "A"),
    ("3.2.2", "On Input", "A"),
    ("3.2.3", "Consistent Navigation", "AA"),
    ("3.2.4", "Consistent Identification", "AA"),
    ("3.3.1", "Error Identification", "A"),
    ("3.3.2", "Labels or Instructions", "A"),
    ("3.3.3", "Error Suggestion", "AA"),
    ("3.3.4", "Error Prevention (Legal, Financial, Data)", "AA"),
    ("4.1.1", "Parsing", "A"),
    ("4.1.2", "Name, Role, Value", "A"),
))
BY_ID = {criterion.id: criterion for criterion in CRITERIA}

_AXE_TAG = re.compile(r"wcag(\d)(\d)(\d+)")


def criteria_from_tags(tags) -> tuple[str, ...]:
    """The WCAG 2.0 A/AA criteria among axe's tags (``wcag111`` -> ``1.1.1``), in table order."""
    found = set()
    for tag in tags:
        match = _AXE_TAG.fullmatch(tag)
        if match and ".".join(match.groups()) in BY_ID:
            found.add(".".join(match.groups()))
    return tuple(c.id for c in CRITERIA if c.id in found)


def table(covered, failed) -> dict[str, dict]:
    """``{"1.1.1": {"name", "level", "status"}, …}`` for all 38 criteria, in order.

    ``covered``: the criteria some rule that ran checks; ``failed``: those a finding names.
    """
    covered, failed = set(covered), set(failed)
    rows = {}
    for c in CRITERIA:
        status = FAILED if c.id in failed else CHECKED if c.id in covered else NOT_AUTOMATABLE
        rows[c.id] = {"name": c.name, "level": c.level, "status": status}
    return rows
