"""Catalog checks: a table of rules (code, severity, description) and small functions.

Entry checks are ``check(entry, source_flags) -> Iterable[Problem]``; the runner
(``i18n_tool.checks.runner``) turns problems into findings with the file, line, locale
and msgid, and makes them warnings for fuzzy entries, which are never compiled.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # "error" or "warning"
    description: str


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    line: int | None = None  # the .po line, when not the entry's msgstr line


RULES = {rule.code: rule for rule in (
    Rule("po-syntax", "error", "The file is not a readable .po file (reported with line and column; exit 2)."),
    Rule("duplicate-entry", "error", "The same msgctxt and msgid appear twice."),
    Rule("header-missing", "error", "No header entry (msgid \"\")."),
    Rule("header-charset", "error", "The Content-Type header has no charset, or one Python does not know."),
    Rule("header-language", "error", "The Language header is missing or is not a locale."),
    Rule("header-plural-forms", "error",
         "Plural-Forms cannot be parsed or its plural expression gives an index >= nplurals; or it is missing "
         "from a catalog with translated plurals whose language's CLDR rule is not gettext's default n != 1."),
    Rule("plural-forms-count", "error",
         "A plural message has fewer msgstr[N] than nplurals (some numbers show the source text)."),
    Rule("placeholder-unknown", "error",
         "The translation has a placeholder the source does not (%(name)s / %s, {name}, ${name}): "
         "a KeyError at run time, or the placeholder shown to users."),
    Rule("placeholder-missing", "error",
         "A non-plural translation drops a placeholder of the source (a dropped %(href)s is a dead link)."),
    Rule("placeholder-mismatch", "error",
         "Positional placeholders (%s, %d, {}) differ in number from the source's, or a conversion that "
         "cannot take the source's value (%(n)d for %(n)s raises TypeError for a string)."),
    Rule("placeholder-mangled", "error",
         "A placeholder was damaged in translation: full-width (％(x)s), spaced where it breaks (% (x) s, %( x )s, "
         "$ {x}, { x }), without its conversion (%(x)), or unbalanced braces."),
    Rule("html-unbalanced", "error",
         "Tags in the translation do not balance as an HTML tokenizer reads them (`< / a>` is text, not a tag)."),
    Rule("html-unsafe", "error",
         "The translation adds <script>, <style>, <iframe> and the like, an on* handler or a javascript: URL "
         "(translations render as markup: an XSS hole)."),
    Rule("coverage-below-minimum", "error", "A locale's translated share is below its configured min-coverage."),
    Rule("locale-missing", "error", "A configured (or required) locale has no catalog."),
    Rule("html-differs", "warning", "Balanced markup in the translation differs from the source's."),
    Rule("header-plural-forms-default", "warning",
         "Plural-Forms is missing; gettext's default (n != 1) is the language's rule, so plurals work."),
    Rule("plural-forms-extra", "warning", "A plural message has more msgstr[N] than nplurals (never shown)."),
    Rule("placeholder-spacing", "warning",
         "A space Python reads as a conversion flag: %(name) s renders like %(name)s (% d adds a sign space)."),
    Rule("placeholder-conversion", "warning",
         "%s, %r or %a where the source has another conversion (%(n)s for %(n)d): it renders, unformatted."),
    Rule("placeholder-missing-in-plural-form", "warning",
         "One form of a plural translation drops a placeholder (msgfmt -c allows it; often on purpose)."),
    Rule("fuzzy", "warning", "A fuzzy entry: not compiled, so users see the source text."),
    Rule("newline-mismatch", "warning", "The translation does not start and end with newlines as the source does."),
    Rule("obsolete-piling-up", "warning", "More obsolete (#~) entries than the configured obsolete-limit."),
)}


def one_per_form_set(found, plural: bool, singular: str = "msgstr", separator: str = ""):
    """One Problem per (code, message) of an entry, naming every form it was found in.

    ``found`` yields (form index, problem) with messages that follow a form's label: the
    label is ``singular`` for a non-plural entry, else ``msgstr[0], msgstr[2]`` and ``separator``.
    """
    forms = {}
    for index, problem in found:
        indexes = forms.setdefault((problem.code, problem.message), [])
        if index not in indexes:
            indexes.append(index)
    for (code, message), indexes in forms.items():
        label = ", ".join(f"msgstr[{index}]" for index in indexes) + separator if plural else singular
        yield Problem(code, label + message)
