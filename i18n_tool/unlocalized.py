"""Visible text on a page rendered in ``en_XA`` that did not go through translation.

Every translated string in ``en_XA`` is accented and bracketed (``[Ŵéļçóɱé, alice! one]``), so
what a visitor sees outside a bracketed pseudo-translation came from somewhere else: hard-coded
English, user data, or formatted values. ``find_unlocalized`` parses the page as a browser does
(html5lib), takes the text a visitor sees — text and the visible attributes — and reports plain
ASCII words left once the pseudo-translations, the allowed user data and the non-words (numbers,
URLs, email addresses, Babel-formatted dates) are taken out.

Brackets are matched across inline markup (``[Ŕéáđ <a>ţĥé đóçš</a> one]`` is one string), within
a block; an opening bracket left without its closing one is a cut translation.
"""

import re
from datetime import datetime, timedelta, timezone
from functools import cache

from i18n_tool.findings import Finding
from i18n_tool.pseudo import accented

LOCALE = "en_XA"

# Never rendered, whatever the page does.
NOT_RENDERED = frozenset({"script", "style", "template", "noscript"})
# Literal code: rendered, but not translated. The default of ``literal``.
LITERAL = frozenset({"code", "pre", "kbd", "samp"})
# Phrasing elements a translated string may hold; any other element ends a block of text.
# Form controls are left out on purpose: a button, an option or a label is its own string.
INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "ins",
    "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "wbr",
})
# (element or "*", attribute, (other attribute, values it must have) or None)
VISIBLE_ATTRIBUTES = (
    ("*", "title", None),
    ("*", "alt", None),
    ("*", "placeholder", None),
    ("*", "aria-label", None),
    ("*", "aria-description", None),
    ("input", "value", ("type", {"submit", "button", "reset"})),
    ("option", "label", None),
    ("optgroup", "label", None),
    ("meta", "content", ("name", {"description"})),
)
# Text with letters in it that is not prose.
NON_WORDS = (
    r"\b[A-Za-z][A-Za-z0-9+.-]*://\S+",      # URLs
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",         # email addresses
    r"\b(?:[\w-]+\.)+[a-z]{2,}\b(?:/\S*)?",  # host names, pypi.org/project/requests/
    r"(?<![\w/])/[\w.~%/-]+",                # paths, /simple/requests/
    r"\b(?=[0-9a-f]*\d)[0-9a-f]{7,}\b",      # hashes
)
FORMAT_LOCALE = "en"  # Babel has no en_XA: dates and numbers on an en_XA page are formatted in en

_PSEUDO_LETTERS = frozenset(accented("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")) - frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ[] ")  # what accented() makes of ASCII letters
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[A-Za-z]{2}")
_BRACKET = re.compile(r"[\[\]]")
_NON_WORDS = re.compile("|".join(NON_WORDS))
_MAX_TEXT = 80


def find_unlocalized(html: str, allowed=(), url=None, *, literal=LITERAL) -> list[Finding]:
    """Findings for the visible text of ``html`` (rendered in en_XA) that was not translated.

    ``allowed``: strings that may appear untranslated (user data the page shows: names, emails,
    versions). ``literal``: elements whose content is code, not translated. ``url`` becomes the
    findings' path. One finding per element (per attribute) and problem, in document order.
    """
    import html5lib

    root = html5lib.parse(html, namespaceHTMLElements=False)
    parents = {child: parent for parent in root.iter() for child in parent}
    skipped = _Skipped(NOT_RENDERED | frozenset(literal), root.get("lang"))
    words = _Words(allowed)
    found = {}  # (element, attribute or None, code) -> pieces of text; dicts keep document order
    for run in _runs(root, skipped):
        for owner, code, text in _problems(run, words):
            found.setdefault((owner, None, code), []).append(text)
    for element in root.iter():
        if not isinstance(element.tag, str) or _invisible(element, parents, skipped):
            continue
        for name, value in _visible_attributes(element):
            for _, code, text in _problems([(element, value)], words):
                found.setdefault((element, name, code), []).append(text)
    order = {element: index for index, element in enumerate(root.iter())}
    return [_finding(code, _selector(element, parents) + (f"[{name}]" if name else ""), texts, url)
            for (element, name, code), texts in sorted(found.items(), key=lambda item: order[item[0][0]])]


def _finding(code, where, texts, url):
    text = " … ".join(" ".join(text.split()) for text in texts)
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 1] + "…"
    if code == "unlocalized-text":
        return Finding(url, None, "error", code, f"text not localized in {where}: {text!r}", locale=LOCALE)
    return Finding(url, None, "warning", code, f"translation cut short in {where}: {text!r}", locale=LOCALE)


# -- what a visitor sees -------------------------------------------------------------------------


def _tag(element) -> str:
    return element.tag.rpartition("}")[2]  # SVG and MathML keep their namespace


def _hidden(element) -> bool:
    return "hidden" in element.attrib or (
        _tag(element) == "input" and element.get("type", "").lower() == "hidden")


class _Skipped:
    """Elements whose text is not the page's to translate: not rendered, code, hidden, or
    marked as another language (``<option lang="de">Deutsch</option>`` in a language switcher)."""

    def __init__(self, tags, page_language):
        self.tags = tags
        self.page_language = (page_language or "").lower()

    def __call__(self, element) -> bool:
        language = element.get("lang")
        return (_tag(element) in self.tags or _hidden(element)
                or (language is not None and language.lower() != self.page_language))


def _invisible(element, parents, skipped) -> bool:
    while element is not None:
        if skipped(element):
            return True
        element = parents.get(element)
    return False


def _visible_attributes(element):
    tag = _tag(element)
    for on, name, condition in VISIBLE_ATTRIBUTES:
        value = element.get(name)
        if value and on in ("*", tag) and (
                condition is None or element.get(condition[0], "").lower() in condition[1]):
            yield name, value


def _pieces(element, skipped):
    """(owner element, text) in document order, with None where a block starts or ends."""
    block = _tag(element) not in INLINE
    if block:
        yield None
    if element.text:
        yield element, element.text
    for child in element:
        if isinstance(child.tag, str) and not skipped(child):
            yield from _pieces(child, skipped)
        if child.tail:  # the tail of a comment or a skipped element is still shown
            yield element, child.tail
    if block:
        yield None


def _runs(root, skipped):
    """Lists of (owner, text) pieces within which a translated string may run."""
    run = []
    for piece in _pieces(root, skipped):
        if piece is not None:
            run.append(piece)
        elif run:
            yield run
            run = []


# -- telling translated text from the rest --------------------------------------------------------


def _problems(run, words):
    """(owner, code, text) for the untranslated and the cut parts of a run of pieces."""
    text = "".join(piece for _, piece in run)
    starts, position = [], 0
    for _, piece in run:
        starts.append(position)
        position += len(piece)
    translated, cut = _translated(text, starts)
    for (owner, piece), start in zip(run, starts):
        for begin, end in cut:
            if start <= begin < start + len(piece):
                yield owner, "truncated-translation", text[begin:end]
        rest = [text[a:b] for a, b in _outside(translated, start, start + len(piece))]
        rest = [part for part in rest if words.unlocalized(part)]
        if rest:
            yield owner, "unlocalized-text", " … ".join(part.strip() for part in rest)


def _translated(text, starts):
    """Spans of pseudo-translations in ``text``, and those of them that were cut.

    A translation is a pair of matching brackets around at least one pseudo letter. An opening
    bracket that never closes (or a closing one that never opened) beside pseudo letters is a
    cut translation: it reaches to the next bracket or the edge of its text node.
    """
    spans, cut, opened = [], [], []
    for match in _BRACKET.finditer(text):
        at = match.start()
        if match.group() == "[":
            opened.append(at)
        elif opened:
            begin = opened.pop()
            if _has_pseudo(text[begin:at]):
                spans.append((begin, at + 1))
        else:
            begin = max([s for s in starts if s <= at] + [m.end() for m in _BRACKET.finditer(text, 0, at)])
            if _has_pseudo(text[begin:at]):
                cut.append((begin, at + 1))
    for begin in opened:
        node_end = min([s for s in starts if s > begin] + [len(text)])
        following = _BRACKET.search(text, begin + 1, node_end)
        end = following.start() if following else node_end
        if _has_pseudo(text[begin:end]):
            cut.append((begin, end))
    return spans + cut, cut


def _has_pseudo(text) -> bool:
    return not _PSEUDO_LETTERS.isdisjoint(text)


def _outside(spans, start, end):
    """The parts of [start, end) that no span covers."""
    position = start
    for begin, stop in sorted(spans):
        if begin > position:
            yield position, min(begin, end)
        position = max(position, stop)
        if position >= end:
            return
    if position < end:
        yield position, end


class _Words:
    """Whether untranslated text holds prose, once user data and non-words are taken out."""

    def __init__(self, allowed):
        values = sorted({value for value in allowed if value}, key=len, reverse=True)
        self.allowed = re.compile(
            r"(?<!\w)(?:" + "|".join(map(re.escape, values)) + r")(?!\w)") if values else None

    def unlocalized(self, text) -> bool:
        if self.allowed:
            text = self.allowed.sub(" ", text)
        text = _formatted_values().sub(" ", _NON_WORDS.sub(" ", text))
        return any(_ASCII_WORD.search(word) for word in _WORD.findall(text))


@cache
def _formatted_values():
    """Dates, times, durations and numbers as Babel formats them: words from its locale data."""
    from babel import Locale
    from babel.dates import format_datetime, format_timedelta

    locale = Locale.parse(FORMAT_LOCALE)
    names = set()
    for table in (locale.months, locale.days):
        for context in table.values():
            for width in context.values():
                names.update(width.values())
    names.update(locale.periods[period] for period in ("am", "pm"))
    sample = datetime(2024, 1, 5, 15, 30, tzinfo=timezone.utc)
    samples = [format_datetime(sample, width, locale=locale) for width in ("short", "medium", "long", "full")]
    samples += [format_timedelta(timedelta(seconds=seconds * count), format=width, add_direction=direction,
                                 locale=locale)
                for seconds in (1, 60, 3600, 86400, 7 * 86400, 31 * 86400, 366 * 86400) for count in (1, -2)
                for width in ("long", "short", "narrow") for direction in (False, True)]
    words = names | {word for sample in samples for word in _WORD.findall(sample)}
    word = r"\b(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")\b"
    number, separator = r"\d(?:[\d.,:/-]*\d)?", r"[\s,]+"
    return re.compile(rf"(?:{word}{separator})*{number}(?:{separator}(?:{word}|{number}))*")


def _selector(element, parents, depth=4) -> str:
    """A short CSS selector: up to ``depth`` steps, from the nearest id, below ``body``."""
    steps = []
    while element is not None and _tag(element) not in ("html", "body") and len(steps) < depth:
        tag, parent = _tag(element), parents.get(element)
        if element.get("id"):
            steps.append(f"{tag}#{element.get('id')}")
            break
        same = [sibling for sibling in parent if sibling.tag == element.tag] if parent is not None else []
        steps.append(f"{tag}:nth-of-type({same.index(element) + 1})" if len(same) > 1 else tag)
        element = parent
    return " > ".join(reversed(steps)) or (_tag(element) if element is not None else "")
