"""Every file the commands write is readable as an ordinary write makes it (0o666 & ~umask)."""

import os
import stat
import subprocess
import sys

import pytest

PYPROJECT = """\
[tool.i18n-tool]
catalogs = "catalogs"
locales = ["de"]
pseudo-locales = ["en_XA"]
sources = ["app"]

[[tool.i18n-tool.mapping]]
pattern = "**/templates/**.html"
method = "jinja2"
"""


def run(root, mask, *args):
    done = subprocess.run([sys.executable, "-m", "i18n_tool", *args], cwd=root, capture_output=True, text=True,
                          preexec_fn=lambda: os.umask(mask))
    assert done.returncode in (0, 1), done.stderr
    return done


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "app/templates").mkdir(parents=True)
    (tmp_path / "app/templates/index.html").write_text("<p>{% trans %}Hello{% endtrans %}</p>\n")
    return tmp_path


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600)])
def test_written_files_follow_the_umask(project, mask, expected):
    for command in (["extract"], ["update"], ["pseudo"], ["compile", "--force"],
                    ["check", "--format", "json", "--output", "report.json"]):
        run(project, mask, *command)
    written = [project / "catalogs/messages.pot", project / "report.json",
               *project.glob("catalogs/*/LC_MESSAGES/messages.[pm]o")]
    assert len(written) == 6
    assert {path.name: mode(path) for path in written} == {path.name: expected for path in written}
    caches = [path for path in project.glob(".i18n-tool-cache/**/*") if path.is_file()]
    assert caches and {mode(path) for path in caches} == {expected}


def test_rewritten_files_keep_their_mode(project):
    run(project, 0o022, "extract")
    run(project, 0o022, "update")
    catalog = project / "catalogs/de/LC_MESSAGES/messages.po"
    catalog.chmod(0o640)
    (project / "app/templates/index.html").write_text("<p>{% trans %}Hello again{% endtrans %}</p>\n")
    run(project, 0o022, "extract")
    run(project, 0o022, "update")
    assert "Hello again" in catalog.read_text() and mode(catalog) == 0o640
