"""The error a user's bad input or configuration raises: one line, exit code 2."""


def location(path=None, line=None, col=None) -> str:
    """``path:line:col`` with the parts that are known, or ``""``."""
    parts = [str(p) for p in (path, line, col) if p is not None]
    return ":".join(parts)


class InputError(Exception):
    """Unusable input or configuration (exit code 2)."""

    exit_code = 2

    def __init__(self, message: str, path=None, line=None, col=None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.hint = hint

    def __str__(self) -> str:
        where = location(self.path, self.line, self.col)
        text = f"{where}: error: {self.message}" if where else f"error: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text
