"""``pip install i18n-tool``: the catalog commands work with the core alone; the rest says which extra."""

import pytest

from tests.packaging.conftest import ROOT, copy_project

pytestmark = pytest.mark.packaging

FRAMEWORKS = ("pyramid", "sqlalchemy", "selenium", "transifex", "waitress", "wtforms", "companion")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("project"))


def test_the_catalog_commands_on_the_repositorys_catalogs(core_venv, project, tmp_path):
    pot = (project / "catalogs" / "messages.pot").read_bytes()
    for command in (["extract", "--check", "--no-cache"], ["extract"], ["update"], ["pseudo"], ["compile"],
                    ["check"], ["stats"]):
        core_venv.run("i18n-tool", *command, cwd=project)
    assert (project / "catalogs" / "messages.pot").read_bytes() == pot
    assert (project / "catalogs" / "de" / "LC_MESSAGES" / "messages.mo").is_file()
    core_venv.run("i18n-tool", "init", "-i", str(project / "catalogs" / "messages.pot"), "-d", str(tmp_path),
                  "-l", "pt_BR", cwd=tmp_path)
    assert (tmp_path / "pt_BR" / "LC_MESSAGES" / "messages.po").is_file()


@pytest.mark.parametrize("module", FRAMEWORKS)
def test_no_framework_is_installed(core_venv, module):
    assert core_venv.run("python", "-c", f"import {module}", check=False).returncode != 0


@pytest.mark.parametrize("command, extra", [(["audit", "--app"], "audit"), (["push"], "transifex")])
def test_a_command_of_an_extra_names_it(core_venv, project, command, extra):
    result = core_venv.run("i18n-tool", *command, cwd=project, check=False)
    assert result.returncode == 2
    assert result.stderr == f"error: this command needs the {extra} extra: pip install 'i18n-tool[{extra}]'\n"


def test_the_dependencies_are_consistent_and_the_pybabel_entry_points_load(core_venv):
    core_venv.run("python", "-m", "pip", "check")
    code = ("from importlib.metadata import entry_points\n"
            "for ep in entry_points(group='babel.extractors'):\n"
            "    if ep.name.startswith('i18n_'): print(ep.name, ep.value, ep.load().__module__)")
    lines = core_venv.run("python", "-c", code).stdout.split("\n")
    assert sorted(filter(None, lines)) == [
        "i18n_jinja2 i18n_tool.extractors.jinja_templates:extract i18n_tool.extractors.jinja_templates",
        "i18n_python i18n_tool.extractors.python_source:extract i18n_tool.extractors.python_source",
    ]


def test_the_wheel_holds_the_toolchain_only(wheels):
    import zipfile

    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheels["core"]).namelist()}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"i18n_tool"}
    assert (ROOT / "i18n_tool" / "extractors").is_dir() and not (ROOT / "extractors").exists()
