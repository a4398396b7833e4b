"""The audit's finding record: one failed rule on one element of one page, in one locale and state.

Catalog checks have their own record (``i18n_tool.findings.Finding``, a file and a line); an
audit finding points at a page and an element instead, so it is a record of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

ENGINES = ("axe", "static")
IMPACTS = ("minor", "moderate", "serious", "critical")

#: The JSON keys of a finding, in order (the issue's contract; ``route`` is ours, for baselines).
KEYS = ("url", "locale", "state", "engine", "rule", "wcag", "impact", "target", "html", "message")

#: Between the selectors of nested frames in ``target``: ``iframe#ads >> img``.
FRAME_SEPARATOR = " >> "
#: Between a shadow host's selector and the selector inside its open shadow root.
SHADOW_SEPARATOR = " >>> "


@dataclass(frozen=True)
class AuditFinding:
    url: str
    locale: str | None
    state: str
    engine: str
    rule: str
    wcag: tuple[str, ...]  # WCAG 2.0 success criteria, "1.1.1"
    impact: str | None
    target: str  # CSS selector; frames and shadow roots joined by the separators above
    html: str  # a snippet of the element
    message: str
    route: str | None = None  # the route the URL came from ("/project/{name}/"), for fingerprints
    help_url: str | None = None
    # The raw selector path (axe's "target": frames, shadow hosts), to find the element again.
    path: tuple = field(default=(), compare=False, repr=False)
    screenshot: str | None = field(default=None, compare=False, repr=False)  # base64 PNG

    def __post_init__(self):
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine {self.engine!r}")
        if self.impact is not None and self.impact not in IMPACTS:
            raise ValueError(f"unknown impact {self.impact!r}")

    def to_dict(self) -> dict:
        return {key: list(self.wcag) if key == "wcag" else getattr(self, key) for key in KEYS}

    def with_screenshot(self, png_base64: str | None) -> AuditFinding:
        return replace(self, screenshot=png_base64)


def target_string(path) -> str:
    """axe's target (a list of frame selectors, each a string or a list through shadow roots)."""
    if isinstance(path, str):
        return path
    return FRAME_SEPARATOR.join(part if isinstance(part, str) else SHADOW_SEPARATOR.join(part) for part in path)
