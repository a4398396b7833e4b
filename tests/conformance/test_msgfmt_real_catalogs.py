"""Byte equality with GNU msgfmt on catalogs as real projects have them: written by pybabel
``init``/``update``, by our ``init``/``update`` and by translation platforms, with full headers,
fuzzy entries, previous msgids, obsolete blocks, contexts, plurals and 1,200 messages."""

import io
import shutil
import subprocess
import sys

import pytest
from babel.messages.pofile import write_po

from i18n_tool.catalog import po as po_format
from i18n_tool.catalog.mo import write_mo
from tests.conformance import real_catalogs
from tests.conftest import require
from tests.conformance.test_pybabel_faithful import tool


def msgfmt(po_path, tmp_path) -> bytes:
    require("GNU msgfmt", shutil.which("msgfmt") is not None, "apt-get install gettext")
    target = tmp_path / "msgfmt.mo"
    done = subprocess.run(["msgfmt", "-o", str(target), str(po_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return target.read_bytes()


def assert_identical(po_path, tmp_path):
    expected = msgfmt(po_path, tmp_path)
    assert write_mo(po_format.parse_file(po_path)) == expected


def pybabel(*args, cwd):
    require("pybabel", tool("pybabel") is not None, "pip install babel")
    subprocess.run([tool("pybabel"), "-q", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pot():
    buffer = io.BytesIO()
    write_po(buffer, real_catalogs.template(), width=76)
    return buffer.getvalue()


def catalog_path(root, locale):
    return root / "locale" / locale / "LC_MESSAGES" / "messages.po"


@pytest.mark.parametrize("locale", ["de", "ar", "ja", "pt_BR"])
def test_pybabel_init(pot, tmp_path, locale):
    (tmp_path / "messages.pot").write_bytes(pot)
    pybabel("init", "-i", "messages.pot", "-d", "locale", "-l", locale, cwd=tmp_path)
    assert b"POT-Creation-Date" in catalog_path(tmp_path, locale).read_bytes()
    assert_identical(catalog_path(tmp_path, locale), tmp_path)


@pytest.mark.parametrize("locale, platform", [("de", "transifex"), ("es", "weblate"), ("ja", "poedit"),
                                              ("ar", "transifex"), ("fr", "none")])
def test_platform_exports(pot, tmp_path, locale, platform):
    path = tmp_path / "messages.po"
    path.write_bytes(real_catalogs.translated(pot, locale, platform))
    parsed = po_format.parse_file(path)
    assert len(parsed.entries) >= 1000 and sum(entry.fuzzy for entry in parsed.entries) > 50
    assert_identical(path, tmp_path)


def test_pybabel_update_with_previous(pot, tmp_path):
    path = catalog_path(tmp_path, "de")
    path.parent.mkdir(parents=True)
    path.write_bytes(real_catalogs.translated(pot, "de", "transifex"))
    (tmp_path / "messages.pot").write_bytes(real_catalogs.changed(pot))
    pybabel("update", "-i", "messages.pot", "-d", "locale", "-l", "de", "--previous", cwd=tmp_path)
    text = path.read_text()
    assert "#~ msgid" in text and "#| msgid" in text and "#, fuzzy" in text
    assert_identical(path, tmp_path)


def our_project(root, pot_bytes):
    (root / "pyproject.toml").write_text('[tool.i18n-tool]\ncatalogs = "catalogs"\nlocales = ["de", "ar"]\n')
    (root / "catalogs").mkdir()
    (root / "catalogs/messages.pot").write_bytes(pot_bytes)


def ours(*args, cwd):
    subprocess.run([sys.executable, "-m", "i18n_tool", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_our_init(pot, tmp_path, locale):
    our_project(tmp_path, pot)
    ours("init", "-l", locale, cwd=tmp_path)
    assert_identical(tmp_path / f"catalogs/{locale}/LC_MESSAGES/messages.po", tmp_path)


def test_our_update_of_a_platform_export(pot, tmp_path):
    our_project(tmp_path, real_catalogs.changed(pot))
    path = tmp_path / "catalogs/de/LC_MESSAGES/messages.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(real_catalogs.translated(pot, "de", "transifex"))
    ours("update", "-l", "de", cwd=tmp_path)
    text = path.read_text()
    assert "#~ msgid" in text and "#| msgid" in text
    assert_identical(path, tmp_path)


def test_our_compile_command_writes_msgfmts_bytes(pot, tmp_path):
    path = tmp_path / "messages.po"
    path.write_bytes(real_catalogs.translated(pot, "de", "weblate"))
    ours("compile", "--force", str(path), cwd=tmp_path)
    assert (tmp_path / "messages.mo").read_bytes() == msgfmt(path, tmp_path)


HEADER_VARIANTS = {
    "fuzzy header": lambda text: text.replace('msgid ""\nmsgstr ""', '#, fuzzy\nmsgid ""\nmsgstr ""', 1),
    "no Plural-Forms": lambda text: _drop_field(text, "Plural-Forms"),
    "no POT-Creation-Date": lambda text: _drop_field(text, "POT-Creation-Date"),
    "POT-Creation-Date first": lambda text: _move_first(text, "POT-Creation-Date"),
    "POT-Creation-Date last, no newline": lambda text: _move_last(text, "POT-Creation-Date"),
    "POT-Creation-Date twice": lambda text: _move_first(text, "POT-Creation-Date").replace(
        '"Language:', '"POT-Creation-Date: 2020-01-01 00:00+0000\\n"\n"Language:', 1),
    "only POT-Creation-Date": lambda text: 'msgid ""\nmsgstr "POT-Creation-Date: 2024-05-01 10:00+0000\\n"\n'
                                           + text[text.index("\n\n"):],
}


def _field_line(text, name):
    start = text.index(f'"{name}: ')
    return text[start:text.index("\n", start) + 1]


def _drop_field(text, name):
    return text.replace(_field_line(text, name), "", 1)


def _move_first(text, name):
    line = _field_line(text, name)
    return _drop_field(text, name).replace('msgstr ""\n', f'msgstr ""\n{line}', 1)


def _move_last(text, name):
    line = _field_line(text, name).replace('\\n"', '"')
    text = _drop_field(text, name)
    end = text.index("\n\n")
    return text[:end + 1] + line + text[end + 1:]


@pytest.mark.parametrize("variant", HEADER_VARIANTS.values(), ids=HEADER_VARIANTS.keys())
def test_header_variants(pot, tmp_path, variant):
    path = tmp_path / "messages.po"
    text = real_catalogs.translated(pot, "de", "transifex").decode("utf-8")
    path.write_text(variant(text), encoding="utf-8")
    assert_identical(path, tmp_path)
