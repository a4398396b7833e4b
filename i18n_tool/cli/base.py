"""The command group, and what every command shares: config loading, error mapping, printing."""

import sys
import traceback
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import click

from i18n_tool import __version__
from i18n_tool.errors import InputError

version_option = click.version_option(__version__, "--version", prog_name="i18n-tool")


# Which module defines each command: imported only when that command runs (or help lists it),
# so `i18n-tool extract` loads neither the audit nor the sync code.
COMMAND_MODULES = {
    "extract": "extract",
    **dict.fromkeys(("init", "update", "compile", "check", "stats", "pseudo"), "catalog"),
    **dict.fromkeys(("push", "pull", "txconfig"), "sync"),
    "audit": "audit",
}

# The modules each extra installs, looked for (not imported) before a command that needs them runs.
EXTRAS = {"audit": ("selenium", "waitress"), "transifex": ("transifex", "requests")}


def require_extra(extra):
    """An InputError (exit 2) naming the extra when any of its modules is not installed."""
    if any(find_spec(name) is None for name in EXTRAS[extra]):
        raise InputError(f"this command needs the {extra} extra: pip install 'i18n-tool[{extra}]'")


class Group(click.Group):
    """Turns an InputError into one line on stderr and exit code 2 (a traceback with --debug).

    Commands are loaded lazily from COMMAND_MODULES (each module registers its commands).
    """

    def list_commands(self, ctx):
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx, name):
        if name not in self.commands and name in COMMAND_MODULES:
            import_module(f"i18n_tool.cli.{COMMAND_MODULES[name]}")
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})  # -h as pybabel
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration file (default: i18n-tool.toml, pyproject.toml or setup.cfg, "
                   "looked for upward from here).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@version_option
@click.pass_context
def cli(ctx, config_path, debug, quiet):
    """Localization toolchain for Pyramid + Jinja2 applications."""
    ctx.obj = {"config_path": config_path, "debug": debug, "quiet": quiet}


def load_config(ctx):
    from i18n_tool.config.project import load_config as load

    path = ctx.obj["config_path"]
    if path is not None and not path.exists():
        raise InputError("configuration file does not exist", path=str(path))
    return load(path)


def echo_findings(ctx, findings):
    for finding in findings:
        if ctx.obj["quiet"] and finding.severity == "note":
            continue
        click.echo(finding.format_text(), err=True)


def say(ctx, message):
    """Progress and summaries: stderr, so stdout stays clean for data."""
    if not ctx.obj["quiet"]:
        click.echo(message, err=True)


@contextmanager
def progress_bar(ctx, description):
    """A ``progress(done, total)`` callback drawing a bar on a terminal; a no-op elsewhere."""
    if ctx.obj["quiet"] or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
