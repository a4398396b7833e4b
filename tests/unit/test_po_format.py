"""i18n_tool.catalog.po: exact positions, errors with line and column, and round trips."""

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n_tool.catalog import po
from i18n_tool.catalog.model import Entry, PoFile

SAMPLE = b'''# German translations for PROJECT.
#
msgid ""
msgstr ""
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

# a translator's note
#. Translators: the greeting
#: templates/a.html:12 templates/b.html:3
#, fuzzy, python-format
#| msgid "Hi %(name)s"
msgid "Hello %(name)s"
msgstr "Hallo %(name)s"

msgctxt "menu"
msgid "One"
msgid_plural "Many"
msgstr[0] "Eins"
msgstr[1] "Viele"

msgid "tab\\there \\"quoted\\" back\\\\slash\\n"
msgstr "x"

#~ msgid "Gone"
#~ msgstr "Weg"

'''


def test_entries_fields_and_positions():
    catalog = po.parse(SAMPLE, "de.po")
    assert catalog.language == "de" and catalog.nplurals == 2
    hello, plural, escaped, gone = catalog.entries
    assert (hello.msgid, hello.msgstr, hello.flags) == ("Hello %(name)s", "Hallo %(name)s", ["fuzzy", "python-format"])
    assert hello.previous_msgid == "Hi %(name)s"
    assert hello.comments == [" a translator's note"]
    assert hello.references() == [("templates/a.html", 12), ("templates/b.html", 3)]
    assert (hello.line, hello.msgstr_line) == (14, 15)
    assert plural.key == ("menu", "One") and plural.msgstr == ["Eins", "Viele"]
    assert (plural.line, plural.msgstr_line) == (18, 20)
    assert po.parse(SAMPLE.replace(b'msgstr[1] "Viele"', b'msgstr[1] ""\n"Viele"')).entries[1].msgstr[1] == "Viele"
    assert escaped.msgid == 'tab\there "quoted" back\\slash\n'
    assert gone.obsolete and gone.msgstr == "Weg"
    assert [e.key for e in catalog.active] == [hello.key, plural.key, escaped.key]


def test_write_of_parse_is_identity():
    assert po.write(po.parse(SAMPLE)) == SAMPLE


@pytest.mark.parametrize("text, line, col, message", [
    (b'msgid "a"\nmsgstr "b\n', 2, 8, "expected one string"),
    (b'msgid "a"\nmsgstr "b" "c"\n', 2, 8, "expected one string"),
    (b'msgid "a"\nmsgstr "\\q"\n', 2, 9, "invalid escape"),
    (b'msgid "a"\nmsgtr "b"\n', 2, 1, "unexpected 'msgtr"),
    (b'msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 1, 1, "msgid without a msgstr"),
    (b'msgid "a"\nmsgid_plural "b"\nmsgstr "c"\n', 3, 1, "needs msgstr[N]"),
    (b'msgid "a"\nmsgid_plural "b"\nmsgstr[1] "c"\n', 3, 1, "expected msgstr[0]"),
    (b'"stray"\n', 1, 1, "a string outside any message"),
    (b'msgid "caf\xe9"\nmsgstr ""\n', 1, 11, "not valid utf-8"),
])
def test_syntax_errors_have_line_and_column(text, line, col, message):
    with pytest.raises(po.PoSyntaxError) as info:
        po.parse(text, "x.po")
    error = info.value
    assert (error.path, error.line, error.col) == ("x.po", line, col)
    assert message in error.message
    assert str(error).startswith(f"x.po:{line}:{col}: error: ")


def test_duplicates_are_kept_for_the_checker():
    catalog = po.parse(b'msgid "a"\nmsgstr "1"\n\nmsgid "a"\nmsgstr "2"\n')
    assert [e.msgstr for e in catalog.entries] == ["1", "2"]


def test_latin1_catalog_is_read_in_its_charset():
    data = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n\nmsgid "a"\nmsgstr "é"\n'
    assert po.parse(data.encode("latin-1")).entries[0].msgstr == "é"


texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=120)


@st.composite
def babel_catalogs(draw):
    catalog = Catalog(locale="de", project="P", version="1")
    for index in range(draw(st.integers(0, 12))):
        msgid = draw(texts.filter(bool)) + str(index)
        context = draw(st.none() | texts.filter(bool))
        if draw(st.booleans()):
            string = (draw(texts), draw(texts))
            catalog.add((msgid, msgid + " plural"), string, context=context,
                        locations=[(f"t/{index}.html", index + 1)], auto_comments=[f"note {index}"])
        else:
            catalog.add(msgid, draw(texts), context=context, flags=draw(st.sampled_from([(), ("fuzzy",)])),
                        user_comments=[f"by hand {index}"])
    return catalog


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(babel_catalogs(), st.sampled_from([76, None]))
def test_round_trip_of_babel_written_files(catalog, width):
    """Files Babel writes are read to the same messages Babel reads, and written back byte for byte."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=width)
    data = buffer.getvalue()
    ours = po.parse(data)
    assert po.write(ours, width) == data
    theirs = read_po(io.BytesIO(data))
    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr) for e in ours.active] == [
        (m.context, *(m.id if isinstance(m.id, tuple) else (m.id, None)),
         list(m.string) if isinstance(m.string, tuple) else m.string)
        for m in theirs if m.id]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(texts.filter(bool), texts, st.booleans()), max_size=10, unique_by=lambda t: t[0]))
def test_parse_write_parse_is_identity(items):
    entries = [Entry(msgid, [msgstr, msgstr] if plural else msgstr,
                     msgid_plural=msgid + "s" if plural else None, flags=["python-format"] if plural else [])
               for msgid, msgstr, plural in items]
    first = po.parse(po.write(PoFile("x", Entry("", "Language: de\n"), entries)))
    second = po.parse(po.write(first))
    assert [(e.msgid, e.msgstr, e.msgid_plural, e.flags) for e in second.entries] == [
        (e.msgid, e.msgstr, e.msgid_plural, e.flags) for e in entries]


def test_consecutive_obsolete_entries():
    data = b'msgid "a"\nmsgstr "A"\n\n#~ msgid "b"\n#~ msgstr "B"\n\n#~ msgctxt "c"\n#~ msgid "d"\n#~ msgstr "D"\n\n'
    catalog = po.parse(data)
    assert [(e.key, e.obsolete) for e in catalog.entries] == [
        ((None, "a"), False), ((None, "b"), True), (("c", "d"), True)]
    assert po.write(catalog) == data


def test_octal_and_hex_escapes_are_bytes_of_the_charset():
    assert po.parse(b'msgid "a\\303\\251"\nmsgstr "\\xc3\\xa9!"\n').entries[0].msgid == "a\u00e9"
    assert po.parse(b'msgid "a\\303\\251"\nmsgstr "\\xc3\\xa9!"\n').entries[0].msgstr == "\u00e9!"


def snapshot(catalog):
    entries = ([catalog.header] if catalog.header else []) + catalog.entries
    return [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.flags, e.comments, e.auto_comments, e.locations,
             e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural, e.obsolete)
            for e in entries]


@st.composite
def our_catalogs(draw):
    entries = []
    for index in range(draw(st.integers(0, 8))):
        msgid = draw(texts.filter(bool)) + str(index)
        plural = draw(st.booleans())
        entries.append(Entry(
            msgid, [draw(texts), draw(texts)] if plural else draw(texts),
            msgctxt=draw(st.none() | texts), msgid_plural=msgid + "s" if plural else None,
            flags=draw(st.sampled_from([[], ["fuzzy"], ["fuzzy", "python-format"]])),
            comments=draw(st.sampled_from([[], [" note"], [""]])),
            locations=draw(st.sampled_from([[], [" a.html:1 b.py:2"]])),
            previous_msgid=draw(st.none() | texts), obsolete=draw(st.booleans())))
    header = draw(st.sampled_from([None, Entry("", "Language: de\n", comments=[" header"])]))
    return PoFile("x", header, entries), draw(st.sampled_from([76, 20, None]))


@settings(max_examples=150, deadline=None)
@given(our_catalogs())
def test_everything_we_write_reads_back_the_same(written):
    catalog, width = written
    data = po.write(catalog, width)
    assert snapshot(po.parse(data)) == snapshot(catalog)
    assert po.write(po.parse(data), width) == data


@settings(max_examples=200, deadline=None)
@given(our_catalogs(), st.data())
def test_damaged_files_give_a_syntax_error_or_a_catalog(written, draw):
    data = po.write(*written)
    at = draw.draw(st.integers(0, max(0, len(data) - 1)))
    damage = draw.draw(st.sampled_from([b"", b'"', b"\\", b"\n", b"\n\n", b"#~ ", b"msgstr ", b"\\q"]))
    damaged = data[:at] + damage + data[at + draw.draw(st.integers(0, 3)):]
    try:
        parsed = po.parse(damaged, "x.po")
    except po.PoSyntaxError as error:
        assert error.path == "x.po" and error.line >= 1
        return
    assert snapshot(po.parse(po.write(parsed))) == snapshot(parsed)


@settings(max_examples=300, deadline=None)
@given(our_catalogs(), st.data())
def test_the_fast_reader_reads_what_it_accepts_as_the_careful_one(written, draw):
    from i18n_tool.catalog import po_fast

    data = po.write(*written)
    at = draw.draw(st.integers(0, max(0, len(data) - 1)))
    damage = draw.draw(st.sampled_from([b"", b'"', b"\\", b"\n", b"\n\n", b"#~ ", b"msgstr ", b"\\q", b" ",
                                        b"#| ", b'msgstr[1] ""\n', b"#~| ", b"#\n", b'"x"\n']))
    text = (data[:at] + damage + data[at + draw.draw(st.integers(0, 3)):]).decode("utf-8", "replace")
    fast = po_fast.parse(text, "x.po")
    if fast is None:
        return
    careful = po._Parser(text, "x.po").parse()  # raises if the fast reader accepted a broken file
    assert snapshot(fast) == snapshot(careful)
    assert [e.line for e in fast.entries] == [e.line for e in careful.entries]
    assert [e.msgstr_line for e in fast.entries] == [e.msgstr_line for e in careful.entries]


def test_the_fast_reader_reads_the_sample_as_the_careful_one():
    from i18n_tool.catalog import po_fast

    text = SAMPLE.decode("utf-8")
    fast, careful = po_fast.parse(text, "x.po"), po._Parser(text, "x.po").parse()
    assert fast is not None
    assert snapshot(fast) == snapshot(careful)
    assert [(e.line, e.msgstr_line) for e in fast.entries] == [(e.line, e.msgstr_line) for e in careful.entries]
