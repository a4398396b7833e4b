"""What a validated configuration holds: :class:`Config` and its parts (the audit's are in
:mod:`i18n_tool.a11y.config`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from i18n_tool.a11y.config import AuditSettings


@dataclass(frozen=True)
class Rule:
    """One mapping entry, like a section of a Babel mapping file."""

    pattern: str
    method: str
    options: dict
    origin: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Output:
    width: int | None = 76
    sort: str = "none"
    locations: str = "full"
    omit_header: bool = False
    project: str = "PROJECT"
    version: str = "VERSION"
    copyright_holder: str = "ORGANIZATION"
    msgid_bugs_address: str = "EMAIL@ADDRESS"
    last_translator: str = "FULL NAME <EMAIL@ADDRESS>"
    header_comment: str | None = None  # None: Babel's
    charset: str = "utf-8"


@dataclass(frozen=True)
class Domain:
    name: str
    sources: tuple[Path, ...]
    rules: tuple[Rule, ...]
    pot: Path


@dataclass(frozen=True)
class CheckSettings:
    min_coverage: dict = field(default_factory=dict)  # locale (or "*") -> percent
    required_locales: tuple[str, ...] = ()
    obsolete_limit: int = 50

    def coverage_for(self, locale: str) -> float | None:
        return self.min_coverage.get(locale, self.min_coverage.get("*"))


@dataclass(frozen=True)
class Config:
    root: Path
    path: Path | None
    catalogs: Path
    source_locale: str
    locales: tuple[str, ...]
    domains: dict[str, Domain]
    keywords: dict
    comment_tags: tuple[str, ...]
    strip_comment_tags: bool
    ignore_dirs: tuple[str, ...]
    output: Output
    checks: CheckSettings = CheckSettings()
    pseudo_locales: tuple[str, ...] = ()
    audit: AuditSettings = AuditSettings()

    @property
    def audit_locales(self) -> tuple[str, ...]:
        everything = (self.source_locale, *self.locales, *self.pseudo_locales)
        return self.audit.locales or tuple(dict.fromkeys(everything))


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("**.py", "python", {}),
    Rule("**/templates/**.html", "jinja2", {}),
    Rule("**/templates/**.txt", "jinja2", {}),
)
