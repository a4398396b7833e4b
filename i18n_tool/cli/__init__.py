"""The ``i18n-tool`` command."""

from i18n_tool.cli import audit, catalog, extract, sync  # noqa: F401  (they register their commands)
from i18n_tool.cli.base import cli


def main():
    cli(prog_name="i18n-tool")
