"""write_mo writes the bytes GNU ``msgfmt -o out.mo in.po`` writes (default options)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n_tool.catalog import po as po_format
from i18n_tool.catalog.mo import write_mo
from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.errors import InputError
from tests.conftest import require

UTF8 = '"Content-Type: text/plain; charset=UTF-8\\n"\n'
HEAD = f'msgid ""\nmsgstr ""\n{UTF8}"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"\n\n'


def msgfmt(data: bytes) -> bytes | None:
    """What msgfmt writes, None when it writes no file (nothing to compile)."""
    require("GNU msgfmt", shutil.which("msgfmt") is not None, "apt-get install gettext")
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder, "in.po"), Path(folder, "out.mo")
        source.write_bytes(data)
        done = subprocess.run(["msgfmt", "-o", str(target), str(source)], capture_output=True, text=True)
        # the one error after which msgfmt still writes the file (exit 1): a newline mismatch
        assert done.returncode == 0 or "do not both" in done.stderr, done.stderr
        return target.read_bytes() if target.exists() else None


def assert_identical(data: bytes):
    expected = msgfmt(data)
    ours = write_mo(po_format.parse(data, "in.po"))
    if expected is None:  # the one case without a reference: we write a .mo with no messages
        assert ours[8:12] == bytes(4)
    else:
        assert ours == expected


CASES = {
    "fuzzy entry left out": HEAD + '#, fuzzy\nmsgid "a"\nmsgstr "A"\n\nmsgid "b"\nmsgstr "B"\n',
    "fuzzy header kept": '#, fuzzy\n' + HEAD + 'msgid "b"\nmsgstr "B"\n',
    "untranslated left out": HEAD + 'msgid "a"\nmsgstr ""\n\nmsgid "b"\nmsgstr "B"\n',
    "empty header left out": 'msgid ""\nmsgstr ""\n\nmsgid "b"\nmsgstr "B"\n',
    "plural, a later form empty: kept": HEAD + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "A"\nmsgstr[1] ""\n'
                                              'msgstr[2] "As"\n',
    "plural, first form empty: left out": HEAD + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\nmsgstr[1] "A"\n'
                                                'msgstr[2] "As"\n\nmsgid "b"\nmsgstr "B"\n',
    "plural, all forms": HEAD + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "A"\nmsgstr[1] "Ab"\nmsgstr[2] "As"\n',
    "obsolete left out": HEAD + 'msgid "b"\nmsgstr "B"\n\n#~ msgid "a"\n#~ msgstr "A"\n',
    "obsolete plural with context left out": HEAD + 'msgid "b"\nmsgstr "B"\n\n#~ msgctxt "c"\n#~ msgid "d"\n'
                                                   '#~ msgid_plural "ds"\n#~ msgstr[0] "D"\n',
    "msgctxt": HEAD + 'msgctxt "menu"\nmsgid "Open"\nmsgstr "Öffnen"\n\nmsgid "Open"\nmsgstr "Auf"\n\n'
                      'msgctxt ""\nmsgid "Open"\nmsgstr "Leer"\n\nmsgctxt "c"\nmsgid ""\nmsgstr "Kein Kopf"\n\n'
                      'msgctxt "mail"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "A"\nmsgstr[1] "B"\nmsgstr[2] "C"\n',
    "sorted bytewise, context separator included": HEAD + 'msgid "ab"\nmsgstr "1"\n\nmsgctxt "a"\nmsgid "z"\n'
                                                         'msgstr "2"\n\nmsgid "B"\nmsgstr "3"\n\nmsgid "é"\n'
                                                         'msgstr "4"\n\nmsgid "a"\nmsgstr "5"\n',
    "non-ASCII": HEAD + 'msgid "café – naïve"\nmsgstr "カフェ 😀"\n\nmsgid "ß"\nmsgstr "ẞ"\n',
    "escapes": HEAD + 'msgid "tab\\there\\nnew line \\"q\\" \\\\ \\r"\nmsgstr "\\t\\n\\"\\\\\\r\\a\\b\\f\\v"\n',
    "header only": f'msgid ""\nmsgstr {UTF8}',
    "no header": 'msgid "b"\nmsgstr "B"\n\nmsgid "a"\nmsgstr "A"\n',
    "Latin-1 stored unconverted": 'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
                                  'msgid "café"\nmsgstr "CAFÉ"\n',
    "newline mismatch: written all the same": HEAD + 'msgid "a\\n"\nmsgstr "b"\n\nmsgid "c"\n'
                                                     'msgid_plural "cs\\n"\nmsgstr[0] "\\nC"\nmsgstr[1] ""\n',
    "plural forms not matching nplurals": HEAD + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "A"\n\nmsgid "b"\n'
                                                'msgid_plural "bs"\nmsgstr[0] "1"\nmsgstr[1] "2"\nmsgstr[2] "3"\n'
                                                'msgstr[3] "4"\n',
    "c-format without system-dependent directives": HEAD + '#, c-format\nmsgid "%d files %s"\n'
                                                          'msgstr "%d Dateien %s"\n',
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_hand_written(text):
    assert_identical(text.encode("latin-1" if "ISO-8859-1" in text else "utf-8"))


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 50, 1000])
def test_sizes_exercising_hash_collisions(count):
    body = "".join(f'msgid "message {i} {i * 7919 % 997}"\nmsgstr "Nachricht {i}"\n\n' for i in range(count))
    assert_identical((HEAD + body).encode())
    assert_identical(body.encode())  # without the header entry


REFUSED = {
    "duplicate": 'msgid "a"\nmsgstr "A"\n\nmsgid "a"\nmsgstr "B"\n',
    "duplicate of an obsolete entry": 'msgid "a"\nmsgstr "A"\n\n#~ msgid "a"\n#~ msgstr "B"\n',
    "duplicate of an untranslated plural": 'msgid "a"\nmsgstr "A"\n\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\n',
    "context separator in an untranslated msgid": 'msgid "b"\nmsgstr "B"\n\nmsgid "a\\004"\nmsgstr ""\n',
    "context separator in a msgstr": 'msgid "a"\nmsgstr "A\\x04"\n',
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_refused_as_msgfmt_refuses(text, tmp_path):
    require("GNU msgfmt", shutil.which("msgfmt") is not None, "apt-get install gettext")
    (tmp_path / "in.po").write_text(text)
    done = subprocess.run(["msgfmt", "-o", "out.mo", "in.po"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1 and "fatal error" in done.stderr and not (tmp_path / "out.mo").exists()
    with pytest.raises(InputError):
        write_mo(po_format.parse(text.encode(), "in.po"))


def test_nothing_to_compile_msgfmt_writes_no_file():
    data = b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr ""\n\n#, fuzzy\nmsgid "b"\nmsgstr "B"\n'
    assert msgfmt(data) is None
    assert len(write_mo(po_format.parse(data))) == 28 + 3 * 4


# --- random catalogs -----------------------------------------------------------------------------

# Any character but NUL (it ends a C string) and "\x04" (msgfmt refuses it, as we do)
_CHARS = st.one_of(
    st.sampled_from(list("abc XYZ09%{}.\"\\\t\n\r\f\x01") + ["é", "ß", "日", "😀", "–", "\u2028"]),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\0\x04"),
)
_TEXT = st.text(_CHARS, max_size=30)


@st.composite
def catalogs(draw):
    nplurals = draw(st.integers(1, 6))
    header = None
    if draw(st.booleans()):
        plural = "0" if nplurals == 1 else f"(n % {nplurals})"
        header = Entry("", f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals={nplurals}; "
                           f"plural={plural};\n", flags=["fuzzy"] if draw(st.booleans()) else [])
    keys = draw(st.lists(st.tuples(st.none() | _TEXT, _TEXT.filter(bool)), max_size=25, unique=True))
    entries = []
    for msgctxt, msgid in keys:
        status = draw(st.sampled_from(["translated", "translated", "fuzzy", "untranslated", "obsolete"]))
        if draw(st.booleans()):
            forms = [draw(_TEXT) for _ in range(draw(st.sampled_from([nplurals, nplurals, 1, 2, 6])))]
            if status != "untranslated" and draw(st.booleans()):
                forms[0] = forms[0] or "x"
            entry = Entry(msgid, forms if status != "untranslated" else [""] * nplurals, msgctxt, draw(_TEXT))
        else:
            entry = Entry(msgid, draw(_TEXT.filter(bool)) if status != "untranslated" else "", msgctxt)
        entry.flags = ["fuzzy"] if status == "fuzzy" else []
        entry.obsolete = status == "obsolete"
        entries.append(entry)
    return PoFile("in.po", header, entries)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_random_catalogs(po):
    """The catalog written as a .po and compiled by msgfmt; the same catalog compiled by us."""
    expected = msgfmt(po_format.write(po))
    assert write_mo(po) == (expected or write_mo(PoFile("empty.po")))
