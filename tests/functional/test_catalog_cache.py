"""check and compile keep their results per catalog: warm runs report and write what cold runs do."""

import json
import os

import pytest

from i18n_tool import catalog_cache
from tests.functional.test_catalog_cli import GERMAN, catalog, project, run, translate  # noqa: F401

BROKEN = {(None, "Welcome back, %(name)s!"): "Willkommen, %(nom)s! <script>x()</script>"}


def settle(*paths):
    """Make files look written long ago, so their stat alone tells them unchanged."""
    old = (catalog_cache.time.time_ns() - 10 * catalog_cache.SETTLED_NS) // 10**9
    for path in paths:
        os.utime(path, (old, old))


def check_json(*args):
    result = run("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def catalogs(project):  # noqa: F811
    run("update")
    translate(catalog(project), {**GERMAN, **BROKEN})
    return project


def test_a_cached_check_reports_exactly_what_a_cold_one_does(catalogs):
    cold = check_json("--no-cache")
    assert not (catalogs / ".i18n-tool-cache/check.pickle").exists()
    first = check_json()
    assert (catalogs / ".i18n-tool-cache/check.pickle").exists()
    settle(catalog(catalogs), catalog(catalogs, "ar"))
    warm, warm_settled = check_json(), check_json()
    assert cold[0] == 1 and cold == first == warm == warm_settled
    assert {f["code"] for f in warm[1]["findings"]} >= {"placeholder-unknown", "html-unsafe"}


def test_a_cached_check_does_not_read_unchanged_catalogs(catalogs, monkeypatch):
    check_json()
    settle(catalog(catalogs), catalog(catalogs, "ar"))
    check_json()  # records the settled stats
    from i18n_tool.checks import runner

    def fail(*args, **kwargs):
        raise AssertionError("checked again")

    monkeypatch.setattr(runner, "check_file", fail)
    assert check_json()[0] == 1


def test_a_changed_catalog_is_checked_again(catalogs):
    settle(catalog(catalogs))
    assert check_json("-l", "de")[0] == 1
    translate(catalog(catalogs), GERMAN)  # fixed
    settle(catalog(catalogs))  # even with an old mtime: the size or the hash tells
    code, report = check_json("-l", "de")
    assert code == 0 and report == check_json("-l", "de", "--no-cache")[1]


def test_same_size_and_mtime_but_other_content_is_checked_again(catalogs):
    path = catalog(catalogs)
    check_json()
    data = path.read_bytes()
    stat = path.stat()
    path.write_bytes(data.replace(b"%(nom)s", b"%(name)"))  # same length, fixes nothing
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert check_json() == check_json("--no-cache")


def test_a_changed_configuration_checks_again(catalogs):
    cold = check_json()
    assert "coverage-below-minimum" not in {f["code"] for f in cold[1]["findings"]}
    with open(catalogs / "pyproject.toml", "a") as handle:
        handle.write("min-coverage = 100\n")
    warm = check_json()
    assert "coverage-below-minimum" in {f["code"] for f in warm[1]["findings"]}
    assert warm == check_json("--no-cache")


def test_another_tool_version_starts_afresh(catalogs, monkeypatch):
    check_json()
    monkeypatch.setattr(catalog_cache, "__version__", "0.0.0-other")
    cache = catalog_cache.CatalogCache(catalogs / ".i18n-tool-cache", "check", None)
    assert cache.get(str(catalog(catalogs))) is None


def test_explicit_paths_without_a_config_cache_in_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "fr.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                     b'"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\nmsgid "Yes %s"\nmsgstr "Oui"\n')
    assert check_json("fr.po") == check_json("fr.po")
    assert (tmp_path / ".i18n-tool-cache/check.pickle").exists()
    assert run("compile", "--force", "fr.po").exit_code == 0
    assert (tmp_path / ".i18n-tool-cache/compile.pickle").exists()


def test_compile_does_not_rewrite_a_mo_whose_bytes_would_not_change(catalogs):
    translate(catalog(catalogs), GERMAN)
    assert run("compile", "-l", "de", "--no-cache").exit_code == 0
    mo = catalog(catalogs).with_suffix(".mo")
    settle(mo)
    before = mo.stat()
    assert run("compile", "-l", "de", "--no-cache").exit_code == 0  # compiled again, same bytes
    assert mo.stat().st_mtime_ns == before.st_mtime_ns and mo.stat().st_ino == before.st_ino


def test_a_warm_compile_writes_nothing_and_reports_the_same(catalogs, monkeypatch):
    cold = run("compile", "--force")
    mos = sorted(catalogs.glob("catalogs/*/LC_MESSAGES/*.mo"))
    settle(*mos, *catalogs.glob("catalogs/*/LC_MESSAGES/*.po"))
    from i18n_tool.catalog import compiling

    def fail(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(compiling, "_compile_one", fail)
    warm = run("compile", "--force")
    assert (warm.exit_code, warm.stderr) == (cold.exit_code, cold.stderr)
    assert sorted(catalogs.glob("catalogs/*/LC_MESSAGES/*.mo")) == mos


def test_a_removed_or_changed_mo_is_compiled_again(catalogs):
    translate(catalog(catalogs), GERMAN)
    run("compile", "-l", "de")
    mo = catalog(catalogs).with_suffix(".mo")
    good = mo.read_bytes()
    mo.unlink()
    assert run("compile", "-l", "de").exit_code == 0 and mo.read_bytes() == good
    mo.write_bytes(b"damaged")
    assert run("compile", "-l", "de").exit_code == 0 and mo.read_bytes() == good


def test_force_is_part_of_the_compile_key(catalogs):
    mo = catalog(catalogs).with_suffix(".mo")
    assert run("compile", "-l", "de").exit_code == 1 and not mo.exists()  # errors: not compiled
    assert run("compile", "-l", "de", "--force").exit_code == 0 and mo.exists()
    mo.unlink()
    assert run("compile", "-l", "de").exit_code == 1 and not mo.exists()
