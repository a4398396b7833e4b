"""The outcome of an audit run: what fails it, what the baseline knows, what needs review.

Violations come in three channels: ``findings`` (new: they fail the run), ``known`` (matched
by the baseline) and ``suppressed``; ``incomplete`` is axe's "needs review" and never fails.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from i18n_tool.a11y.findings import IMPACTS, AuditFinding
from i18n_tool.a11y.wcag import CHECKED, FAILED, NOT_AUTOMATABLE

#: Impacts from the most severe down, as summaries list them.
IMPACT_ORDER = tuple(reversed(IMPACTS))
#: The ``by_impact`` key of findings without an impact (static rules may give none).
UNRATED = "unrated"


@dataclass
class AuditResult:
    findings: list[AuditFinding] = field(default_factory=list)
    known: list[AuditFinding] = field(default_factory=list)
    suppressed: list[AuditFinding] = field(default_factory=list)
    incomplete: list[AuditFinding] = field(default_factory=list)
    fixed: list[dict] = field(default_factory=list)  # {"rule", "route", "target", "fingerprint"}
    expired: list[dict] = field(default_factory=list)  # {"rule", "selector", "reason", "expires"}
    wcag: dict = field(default_factory=dict)  # i18n_tool.a11y.wcag.table(covered, failed)
    pages: list[dict] = field(default_factory=list)  # {"url", "locale", "state", "route", "violations", "seconds"}
    errors: list[str] = field(default_factory=list)  # pages that could not be audited, one line each

    @property
    def exit_code(self) -> int:
        """1 when the run fails (new violations, expired suppressions, pages not audited), else 0."""
        return 1 if self.findings or self.expired or self.errors else 0

    def summary(self) -> dict:
        """The counts reports print: pages, locales, states, each channel, by impact, by rule, criteria."""
        return {
            "pages": len(self.pages),
            "pages_failing": len({(f.url, f.locale, f.state) for f in self.findings}),
            "locales": len(self._seen("locale")),
            "states": len(self._seen("state")),
            "new": len(self.findings),
            "known": len(self.known),
            "suppressed": len(self.suppressed),
            "incomplete": len(self.incomplete),
            "fixed": len(self.fixed),
            "expired": len(self.expired),
            "errors": len(self.errors),
            "by_impact": by_impact(self.findings),
            "by_rule": dict(sorted(Counter(f.rule for f in self.findings).items())),
            "criteria": criteria_counts(self.wcag),
        }

    def _seen(self, key) -> set:
        """The non-empty values of ``key`` over the pages visited and every finding."""
        values = {page.get(key) for page in self.pages}
        for channel in (self.findings, self.known, self.suppressed, self.incomplete):
            values.update(getattr(f, key) for f in channel)
        return values - {None, ""}


def by_impact(findings) -> dict[str, int]:
    """``{"critical": n, "serious": n, "moderate": n, "minor": n}``, plus ``"unrated"`` when some have none."""
    counts = Counter(f.impact or UNRATED for f in findings)
    rows = {impact: counts[impact] for impact in IMPACT_ORDER}
    if counts[UNRATED]:
        rows[UNRATED] = counts[UNRATED]
    return rows


def criteria_counts(wcag: dict) -> dict[str, int]:
    """How many rows of a WCAG table are failed, checked and not automatable."""
    counts = Counter(row["status"] for row in wcag.values())
    return {status: counts[status] for status in (FAILED, CHECKED, NOT_AUTOMATABLE)}
