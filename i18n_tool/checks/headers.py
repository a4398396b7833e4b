"""Checks of the header entry: charset, Language, Plural-Forms."""

import gettext
from functools import lru_cache

from babel import UnknownLocaleError
from babel.messages.plurals import get_plural

from i18n_tool.catalog.po import known_codec
from i18n_tool.checks import Problem
from i18n_tool.locales import is_valid_locale
from i18n_tool.pseudo import PSEUDO_LOCALES

PLURAL_SAMPLE = range(0, 1001)  # n values a plural expression is evaluated for


def check(po, template: bool = False):
    """Problems of ``po``'s header; a template (.pot) needs no Language or Plural-Forms."""
    if po.header is None:
        yield Problem("header-missing", 'no header entry (msgid "")', line=1)
        return
    line = po.header.msgstr_line
    yield from _charset(po, line)
    if not template:
        yield from _language(po, line)
        yield from _plural_forms(po, line)


def nplurals(po) -> int | None:
    """The nplurals gettext uses for ``po``: the header's, or 2 (its default, n != 1) without Plural-Forms."""
    return po.nplurals if po.header_field("Plural-Forms") else 2


def _charset(po, line):
    content_type = po.header_field("Content-Type") or ""
    _, _, charset = content_type.partition("charset=")
    charset = charset.split(";")[0].strip()
    if not charset:
        yield Problem("header-charset", "the Content-Type header names no charset", line)
    elif not known_codec(charset):
        yield Problem("header-charset", f"unknown charset {charset!r}", line)


def _language(po, line):
    language = po.language
    if not language:
        yield Problem("header-language", "no Language header", line)
    elif language not in PSEUDO_LOCALES and not is_valid_locale(language, pseudo=False):
        yield Problem("header-language", f"Language {language!r} is not a locale", line)


def _plural_forms(po, line):
    value = po.header_field("Plural-Forms")
    if value:
        problem = plural_forms_problem(value)
        if problem:
            yield Problem("header-plural-forms", problem, line)
        return
    if not any(entry.is_plural and entry.translated for entry in po.active):
        return  # gettext's default is never used
    language = po.language or ""
    rule = _cldr_plural_forms(language.replace("-", "_")) if language else None
    wrong = _first_difference(rule) if rule else None
    if wrong is None:
        yield Problem("header-plural-forms-default",
                      "no Plural-Forms header: gettext's default (n != 1) is used"
                      + (f", which is {language}'s rule; write Plural-Forms: {rule}" if rule else ""), line)
    else:
        yield Problem("header-plural-forms",
                      f"no Plural-Forms header: gettext's default (n != 1) picks msgstr[{wrong[1]}] for n={wrong[0]}, "
                      f"where {language} needs msgstr[{wrong[2]}]; add Plural-Forms: {rule}", line)


@lru_cache(maxsize=64)
def _cldr_plural_forms(language: str) -> str | None:
    """Babel's (CLDR) Plural-Forms for ``language``, None when it knows no such locale."""
    try:
        return str(get_plural(language))
    except (ValueError, UnknownLocaleError):
        return None


def _first_difference(plural_forms: str):
    """(n, gettext's default index, the rule's index) for the first n on which they differ, or None."""
    choose = gettext.c2py(plural_forms.partition("plural=")[2].rstrip("; "))
    return next(((n, int(n != 1), choose(n)) for n in PLURAL_SAMPLE if choose(n) != int(n != 1)), None)


@lru_cache(maxsize=64)
def plural_forms_problem(value: str) -> str | None:
    """Why ``nplurals=N; plural=EXPR;`` is unusable, or None."""
    fields = dict(part.strip().partition("=")[::2] for part in value.split(";") if part.strip())
    nplurals = fields.get("nplurals", "").strip()
    if not nplurals.isdigit() or int(nplurals) < 1:
        return f"Plural-Forms has no usable nplurals: {value!r}"
    if "plural" not in fields:
        return f"Plural-Forms has no plural expression: {value!r}"
    try:
        choose = gettext.c2py(fields["plural"].strip())
    except (ValueError, SyntaxError, RecursionError):
        return f"cannot parse the plural expression {fields['plural'].strip()!r}"
    bad = next((n for n in PLURAL_SAMPLE if not 0 <= choose(n) < int(nplurals)), None)
    if bad is not None:
        return f"the plural expression gives form {choose(bad)} for n={bad}, but nplurals={nplurals}"
    return None
