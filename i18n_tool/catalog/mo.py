"""Compiling a catalog to a .mo file, byte for byte as GNU ``msgfmt -o out.mo in.po`` does.

What msgfmt 0.21 does with its default options, established by experiment (and each pinned
by tests/conformance/test_msgfmt_identical.py):

- compiled: non-obsolete entries whose first form is not empty and that are not fuzzy; the
  header (``msgid ""`` without a context) is compiled even when it is fuzzy. A plural entry
  with an empty form other than the first is compiled, the empty form kept.
- a key is ``msgid`` or ``msgctxt + "\\x04" + msgid`` (an empty context counts), with
  ``"\\0" + msgid_plural`` appended for a plural; a translation is its forms joined by ``"\\0"``.
  Strings are stored in the catalog's charset, unconverted.
- the header's first line starting with ``POT-Creation-Date:`` (case-sensitive) is left out,
  with its newline (gettext 0.20's NEWS: "msgfmt now eliminates the POT-Creation-Date header
  field from .mo files", for reproducible builds); a header left empty by that is still
  compiled. No release up to 0.21 names another header rule of this kind.
- keys sorted bytewise (``strcmp``); the header's empty key comes first.
- little-endian 28-byte header: magic, revision 0, count, offsets of the two string tables
  and of the hash table; the tables, the hash table, then the keys and the translations,
  each followed by a NUL, without padding.
- hash table: the smallest odd number >= count * 4 // 3 that gettext's ``is_prime`` passes
  (it passes 1 and fails 3), at least 3;
  slot of entry j (sorted) holds j + 1, probing from ``hash % size`` in steps of
  ``1 + hash % (size - 2)``, the hash (gettext's ``hash_string``) taken up to the first NUL.
- a duplicate (context, msgid), or a "\\x04" in any string — of obsolete, fuzzy or
  untranslated entries too — is a fatal error and no file is written; here: InputError.
- a compiled entry whose msgid_plural or forms do not begin and end with "\\n" as its msgid
  does: msgfmt says so, exits 1 and writes the file all the same; here it is compiled
  (the ``newline-mismatch`` check reports it). The number of forms is not checked.
- with nothing to compile msgfmt writes no file; here it is a valid .mo with no messages.
- c-format strings with ``<PRIu64>``-style macros or the ``I`` flag make msgfmt write a
  revision 1 file with system-dependent strings; those are refused here.
"""

import re
import struct
from functools import lru_cache

from i18n_tool.catalog.model import PoFile
from i18n_tool.errors import InputError
from i18n_tool.files import atomic_write

MAGIC = 0x950412DE
HEADER_SIZE = 28
_CREATION_DATE = re.compile(r"^POT-Creation-Date:.*(?:\n|\Z)", re.MULTILINE)
_SYSDEP = re.compile(r"%[-+ #0'I*$.\d]*(?:I|<(?:PRI|SCN))")


def write_mo(po: PoFile) -> bytes:
    """The .mo file msgfmt writes for ``po``."""
    return _layout(sorted(_messages(po, _charset(po))))


def write_mo_file(po: PoFile, path) -> None:
    atomic_write(path, write_mo(po))


def _messages(po: PoFile, charset: str):
    """(key, translation) of each entry msgfmt compiles, after refusing what it refuses."""
    seen = {}
    for entry in ([po.header] if po.header is not None else []) + po.entries:
        first = seen.setdefault(entry.key, entry)
        if first is not entry:
            raise InputError(f"duplicate message definition (first on line {first.line})", po.path, entry.line)
        forms = entry.forms
        texts = "\0".join((entry.msgctxt or "", entry.msgid, entry.msgid_plural or "", *forms))
        if "\x04" in texts:
            raise InputError("context separator <EOT> (\\x04) within string", po.path, entry.line)
        if entry.obsolete or not forms[0] or (entry.fuzzy and (entry.msgid or entry.msgctxt is not None)):
            continue  # left out; the header is compiled even when fuzzy
        if ("c-format" in entry.flags or "objc-format" in entry.flags) and _SYSDEP.search(texts):
            raise InputError("c-format strings with system-dependent directives (<PRIu64>, %I) are not supported",
                             po.path, entry.line, hint="compile this catalog with msgfmt")
        if entry is po.header:
            forms = [_CREATION_DATE.sub("", forms[0], count=1)]
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is not None:
            key = f"{key}\0{entry.msgid_plural}"
        try:
            yield key.encode(charset), "\0".join(forms).encode(charset)
        except UnicodeEncodeError as exc:
            raise InputError(f"cannot encode {exc.object[exc.start:exc.end]!r} in {charset}",
                             po.path, entry.line) from None


def _layout(pairs: list) -> bytes:
    count = len(pairs)
    size = hash_size(count)
    originals = HEADER_SIZE
    translations = originals + 8 * count
    hash_table = translations + 8 * count
    offset = hash_table + 4 * size
    tables = [], []
    for column, table in enumerate(tables):
        for pair in pairs:
            length = len(pair[column])
            table += (length, offset)
            offset += length + 1
    slots = [0] * size
    for index, (key, _) in enumerate(pairs, 1):
        value = hash_string(key)
        slot = value % size
        if slots[slot]:
            step = 1 + value % (size - 2)
            while slots[slot]:
                slot = (slot + step) % size
        slots[slot] = index
    numbers = [MAGIC, 0, count, originals, translations, size, hash_table, *tables[0], *tables[1], *slots]
    return b"".join([struct.pack(f"<{len(numbers)}I", *numbers),
                     *(key + b"\0" for key, _ in pairs), *(value + b"\0" for _, value in pairs)])


@lru_cache(maxsize=1 << 16)
def hash_string(key: bytes) -> int:
    """gettext's ``hash_string`` (PJW's ELF hash) of ``key`` up to its first NUL."""
    value = 0
    for byte in key.partition(b"\0")[0]:
        value = (value << 4) + byte
        high = value & 0xF0000000
        if high:
            value ^= high >> 24 ^ high
    return value


def hash_size(count: int) -> int:
    """msgfmt's hash table size: 3 for 0 or 1 messages, 5 for 2 or 3, 67 for 50, 1361 for 1000."""
    size = count * 4 // 3 | 1
    while not _is_prime(size):
        size += 2
    return max(size, 3)


def _is_prime(number: int) -> bool:
    """gettext's test for odd numbers (1 passes)."""
    divisor = 3
    while divisor * divisor < number and number % divisor:
        divisor += 2
    return number % divisor != 0


def _charset(po: PoFile) -> str:
    content_type = po.header_field("Content-Type") or ""
    _, found, charset = content_type.partition("charset=")
    charset = charset.split(";")[0].strip() if found else ""
    return "utf-8" if not charset or charset.upper() == "CHARSET" else charset
