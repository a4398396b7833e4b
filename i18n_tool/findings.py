"""The Finding record shared by extraction lint, catalog checks and audits."""

from dataclasses import asdict, dataclass

from i18n_tool.errors import location

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True, order=True)
class Finding:
    path: str | None
    line: int | None
    severity: str
    code: str
    message: str
    col: int | None = None
    locale: str | None = None
    msgid: str | None = None

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def format_text(self) -> str:
        where = location(self.path, self.line, self.col)
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.severity}: {self.message} [{self.code}]"

    def to_dict(self) -> dict:
        return asdict(self)
