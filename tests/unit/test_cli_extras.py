"""A command whose extra is not installed says which one in one line and exits 2, before any work."""

import pytest
from click.testing import CliRunner

from i18n_tool.cli import base, cli


def hide(monkeypatch, *modules):
    real = base.find_spec
    monkeypatch.setattr(base, "find_spec", lambda name: None if name in modules else real(name))


@pytest.mark.parametrize("command, extra, module", [
    (["audit", "--app"], "audit", "selenium"),
    (["audit", "http://127.0.0.1:1/"], "audit", "waitress"),
    (["push"], "transifex", "transifex"),
    (["pull"], "transifex", "requests"),
])
def test_a_missing_extra_is_one_line_and_exit_2(tmp_path, monkeypatch, command, extra, module):
    monkeypatch.chdir(tmp_path)
    hide(monkeypatch, module)
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 2
    assert result.output == f"error: this command needs the {extra} extra: pip install 'i18n-tool[{extra}]'\n"


def test_commands_of_the_core_need_no_extra(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hide(monkeypatch, *(name for modules in base.EXTRAS.values() for name in modules))
    result = CliRunner().invoke(cli, ["txconfig", "--organization", "o", "--project", "p"])
    assert "extra" not in result.output


def test_help_is_shown_without_the_extra(monkeypatch):
    hide(monkeypatch, "selenium")
    result = CliRunner().invoke(cli, ["audit", "--help"])
    assert result.exit_code == 0 and "WCAG" in result.output
