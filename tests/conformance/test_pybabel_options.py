"""Every option of the installed Babel's ``pybabel <command> --help`` is one of ours, taking a value
when pybabel's does: a Makefile keeps its command line with ``pybabel`` replaced by ``i18n-tool``."""

import re
import subprocess

import click
import pytest

from i18n_tool.cli import cli
from tests.conformance.test_pybabel_faithful import tool
from tests.conftest import require

COMMANDS = ["extract", "init", "update", "compile"]


def pybabel_options(command) -> dict:
    """{option: takes a value} from the help text, e.g. ``-k KEYWORDS, --keywords=KEYWORDS``."""
    require("pybabel", tool("pybabel") is not None, "pip install babel")
    text = subprocess.run([tool("pybabel"), command, "--help"], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in text.splitlines():
        if not line.startswith("  -"):
            continue
        spec = re.split(r"\s{2,}", line.strip())[0]
        for part in spec.split(", "):
            match = re.fullmatch(r"(--?[A-Za-z][\w-]*)(?:[= ](\S+))?", part)
            assert match, f"cannot read {part!r} in pybabel {command} --help"
            found[match.group(1)] = match.group(2) is not None
    return found


def our_options(command) -> dict:
    """{option: takes a value} of our click command, its help option included."""
    ours = cli.get_command(click.Context(cli), command)
    with click.Context(ours, parent=click.Context(cli, **cli.context_settings), info_name=command) as ctx:
        params = ours.get_params(ctx)
    found = {}
    for param in params:
        if isinstance(param, click.Option):
            for name in param.opts + param.secondary_opts:
                found[name] = not (param.is_flag or param.count)
    return found


@pytest.mark.parametrize("command", COMMANDS)
def test_every_pybabel_option_is_accepted(command):
    theirs, ours = pybabel_options(command), our_options(command)
    assert len(theirs) > 5  # the help text was read
    missing = sorted(set(theirs) - set(ours))
    assert not missing, f"i18n-tool {command} lacks pybabel's {', '.join(missing)}"
    wrong = sorted(name for name in theirs if theirs[name] != ours[name])
    assert not wrong, f"i18n-tool {command}: {', '.join(wrong)} should {'' if theirs[wrong[0]] else 'not '}take a value"


def test_the_reader_sees_values_and_flags():
    options = pybabel_options("extract")
    assert options["--version"] and options["-k"] and options["--keyword"]
    assert not options["--no-wrap"] and not options["-s"] and not options["-h"]
