"""The fast path of the .po reader: whole entries matched by one regular expression.

Files as Babel, msgmerge and Poedit write them (keywords at column 1, one string per line,
simple escapes, comments before the keywords) are read an entry at a time, the strings
taken from the match groups. ``parse`` returns None for anything else, and the
line-at-a-time reader of ``i18n_tool.catalog.po`` (which also words the errors) reads the
file instead: what this module accepts, that reader reads the same (tests/unit/test_po_format.py
compares them).
"""

import re

from i18n_tool.catalog.model import Entry, PoFile

_STR = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'


def _entry_pattern(prefix: str, group: str) -> str:
    """Comments, then [msgctxt] msgid and msgstr, or msgid_plural and msgstr[N]: one group each."""
    strings = rf"{_STR}(?:\n{prefix}{_STR})*"
    end = r"(?:\n|\Z)"
    return (rf"(?P<{group}comments>(?:\#(?:[^~\n][^\n]*)?\n|\#~\|[^\n]*\n)*)"
            rf"(?:{prefix}msgctxt[ ](?P<{group}ctxt>{strings})\n)?"
            rf"{prefix}msgid[ ](?P<{group}id>{strings})\n"
            rf"(?:{prefix}msgid_plural[ ](?P<{group}plural>{strings})\n"
            rf"(?P<{group}forms>(?:{prefix}msgstr\[\d+\][ ]{strings}{end})+)"
            rf"|{prefix}msgstr[ ](?P<{group}str>{strings}){end})")


# Blank lines, then an active or an obsolete entry.
_ENTRY = re.compile(rf"(?P<blank>(?:[ \t]*\n)*)(?:{_entry_pattern('', '')}|{_entry_pattern('#~ ', 'o_')})")
_FORM = re.compile(rf"msgstr\[(\d+)\][ ]((?:{_STR}(?:\n(?:#~ )?{_STR})*))")
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_PREVIOUS = re.compile(rf"(msgctxt|msgid_plural|msgid)[ ]({_STR})\Z")


class _Unusual(Exception):
    """Something the fast path leaves to the careful reader."""


def _unescape(match) -> str:
    return _ESCAPES[match.group(1)]


def _value(raw: str, joiner: str) -> str:
    """The string of ``"a"\\n"b"`` lines (``joiner`` is what separates them)."""
    text = "".join(raw[1:-1].split(joiner)) if "\n" in raw else raw[1:-1]
    if "\\" in text:
        try:
            text = _ESCAPE.sub(_unescape, text)
        except KeyError:  # octal, hex or invalid escapes: the careful reader's business
            raise _Unusual from None
    return text


def parse(text: str, path: str) -> PoFile | None:
    """The file's entries, or None when it needs the careful reader."""
    if "\r" in text:
        return None
    try:
        return _parse(text, path)
    except _Unusual:
        return None


def _parse(text: str, path: str) -> PoFile:
    result = PoFile(path)
    entries = result.entries
    position, line = 0, 1
    for match in _ENTRY.finditer(text):
        if match.start() != position:
            raise _Unusual  # something between two entries
        line += match.group("blank").count("\n")
        entry = _entry(match, line)
        if (entry.msgid == "" and entry.msgctxt is None and not entry.obsolete
                and result.header is None and not entries):
            result.header = entry
        else:
            entries.append(entry)
        position = match.end()
        line += text.count("\n", match.end("blank"), position)
    if text[position:].strip(" \t\n"):
        raise _Unusual
    return result


def _entry(match, line: int) -> Entry:
    blank, comments, ctxt, msgid, plural, forms, single, o_comments, o_ctxt, o_msgid, o_plural, o_forms, \
        o_single = match.groups()
    obsolete = o_msgid is not None
    if obsolete:
        comments, ctxt, msgid, plural, forms, single = o_comments, o_ctxt, o_msgid, o_plural, o_forms, o_single
        joiner = '"\n#~ "'
    else:
        joiner = '"\n"'
    line += comments.count("\n")
    if ctxt is not None:
        line += ctxt.count("\n") + 1
        ctxt = _value(ctxt, joiner)
    msgstr_line = line + msgid.count("\n") + 1
    if plural is None:
        msgstr = _value(single, joiner)
    else:
        msgstr_line += plural.count("\n") + 1
        msgstr = _forms(forms, joiner)
        plural = _value(plural, joiner)
    entry = Entry(_value(msgid, joiner), msgstr, ctxt, plural, [], [], [], [], None, None, None, obsolete,
                  line, msgstr_line)
    if comments:
        _comments(entry, comments)
    return entry


def _forms(raw: str, joiner: str) -> list:
    forms = []
    for index, value in _FORM.findall(raw):
        if int(index) != len(forms):
            raise _Unusual  # msgstr[N] out of order: an error the careful reader words
        forms.append(_value(value, joiner))
    return forms


def _comments(entry: Entry, block: str):
    previous = None  # the previous_* field that `#| "…"` lines extend
    for line in block.split("\n")[:-1]:
        if line.startswith("#~|"):
            line = "#" + line[2:].lstrip(" ")
        kind = line[1:2]
        if kind == ".":
            entry.auto_comments.append(line[2:])
        elif kind == ":":
            entry.locations.append(line[2:])
        elif kind == ",":
            entry.flags.extend(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif kind == "|":
            previous = _previous(entry, line[2:].strip(), previous)
        else:
            entry.comments.append(line[1:])


def _previous(entry: Entry, text: str, field: str | None) -> str:
    match = _PREVIOUS.match(text)
    if match:
        field = "previous_" + match.group(1)
        setattr(entry, field, _value(match.group(2), ""))
        return field
    if field and re.fullmatch(_STR, text):
        setattr(entry, field, getattr(entry, field) + _value(text, ""))
        return field
    raise _Unusual
