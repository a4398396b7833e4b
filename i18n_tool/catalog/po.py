"""Reading and writing .po/.pot files.

Our own parser, because Babel's ``read_po`` is the slow part of compiling and checking
(benchmarks/catalogs.py) and loses what checks need: the line of every entry, duplicates,
and the exact text of comments. The writer lays files out as Babel's ``write_po`` does
(the same wrapping, through Babel's own ``normalize``), so catalogs made by pybabel do not
churn, and ``write(parse(x)) == x`` for files it wrote.
"""

import codecs
import re
from textwrap import TextWrapper

from i18n_tool.catalog import po_fast
from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.errors import InputError

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r"\\(?:([ntr\"\\abfv])|([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.?))")
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(?=\")")
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


class PoSyntaxError(InputError):
    """A .po file that cannot be read: ``path:line:col: error: …``, exit 2."""


def parse_file(path) -> PoFile:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    return parse(data, str(path))


def parse(data: bytes, path: str = "<string>") -> PoFile:
    text, charset = _decode(data, path)
    if charset.lower().replace("-", "").replace("_", "") in ("utf8", "ascii", "usascii"):
        fast = po_fast.parse(text, path)
        if fast is not None:
            return fast
    return _Parser(text, path, charset).parse()


def _decode(data: bytes, path: str) -> tuple[str, str]:
    found = _CHARSET.search(data[:4096])
    charset = found.group(1).decode("ascii") if found else "utf-8"
    if charset.upper() == "CHARSET" or not known_codec(charset):  # header-charset reports unknown ones
        charset = "utf-8"
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PoSyntaxError(f"not valid {charset} (byte 0x{data[exc.start]:02x})", path, line, col) from None
    return text.removeprefix("\ufeff"), charset


def known_codec(name) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


class _Parser:
    """A line-at-a-time reader: comments, keywords, and string continuation lines."""

    def __init__(self, text: str, path: str, charset: str = "utf-8"):
        self.charset = charset
        # only "\n" ends a line: splitlines() would also split strings at \f, \x1c, U+2028...
        self.lines = [line.removesuffix("\r") for line in text.split("\n")]
        self.path = path
        self.result = PoFile(path)
        self._reset()

    def _reset(self):
        self.entry = Entry("")
        self.started = False  # a keyword of this entry has been read
        self.target = None  # (field, index) that continuation strings extend
        self.previous = False  # reading "#| " lines

    def fail(self, number, col, message):
        raise PoSyntaxError(message, self.path, number, col)

    def parse(self) -> PoFile:
        for number, line in enumerate(self.lines, 1):
            self._line(number, line)
        self._finish(len(self.lines))
        return self.result

    def _line(self, number, line):
        if not line:
            return
        first = line[0]
        if first == "#":
            if line.startswith("#~"):
                self._obsolete(number, line)
            else:
                self._comment(number, line)
        elif first == "m" and line.startswith(_SIMPLE_KEYWORDS):
            keyword, _, rest = line.partition(" ")  # the usual `msgid "…"` at column 1
            self.previous = False
            _HANDLERS[keyword](self, number, 1, self._string(number, rest, len(keyword) + 2), None)
        elif not line.isspace():
            self._statement(number, line.strip(), line)

    def _obsolete(self, number, line):
        body = line[2:].lstrip(" ")
        if body.startswith("|"):
            self._comment(number, "#" + body)
            return
        if self.started and not self.entry.obsolete:
            self._finish(number)
        if body:
            self._statement(number, body.strip(), line)  # may finish the previous obsolete entry
        self.entry.obsolete = True

    def _comment(self, number, line):
        if self.started and not self.previous:
            self._finish(number)
        kind, text = line[1:2], line[2:]
        entry = self.entry
        if kind == ".":
            entry.auto_comments.append(text)
        elif kind == ":":
            entry.locations.append(text)
        elif kind == ",":
            entry.flags.extend(flag.strip() for flag in text.split(",") if flag.strip())
        elif kind == "|":
            self._previous(number, text.strip())
        else:
            entry.comments.append(line[1:])

    def _previous(self, number, text):
        """``#| msgctxt``, ``#| msgid``, ``#| msgid_plural`` and their continuation lines."""
        self.previous = True
        match = _KEYWORD.match(text)
        if match:
            field = "previous_" + match.group(1)
            if field not in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
                self.fail(number, 1, f"'{match.group(1)}' cannot be a previous (#|) keyword")
            setattr(self.entry, field, self._string(number, text[match.end():], match.end()))
            self.target = (field, None)
        elif text.startswith('"') and self.target and self.target[0].startswith("previous_"):
            field = self.target[0]
            setattr(self.entry, field, getattr(self.entry, field) + self._string(number, text, 1))
        else:
            self.fail(number, 1, "expected a keyword or a string after '#|'")

    def _statement(self, number, text, line):
        col = len(line) - len(line.lstrip()) + 1
        if text[0] == '"':
            self._continue(number, text, col)
            return
        match = _KEYWORD.match(text)
        if not match:
            word = text.split(None, 1)[0]
            self.fail(number, col, f"unexpected {word!r}: expected msgctxt, msgid, msgid_plural, msgstr or a string")
        keyword, index = match.group(1), match.group(2)
        value = self._string(number, text[match.end():], col + match.end())
        self.previous = False
        getattr(self, "_" + keyword.split("[")[0])(number, col, value, index)

    def _msgctxt(self, number, col, value, index):
        if self.started:
            self._finish(number)
        self.entry.msgctxt = value
        self.started = True
        self.target = ("msgctxt", None)

    def _msgid(self, number, col, value, index):
        if self.started and not (self.entry.msgctxt is not None and self.target == ("msgctxt", None)):
            self._finish(number)
        self.entry.msgid = value
        self.entry.line = number
        self.started = True
        self.target = ("msgid", None)

    def _msgid_plural(self, number, col, value, index):
        if self.target != ("msgid", None):
            self.fail(number, col, "msgid_plural must follow msgid")
        self.entry.msgid_plural = value
        self.entry.msgstr = []
        self.target = ("msgid_plural", None)

    def _msgstr(self, number, col, value, index):
        entry = self.entry
        if not entry.line:
            self.fail(number, col, "msgstr without a msgid before it")
        if not entry.msgstr_line:
            entry.msgstr_line = number
        if entry.msgid_plural is None:
            if index is not None:
                self.fail(number, col, "msgstr[N] in a message without msgid_plural")
            if self.target[0] == "msgstr":
                self.fail(number, col, "a second msgstr for the same msgid")
            entry.msgstr = value
            self.target = ("msgstr", None)
            return
        if index is None:
            self.fail(number, col, "plural message needs msgstr[N], not msgstr")
        if int(index) != len(entry.msgstr):
            self.fail(number, col, f"expected msgstr[{len(entry.msgstr)}], found msgstr[{index}]")
        entry.msgstr.append(value)
        self.target = ("msgstr", int(index))

    def _continue(self, number, text, col):
        if self.target is None or self.target[0].startswith("previous_"):
            self.fail(number, col, "a string outside any message")
        field, index = self.target
        value = self._string(number, text, col)
        if index is None:
            setattr(self.entry, field, getattr(self.entry, field) + value)
        else:
            self.entry.msgstr[index] += value

    def _string(self, number, text, col) -> str:
        body = text[1:-1]
        if text[:1] == '"' and text[-1:] == '"' and len(text) > 1 and '"' not in body and "\\" not in body:
            return body  # the common case: no escapes, no quotes
        text = text.rstrip()
        if len(text) < 2 or text[0] != '"' or text[-1] != '"' or _unescaped_quote(text):
            self.fail(number, col, "expected one string in double quotes")
        body = text[1:-1]
        if "\\" not in body:
            return body
        parts = []
        position = 0
        for match in _ESCAPE.finditer(body):
            parts.append(body[position:match.start()].encode(self.charset))
            parts.append(self._escape(match, number, col))
            position = match.end()
        parts.append(body[position:].encode(self.charset))
        return b"".join(parts).decode(self.charset, errors="replace")

    def _escape(self, match, number, col) -> bytes:
        """An escape as bytes: gettext's octal and hex escapes are bytes of the file's charset."""
        simple, octal, hexa, bad = match.groups()
        if simple:
            return _ESCAPES[simple].encode("ascii")
        if octal:
            return bytes([int(octal, 8) & 0xFF])
        if hexa:
            return bytes([int(hexa, 16)])
        self.fail(number, col + match.start() + 1, f"invalid escape sequence '\\{bad}'")

    def _finish(self, number):
        entry = self.entry
        if self.started:
            if entry.msgctxt is not None and not entry.line:
                self.fail(number, 1, "msgctxt without a msgid after it")
            if not entry.msgstr_line:
                self.fail(entry.line, 1, "msgid without a msgstr after it")
            if entry.msgid == "" and entry.msgctxt is None and not entry.obsolete and self.result.header is None \
                    and not self.result.entries:
                self.result.header = entry
            else:
                self.result.entries.append(entry)
        self._reset()


_HANDLERS = {"msgctxt": _Parser._msgctxt, "msgid": _Parser._msgid, "msgid_plural": _Parser._msgid_plural,
             "msgstr": _Parser._msgstr}
_SIMPLE_KEYWORDS = tuple(f'{keyword} "' for keyword in _HANDLERS)


def _unescaped_quote(text) -> bool:
    """True when a quote inside the string is not escaped (two strings on one line)."""
    body = text[1:-1]
    index = body.find('"')
    while index != -1:
        backslashes = len(body[:index]) - len(body[:index].rstrip("\\"))
        if backslashes % 2 == 0:
            return True
        index = body.find('"', index + 1)
    return False


# --- writing -------------------------------------------------------------------------------------


def write(po: PoFile, width: int | None = 76) -> bytes:
    """The file as Babel's ``write_po`` lays it out (obsolete entries where they are)."""
    out = []
    if po.header is not None:
        _entry(out, po.header, width)
    for entry in po.entries:
        _entry(out, entry, width)
    return "".join(out).encode("utf-8")


def _entry(out, entry: Entry, width):
    from babel.messages.pofile import normalize  # only writing needs Babel: reading stays light

    prefix = "#~ " if entry.obsolete else ""
    out.extend(f"#{text}\n" for text in entry.comments)
    out.extend(f"#.{text}\n" for text in entry.auto_comments)
    out.extend(f"#:{text}\n" for text in entry.locations)
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags) + "\n")
    previous = "#~| " if entry.obsolete else "#| "  # GNU's spelling for an obsolete entry's previous msgid
    for keyword, value in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                           ("msgid_plural", entry.previous_msgid_plural)):
        if value is not None:
            out.append(f"{previous}{keyword} {normalize(value, prefix=previous, width=width)}\n")
    if entry.msgctxt is not None:
        out.append(f"{prefix}msgctxt {normalize(entry.msgctxt, prefix=prefix, width=width)}\n")
    out.append(f"{prefix}msgid {normalize(entry.msgid, prefix=prefix, width=width)}\n")
    if entry.msgid_plural is not None:
        out.append(f"{prefix}msgid_plural {normalize(entry.msgid_plural, prefix=prefix, width=width)}\n")
        for index, form in enumerate(entry.msgstr):
            out.append(f"{prefix}msgstr[{index}] {normalize(form, prefix=prefix, width=width)}\n")
    else:
        out.append(f"{prefix}msgstr {normalize(entry.msgstr, prefix=prefix, width=width)}\n")
    out.append("\n")


def location_lines(references, width: int | None = 76) -> list[str]:
    """``#:`` comment texts for ``file:line`` references, wrapped as Babel wraps them."""
    wrapper = TextWrapper(width=width if width and width > 0 else 76, break_long_words=False)
    return [" " + line.strip() for line in wrapper.wrap(" ".join(dict.fromkeys(references)))]
