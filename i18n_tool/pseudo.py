"""Pseudo-locales: catalogs made from the source text that show i18n bugs on a real page.

``en_XA`` is accented, about 35 % longer and bracketed: truncated text loses its closing
bracket, concatenated strings show brackets in the middle, and hard-coded English is the
text without accents. ``ar_XB`` is right-to-left: the page must come out ``dir="rtl"`` and
mirror its layout. Placeholders, HTML tags and entities are kept byte for byte.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PseudoLocale:
    name: str
    direction: str  # "ltr" or "rtl"
    description: str


PSEUDO_LOCALES = {p.name: p for p in (
    PseudoLocale("en_XA", "ltr", "accented, 35 % longer, in brackets"),
    PseudoLocale("ar_XB", "rtl", "right-to-left"),
)}


# What must survive byte for byte: HTML tags and comments, entities, and placeholders of the
# three syntaxes (%(name)s / %s / %%, {name} / {{ / }}, ${name} / $name).
_KEEP = re.compile(
    r"<!--.*?-->|</?[A-Za-z][^<>]*>|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);"
    r"|%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrs%]"
    r"|\{\{|\}\}|\{[^{}]*\}|\$\$|\$\{[^}]*\}|\$[A-Za-z][-A-Za-z0-9_]*",
    re.DOTALL,
)
_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçđéƒĝĥíĵķļɱñóþǫŕšţúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĻṀÑÓÞǪŔŠŢÚṼŴẊÝŽ",
)
_PADDING = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen".split()
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
EXPANSION = 0.35


def segments(text: str):
    """(kept, part) pairs: kept parts are markup, entities or placeholders."""
    position = 0
    for match in _KEEP.finditer(text):
        if match.start() > position:
            yield False, text[position:match.start()]
        yield True, match.group(0)
        position = match.end()
    if position < len(text):
        yield False, text[position:]


def count_words(text: str) -> int:
    """Words a translator translates: placeholders and markup are not words."""
    return sum(len(_WORD.findall(part)) for kept, part in segments(text) if not kept)


def accented(text: str) -> str:
    """``[Ŵéļçóɱé, %(name)s! one two]``: accented, 35 % longer, bracketed inside its newlines."""
    body = text.strip("\n")
    if not body:
        return text
    lead, trail = text[: len(text) - len(text.lstrip("\n"))], text[len(text.rstrip("\n")):]
    letters = 0
    out = []
    for kept, part in segments(body):
        if not kept:
            letters += sum(ch.isalpha() for ch in part)
            part = part.translate(_ACCENTED)
        out.append(part)
    return f"{lead}[{''.join(out)}{_padding(letters)}]{trail}"


def _padding(letters: int) -> str:
    wanted = round(letters * EXPANSION)
    words, size = [], 0
    while size < wanted:
        word = _PADDING[len(words) % len(_PADDING)]
        words.append(word)
        size += len(word) + 1
    return " " + " ".join(words) if words else ""


def right_to_left(text: str) -> str:
    """Each word wrapped in RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL FORMATTING."""
    return "".join(part if kept else _WORD.sub(lambda m: f"\u202e{m.group(0)}\u202c", part)
                   for kept, part in segments(text))


TRANSFORMS = {"en_XA": accented, "ar_XB": right_to_left}
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


def translate(entry, transform):
    """A copy of a template entry translated by ``transform``."""
    from dataclasses import replace

    if entry.is_plural:
        msgstr = [transform(entry.msgid), transform(entry.msgid_plural)]
    else:
        msgstr = transform(entry.msgid)
    return replace(entry, msgstr=msgstr, flags=[f for f in entry.flags if f != "fuzzy"], comments=[],
                   previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None)


def build(pot, name: str, header):
    """The pseudo-locale ``name`` of a template, as an ordinary catalog."""
    from i18n_tool.catalog.model import PoFile

    transform = TRANSFORMS[name]
    entries = [translate(entry, transform) for entry in pot.active]
    return PoFile(path="", header=header, entries=entries)
