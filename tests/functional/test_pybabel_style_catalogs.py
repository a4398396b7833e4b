"""init, update and compile with pybabel's options on a plain ``-d locale/`` tree, no configuration."""

import gettext

import pytest
from click.testing import CliRunner

from i18n_tool.catalog import po
from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.cli import cli

HEADER = Entry("", "Project-Id-Version: shop 1\nPOT-Creation-Date: 2026-01-01 10:00+0000\n"
                   "Content-Type: text/plain; charset=utf-8\n",
               comments=[" Translations template for shop.", " Copyright (C) 2026 Shop"], flags=["fuzzy"])
LONG = "A message long enough to be wrapped at the default width of seventy-six columns, surely"


def template(*msgids, date="2026-01-01 10:00+0000", comment=" Translations template for shop."):
    header = Entry("", HEADER.msgstr.replace("2026-01-01 10:00+0000", date),
                   comments=[comment, HEADER.comments[1]], flags=["fuzzy"])
    return po.write(PoFile("messages.pot", header, [Entry(msgid, locations=[" app/a.py:1"]) for msgid in msgids]))


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """No configuration anywhere: a template and an empty locale/ folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # stops the search for a configuration here
    (tmp_path / "messages.pot").write_bytes(template("Hello", "Open file", LONG))
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def catalog(root, locale="de", domain="messages"):
    return root / "locale" / locale / "LC_MESSAGES" / f"{domain}.po"


def translate(path, translations, fuzzy=()):
    parsed = po.parse_file(path)
    for entry in parsed.entries:
        entry.msgstr = translations.get(entry.msgid, entry.msgstr)
        if entry.msgid in fuzzy:
            entry.flags = ["fuzzy"]
    path.write_bytes(po.write(parsed))


def init(*locales):
    for locale in locales:
        result = run("init", "-i", "messages.pot", "-d", "locale", "-l", locale)
        assert result.exit_code == 0, result.stderr


def test_init_writes_the_pybabel_layout(tree):
    init("de", "pt_BR")
    german = po.parse_file(catalog(tree))
    assert german.language == "de" and [e.msgid for e in german.entries] == ["Hello", "Open file", LONG]
    assert german.header.comments[0] == " German translations for shop." and not german.header.fuzzy
    assert catalog(tree, "pt_BR").exists()
    assert run("init", "-i", "messages.pot", "-o", "other/fr.po", "-l", "fr").exit_code == 0
    assert po.parse_file(tree / "other/fr.po").nplurals == 3


@pytest.mark.parametrize("args, message", [
    (["-d", "locale", "-l", "de"], "input file (-i)"),
    (["-i", "messages.pot", "-l", "de"], "output directory (-d) or file (-o)"),
    (["-i", "messages.pot", "-d", "locale"], "locale with -l"),
    (["-i", "missing.pot", "-d", "locale", "-l", "de"], "no template"),
    (["-i", "messages.pot", "-d", "locale", "-l", "xx_QQ"], "unknown locale"),
])
def test_init_refuses_what_pybabel_refuses(tree, args, message):
    result = run("init", *args)
    assert result.exit_code == 2
    if message:
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tree / "locale").exists()


def test_init_does_not_overwrite_a_catalog(tree):
    init("de")
    translate(catalog(tree), {"Hello": "Hallo"})
    assert run("init", "-i", "messages.pot", "-d", "locale", "-l", "de").exit_code == 2
    assert 'msgstr "Hallo"' in catalog(tree).read_text()


def test_update_without_locale_updates_every_catalog_found(tree):
    init("de", "fr")
    (tree / "messages.pot").write_bytes(template("Hello", "Bye", date="2026-02-02 10:00+0000"))
    result = run("update", "-i", "messages.pot", "-d", "locale")
    assert result.exit_code == 0, result.stderr
    for locale in ("de", "fr"):
        text = catalog(tree, locale).read_text()
        assert 'msgid "Bye"' in text and "POT-Creation-Date: 2026-02-02 10:00+0000" in text


def test_update_check_exits_1_when_a_catalog_would_change(tree):
    init("de")
    (tree / "messages.pot").write_bytes(template("Hello", "Bye"))
    before = catalog(tree).read_bytes()
    result = run("update", "-i", "messages.pot", "-d", "locale", "--check")
    assert result.exit_code == 1 and "out of date" in result.stderr
    assert catalog(tree).read_bytes() == before
    assert run("update", "-i", "messages.pot", "-d", "locale").exit_code == 0
    result = run("update", "-i", "messages.pot", "-d", "locale", "--check")
    assert result.exit_code == 0 and "up to date" in result.stderr


@pytest.mark.parametrize("options, previous", [([], None), (["--previous"], "Open file")])
def test_previous_msgids_only_with_previous_as_pybabel(tree, options, previous):
    init("de")
    translate(catalog(tree), {"Open file": "Datei öffnen"})
    (tree / "messages.pot").write_bytes(template("Hello", "Open files", LONG))
    assert run("update", "-i", "messages.pot", "-d", "locale", *options).exit_code == 0
    fuzzy = [e for e in po.parse_file(catalog(tree)).entries if e.fuzzy]
    assert [(e.msgid, e.msgstr, e.previous_msgid) for e in fuzzy] == [("Open files", "Datei öffnen", previous)]


def test_no_fuzzy_matching(tree):
    init("de")
    translate(catalog(tree), {"Open file": "Datei öffnen"})
    (tree / "messages.pot").write_bytes(template("Hello", "Open files"))
    assert run("update", "-i", "messages.pot", "-d", "locale", "-N", "--previous").exit_code == 0
    parsed = po.parse_file(catalog(tree))
    assert not any(e.fuzzy for e in parsed.entries)
    assert [e.msgid for e in parsed.obsolete] == ["Open file"]


@pytest.mark.parametrize("option, expected", [
    ("--ignore-obsolete", lambda text: "#~" not in text and 'msgid "Bye"' in text),
    ("--omit-header", lambda text: text.startswith("#: app/a.py:1\nmsgid \"Hello\"")),
    ("--no-wrap", lambda text: f'msgid "{LONG}"' in text),
    ("--ignore-pot-creation-date", lambda text: "POT-Creation-Date: 2026-01-01 10:00+0000" in text),
    ("--update-header-comment", lambda text: text.startswith("# German translations for the shop.\n")),
    (None, lambda text: "#~" in text and f'msgid "{LONG}"' not in text and "2026-03-03" in text
     and text.startswith("# German translations for shop.\n")),
])
def test_update_output_options(tree, option, expected):
    init("de")
    translate(catalog(tree), {"Open file": "Datei öffnen"})
    (tree / "messages.pot").write_bytes(template("Hello", "Bye", LONG, date="2026-03-03 10:00+0000",
                                                 comment=" Translations template for the shop."))
    result = run("update", "-i", "messages.pot", "-d", "locale", "-N", *([option] if option else []))
    assert result.exit_code == 0, result.stderr
    assert expected(catalog(tree).read_text())


def test_width_and_output_file(tree):
    init("de")
    target = catalog(tree)
    assert run("update", "-i", "messages.pot", "-o", str(target), "-l", "de", "-w", "30").exit_code == 0
    assert '"A message long enough to be"\n" wrapped' in target.read_text()
    assert run("update", "-i", "messages.pot", "-o", str(target)).exit_code == 2  # -o needs -l, as pybabel
    assert run("update", "-i", "messages.pot", "-d", "locale", "-w", "30", "--no-wrap").exit_code == 2


def test_missing_catalog_needs_init_missing(tree):
    (tree / "locale").mkdir()
    result = run("update", "-i", "messages.pot", "-d", "locale")
    assert result.exit_code == 2 and "no message catalogs found for domain 'messages'" in result.stderr
    assert run("update", "-i", "messages.pot", "-d", "locale", "-l", "de").exit_code == 2
    assert run("update", "-i", "messages.pot", "-d", "locale", "--init-missing").exit_code == 2  # needs -l
    result = run("update", "-i", "messages.pot", "-d", "locale", "-l", "de", "--init-missing")
    assert result.exit_code == 0, result.stderr
    assert po.parse_file(catalog(tree)).language == "de"


def test_domain_names_the_files(tree):
    assert run("init", "-i", "messages.pot", "-d", "locale", "-l", "de", "-D", "emails").exit_code == 0
    assert catalog(tree, domain="emails").exists()
    assert run("update", "-i", "messages.pot", "-d", "locale", "-D", "emails").exit_code == 0
    result = run("compile", "-d", "locale", "-D", "emails")
    assert result.exit_code == 0, result.stderr
    assert catalog(tree, domain="emails").with_suffix(".mo").exists()


def read_mo(path):
    with open(path, "rb") as handle:
        return gettext.GNUTranslations(handle)


def test_compile_directory_without_locale_compiles_every_locale(tree):
    init("de", "fr")
    translate(catalog(tree), {"Hello": "Hallo"})
    translate(catalog(tree, "fr"), {"Hello": "Bonjour"})
    result = run("compile", "-d", "locale")
    assert result.exit_code == 0, result.stderr
    assert read_mo(catalog(tree).with_suffix(".mo")).gettext("Hello") == "Hallo"
    assert read_mo(catalog(tree, "fr").with_suffix(".mo")).gettext("Hello") == "Bonjour"


def test_compile_input_and_output_file(tree):
    init("de")
    translate(catalog(tree), {"Hello": "Hallo"})
    assert run("compile", "-i", str(catalog(tree)), "-o", "de.mo").exit_code == 0
    assert read_mo(tree / "de.mo").gettext("Hello") == "Hallo"
    assert run("compile", "-i", str(catalog(tree)), "-d", "build", "-l", "de").exit_code == 0
    assert read_mo(tree / "build/de/LC_MESSAGES/messages.mo").gettext("Hello") == "Hallo"
    assert not catalog(tree).with_suffix(".mo").exists()


def test_use_fuzzy_and_statistics(tree):
    init("de")
    translate(catalog(tree), {"Hello": "Hallo", "Open file": "Datei öffnen"}, fuzzy=["Open file"])
    result = run("compile", "-d", "locale", "--statistics")
    assert result.exit_code == 0, result.stderr
    assert "1 of 3 messages (33%) translated in locale/de/LC_MESSAGES/messages.po" in result.stderr
    assert read_mo(catalog(tree).with_suffix(".mo")).gettext("Open file") == "Open file"
    assert run("compile", "-d", "locale", "-f").exit_code == 0
    assert read_mo(catalog(tree).with_suffix(".mo")).gettext("Open file") == "Datei öffnen"


def test_a_fuzzy_catalog_is_skipped_without_use_fuzzy(tree):
    init("de")
    translate(catalog(tree), {"Hello": "Hallo"})
    parsed = po.parse_file(catalog(tree))
    parsed.header.flags = ["fuzzy"]
    catalog(tree).write_bytes(po.write(parsed))
    result = run("compile", "-d", "locale")
    assert result.exit_code == 0 and "marked as fuzzy, skipping" in result.stderr
    assert not catalog(tree).with_suffix(".mo").exists()
    assert run("compile", "-d", "locale", "-f").exit_code == 0
    assert read_mo(catalog(tree).with_suffix(".mo")).gettext("Hello") == "Hallo"


def test_compile_finds_nothing_is_exit_2(tree):
    (tree / "locale").mkdir()
    result = run("compile", "-d", "locale")
    assert result.exit_code == 2 and "no message catalogs found for domain 'messages'" in result.stderr
    assert run("compile", "-d", "nowhere").exit_code == 2
    assert run("compile", "-i", "x.po").exit_code == 2
