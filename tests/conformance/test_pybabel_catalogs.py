"""``init``, ``update`` and ``compile`` with pybabel's command line give pybabel's files.

Each test runs the real pybabel and i18n-tool on copies of the same plain ``-d locale/`` tree
(no configuration) and compares what they write: the .po files byte for byte (but for the
revision date, which is the clock's), and the .mo files by what gettext reads from them (ours
are msgfmt's bytes, Babel's are laid out differently).
"""

import gettext
import re
import shutil
import subprocess

import pytest

from tests.conformance.test_pybabel_faithful import tool
from tests.conftest import require

SOURCE = '''\
_("Hello")
_("Open file")
_("Save the document")
ngettext("%(num)d file", "%(num)d files", num)
pgettext("menu", "Quit")
# Translators: on the front page
_("A message long enough to be wrapped at the default width of seventy-six columns, surely")
'''
CHANGED = SOURCE.replace('"Open file"', '"Open files"').replace('_("Hello")\n', '_("Goodbye")\n')
TRANSLATIONS = {"Hello": "Hallo", "Open file": "Datei öffnen", "Quit": "Beenden",
                "Save the document": "Dokument speichern"}
_DATE = re.compile(rb'^"PO-Revision-Date: [^"]*"$', re.MULTILINE)
_ANY_DATE = re.compile(rb'^"(?:PO-Revision|POT-Creation)-Date: [^"]*"$', re.MULTILINE)


def both(tmp_path, source=SOURCE) -> dict:
    """Two identical trees with a template made by pybabel: {"pybabel": root, "i18n-tool": root}."""
    require("pybabel", tool("pybabel") is not None, "pip install babel")
    roots = {}
    for name in ("pybabel", "i18n-tool"):
        root = tmp_path / name
        (root / "app").mkdir(parents=True)
        (root / ".git").mkdir()
        (root / "app/views.py").write_text(source)
        roots[name] = root
    extract(roots["pybabel"])
    shutil.copy(roots["pybabel"] / "messages.pot", roots["i18n-tool"])
    return roots


def extract(root):
    subprocess.run([tool("pybabel"), "-q", "extract", "-c", "Translators:", "-o", "messages.pot", "app"],
                   cwd=root, check=True)


def run(roots, *args, expect=0):
    codes = []
    for name, root in roots.items():
        done = subprocess.run([tool(name), *args], cwd=root, capture_output=True, text=True)
        codes.append(done.returncode)
        assert done.returncode == expect or name == "pybabel", done.stderr
    assert codes[0] == codes[1], codes
    return codes[0]


def catalogs(root, comments=True, dates=_DATE) -> dict:
    found = {}
    for path in sorted((root / "locale").glob("*/LC_MESSAGES/*.po")):
        data = dates.sub(b"", path.read_bytes())
        if not comments:
            data = b"".join(line for line in data.splitlines(True) if not line.startswith(b"#"))
        found[str(path.relative_to(root))] = data
    return found


def assert_same_catalogs(roots, options=(), dates=_DATE):
    """Byte-identical; with another width than the template's, comments aside: Babel wraps them
    again, our writer keeps them as written."""
    comments = "-w" not in options
    theirs, ours = (catalogs(roots[name], comments, dates) for name in ("pybabel", "i18n-tool"))
    assert theirs and theirs.keys() == ours.keys()
    for name in theirs:
        assert ours[name].decode() == theirs[name].decode(), name


def translate(roots, locale="de"):
    """Translate the catalog the same way in both trees (Babel reads and writes it)."""
    from babel.messages.pofile import read_po, write_po

    for root in roots.values():
        path = root / "locale" / locale / "LC_MESSAGES/messages.po"
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key in TRANSLATIONS:
                message.string = TRANSLATIONS[key]
            elif isinstance(message.id, tuple):
                message.string = ("%(num)d Datei", "%(num)d Dateien")
        with open(path, "wb") as handle:
            write_po(handle, catalog)


@pytest.mark.parametrize("options", [[], ["--no-wrap"], ["-w", "40"]])
def test_init(tmp_path, options):
    roots = both(tmp_path)
    for locale in ("de", "ar", "pt_BR", "ja"):
        run(roots, "init", "-i", "messages.pot", "-d", "locale", "-l", locale, *options)
    assert_same_catalogs(roots, options)


@pytest.mark.parametrize("options", [
    [], ["--previous"], ["--ignore-obsolete"], ["--no-wrap"], ["-w", "40"], ["--omit-header"],
    ["-N"], ["--ignore-pot-creation-date"], ["--update-header-comment"],
])
def test_update(tmp_path, options):
    roots = both(tmp_path)
    run(roots, "init", "-i", "messages.pot", "-d", "locale", "-l", "de")
    translate(roots)
    for root in roots.values():
        (root / "app/views.py").write_text(CHANGED)
    extract(roots["pybabel"])
    shutil.copy(roots["pybabel"] / "messages.pot", roots["i18n-tool"])
    run(roots, "update", "-i", "messages.pot", "-d", "locale", *options)
    assert_same_catalogs(roots, options)


def test_update_check_and_init_missing(tmp_path):
    roots = both(tmp_path)
    run(roots, "update", "-i", "messages.pot", "-d", "locale", "-l", "de", "--init-missing")
    assert_same_catalogs(roots)
    assert run(roots, "update", "-i", "messages.pot", "-d", "locale", "--check") == 0
    for root in roots.values():
        (root / "app/views.py").write_text(CHANGED)
    extract(roots["pybabel"])
    shutil.copy(roots["pybabel"] / "messages.pot", roots["i18n-tool"])
    assert run(roots, "update", "-i", "messages.pot", "-d", "locale", "--check", expect=1) == 1


def translations(path) -> dict:
    with open(path, "rb") as handle:
        reader = gettext.GNUTranslations(handle)
    return {msgid: reader.gettext(msgid) for msgid in (*TRANSLATIONS, "%(num)d file")} | {
        "plural 5": reader.ngettext("%(num)d file", "%(num)d files", 5), "menu": reader.pgettext("menu", "Quit")}


@pytest.mark.parametrize("options", [[], ["-f"], ["-l", "de"]])
def test_compile(tmp_path, options):
    roots = both(tmp_path)
    for locale in ("de", "fr"):
        run(roots, "init", "-i", "messages.pot", "-d", "locale", "-l", locale)
    translate(roots)
    for root in roots.values():
        path = root / "locale/de/LC_MESSAGES/messages.po"
        path.write_text(path.read_text().replace('msgid "Hello"', '#, fuzzy\nmsgid "Hello"'))
    run(roots, "compile", "-d", "locale", *options)
    for locale in ("de",) if options[:1] == ["-l"] else ("de", "fr"):
        mo = f"locale/{locale}/LC_MESSAGES/messages.mo"
        assert translations(roots["i18n-tool"] / mo) == translations(roots["pybabel"] / mo)
    assert (roots["i18n-tool"] / "locale/fr/LC_MESSAGES/messages.mo").exists() == (options[:1] != ["-l"])


def test_compile_statistics_line(tmp_path):
    roots = both(tmp_path, SOURCE.replace('ngettext("%(num)d file", "%(num)d files", num)\n', ""))
    run(roots, "init", "-i", "messages.pot", "-d", "locale", "-l", "de")
    translate(roots)
    lines = []
    for name, root in roots.items():
        done = subprocess.run([tool(name), "compile", "-d", "locale", "--statistics"], cwd=root,
                              capture_output=True, text=True, check=True)
        lines.append([line for line in done.stderr.splitlines() if " translated in " in line])
    assert lines[0] == lines[1] == ["4 of 5 messages (80%) translated in locale/de/LC_MESSAGES/messages.po"]


def test_a_makefiles_command_lines(tmp_path):
    """Warehouse-style targets, spelled with ``--option=value``, give the same files with either tool."""
    roots = both(tmp_path)
    for root in roots.values():
        (root / "babel.cfg").write_text("[python: **.py]\n[genshi: **/legacy/**.xml]\n")  # an unused rule
        (root / "locale").mkdir()  # pybabel does not make it
    steps = [
        ["extract", "--mapping-file=babel.cfg", "--omit-header", "--ignore-dirs=.*", "--ignore-dirs=_*",
         "--add-comments=Translators:", "--version=1.0", "--output=locale/messages.pot", "app"],
        ["init", "--input-file=locale/messages.pot", "--output-dir=locale", "--locale=de"],
        ["update", "--input-file=locale/messages.pot", "--output-dir=locale", "--no-fuzzy-matching",
         "--ignore-obsolete"],
        ["compile", "--directory=locale", "--use-fuzzy"],
    ]
    for step in steps:
        run(roots, *step)
    pot = [(root / "locale/messages.pot").read_bytes() for root in roots.values()]
    assert pot[0] == pot[1] and b'msgid "Hello"' in pot[0]
    assert_same_catalogs(roots, dates=_ANY_DATE)  # a template without header: the catalog's is made now
    mo = "locale/de/LC_MESSAGES/messages.mo"
    assert translations(roots["i18n-tool"] / mo) == translations(roots["pybabel"] / mo)
