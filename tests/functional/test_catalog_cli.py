"""init, update, compile, check, stats and pseudo through the command line."""

import gettext
import json

import pytest
from babel.messages.plurals import get_plural
from click.testing import CliRunner

from i18n_tool.catalog import po
from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.cli import cli

TEMPLATE = [
    Entry("Welcome back, %(name)s!", flags=["python-format"], locations=[" templates/index.html:4"]),
    Entry('<a href="%(href)s">Read the docs</a>', flags=["python-format"], locations=[" templates/help.html:9"]),
    Entry("%(num)d project", msgid_plural="%(num)d projects", msgstr=["", ""], flags=["python-format"]),
    Entry("Open", msgctxt="menu"),
    Entry("Hello ${user}", flags=["pyramid-format"]),
]


def write_template(root, entries=TEMPLATE):
    header = Entry("", "Project-Id-Version: app 1\nContent-Type: text/plain; charset=UTF-8\n",
                   comments=[" Translations template for app."], flags=["fuzzy"])
    (root / "catalogs").mkdir(exist_ok=True)
    (root / "catalogs/messages.pot").write_bytes(po.write(PoFile("messages.pot", header, list(entries))))


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.i18n-tool]\nlocales = ["de", "ar"]\npseudo-locales = ["en_XA", "ar_XB"]\n'
        '[tool.i18n-tool.check]\nrequired-locales = ["de"]\n')
    write_template(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def catalog(root, locale="de"):
    return root / f"catalogs/{locale}/LC_MESSAGES/messages.po"


def translate(path, translations):
    parsed = po.parse_file(path)
    for entry in parsed.entries:
        if entry.key in translations:
            entry.msgstr = translations[entry.key]
    path.write_bytes(po.write(parsed))


GERMAN = {
    (None, "Welcome back, %(name)s!"): "Willkommen zurück, %(name)s!",
    (None, '<a href="%(href)s">Read the docs</a>'): '<a href="%(href)s">Zur Dokumentation</a>',
    (None, "%(num)d project"): ["%(num)d Projekt", "%(num)d Projekte"],
    ("menu", "Open"): "Öffnen",
    (None, "Hello ${user}"): "Hallo ${user}",
}


def test_update_creates_catalogs_with_cldr_plural_forms(project):
    result = run("update")
    assert result.exit_code == 0, result.stderr
    arabic = po.parse_file(catalog(project, "ar"))
    assert arabic.nplurals == 6 and arabic.language == "ar"
    assert [len(e.msgstr) for e in arabic.entries if e.is_plural] == [6]
    assert arabic.header.comments[0] == " Arabic translations for app."
    assert "created" in result.stderr


def test_full_cycle_compiles_what_gettext_reads(project):
    run("update")
    translate(catalog(project), GERMAN)
    result = run("compile", "-l", "de")
    assert result.exit_code == 0, result.stderr
    with open(catalog(project).with_suffix(".mo"), "rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("Welcome back, %(name)s!") == "Willkommen zurück, %(name)s!"
    assert translations.ngettext("%(num)d project", "%(num)d projects", 3) == "%(num)d Projekte"
    assert translations.pgettext("menu", "Open") == "Öffnen"


def test_check_clean_catalog_exits_0_and_broken_exits_1(project):
    run("update", "-l", "de")
    translate(catalog(project), GERMAN)
    assert run("check", "-l", "de").exit_code == 0
    translate(catalog(project), {(None, "Welcome back, %(name)s!"): "Willkommen, %(nom)s! <script>x()</script>"})
    result = run("check", "-l", "de", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {(f["code"], f["locale"], f["msgid"]) for f in report["findings"]} == {
        ("placeholder-unknown", "de", "Welcome back, %(name)s!"),
        ("html-unsafe", "de", "Welcome back, %(name)s!"),
    }
    assert report["summary"]["errors"] == 2
    assert all(f["line"] and "templates/index.html:4" in f["message"] for f in report["findings"])


def test_compile_refuses_a_catalog_with_errors_unless_forced(project):
    run("update", "-l", "de")
    translate(catalog(project), {(None, "Hello ${user}"): "Hallo ${nutzer}"})
    mo = catalog(project).with_suffix(".mo")
    result = run("compile", "-l", "de")
    assert result.exit_code == 1
    assert "placeholder-unknown" in result.stderr
    assert not mo.exists()
    assert run("compile", "-l", "de", "--force").exit_code == 0
    assert mo.exists()


def test_compile_explicit_paths_need_no_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "fr.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                     b'"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\nmsgid "Yes"\nmsgstr "Oui"\n')
    assert run("compile", str(path)).exit_code == 0
    assert (tmp_path / "fr.mo").exists()


def test_malformed_po_is_exit_2_with_line_and_column_and_nothing_written(project):
    run("update", "-l", "de")
    path = catalog(project)
    path.write_bytes(path.read_bytes() + b'\nmsgid "broken\n')
    before = path.read_bytes()
    last_line = before.count(b"\n")
    where = f"{path.relative_to(project)}:{last_line}:7: error: expected one string"
    for command in (["check"], ["compile"], ["update"]):
        result = run(*command, "-l", "de")
        assert result.exit_code == 2, command
        assert where in result.stdout + result.stderr, command
    assert path.read_bytes() == before
    assert not path.with_suffix(".mo").exists()


def test_update_keeps_translations_fuzzy_and_obsolete(project):
    run("update", "-l", "de")
    translate(catalog(project), GERMAN)
    changed = [Entry("Welcome back, %(name)s!!", flags=["python-format"])] + TEMPLATE[1:3]
    write_template(project, changed)
    result = run("update", "-l", "de")
    assert result.exit_code == 0
    entries = {e.key: e for e in po.parse_file(catalog(project)).entries}
    fuzzy = entries[(None, "Welcome back, %(name)s!!")]
    assert fuzzy.fuzzy and fuzzy.msgstr == "Willkommen zurück, %(name)s!"
    assert fuzzy.previous_msgid == "Welcome back, %(name)s!"
    assert entries[("menu", "Open")].obsolete and entries[("menu", "Open")].msgstr == "Öffnen"
    write_template(project)
    run("update", "-l", "de")
    revived = {e.key: e for e in po.parse_file(catalog(project)).entries}[("menu", "Open")]
    assert not revived.obsolete and revived.fuzzy and revived.msgstr == "Öffnen"


def test_missing_required_locale_and_coverage(project):
    (project / "pyproject.toml").write_text(
        '[tool.i18n-tool]\nlocales = ["de", "fr"]\n[tool.i18n-tool.check]\n'
        'required-locales = ["fr"]\nmin-coverage = 50\n')
    run("update", "-l", "de")
    result = run("check", "--format", "json")
    codes = {(f["code"], f["locale"]) for f in json.loads(result.stdout)["findings"]}
    assert ("locale-missing", "fr") in codes
    assert ("coverage-below-minimum", "de") in codes
    assert result.exit_code == 1


def test_warnings_fail_only_with_strict(project):
    run("update", "-l", "de")
    translate(catalog(project), GERMAN)
    parsed = po.parse_file(catalog(project))
    parsed.entries[3].flags.append("fuzzy")
    catalog(project).write_bytes(po.write(parsed))
    assert run("check", "-l", "de").exit_code == 0
    assert run("check", "-l", "de", "--strict").exit_code == 1


@pytest.mark.parametrize("fmt, marker", [("junit", "<testsuite"), ("sarif", '"version": "2.1.0"'),
                                         ("github", "::error file=")])
def test_report_formats_and_output_file(project, fmt, marker):
    run("update", "-l", "de")
    translate(catalog(project), {("menu", "Open"): "Öffnen %(x)s"})
    result = run("check", "-l", "de", "--format", fmt, "--output", "report.out")
    assert result.exit_code == 1
    assert marker in (project / "report.out").read_text()
    assert result.stdout == ""


def test_pseudo_builds_catalogs_that_pass_check_and_compile(project):
    result = run("pseudo")
    assert result.exit_code == 0, result.stderr
    for name in ("en_XA", "ar_XB"):
        built = po.parse_file(catalog(project, name))
        assert built.language == name and all(e.complete for e in built.entries)
        assert run("check", "-l", name).exit_code == 0
    assert run("compile", "-l", "en_XA").exit_code == 0
    again = run("pseudo")
    assert "unchanged" in again.stderr


def test_stats_counts_and_json(project):
    run("update", "-l", "de")
    translate(catalog(project), {("menu", "Open"): "Öffnen"})
    result = run("stats", "-l", "de", "--format", "json")
    [row] = json.loads(result.stdout)
    assert (row["translated"], row["untranslated"], row["fuzzy"], row["percent"]) == (1, 4, 0, 20.0)
    assert row["words"] == 8 and row["translated_words"] == 1  # placeholders and tags are not words


def test_forced_compile_skips_only_what_cannot_be_compiled(project):
    run("update")
    translate(catalog(project), GERMAN)
    duplicated = catalog(project, "ar")
    duplicated.write_bytes(duplicated.read_bytes() + b'\nmsgctxt "menu"\nmsgid "Open"\nmsgstr "x"\n')
    result = run("compile", "--force", "-l", "ar", "-l", "de")
    assert result.exit_code == 1
    assert "duplicate-entry" in result.stderr
    assert not duplicated.with_suffix(".mo").exists()
    assert catalog(project).with_suffix(".mo").exists()


def test_init_takes_plural_forms_from_cldr_and_refuses_to_overwrite(project):
    result = run("init", "-l", "pt-BR")
    assert result.exit_code == 0, result.stderr
    created = po.parse_file(catalog(project, "pt_BR"))
    assert created.language == "pt_BR"
    cldr = get_plural("pt_BR")
    assert created.header_field("Plural-Forms") == f"nplurals={cldr.num_plurals}; plural={cldr.plural_expr};"
    assert run("init", "-l", "pt_BR").exit_code == 2
    assert run("init", "-l", "xx-QQ").exit_code == 2


def test_no_fuzzy_matching_leaves_changed_messages_untranslated(project):
    run("update", "-l", "de")
    translate(catalog(project), GERMAN)
    write_template(project, [Entry("Welcome back, %(name)s!!", flags=["python-format"])] + TEMPLATE[1:])
    run("update", "-l", "de", "--no-fuzzy-matching")
    entries = {e.key: e for e in po.parse_file(catalog(project)).entries}
    changed = entries[(None, "Welcome back, %(name)s!!")]
    assert changed.msgstr == "" and not changed.fuzzy
    assert entries[(None, "Welcome back, %(name)s!")].obsolete


def test_update_check_with_a_configuration(project):
    assert run("update", "--check").exit_code == 1  # the catalogs would be created
    assert not catalog(project).exists()
    run("update")
    result = run("update", "--check")
    assert result.exit_code == 0 and "up to date" in result.stderr
    write_template(project, TEMPLATE[:2])
    assert run("update", "--check", "-l", "de").exit_code == 1
    assert 'msgid "Open"' in catalog(project).read_text()


def test_pybabel_options_apply_to_configured_catalogs(project):
    run("update")
    translate(catalog(project), GERMAN)
    write_template(project, TEMPLATE[:2])
    assert run("update", "-l", "de", "--ignore-obsolete", "--no-wrap").exit_code == 0
    assert "#~" not in catalog(project).read_text()
    assert run("update", "-D", "nope").exit_code == 2
    result = run("compile", "-l", "de", "-D", "messages", "--statistics")
    assert result.exit_code == 0, result.stderr
    assert "2 of 2 messages (100%) translated in catalogs/de/LC_MESSAGES/messages.po" in result.stderr
