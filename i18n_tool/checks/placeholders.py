"""Placeholder checks: a translation must keep the placeholders of its source, undamaged.

Three syntaxes, each checked when the entry's flags say so or, flag or not, when its
placeholders appear in the source (msgid / msgid_plural):

* ``python-format``: ``%(name)s``, ``%s``, ``%5.2f``; ``%%`` is a literal percent sign.
  Named placeholders compare as sets of names with their conversion type, positional
  ones as the ordered list of their types (``ngettext(...) % n`` raises ``TypeError`` when
  a form drops ``%d``, so that is a mismatch even in a plural form).
* ``python-brace-format``: ``{name}``, ``{0}``, ``{}``, ``{name!r:>10}``; ``{{`` and ``}}``
  are literal braces. Fields compare by their first part (``user`` of ``{user.name}``),
  ``{}`` counting as ``{0}``, ``{1}``... in order.
* ``pyramid-format``: translationstring's ``${name}`` and ``$name`` (no interpolation after
  a ``$``). When the entry is a Pyramid message, its ``${...}`` are not brace fields, and
  ``python-brace-format`` (which Babel puts on them) only counts for braces left over.

``no-python-format`` and the like turn a syntax off. A translation that introduces
``${x}`` or ``%(x)s`` into a message whose source has no placeholder of that syntax is
reported too: it would be shown as written.

Rules follow what rendering does. An unknown placeholder, a dropped one (in a non-plural
entry), a different count, a conversion that may not take the value (``%(n)d`` for
``%(n)s``), a damaged one (full-width ``％(x)s``, spaced ``% (x)s`` / ``%( x )s`` /
``$ {x}`` / ``{ x }``, ``%(x)`` without conversion, an unbalanced brace, a lone ``%``) are
errors: they raise, lose a value or show the placeholder. Warnings: ``%(x) s`` (Python reads
the space as a flag and renders it like ``%(x)s``), ``%s`` for ``%d`` (renders, unformatted),
a plural form that drops a placeholder of msgid_plural (``One file`` for n=1). A damaged
placeholder that stands for a source placeholder is reported once, as damaged, and a renamed
one (``%(nom)s`` for ``%(name)s``) once, as unknown; the same problem in several plural forms
is one problem naming the forms. Empty forms are not checked.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from string import Formatter
from typing import Iterator

from i18n_tool.catalog.model import Entry
from i18n_tool.checks import Problem, one_per_form_set

UNKNOWN = "placeholder-unknown"
MISSING = "placeholder-missing"
MISMATCH = "placeholder-mismatch"
MANGLED = "placeholder-mangled"
SPACING = "placeholder-spacing"
CONVERSION = "placeholder-conversion"
MISSING_IN_PLURAL_FORM = "placeholder-missing-in-plural-form"

PERCENT, BRACE, PYRAMID = "python-format", "python-brace-format", "pyramid-format"
_FORMAT_FLAGS = frozenset({PERCENT, BRACE, PYRAMID, "no-" + PERCENT, "no-" + BRACE, "no-" + PYRAMID})

# Nothing to do for an entry none of whose strings has one of these.
TRIGGER = re.compile("[%{}$\uff05\ufe6a\uff04\ufe69\uff5b\uff5d]")

# --- python-format ------------------------------------------------------------------------------

_CONVERSIONS = "diouxXeEfFgGcrsa"
_ANY_VALUE = frozenset("sra")  # conversions that format every object
# Conversions that print the same argument the same way (Babel's checker has similar groups).
_GROUPS = {"i": "d", "u": "d", "X": "x", "E": "e", "f": "e", "F": "e", "g": "e", "G": "e"}
# What Python's % operator reads (a mapping key may hold anything but parentheses).
_PERCENT_STRICT = re.compile(
    r"%(?:\((?P<name>[^()]*)\))?(?P<spec>[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?)"
    rf"(?P<conv>[{_CONVERSIONS}%])"
)
# A placeholder as a translator or an input method may damage it: full-width % or
# parentheses, spaces after % or around the name.
_PERCENT_LOOSE = re.compile(
    r"[%\uff05\ufe6a]\s*(?:[(\uff08]\s*(?P<name>[^()\uff08\uff09]*?)\s*[)\uff09]\s*)?"
    rf"(?P<spec>[-#0+]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?)\s*(?P<conv>[{_CONVERSIONS}])"
)
# A mapping key whose conversion was lost or changed (``%(href)"``, ``%(name)S``).
_PERCENT_NO_CONVERSION = re.compile(r"%\s*[(\uff08]\s*(?P<name>[^()\uff08\uff09]*?)\s*[)\uff09]")
_PERCENT_SIGNS = re.compile("[%\uff05\ufe6a]")
_WORD = re.compile(r"\w+")

# --- pyramid-format -----------------------------------------------------------------------------

_NAME = r"[a-zA-Z][-a-zA-Z0-9_]*"  # translationstring's NAME_RE
_PYRAMID_STRICT = re.compile(rf"(?<!\$)\$(?:(?P<bare>{_NAME})|\{{(?P<braced>{_NAME})\}})")
_PYRAMID_BRACED = re.compile(rf"(?<!\$)\$\{{({_NAME})\}}")
# In a translation: what translationstring interpolates, then damaged forms.
_PYRAMID_TOKENS = re.compile(
    rf"(?<!\$)\$(?:(?P<bare>{_NAME})|\{{(?P<braced>{_NAME})\}})"
    r"|(?<![$\uff04\ufe69])[$\uff04\ufe69]\s*[{\uff5b]\s*(?P<inner>[^{}\uff5b\uff5d$\uff04]*?)\s*[}\uff5d]"
    rf"|[\uff04\ufe69](?P<wide>{_NAME})"
    rf"|[{{\uff5b]\s*(?P<nodollar>{_NAME})\s*[}}\uff5d]"
)
_BARE_BRACES = re.compile(rf"(?<!\$)\{{\s*({_NAME})\s*\}}")

# --- python-brace-format ------------------------------------------------------------------------

_FORMATTER = Formatter()
_FIRST_PART = re.compile(r"[^.\[]*")
# Braces an input method made full-width (one or both).
_WIDE_BRACES = re.compile(
    r"\uff5b\s*(?P<a>[^{}\uff5b\uff5d]*?)\s*[}\uff5d]|\{\s*(?P<b>[^{}\uff5b\uff5d]*?)\s*\uff5d"
)


# --- the check ----------------------------------------------------------------------------------

# Every placeholder-like token, and every trigger character outside one, in order.
_TOKEN = re.compile(r"%(?:\([^)]*\))?[^a-zA-Z%]*[a-zA-Z%]|\$\{[^}]*\}|\$[A-Za-z][-\w]*|\{[^{}]*\}"
                    r"|[{}%$\uff05\uff04\uff5b\uff5d\ufe6a\ufe69]")


@lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple:
    """A translation whose tokens equal its source's has nothing to report: the check is skipped."""
    return tuple(_TOKEN.findall(text))


def same_tokens(form: str, source: str) -> bool:
    """The form's placeholder-like tokens are the source's, in order: nothing to report."""
    return _tokens(form) == _tokens(source)


def check(entry: Entry, source_flags=None) -> Iterator[Problem]:
    """Placeholder problems of ``entry``'s translation, one Problem per problem (in all its forms).

    ``source_flags`` (the .pot's flags for the message, when the runner has them) are
    added to the entry's own.
    """
    forms = entry.forms
    if not any(forms):
        return
    msgid, plural = entry.msgid, entry.msgid_plural
    if not (TRIGGER.search(msgid) or (plural and TRIGGER.search(plural))
            or any(form and TRIGGER.search(form) for form in forms)):
        return
    flags = _FORMAT_FLAGS.intersection(entry.flags)
    if source_flags:
        flags |= _FORMAT_FLAGS.intersection(source_flags)
    source = _source(msgid, plural, frozenset(flags))
    is_plural = plural is not None
    if not is_plural and _tokens(forms[0]) == _tokens(msgid):
        return
    yield from one_per_form_set(((index, problem) for index, form in enumerate(forms) if form
                                 for problem in _check_form(source, form, "", is_plural)), is_plural)


def _check_form(source, form, label, is_plural):
    text = form
    if source.pyramid is not None:
        text, problems = _check_pyramid(source.pyramid, form, label, is_plural, source.brace)
        yield from problems
    elif "$" in form:
        for match in _PYRAMID_BRACED.finditer(form):
            if source.brace is not None and match[1] not in source.brace.fields:
                continue  # str.format reads {name} in it: the brace check reports that name
            yield Problem(UNKNOWN, f"{label}: {match.group()} is not a placeholder of the source "
                                   "(no ${...} there): it would be shown as written")
    if source.percent is not None:
        yield from _check_percent(source.percent, form, label, is_plural)
    elif "%" in form:
        for match in _PERCENT_STRICT.finditer(form):
            if match["name"] is not None and _WORD.fullmatch(match["name"]) and " " not in match["spec"] \
                    and match["conv"] != "%":
                yield Problem(UNKNOWN, f"{label}: {match.group()} is not a placeholder of the source "
                                       "(no %-placeholders there): it would be shown as written")
    if source.brace is not None:
        yield from _check_brace(source.brace, text, label, is_plural)


def _missing(label, is_plural, display):
    if is_plural:
        return Problem(MISSING_IN_PLURAL_FORM, f"{label} drops {display} of msgid_plural")
    return Problem(MISSING, f"{label} drops {display}")


def _unknown_and_missing(label, is_plural, unknown, missing):
    """Unknown placeholders (text, why) and dropped ones (as the source writes them).

    A renamed placeholder (``%(nom)s`` for ``%(name)s``) is one problem: each unknown one
    takes the place of a dropped one, which is then not reported again.
    """
    unknown = list(dict.fromkeys(unknown))
    for index, (text, why) in enumerate(unknown):
        instead = f" (instead of {missing[index]}?)" if index < len(missing) else ""
        yield Problem(UNKNOWN, f"{label}: {text} is not in the source{instead}{why}")
    for display in missing[len(unknown):]:
        yield _missing(label, is_plural, display)


# --- the source, parsed once per (msgid, msgid_plural, flags) -----------------------------------


@dataclass(frozen=True)
class _PercentSource:
    named: dict  # name -> (frozenset of conversion groups, text as written)
    required: frozenset  # names a form must keep (msgid's, or msgid_plural's for a plural)
    positional: tuple  # accepted lists of positional keys: msgid_plural's (first) and msgid's
    positional_texts: tuple  # the first list as written
    texts: frozenset  # every token as written, so a spaced one the source has is not "damaged"
    literal: bool  # the source has a lone % or a "% s": % is text there (Babel flags "100% sure")


@dataclass(frozen=True)
class _PyramidSource:
    names: dict  # name -> text as written
    required: frozenset
    texts: frozenset
    bare_braces: frozenset  # {name} without $ that the source has as text


@dataclass(frozen=True)
class _BraceSource:
    fields: dict  # "name" or "0" -> text as written
    required: frozenset


@dataclass(frozen=True)
class _Source:
    percent: _PercentSource | None
    pyramid: _PyramidSource | None
    brace: _BraceSource | None


@lru_cache(maxsize=16384)
def _source(msgid: str, plural: str | None, flags: frozenset) -> _Source:
    texts = (msgid,) if plural is None else (msgid, plural)
    main = texts[-1]  # what every form must keep: msgid, or msgid_plural for a plural entry
    pyramid = None
    if "no-" + PYRAMID not in flags and (PYRAMID in flags or any(_PYRAMID_BRACED.search(t) for t in texts)):
        pyramid = _pyramid_source(texts, main)
    percent = None
    if "no-" + PERCENT not in flags:
        parsed = [_percent_tokens(t) for t in texts]
        if PERCENT in flags or any(_clean_percent(token) for tokens in parsed for token in tokens):
            percent = _percent_source(parsed)
    brace = None
    if "no-" + BRACE not in flags:
        stripped = texts if pyramid is None else tuple(_PYRAMID_STRICT.sub("", t) for t in texts)
        brace = _brace_source(stripped, BRACE in flags)
    return _Source(percent, pyramid, brace)


def _percent_source(parsed) -> _PercentSource:
    named, lists, all_texts, lone = {}, [], set(), False
    for tokens in parsed:
        keys, texts = [], []
        for token in tokens:
            kind, name, key, text = token
            all_texts.add(text)
            if kind == "lone" or (kind in ("mangled", "spaced") and name is None and text[0] == "%"):
                lone = True
            elif kind in ("placeholder", "spaced") and name is not None:
                groups, first = named.get(name, (frozenset(), text))
                named[name] = (groups | {key}, first)
            elif kind == "placeholder":
                keys.append(key)
                texts.append(text)
        lists.append((tuple(keys), tuple(texts)))
    main_names = frozenset(t[1] for t in parsed[-1] if t[0] == "placeholder" and t[1] is not None)
    accepted = tuple(dict.fromkeys(keys for keys, _ in reversed(lists)))
    return _PercentSource(named, main_names, accepted, lists[-1][1], frozenset(all_texts), lone)


def _pyramid_source(texts, main) -> _PyramidSource:
    names, all_texts, bare = {}, set(), set()
    for text in texts:
        for match in _PYRAMID_STRICT.finditer(text):
            name = match["bare"] or match["braced"]
            names.setdefault(name, "${%s}" % name if match["braced"] else "$" + name)
        for match in _PYRAMID_TOKENS.finditer(text):
            all_texts.add(match.group())
        bare.update(_BARE_BRACES.findall(text))
    required = frozenset(m["bare"] or m["braced"] for m in _PYRAMID_STRICT.finditer(main))
    return _PyramidSource(names, required, frozenset(all_texts), frozenset(bare))


def _brace_source(texts, flagged) -> _BraceSource | None:
    fields, per_text = {}, []
    for text in texts:
        try:
            found = [field for field in _brace_fields(text) if field[0] is not None]
        except ValueError:
            return None  # not a format string: nothing to compare with
        per_text.append(found)
        for key, display, _ in found:
            fields.setdefault(key, display)
    if flagged:
        if not any("{" in t or "}" in t for t in texts):
            return None  # only Pyramid's ${...} had braces
    elif not fields or not all(key.isdigit() or key.isidentifier() for key in fields):
        return None
    return _BraceSource(fields, frozenset(key for key, _, _ in per_text[-1]))


# --- python-format ------------------------------------------------------------------------------


def _percent_tokens(text):
    """(kind, name, key, text) for each % of ``text``; kind is placeholder, spaced, mangled, escape or lone.

    ``key`` is the conversion group, with a ``*`` for each argument a star width takes.
    """
    tokens, position = [], 0
    while True:
        sign = _PERCENT_SIGNS.search(text, position)
        if sign is None:
            return tokens
        start = sign.start()
        if text[start] == "%":
            match = _PERCENT_STRICT.match(text, start)
            if match:
                position = match.end()
                if match.group() == "%%":
                    tokens.append(("escape", None, None, "%%"))
                    continue
                if match["conv"] == "%":  # `%(x) %(y)s`: Python raises; the second % starts the next one
                    position -= 1
                    tokens.append(("mangled" if match["name"] else "lone", match["name"], None,
                                   match.group()[:-1].rstrip()))
                    continue
                name, spec = match["name"], match["spec"]
                kind = "placeholder"
                if name is not None and name != name.strip():
                    kind = "mangled"  # a KeyError: the spaces are part of the key
                elif " " in spec:
                    kind = "spaced"  # the space is a conversion flag: it renders all the same
                tokens.append((kind, name.strip() if name is not None else None, _key(spec, match["conv"]),
                               match.group()))
                continue
        match = _PERCENT_LOOSE.match(text, start)
        if match and (match["name"] is not None
                      or (text[start] != "%" and not any(c.isspace() for c in match.group()))):
            position = match.end()
            tokens.append(("mangled", match["name"], _key(match["spec"], match["conv"]), match.group()))
            continue
        match = _PERCENT_NO_CONVERSION.match(text, start) if text[start] == "%" else None
        if match:
            position = match.end()
            tokens.append(("mangled", match["name"], None, match.group()))
            continue
        if text[start] == "%":
            tokens.append(("lone", None, None, "%"))
        position = start + 1


def _key(spec, conv):
    return "*" * spec.count("*") + _GROUPS.get(conv, conv)


def _clean_percent(token):
    kind, name, _, text = token
    return kind == "placeholder" and (name is None or _WORD.fullmatch(name)) and " " not in text


def _check_percent(source: _PercentSource, form, label, is_plural):
    seen, keys, texts, unknown, positional_unknown, spaced = set(), [], [], [], False, {}
    for kind, name, key, text in _percent_tokens(form):
        if kind == "escape":
            continue
        if kind == "lone" or (kind == "spaced" and name is None):
            if text in source.texts or source.literal:
                continue
            if kind == "spaced" and any(source.positional):
                spaced[len(keys)] = text
                keys.append(key)
                texts.append(text)
            elif kind == "lone":
                positional_unknown = True  # the % stands for a placeholder: one problem, not also a count
                yield Problem(MANGLED, f"{label}: a % that is not a placeholder: str % args raises "
                                       "ValueError; write %% for a percent sign")
            else:
                yield Problem(MANGLED, f"{label}: Python reads {text!r} as a placeholder; "
                                       "write %% for a percent sign")
            continue
        if kind == "spaced" and text not in source.texts and key in source.named.get(name, ((key,),))[0]:
            yield _spacing(label, text)  # (a different conversion is the problem reported)
        if kind == "mangled" and text not in source.texts:
            if name is not None:
                known = source.named.get(name)
                yield _damaged(label, text, known[1] if known else None)
                if known:
                    seen.add(name)
            else:
                at = len(keys)
                stands_for = source.positional_texts[at] if at < len(source.positional_texts) else None
                yield _damaged(label, text, stands_for)
                positional_unknown = True  # the count is off by it: one problem
            continue
        if name is not None:
            known = source.named.get(name)
            if known is None:
                unknown.append((text, ": the source's are positional" if any(source.positional) else ""))
                positional_unknown = True
            else:
                seen.add(name)
                if key not in known[0]:
                    yield _conversion(label, text, known[1], key, next(iter(known[0])))
        elif not any(source.positional):
            unknown.append((text, ": the source's are named" if source.named else ""))
            positional_unknown = True
        else:
            keys.append(key)
            texts.append(text)
    missing = [source.named[name][1] for name in sorted(source.required - seen)]
    yield from _unknown_and_missing(label, is_plural, unknown, missing)
    if spaced and tuple(keys) not in source.positional \
            and tuple(key for at, key in enumerate(keys) if at not in spaced) in source.positional:
        for text in spaced.values():  # `50 % de` where the source has %s: not a placeholder
            yield Problem(MANGLED, f"{label}: Python reads {text!r} as a placeholder; write %% for a percent sign")
        return
    for text in spaced.values():
        yield _spacing(label, text)
    if any(source.positional) and not positional_unknown and tuple(keys) not in source.positional:
        expected, expected_texts = source.positional[0], source.positional_texts
        if len(keys) != len(expected):
            yield Problem(MISMATCH, f"{label} has {len(keys)} positional placeholders "
                                    f"({', '.join(texts) or 'none'}), the source {len(expected)} "
                                    f"({', '.join(expected_texts)})")
        else:
            for got, want, got_text, want_text in zip(keys, expected, texts, expected_texts):
                if got != want:
                    yield _conversion(label, got_text, want_text, got, want)


def _conversion(label, text, source_text, key, source_key):
    """%s takes any value, so it renders where the source has %d (without its formatting); others may raise."""
    if key.lstrip("*") in _ANY_VALUE and key.count("*") == source_key.count("*"):
        return Problem(CONVERSION, f"{label}: {text} where the source has {source_text}: it renders, "
                                   "without the source's formatting")
    return Problem(MISMATCH, f"{label}: {text} is where the source has {source_text}")


# --- pyramid-format -----------------------------------------------------------------------------


def _check_pyramid(source: _PyramidSource, form, label, is_plural, brace):
    """Problems, and the form with Pyramid placeholders taken out for the brace check."""
    problems, seen, cut, unknown = [], set(), [], []
    for match in _PYRAMID_TOKENS.finditer(form):
        text = match.group()
        name = match["bare"] or match["braced"]
        if name is not None:
            if name in source.names:
                seen.add(name)
            else:
                unknown.append((text, ": it would be shown as written"))
            if match["braced"]:
                cut.append(match.span())
            continue
        if text in source.texts:
            continue
        if match["inner"] is not None:
            name = match["inner"]
        else:
            name = match["wide"] or match["nodollar"]
            if name not in source.names or name in source.bare_braces \
                    or (match["nodollar"] and brace is not None and name in brace.fields):
                continue  # text, or a brace field
        known = source.names.get(name)
        problems.append(_damaged(label, text, known))
        if known:
            seen.add(name)
        cut.append(match.span())
    missing = [source.names[name] for name in sorted(source.required - seen)]
    problems.extend(_unknown_and_missing(label, is_plural, unknown, missing))
    if cut and brace is not None:
        pieces, position = [], 0
        for start, end in cut:
            pieces.append(form[position:start])
            position = end
        pieces.append(form[position:])
        form = "".join(pieces)
    return form, problems


# --- python-brace-format ------------------------------------------------------------------------


def _brace_fields(text):
    """(key, display, as written) for each replacement field, nested ones included.

    Raises ValueError as ``str.format`` would for a single ``{`` or ``}``.
    """
    found, auto, manual = [], 0, False
    pending = [text]
    while pending:
        for _, field, spec, _ in _FORMATTER.parse(pending.pop(0)):
            if field is None:
                continue
            first = _FIRST_PART.match(field).group()
            if first == "":
                found.append((str(auto), "{} (#%d)" % (auto + 1), "{%s}" % field))
                auto += 1
            else:
                manual = manual or first.isdigit()
                found.append((first, "{%s}" % first, "{%s}" % field))
            if spec and ("{" in spec or "}" in spec):
                pending.append(spec)
    if auto and manual:
        found.append((None, None, None))  # marks "{} and {0} mixed"
    return found


def _check_brace(source: _BraceSource, form, label, is_plural):
    seen, unknown = set(), []
    if "\uff5b" in form or "\uff5d" in form:
        problems = []

        def wide(match):
            name = (match["a"] if match["a"] is not None else match["b"]).strip()
            if name == "" and "0" in source.fields:
                problems.append(_damaged(label, match.group(), "{}"))  # which of them is not known
                return "{}"
            if name not in source.fields:
                return match.group()  # text
            problems.append(_damaged(label, match.group(), source.fields[name]))
            seen.add(name)
            return ""

        form = _WIDE_BRACES.sub(wide, form)
        yield from problems
    try:
        fields = _brace_fields(form)
    except ValueError as exc:
        yield Problem(MANGLED, f"{label}: {exc} (a single brace: write {{{{ or }}}} for a literal one)")
        return
    if fields and fields[-1][0] is None:
        yield Problem(MISMATCH, f"{label} mixes {{}} and numbered fields ({{0}}): str.format raises ValueError")
        return
    written_keys = {key for key, _, _ in fields}
    for key, display, written in fields:
        if key in source.fields:
            seen.add(key)
        elif key != key.strip() or not key.strip():
            stripped = key.strip() or next((k for k in sorted(source.fields, key=_field_order)
                                            if k.isdigit() and k not in seen | written_keys), "")  # `{ }` for `{}`
            known = source.fields.get(stripped)
            yield _damaged(label, written, known)
            if known:
                seen.add(stripped)
        else:
            unknown.append((written, ""))
    missing = [source.fields[key] for key in sorted(source.required - seen, key=_field_order)]
    yield from _unknown_and_missing(label, is_plural, unknown, missing)


def _spacing(label: str, written: str) -> Problem:
    return Problem(SPACING, f"{label}: {written!r} has a space Python reads as a flag; write "
                            f"{written.replace(' ', '')}")


def _damaged(label: str, written: str, stands_for: str | None) -> Problem:
    return Problem(MANGLED, f"{label}: {written!r} is a damaged placeholder"
                            + (f" (for {stands_for})" if stands_for else ""))


def _field_order(key):
    return (0, int(key), "") if key.isdigit() else (1, 0, key)
