"""The ``i18n-tool`` command (its commands are imported when used: see cli.base.COMMAND_MODULES)."""

from i18n_tool.cli.base import cli


def main():
    cli(prog_name="i18n-tool")
