"""An oracle for ``check``: a translation is an error exactly when rendering it breaks the page.

Translations are generated from a source message by mutations a translator or an input
method makes (placeholders dropped, renamed, added, spaced, made full-width, stripped of
their conversion; tags inserted, dropped, mangled; plural forms too few or too many) and
rendered the way the application renders the source: ``%`` with a dict or a tuple,
``str.format``, translationstring's interpolation. Rendering is broken when it raises, loses
a value of the source, shows a placeholder (or part of one) as written, or leaves markup
unbalanced as html5lib's tokenizer reads it. ``check`` must report an error for every
broken translation and none for the others. The one documented exception: a plural form
may drop a value (``One file``); that is the warning ``placeholder-missing-in-plural-form``.
"""

import gettext
from dataclasses import dataclass, replace

from babel.messages.plurals import get_plural
from hypothesis import HealthCheck, given, settings, strategies as st
from html5lib._tokenizer import HTMLTokenizer
from html5lib.constants import tokenTypes
from translationstring import TranslationString

from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.checks.runner import check_po

SYNTAXES = ("percent-named", "percent-positional", "brace-named", "brace-auto", "brace-indexed", "pyramid")
NAMES = {"percent-named": ("name", "count", "url", "名前"), "brace-named": ("name", "count", "url", "名前"),
         "pyramid": ("name", "count", "url", "user-name")}
FLAGS = {"percent-named": ("python-format",), "percent-positional": ("python-format",),
         "brace-named": ("python-brace-format",), "brace-auto": ("python-brace-format",),
         "brace-indexed": ("python-brace-format",), "pyramid": ("pyramid-format", "python-brace-format")}
SOURCE_WORDS = ("file", "account", "project", "your", "the")
WORDS = ("Datei", "Konto", "ファイル", "été", "projet", "ihr")
LANGUAGES = ("de", "pl", "ja")  # nplurals 2 (gettext's default), 3, 1
# What a placeholder may leave on the page when it is not interpolated.
SYNTAX_CHARACTERS = frozenset("%$(){}％＄（）｛｝")
VOID = frozenset({"br", "img", "hr", "wbr"})


@dataclass(frozen=True)
class Placeholder:
    key: object  # a name, or the position of a positional one
    conv: str = "s"

    def value(self, index):
        return 1001 + index if self.conv == "d" else str(1001 + index)


def spell(syntax, placeholder):
    """The placeholder as the source writes it."""
    key, conv = placeholder.key, placeholder.conv
    return {"percent-named": f"%({key}){conv}", "percent-positional": f"%{conv}", "brace-named": f"{{{key}}}",
            "brace-auto": "{}", "brace-indexed": f"{{{key}}}", "pyramid": f"${{{key}}}"}[syntax]


# What a translator or an input method does to one placeholder (written for it by key and conversion).
DAMAGE = {
    "percent-named": ("%({k}) {c}", "% ({k}) {c}", "%( {k} ){c}", "％({k}){c}", "%（{k}）{c}", "%({k})", "%(other){c}",
                      "%({k}){c} %({k}){c}", "%({k})s", "%({k})d", "%({k})r"),
    "percent-positional": ("% {c}", "％{c}", "%", "%(other){c}", "%{c} %{c}", "%s", "%d"),
    "brace-named": ("{{ {k} }}", "｛{k}｝", "{{{k}｝", "{{{k}", "{{other}}", "{{}}", "{{{k}}} {{{k}}}"),
    "brace-auto": ("{{other}}", "{{ }}", "｛｝", "{{{i}}}", "{{9}}", "{{", "{{}} {{}}"),
    "brace-indexed": ("{{other}}", "{{}}", "{{ {k} }}", "{{9}}", "{{{k}}} {{{k}}}"),
    "pyramid": ("$ {{{k}}}", "${{ {k} }}", "＄{{{k}}}", "$｛{k}｝", "{{{k}}}", "${k}", "${{other}}", "$${{{k}}}"),
}
TAGS = ("b", "em", "strong")
MUTATIONS = ("damage", "damage", "damage", "drop", "add", "reorder", "tag", "tag", "literal", "unescape")
ESCAPED = {"percent-named": ("50%%", "50%"), "percent-positional": ("50%%", "50%"), "brace-named": ("{{x}}", "{x}"),
           "brace-auto": ("{{x}}", "{x}"), "brace-indexed": ("{{x}}", "{x}"), "pyramid": ("$5", "$5")}
UNESCAPED = {"50%%": "50%", "{{x}}": "{x}", "$5": "$5", "50%": "50%", "{x}": "{x}"}
# Text a translation may add, and what it renders as: not a placeholder in that syntax.
LITERALS = {
    "percent-named": (("50 %%", "50 %"), ("$5", "$5"), ("{x}", "{x}")),
    "percent-positional": (("50 %%", "50 %"), ("$5", "$5"), ("{x}", "{x}")),
    "brace-named": (("50 %", "50 %"), ("$5", "$5"), ("{{x}}", "{x}")),
    "brace-auto": (("50 %", "50 %"), ("$5", "$5"), ("{{x}}", "{x}")),
    "brace-indexed": (("50 %", "50 %"), ("$5", "$5"), ("{{x}}", "{x}")),
    "pyramid": (("50 %", "50 %"), ("$5", "$5"), ("{x}", "{x}")),
}


@st.composite
def messages(draw, syntax):
    """A source as segments: ("w", word), ("p", placeholder index), ("tag", text), ("a", placeholder index)."""
    count = draw(st.integers(1, 3))
    if syntax in NAMES:
        names = draw(st.lists(st.sampled_from(NAMES[syntax]), min_size=count, max_size=count, unique=True))
        placeholders = [Placeholder(name, draw(st.sampled_from("sd")) if syntax == "percent-named" else "s")
                        for name in names]
    else:
        placeholders = [Placeholder(index, draw(st.sampled_from("sd")) if syntax == "percent-positional" else "s")
                        for index in range(count)]
    segments = [("w", draw(st.sampled_from(SOURCE_WORDS)))]
    for index in range(count):
        segments += [("p", index), ("w", draw(st.sampled_from(SOURCE_WORDS)))]
    if draw(st.integers(0, 3)) == 0:  # text the syntax escapes, which a translation must escape too
        segments.insert(draw(st.integers(0, len(segments))), ("esc", ESCAPED[syntax]))
    markup = draw(st.sampled_from(("none", "b", "a", "br")))
    if markup == "b":
        start = draw(st.integers(0, len(segments) - 1))
        end = draw(st.integers(start + 1, len(segments)))
        segments = segments[:start] + [("tag", "<b>")] + segments[start:end] + [("tag", "</b>")] + segments[end:]
    elif markup == "a" and syntax in NAMES:  # an attribute value can only hold a named placeholder
        segments = [("a", 0), ("w", "here"), ("tag", "</a>")] + [s for s in segments if s != ("p", 0)]
    elif markup == "br":
        segments.insert(draw(st.integers(0, len(segments))), ("tag", "<br>"))
    return placeholders, segments


@st.composite
def translations(draw, syntax, placeholders, segments):
    """The source's segments with its words translated and a few mutations."""
    spelled = {index: spell(syntax, placeholder) for index, placeholder in enumerate(placeholders)}
    segments = [("w", draw(st.sampled_from(WORDS))) if kind == "w" else (kind, value) for kind, value in segments]
    for _ in range(draw(st.sampled_from((1, 1, 1, 0, 2)))):
        mutation = draw(st.sampled_from(MUTATIONS))
        if mutation == "damage":
            index = draw(st.integers(0, len(placeholders) - 1))
            placeholder = placeholders[index]
            pattern = draw(st.sampled_from(DAMAGE[syntax]))
            spelled[index] = pattern.format(k=placeholder.key, c=placeholder.conv, i=index)
        elif mutation == "drop":
            spelled[draw(st.sampled_from(sorted(spelled)))] = ""
        elif mutation == "add":
            index = draw(st.integers(0, len(placeholders) - 1))
            new = len(spelled)
            spelled[new] = spelled[index] if syntax in NAMES or syntax == "brace-indexed" else spell(
                syntax, replace(placeholders[index], key=new))
            segments.insert(draw(st.integers(0, len(segments))), ("p", new))
        elif mutation == "reorder":
            positions = [i for i, (kind, _) in enumerate(segments) if kind == "p"]
            values = [segments[i] for i in positions]
            shuffled = draw(st.permutations(values))
            for position, segment in zip(positions, shuffled):
                segments[position] = segment
        elif mutation == "unescape":
            segments = [("esc", (UNESCAPED[value[0]], value[1])) if kind == "esc" else (kind, value)
                        for kind, value in segments]
        elif mutation == "literal":
            text, rendered = draw(st.sampled_from(LITERALS[syntax]))
            segments.insert(draw(st.integers(0, len(segments))), ("lit", (text, rendered)))
        else:
            segments = draw(tag_mutations(segments))
    literals = [value[1] for kind, value in segments if kind == "lit"]
    text = "".join(_text(kind, value, spelled) + _separator(draw, kind, index == len(segments) - 1)
                   for index, (kind, value) in enumerate(segments))
    return text, literals


@st.composite
def tag_mutations(draw, segments):
    segments = list(segments)
    closes = [i for i, (kind, value) in enumerate(segments) if kind == "tag" and value.startswith("</")]
    kind = draw(st.sampled_from(("wrap", "unclose", "stray", "spaced-close", "unfinished", "drop-pair", "misnest",
                                 "unquote")))
    if kind == "wrap":  # balanced, only different: not an error
        tag = draw(st.sampled_from(TAGS))
        at = draw(st.integers(0, len(segments)))
        segments[at:at] = [("tag", f"<{tag}>"), ("w", draw(st.sampled_from(WORDS))), ("tag", f"</{tag}>")]
    elif kind == "unclose" and closes:
        del segments[draw(st.sampled_from(closes))]
    elif kind == "stray":
        segments.insert(draw(st.integers(0, len(segments))), ("tag", f"</{draw(st.sampled_from(TAGS))}>"))
    elif kind == "spaced-close" and closes:
        at = draw(st.sampled_from(closes))
        name = segments[at][1][2:-1]
        segments[at] = ("tag", draw(st.sampled_from((f"</ {name}>", f"< / {name}>", f"</{name}"))))
    elif kind == "unfinished":
        segments.append(("tag", f"<{draw(st.sampled_from(TAGS))}"))
    elif kind == "misnest" and closes:
        at = draw(st.sampled_from(closes))
        segments[at:at + 1] = [("tag", "<em>"), segments[at], ("tag", "</em>")]
    elif kind == "unquote":
        segments = [("a-unquoted", value) if kind == "a" else (kind, value) for kind, value in segments]
    elif kind == "drop-pair" and closes:
        at = draw(st.sampled_from(closes))
        name = segments[at][1][2:-1]
        opening = max((i for i, (k, v) in enumerate(segments[:at]) if _opens(k, v, name)), default=at)
        segments = [s for i, s in enumerate(segments) if i not in (opening, at)]
    return segments


def _opens(kind, value, name):
    return (kind == "a" and name == "a") or value == f"<{name}>"


def _separator(draw, kind, last):
    """Mostly a space; sometimes nothing, but never after added text (`5 $` and a word would be `$word`)."""
    if last:
        return ""
    return " " if kind in ("lit", "esc") or draw(st.integers(0, 4)) else ""


def _text(kind, value, spelled):
    if kind == "p":
        return spelled[value]
    if kind in ("lit", "esc"):
        return value[0]
    if kind == "a":
        return f'<a href="{spelled[value]}">'
    if kind == "a-unquoted":
        return f'<a href="{spelled[value]}>'
    return value


def source_text(syntax, placeholders, segments):
    return _text_of(segments, {index: spell(syntax, p) for index, p in enumerate(placeholders)})


def _text_of(segments, spelled):
    return " ".join(_text(kind, value, spelled) for kind, value in segments)


# --- rendering --------------------------------------------------------------------------------------


def render(syntax, placeholders, source, text):
    """``text`` rendered with the values the application passes for ``source``."""
    values = {p.key: p.value(index) for index, p in enumerate(placeholders)}
    if syntax == "percent-named":
        return text % values
    if syntax == "percent-positional":
        return text % tuple(values.values())
    if syntax == "brace-named":
        return text.format(**values)
    if syntax in ("brace-auto", "brace-indexed"):
        return text.format(*values.values())
    return TranslationString(source, mapping={k: str(v) for k, v in values.items()}).interpolate(text)


def balanced(html: str) -> bool:
    """Every element closed, in order, as html5lib's tokenizer reads the string."""
    stack = []
    for token in HTMLTokenizer(html):
        kind = token["type"]
        if kind == tokenTypes["StartTag"] and token["name"] not in VOID:
            stack.append(token["name"])
        elif kind == tokenTypes["EndTag"]:
            if not stack or stack.pop() != token["name"]:
                return False
        elif kind == tokenTypes["ParseError"] and "eof" in token["data"]:
            return False
    return not stack


def breakage(syntax, placeholders, source, translation, plural_form=False):
    """How rendering the translation (text, literals it adds) instead of ``source`` breaks the page, or None."""
    text, literals = translation
    expected = render(syntax, placeholders, source, source)
    try:
        rendered = render(syntax, placeholders, source, text)
    except (KeyError, IndexError, ValueError, TypeError) as exc:
        return f"raises {type(exc).__name__}: {exc}"
    shown = rendered
    for literal in literals:
        shown = shown.replace(literal, "", 1)
    literal = [c for c in SYNTAX_CHARACTERS if shown.count(c) > expected.count(c)]
    if literal:
        return f"shows {''.join(sorted(literal))} as written: {rendered!r}"
    for index, placeholder in enumerate(placeholders):
        value = str(placeholder.value(index))
        if rendered.count(value) < expected.count(value) and not plural_form:
            return f"loses the value of {spell(syntax, placeholder)}: {rendered!r}"
    if not balanced(rendered):
        return f"unbalanced markup: {rendered!r}"
    return None


# --- the oracle --------------------------------------------------------------------------------------


def catalog(language, entry, plural_forms=True):
    header = f"Language: {language}\nContent-Type: text/plain; charset=UTF-8\n"
    if plural_forms:
        header += f"Plural-Forms: {get_plural(language)}\n"
    return PoFile(f"{language}/LC_MESSAGES/messages.po", Entry("", header), [entry])


def errors(po, language):
    findings = check_po(po, language)
    keys = [(f.code, f.message) for f in findings]
    assert len(keys) == len(set(keys)), f"a finding repeated: {findings}"
    return [f for f in findings if f.severity == "error"]


@st.composite
def singular_cases(draw):
    syntax = draw(st.sampled_from(SYNTAXES))
    placeholders, segments = draw(messages(syntax))
    source = source_text(syntax, placeholders, segments)
    text = draw(translations(syntax, placeholders, segments))
    flags = list(draw(st.sampled_from(((),) + tuple((flag,) for flag in FLAGS[syntax]) + (FLAGS[syntax],))))
    return syntax, placeholders, source, text, flags


ORACLE = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow])


@ORACLE
@given(singular_cases())
def test_an_error_exactly_when_rendering_breaks(case):
    syntax, placeholders, source, translation, flags = case
    broken = breakage(syntax, placeholders, source, translation)
    text = translation[0]
    found = errors(catalog("de", Entry(source, text, flags=flags)), "de")
    if broken:
        assert found, f"{text!r} for {source!r} {broken}, but check reports no error"
    else:
        assert not found, f"{text!r} for {source!r} renders fine, but check reports {found}"


@st.composite
def plural_cases(draw):
    syntax = draw(st.sampled_from(SYNTAXES))
    placeholders, segments = draw(messages(syntax))
    singular = _text_of([("w", "one") if kind == "w" else (kind, value) for kind, value in segments],
                        {index: spell(syntax, p) for index, p in enumerate(placeholders)})
    plural = source_text(syntax, placeholders, segments)
    language = draw(st.sampled_from(LANGUAGES))
    nplurals = get_plural(language).num_plurals
    count = max(1, nplurals + draw(st.sampled_from((-1, 0, 0, 0, 1))))
    forms = [draw(translations(syntax, placeholders, segments)) if draw(st.booleans()) else
             (_text_of([("w", WORDS[0]) if kind == "w" else (kind, value) for kind, value in segments],
                       {index: spell(syntax, p) for index, p in enumerate(placeholders)}), [])
             for _ in range(count)]
    header = draw(st.sampled_from((True, True, True, False)))
    flags = list(draw(st.sampled_from(((), FLAGS[syntax][:1]))))
    return syntax, placeholders, singular, plural, forms, language, header, flags


def plural_breakage(syntax, placeholders, singular, plural, forms, language, header, flags=()):
    choose = gettext.c2py(get_plural(language).plural_expr)
    used = (lambda n: int(n != 1)) if not header else choose
    for n in range(200):
        if used(n) >= len(forms):
            return f"n={n} takes msgstr[{used(n)}], which is missing: the source is shown"
        if used(n) != choose(n):
            return f"without Plural-Forms n={n} takes msgstr[{used(n)}], where {language} needs msgstr[{choose(n)}]"
    source_for = {0: singular}
    for index, form in enumerate(forms[:len({used(n) for n in range(200)})]):  # the others are never shown
        broken = breakage(syntax, placeholders, source_for.get(index, plural), form, plural_form=True)
        if broken:
            return f"msgstr[{index}] {broken}"
    return None


@ORACLE
@given(plural_cases())
def test_plural_forms_an_error_exactly_when_rendering_breaks(case):
    syntax, placeholders, singular, plural, forms, language, header, flags = case
    broken = plural_breakage(*case)
    entry = Entry(singular, [text for text, _ in forms], msgid_plural=plural, flags=flags)
    found = errors(catalog(language, entry, header), language)
    if broken:
        assert found, f"{forms!r} for {plural!r} ({language}): {broken}, but check reports no error"
    else:
        assert not found, f"{forms!r} for {plural!r} ({language}) render fine, but check reports {found}"
