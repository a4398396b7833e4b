"""i18n_tool.catalog.tree: which catalogs pybabel's -i/-d/-o/-l/-D name."""

from pathlib import Path

import pytest

from i18n_tool.catalog import tree
from i18n_tool.errors import InputError


@pytest.fixture
def locale_dir(tmp_path):
    for locale, domain in (("de", "messages"), ("fr", "messages"), ("fr", "emails"), ("ja", "emails")):
        path = tmp_path / "locale" / locale / "LC_MESSAGES" / f"{domain}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('msgid ""\nmsgstr ""\n')
    (tmp_path / "locale" / "README").write_text("not a locale")
    (tmp_path / "locale" / "empty").mkdir()
    return tmp_path / "locale"


def test_found_locales_are_those_holding_the_domain(locale_dir):
    assert tree.found_locales(locale_dir, "messages") == ["de", "fr"]
    assert tree.found_locales(locale_dir, "emails") == ["fr", "ja"]
    with pytest.raises(InputError, match="does not exist"):
        tree.found_locales(locale_dir / "nowhere", "messages")


def test_compile_targets(locale_dir):
    found = tree.compile_targets(["messages", "emails"], (), locale_dir)
    assert [(c.locale, c.po.name, c.mo) for c in found] == [
        ("de", "messages.po", None), ("fr", "messages.po", None), ("fr", "emails.po", None), ("ja", "emails.po", None)]
    only = tree.compile_targets([], ["fr"], locale_dir)
    assert [c.po for c in only] == [locale_dir / "fr/LC_MESSAGES/messages.po"]
    given = tree.compile_targets([], ["de"], Path("build"), input_file="x.po")
    assert given == [tree.Catalog("de", Path("x.po"), Path("build/de/LC_MESSAGES/messages.mo"))]
    assert tree.compile_targets([], (), None, "x.po", "x.mo") == [tree.Catalog("", Path("x.po"), Path("x.mo"))]


@pytest.mark.parametrize("args, message", [
    (([], (), None), "input file (-i) or the base directory (-d)"),
    ((["other"], (), "LOCALE"), "no message catalogs found for domain 'other'"),
    (([], ["es"], "LOCALE"), "catalog does not exist"),
    (([], (), None, "x.po"), "give the output file (-o)"),
])
def test_compile_targets_refuse(locale_dir, args, message):
    args = tuple(locale_dir if arg == "LOCALE" else arg for arg in args)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        tree.compile_targets(*args)


def test_update_and_init_targets(locale_dir):
    assert [c.locale for c in tree.update_targets("emails", (), locale_dir)] == ["fr", "ja"]
    assert tree.update_targets("", ["es"], locale_dir) == [tree.Catalog("es", locale_dir / "es/LC_MESSAGES/messages.po")]
    assert tree.update_targets("messages", ["de"], None, "x.po") == [tree.Catalog("de", Path("x.po"))]
    with pytest.raises(InputError, match="locale"):
        tree.update_targets("messages", (), None, "x.po")
    assert tree.init_target("emails", "pt_BR", locale_dir) == locale_dir / "pt_BR/LC_MESSAGES/emails.po"
    assert tree.init_target("emails", "pt_BR", locale_dir, "y.po") == Path("y.po")
