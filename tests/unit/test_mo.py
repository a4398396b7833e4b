"""write_mo without msgfmt: Python's gettext reads what it writes, and the hash table works."""

import gettext
import io
import struct

import pytest

from i18n_tool.catalog.mo import hash_size, hash_string, write_mo, write_mo_file
from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.catalog.po import parse
from i18n_tool.errors import InputError

HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\n"

CATALOG = '''\
#, fuzzy
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"

msgid "Hello"
msgstr "Hallo"

msgctxt "menu"
msgid "Open"
msgstr "Öffnen"

msgid "Open"
msgstr "Aufmachen"

msgid "One file"
msgid_plural "{n} files"
msgstr[0] "Eine Datei"
msgstr[1] "Zwei Dateien"
msgstr[2] "{n} Dateien"

msgctxt "mail"
msgid "One letter"
msgid_plural "{n} letters"
msgstr[0] "Ein Brief"
msgstr[1] ""
msgstr[2] "{n} Briefe"

msgid "No first form"
msgid_plural "No first forms"
msgstr[0] ""
msgstr[1] "zwei"
msgstr[2] "viele"

#, fuzzy
msgid "Fuzzy"
msgstr "Flauschig"

msgid "Untranslated"
msgstr ""

msgid "Tab\\there\\nand a \\"quote\\" and \\\\"
msgstr "Tab\\tda\\nund ein \\"Zitat\\" und \\\\ – 日本語 😀"

#~ msgid "Obsolete"
#~ msgstr "Veraltet"
'''


def load(data: bytes) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(data))


def read_tables(data: bytes):
    """(keys, translations, hash size, hash table) of a little-endian revision 0 .mo."""
    magic, revision, count, originals, translations, size, hash_offset = struct.unpack_from("<7I", data)
    assert (magic, revision) == (0x950412DE, 0)

    def strings(offset):
        pairs = struct.unpack_from(f"<{2 * count}I", data, offset)
        found = []
        for length, start in zip(pairs[::2], pairs[1::2]):
            assert start + length < len(data) and data[start + length] == 0
            found.append(data[start:start + length])
        return found

    return strings(originals), strings(translations), size, struct.unpack_from(f"<{size}I", data, hash_offset)


@pytest.fixture(scope="module")
def catalog():
    return load(write_mo(parse(CATALOG.encode("utf-8"), "de.po")))


def test_translations_round_trip(catalog):
    assert catalog.gettext("Hello") == "Hallo"
    assert catalog.gettext("Open") == "Aufmachen"
    assert catalog.pgettext("menu", "Open") == "Öffnen"
    assert catalog.gettext("Tab\there\nand a \"quote\" and \\") == "Tab\tda\nund ein \"Zitat\" und \\ – 日本語 😀"
    assert [catalog.ngettext("One file", "{n} files", n) for n in (1, 2, 5)] == \
        ["Eine Datei", "Zwei Dateien", "{n} Dateien"]


def test_plural_with_a_later_form_empty_is_kept_with_the_empty_form(catalog):
    assert catalog.npgettext("mail", "One letter", "{n} letters", 1) == "Ein Brief"
    assert catalog.npgettext("mail", "One letter", "{n} letters", 2) == ""
    assert catalog.npgettext("mail", "One letter", "{n} letters", 7) == "{n} Briefe"


def test_fuzzy_untranslated_obsolete_and_empty_first_form_fall_back(catalog):
    assert catalog.gettext("Fuzzy") == "Fuzzy"
    assert catalog.gettext("Untranslated") == "Untranslated"
    assert catalog.gettext("Obsolete") == "Obsolete"
    assert catalog.ngettext("No first form", "No first forms", 2) == "No first forms"


def test_a_fuzzy_header_is_compiled(catalog):
    assert catalog.info()["plural-forms"].startswith("nplurals=3")
    assert catalog.charset() == "UTF-8"


def test_tables_sorted_in_bounds_and_every_key_found_by_probing():
    data = write_mo(parse(CATALOG.encode("utf-8"), "de.po"))
    keys, values, size, table = read_tables(data)
    assert keys == sorted(keys) and keys[0] == b""
    assert b"menu\x04Open" in keys and b"One file\x00{n} files" in keys
    assert values[keys.index(b"One file\x00{n} files")] == "Eine Datei\0Zwei Dateien\0{n} Dateien".encode()
    assert values[keys.index(b"mail\x04One letter\x00{n} letters")] == b"Ein Brief\0\0{n} Briefe"
    assert size == hash_size(len(keys)) == 11
    assert sorted(filter(None, table)) == list(range(1, len(keys) + 1))
    for index, key in enumerate(keys):
        assert find(data, table, key) == index


@pytest.mark.parametrize("count", [1, 2, 3, 50, 1000])
def test_hash_table_resolves_collisions(count):
    entries = [Entry(f"message {i}", f"Nachricht {i}") for i in range(count)]
    data = write_mo(PoFile("x.po", Entry("", HEADER), entries))
    keys, values, size, table = read_tables(data)
    assert len(keys) == count + 1 and size >= (count + 1) * 4 // 3
    for index, key in enumerate(keys):
        assert find(data, table, key) == index
    translations = load(data)
    assert all(translations.gettext(f"message {i}") == f"Nachricht {i}" for i in range(count))


def find(data, table, key: bytes) -> int:
    """The lookup libintl does: probe until the slot's key is ours (an empty slot: not found)."""
    keys = read_tables(data)[0]
    size, value = len(table), hash_string(key)
    slot, step = value % size, 1 + value % (size - 2)
    while table[slot]:
        if keys[table[slot] - 1] == key:
            return table[slot] - 1
        slot = (slot + step) % size
    return -1


def test_hash_string_and_sizes():
    assert hash_string(b"") == 0
    assert hash_string(b"a") == 97
    assert hash_string(b"ab") == 97 * 16 + 98
    assert hash_string(b"ab\0cd") == hash_string(b"ab")  # plural keys hash their singular
    assert all(hash_string(bytes([255]) * n) < 1 << 32 for n in range(1, 40))
    assert [hash_size(n) for n in (0, 1, 2, 3, 6, 50, 1000)] == [3, 3, 5, 5, 11, 67, 1361]


def test_empty_catalog_is_a_valid_mo():
    for po in (PoFile("x.po"), PoFile("x.po", Entry("", ""), [Entry("a", "")])):
        data = write_mo(po)
        assert read_tables(data)[:3] == ([], [], 3)
        assert load(data).gettext("a") == "a"


def test_catalog_without_header():
    data = write_mo(PoFile("x.po", None, [Entry("b", "B"), Entry("a", "A")]))
    assert read_tables(data)[:2] == ([b"a", b"b"], [b"A", b"B"])
    assert load(data).gettext("b") == "B"


def test_strings_are_stored_in_the_catalogs_charset():
    po = parse('msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
               'msgid "café"\nmsgstr "CAFÉ"\n'.encode("latin-1"), "fr.po")
    keys, values, _, _ = read_tables(write_mo(po))
    assert keys[1] == b"caf\xe9" and values[1] == b"CAF\xc9"
    assert load(write_mo(po)).gettext("café") == "CAFÉ"


@pytest.mark.parametrize("second", [Entry("a", "B"), Entry("a", "", flags=["fuzzy"]),
                                    Entry("a", "B", obsolete=True), Entry("a", "", msgid_plural="as")])
def test_duplicates_are_an_error_as_in_msgfmt(second):
    second.line = 9
    with pytest.raises(InputError, match="duplicate message definition") as caught:
        write_mo(PoFile("x.po", None, [Entry("a", "A", line=3), second]))
    assert str(caught.value).startswith("x.po:9: error:")


def test_empty_context_is_a_context():
    data = write_mo(PoFile("x.po", None, [Entry("a", "A"), Entry("a", "C", msgctxt="")]))
    assert read_tables(data)[0] == [b"\x04a", b"a"]


@pytest.mark.parametrize("msgid", ["%<PRIu64> files", "%Id files", "%'Id files"])
def test_system_dependent_c_format_strings_are_refused(msgid):
    po = PoFile("x.po", None, [Entry(msgid, "Dateien", flags=["c-format"], line=4)])
    with pytest.raises(InputError, match="system-dependent"):
        write_mo(po)
    po.entries[0].flags = ["python-format"]
    assert load(write_mo(po)).gettext(msgid) == "Dateien"


def test_write_mo_file(tmp_path):
    po = PoFile("x.po", Entry("", HEADER), [Entry("a", "b")])
    target = tmp_path / "de" / "LC_MESSAGES" / "messages.mo"
    write_mo_file(po, target)
    assert target.read_bytes() == write_mo(po)
    assert [p.name for p in target.parent.iterdir()] == ["messages.mo"]


@pytest.mark.parametrize("entry", [Entry("a\x04b", ""), Entry("a", "b", msgctxt="c\x04"),
                                   Entry("a", ["x", "y\x04"], msgid_plural="as", obsolete=True)])
def test_context_separator_inside_a_string_is_an_error_as_in_msgfmt(entry):
    with pytest.raises(InputError, match="context separator"):
        write_mo(PoFile("x.po", None, [entry]))
