"""Markup checks: ``html-unbalanced``, ``html-unsafe`` (errors) and ``html-differs`` (warning).

Translations rendered by ``{% trans %}`` and newstyle ``_()`` are inserted into the page as
markup, so a broken tag in a translation breaks the page and a ``<script>`` in one is an XSS
hole. Strings are read by html5lib's WHATWG tokenizer, the one browsers implement, as a
fragment in the data state: ``< / a>`` is text and ``</ strong>`` a (bogus) comment, exactly as a
browser reads them (``html.parser`` gets both wrong).

Each translation form is compared with its source (msgid, and msgid_plural for plural
entries): only problems the source does not have are reported, so a source with a lone
``<br>`` or an unclosed ``<p>`` lets its translations have them too. Sources repeat across
every locale, so their analysis is cached.

Decisions, in short (the comments at each table say why):

* Tags balance strictly (a stack, no optional end tags): a message is a fragment placed
  inside a template, and whether ``<p>`` or ``<li>`` may be left open depends on markup
  outside it. Void elements need no end tag. ``<br/>`` is fine; ``<span/>`` is an *open*
  span, as browsers read it (the slash is ignored on HTML elements); self-closing syntax is
  honoured only inside ``<svg>``/``<math>``, as in browsers.
* Markup left unfinished at the end of the string (``<a href="%(u)s>``, ``<!-- x``) is
  ``html-unbalanced``: in the page it swallows the template's markup that follows.
* Character references are not reported: html5lib 1.1 flags harmless prose (``AT&T``,
  ``R&D``) as parse errors, browsers show a bad reference as text, and it is neither a
  structure nor a safety problem. Hence the fast pre-test is ``<`` only: without a ``<`` a
  string has no tags, comments or attributes, whatever its ``&``.
* A changed literal attribute value (``href="https://pypi.org/help/"`` to a localized page)
  is ``html-differs``: translators legitimately link localized documents. An attribute whose
  source value is only placeholders (``href="%(url)s"``, supplied by the application) given a
  literal value in a URL attribute is ``html-unsafe``: it has no legitimate use and is how
  link-spam and phishing arrive through translation platforms (in plural forms the
  placeholder checks only warn about the dropped placeholder).
* ``html-differs`` is not reported for a form that already has an error.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Iterator
from urllib.parse import urlsplit

from i18n_tool.checks import Problem, one_per_form_set

# -- the tokenizer ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _token_types() -> tuple:
    """html5lib's StartTag, EndTag, Comment and ParseError codes (imported on first use: it is slow to load)."""
    from html5lib.constants import tokenTypes

    return tuple(tokenTypes[name] for name in ("StartTag", "EndTag", "Comment", "ParseError"))


class _SpecTokenizer:
    """html5lib's WHATWG tokenizer (private, unchanged since html5lib 1.1) behind a small surface.

    Iterating yields ``("start", name, attrs, self_closing)``, ``("end", name)``,
    ``("comment", text)``, ``("error", code, tag)`` (``tag``: the tag being read, ``"b"`` or
    ``"/b"``, for an error at the end of the string); character tokens are
    dropped. A tree builder switches the tokenizer's state after some start tags (``<script>``,
    ``<style>``, ``<textarea>``...) and allows CDATA sections in foreign content; the caller
    does that with :meth:`switch` and :attr:`foreign`. This class is the only code that
    touches html5lib; replace it to change tokenizers.
    """

    def __init__(self, text: str):
        from html5lib._tokenizer import HTMLTokenizer

        self._open = [SimpleNamespace(namespace="html")]
        self._tokenizer = HTMLTokenizer(
            text, parser=SimpleNamespace(tree=SimpleNamespace(openElements=self._open, defaultNamespace="html")))

    @property
    def foreign(self) -> bool:
        return self._open[0].namespace != "html"

    @foreign.setter
    def foreign(self, value: bool):
        self._open[0].namespace = "foreign" if value else "html"

    def switch(self, kind: str):
        """After the start tag just yielded, read on as ``rcdata``, ``rawtext``, ``script`` or ``plaintext``."""
        tokenizer = self._tokenizer
        tokenizer.state = {"rcdata": tokenizer.rcdataState, "rawtext": tokenizer.rawtextState,
                           "script": tokenizer.scriptDataState, "plaintext": tokenizer.plaintextState}[kind]

    def __iter__(self):
        start_tag, end_tag, comment_tag, parse_error = _token_types()
        for token in self._tokenizer:
            kind = token["type"]
            if kind == start_tag:
                yield "start", token["name"], token["data"], token["selfClosing"]
            elif kind == end_tag:
                yield "end", token["name"]
            elif kind == comment_tag:
                yield "comment", token["data"]
            elif kind == parse_error:
                current = self._tokenizer.currentToken
                tag = None
                if token["data"] == "expected-closing-tag-but-got-eof":  # `</` at the end: no tag yet
                    tag = "/"
                elif isinstance(current, dict) and current.get("type") in (start_tag, end_tag):
                    tag = ("/" if current["type"] == end_tag else "") + current["name"].lower()
                yield "error", token["data"], tag


# -- the tables -----------------------------------------------------------------------------

# WHATWG void elements, plus the legacy ones browsers still parse as void.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr", "basefont", "bgsound", "frame", "image", "keygen", "param"})

# What a tree builder does to the tokenizer after these start tags in HTML content
# (``noscript`` as in a browser with scripting on).
TEXT_CONTENT = {"textarea": "rcdata", "title": "rcdata",
                "style": "rawtext", "xmp": "rawtext", "iframe": "rawtext", "noembed": "rawtext",
                "noframes": "rawtext", "noscript": "rawtext",
                "script": "script", "plaintext": "plaintext"}

# Elements a translation must not add.
UNSAFE_TAGS = {
    "script": "runs script",
    "style": "injects CSS (overlays, exfiltration through selectors)",
    "iframe": "embeds another page", "frame": "embeds another page", "frameset": "replaces the page with frames",
    "object": "embeds active content", "embed": "embeds active content", "applet": "embeds active content",
    "base": "rewrites every relative URL of the page",
    "meta": "can redirect the page (http-equiv=refresh)",
    "link": "loads stylesheets and other resources",
    # A form in a translation posts what users type wherever it says (credential phishing on the
    # real origin), and inside the page's own form its </form> ends that form early.
    "form": "posts user input to any address and breaks the page's forms",
    # SVG and MathML switch the parser to foreign content (CDATA, self-closing tags), carry
    # <script>, <a xlink:href>, <animate>/<set> that rewrite attributes to javascript: URLs,
    # and are the usual vehicle of mutation XSS; no translation needs inline SVG or MathML.
    "svg": "is foreign content (scripts, animated javascript: links, mutation XSS)",
    "math": "is foreign content (mutation XSS)",
    # Elements whose content the parser reads as raw text, or not at all: they swallow the rest
    # of the page and are the classic parser-differential (mutation XSS) vectors.
    "noscript": "is read differently with scripting on and off (mutation XSS)",
    "noembed": "reads its content as raw text (mutation XSS)",
    "noframes": "reads its content as raw text (mutation XSS)",
    "xmp": "reads its content as raw text (mutation XSS)",
    "plaintext": "turns the rest of the page into text",
    "template": "holds inert markup that scripts activate (mutation XSS)",
    "portal": "embeds another page",
}

# Attributes holding a URL a browser may navigate to, load or submit to.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "codebase", "cite",
                            "background", "poster", "longdesc", "lowsrc", "dynsrc", "usemap", "profile",
                            "classid", "archive", "manifest", "icon", "ping"})
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
UNSAFE_ATTRIBUTES = {"srcdoc": "is a whole HTML document"}
UNSAFE_CSS = (("expression(", "expression() (runs script in old IE)"),
              ("javascript:", "a javascript: URL"), ("vbscript:", "a vbscript: URL"),
              ("-moz-binding", "-moz-binding (runs script in old Firefox)"),
              ("behavior:", "behavior: (runs script in old IE)"))

# Attributes whose values are human text (or the language), which translators should change.
TEXT_ATTRIBUTES = frozenset({"title", "alt", "aria-label", "aria-description", "aria-roledescription",
                             "aria-valuetext", "aria-placeholder", "placeholder", "label", "summary", "abbr",
                             "value", "content", "download", "lang", "xml:lang", "dir", "hreflang"})

# %(name)s / %s / %d, {name} / {} / {0}, ${name} / $name: the forms the placeholder checks know.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]"
                         r"|\$\{[^{}]*\}|\$[A-Za-z][-A-Za-z0-9_]*|\{[^{}]*\}")  # translationstring's $name
_PLACEHOLDER_DEBRIS = re.compile("[%${}\uff05\ufe6a\uff04\ufe69\uff5b\uff5d]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_URL_STRIP = "".join(map(chr, range(0x21)))  # C0 controls and space, stripped at both ends
_URL_REMOVE = str.maketrans("", "", "\t\n\r")  # removed anywhere by the URL parser
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)


# -- analysis of one string -------------------------------------------------------------------

@dataclass
class Analysis:
    """What one string's markup is. Cached for sources: treat as read-only."""

    # ("unclosed", name) / ("stray", name) / ("misnested", outer, inner) / ("unfinished", what, tag)
    unbalanced: Counter = field(default_factory=Counter)
    # ("tag", name) / ("handler" or "attr", tag, attr) / ("url", tag, attr, scheme) / ("css", tag, what)
    unsafe: Counter = field(default_factory=Counter)
    tags: Counter = field(default_factory=Counter)  # (name, sorted attribute names) of start tags
    values: Counter = field(default_factory=Counter)  # (tag, attr, normalized value), TEXT_ATTRIBUTES aside
    raw: dict = field(default_factory=dict)  # values key -> the value as first written, for messages
    not_end_tags: dict = field(default_factory=dict)  # name -> `</ name>` or `< / name>` as written
    self_closed: frozenset = frozenset()  # non-void HTML elements written `<name/>` (which stay open)


EMPTY = Analysis()


def url_scheme(value: str) -> str | None:
    """The scheme a browser's URL parser finds in an attribute value (entities already decoded)."""
    match = _SCHEME.match(value.strip(_URL_STRIP).translate(_URL_REMOVE))
    return match.group(1).lower() if match else None


def _css_unsafe(value: str) -> list[str]:
    def unescape(match):
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if match.group(2) in "\r\n\f" else match.group(2)
    text = _CSS_COMMENT.sub("", _CSS_ESCAPE.sub(unescape, value))
    text = re.sub(r"[\s\"']+", "", text).lower()
    return [label for needle, label in UNSAFE_CSS if needle in text]


def _normalize_value(value: str) -> str:
    """Placeholders become one marker each, whitespace runs one space."""
    return " ".join(PLACEHOLDER.sub("\x00", value).split())


def _is_placeholder_only(normalized: str) -> bool:
    return bool(normalized) and not normalized.replace("\x00", "").strip()


def analyze(text: str) -> Analysis:
    if "<" not in text:
        return EMPTY
    result = Analysis()
    tokens = _SpecTokenizer(text)
    stack = []  # [name, foreign, crossed]: crossed = end tags that closed an element around this one
    spaced = {}
    self_closed = set()
    after_close_error = False
    for token in tokens:
        kind = token[0]
        if kind == "start":
            _, name, attrs, self_closing = token
            foreign = name in ("svg", "math") or _foreign_content(stack)
            result.tags[name, tuple(sorted(attrs))] += 1
            _check_tag(result, name, attrs)
            if name in VOID and not foreign:
                continue
            if self_closing:
                if foreign:
                    continue
                self_closed.add(name)
            stack.append([name, foreign, []])
            tokens.foreign = _foreign_content(stack)
            if not foreign and name in TEXT_CONTENT:
                tokens.switch(TEXT_CONTENT[name])
        elif kind == "end":
            _close(result.unbalanced, stack, token[1])
            tokens.foreign = _foreign_content(stack)
        elif kind == "comment":
            if after_close_error:  # `</ strong>`: a bogus comment, not an end tag
                word = token[1].split()
                if word:
                    spaced.setdefault(word[0].lower(), f"</{token[1]}>")
        elif kind == "error":
            _, code, tag = token
            if "eof" in code.lower() and code != "eof-in-script-in-script":
                what = "comment" if "comment" in code else "doctype" if "doctype" in code else "tag"
                result.unbalanced["unfinished", what, tag or ""] += 1
                if tag and tag.startswith("/"):  # `<b>x</b`: one problem, not also an unclosed <b>
                    _close(Counter(), stack, tag[1:])
        after_close_error = kind == "error" and token[1] == "expected-closing-tag-but-got-char"
    for name, _foreign, _crossed in stack:
        result.unbalanced["unclosed", name] += 1
    for match in re.finditer(r"<\s+/\s*([A-Za-z][^\s/>]*)[^<>]*>?", text):
        spaced.setdefault(match.group(1).lower(), match.group(0))
    result.not_end_tags = spaced
    result.self_closed = frozenset(self_closed)
    return result


def _foreign_content(stack: list) -> bool:
    """Whether the current node is SVG/MathML, other than those whose content is HTML again."""
    return bool(stack) and stack[-1][1] and stack[-1][0] not in (
        "foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext")


def _close(unbalanced: Counter, stack: list, name: str):
    if stack and stack[-1][0] == name:
        closed = stack.pop()
        for outer in closed[2]:
            unbalanced["misnested", outer, name] += 1
        return
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == name:
            # `<b><i></b></i>`: </b> crosses the open <i>. It is misnesting if </i> comes later;
            # if it never does, <i> is reported as unclosed instead, once.
            stack[-1][2].append(name)
            del stack[index]
            return
    unbalanced["stray", name] += 1


def _check_tag(result: Analysis, name: str, attrs: dict):
    if name in UNSAFE_TAGS:
        result.unsafe["tag", name] += 1
    for attr, value in attrs.items():
        if attr.startswith("on") and len(attr) > 2:
            result.unsafe["handler", name, attr] += 1
        elif attr in UNSAFE_ATTRIBUTES:
            result.unsafe["attr", name, attr] += 1
        elif attr in URL_ATTRIBUTES:
            scheme = url_scheme(value)
            if scheme in UNSAFE_SCHEMES:
                result.unsafe["url", name, attr, scheme] += 1
        elif attr == "style":
            for label in _css_unsafe(value):
                result.unsafe["css", name, label] += 1
        if attr not in TEXT_ATTRIBUTES:
            key = name, attr, _normalize_value(value)
            result.values[key] += 1
            result.raw.setdefault(key, value)


@lru_cache(maxsize=8192)
def analyze_source(text: str) -> Analysis:
    """:func:`analyze`, cached: the same msgid is checked once per locale."""
    return analyze(text)


# -- messages ---------------------------------------------------------------------------------------

def _unbalanced_message(key: tuple, analysis: Analysis) -> str:
    kind = key[0]
    if kind == "unclosed":
        name = key[1]
        message = f"<{name}> is never closed"
        if name in analysis.not_end_tags:
            message += f" (`{analysis.not_end_tags[name]}` is not an end tag to a browser: no space after `<` or `</`)"
        elif name in analysis.self_closed:
            message += f" (`<{name}/>` opens a <{name}> in HTML: the slash is ignored on non-void elements)"
        return message
    if kind == "stray":
        name = key[1]
        if name in VOID:
            return f"</{name}>: <{name}> is a void element and has no end tag" + (
                " (browsers read </br> as another <br>)" if name == "br" else "")
        return f"</{name}> closes no open element"
    if kind == "misnested":
        outer, inner = key[1], key[2]
        return f"misnested tags: </{outer}> closes <{outer}> while <{inner}> inside it is still open"
    what, name = key[1], key[2]
    if what == "tag":
        tag = f"<{name}" if name else "a tag"
        return (f"the translation ends inside {tag} (an unclosed quote or a missing '>'): "
                "in the page it swallows the markup that follows")
    hint = " (`<!--` without `-->`)" if what == "comment" else ""
    return f"the translation ends inside an unclosed {what}{hint}: in the page it hides the markup that follows"


def _unsafe_message(key: tuple) -> str:
    kind = key[0]
    if kind == "tag":
        return f"the translation adds <{key[1]}>, which {UNSAFE_TAGS[key[1]]}"
    if kind == "handler":
        return f"the translation adds an event handler {key[2]}= on <{key[1]}> (runs script)"
    if kind == "attr":
        return f"the translation adds {key[2]}= on <{key[1]}>, which {UNSAFE_ATTRIBUTES[key[2]]}"
    if kind == "url":
        return f"the translation adds a {key[3]}: URL in <{key[1]} {key[2]}> (runs script or loads inline content)"
    return f"the translation adds {key[2]} in a style attribute on <{key[1]}>"


def _describe(tag: tuple) -> str:
    name, attrs = tag
    return "<" + " ".join((name,) + attrs) + ">"


# -- the check --------------------------------------------------------------------------------------

_TAG_TEXT = re.compile(r"<[^<>]*>")


@lru_cache(maxsize=8192)
def _tag_texts(text: str) -> tuple:
    return tuple(_TAG_TEXT.findall(text))


def same_tags(form: str, source: str) -> bool:
    """The form holds the source's tags, character for character and in order, and no other '<'.

    The tokenizer then reads the same tags from both, so the form can have no problem the
    source does not have: the full analysis is skipped (most translations are like this).
    """
    tags = _tag_texts(form)
    return form.count("<") == len(tags) and tags == _tag_texts(source)

def check(entry, source_flags=None) -> Iterator[Problem]:
    """``html-unbalanced``, ``html-unsafe`` and ``html-differs`` for one entry's translation forms."""
    if not entry.msgid:  # the header
        return
    sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
    forms = entry.forms
    if not any("<" in text for text in sources) and not any(form and "<" in form for form in forms):
        return
    analyses = [analyze_source(text) for text in sources]
    allowed_unbalanced = analyses[0].unbalanced
    allowed_unsafe = analyses[0].unsafe
    for other in analyses[1:]:
        allowed_unbalanced = allowed_unbalanced | other.unbalanced
        allowed_unsafe = allowed_unsafe | other.unsafe
    found = ((index, problem) for index, form in enumerate(forms)
             if form and not any(same_tags(form, source) for source in sources)
             for problem in _form_problems(form, sources, analyses, allowed_unbalanced, allowed_unsafe))
    yield from one_per_form_set(found, entry.msgid_plural is not None, "", ": ")


def _form_problems(form, sources, analyses, allowed_unbalanced, allowed_unsafe) -> Iterator[Problem]:
    found = analyze_source(form) if form in sources else analyze(form)  # an untranslated copy
    errors = False
    for key in (found.unbalanced - allowed_unbalanced).elements():  # in the order found
        errors = True
        yield Problem("html-unbalanced", _unbalanced_message(key, found))
    for key in (found.unsafe - allowed_unsafe).elements():
        errors = True
        yield Problem("html-unsafe", _unsafe_message(key))
    hijacked, changed = _value_changes(found, analyses)
    for message in hijacked:
        errors = True
        yield Problem("html-unsafe", message)
    if errors:
        return
    for message in _differences(found, analyses, changed):
        yield Problem("html-differs", message)


def _nearest(found: Analysis, analyses: list) -> Analysis:
    """The source whose markup the form is closest to (msgid or msgid_plural)."""
    def distance(source):
        return (sum(((found.tags - source.tags) + (source.tags - found.tags)).values()),
                sum(((found.values - source.values) + (source.values - found.values)).values()))
    return min(analyses, key=distance)


def _value_changes(found: Analysis, analyses: list) -> tuple[list, list]:
    """Attribute values the form changed: (hijacked URL messages, other change messages)."""
    source = _nearest(found, analyses)
    if found.values == source.values:
        return [], []
    groups = {}
    for (tag, attr, value), count in (found.values - source.values).items():
        groups.setdefault((tag, attr), ([], []))[0].extend([value] * count)
    for (tag, attr, value), count in (source.values - found.values).items():
        groups.setdefault((tag, attr), ([], []))[1].extend([value] * count)
    hijacked, changed = [], []
    for (tag, attr), (added, removed) in sorted(groups.items()):
        # Only changes of an attribute present as often in both: extra or missing attributes are
        # the tag difference reported on their own.
        if not added or not removed:
            continue
        added, removed = sorted(added), sorted(removed)
        for new, old in zip(added, removed):
            shown = (f'<{tag} {attr}>: "{found.raw[tag, attr, new]}" where the source has '
                     f'"{source.raw[tag, attr, old]}"')
            if url_scheme(found.raw[tag, attr, new]) in UNSAFE_SCHEMES and attr in URL_ATTRIBUTES:
                continue  # reported as an unsafe URL already
            if _is_placeholder_only(old) and (not new or _PLACEHOLDER_DEBRIS.search(new)):
                continue  # a dropped or damaged placeholder: the placeholder checks report it
            if attr in URL_ATTRIBUTES and _is_placeholder_only(old) and not _is_placeholder_only(new):
                hijacked.append(f"the translation hard-codes the link target of {shown}, which the application "
                                "supplies (link hijacking)")
            else:
                note = ""
                if attr in URL_ATTRIBUTES:
                    new_host, old_host = _host(new), _host(old)
                    if new_host and new_host != old_host:
                        note = f" (another host: {new_host})"
                changed.append(f"the translation changes {shown}{note}")
    return hijacked, changed


def _differences(found: Analysis, analyses: list, changed: list) -> Iterator[str]:
    if any(found.tags == source.tags for source in analyses):
        yield from changed
        return
    source = _nearest(found, analyses)
    missing = sorted((source.tags - found.tags).elements())
    extra = sorted((found.tags - source.tags).elements())
    parts = []
    if missing:
        parts.append("lacks " + ", ".join(map(_describe, missing)))
    if extra:
        parts.append("adds " + ", ".join(map(_describe, extra)))
    yield "the translation's markup differs from the source's: it " + " and ".join(parts)
    yield from changed


def _host(normalized: str) -> str:
    try:
        return urlsplit(normalized.replace("\x00", "x")).hostname or ""
    except ValueError:
        return ""
