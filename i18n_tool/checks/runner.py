"""Running every check over catalogs and turning problems into findings."""

from dataclasses import replace
from pathlib import Path

from i18n_tool.catalog import po as po_format
from i18n_tool.checks import RULES, entries, headers, markup, placeholders
from i18n_tool.checks.batch import CatalogResult
from i18n_tool.findings import Finding


def entry_problems(entry, nplurals, compiling=False):
    """Every problem of one active entry (for ``compiling``, only what can stop compilation).

    Most entries are translated, not plural, not fuzzy, and keep their source's placeholders
    and tags token for token: a few string tests show that, and the checks are not run.
    """
    if entry.msgid_plural is not None or "fuzzy" in entry.flags:
        yield from _general_problems(entry, nplurals, compiling)
        return
    form, msgid = entry.msgstr, entry.msgid
    if not form:
        return
    if (placeholders.TRIGGER.search(msgid) or placeholders.TRIGGER.search(form)) \
            and not placeholders.same_tokens(form, msgid):
        yield from placeholders.check(entry)
    if ("<" in msgid or "<" in form) and not markup.same_tags(form, msgid):
        yield from markup.check(entry)
    if ("\n" in msgid or "\n" in form) and not compiling:
        yield from entries.newlines(entry)


def _general_problems(entry, nplurals, compiling):
    yield from entries.plural_count(entry, nplurals)
    if entry.is_plural and nplurals and len(entry.msgstr) > nplurals:
        entry = replace(entry, msgstr=entry.msgstr[:nplurals])  # gettext never shows the others
    if compiling and entry.fuzzy:
        return  # never compiled: its problems are warnings
    yield from entries.fuzzy(entry)
    forms = entry.forms
    if not any(forms):
        return
    text = "".join((entry.msgid, entry.msgid_plural or "", *forms))
    if placeholders.TRIGGER.search(text):
        yield from placeholders.check(entry)
    if "<" in text:
        yield from markup.check(entry)
    if "\n" in text and not compiling:
        yield from entries.newlines(entry)


def locale_of(path: str, po) -> str | None:
    """The header's Language, else the ``<locale>/LC_MESSAGES/`` folder the file is in."""
    if po is not None and po.language:
        return po.language.replace("-", "_")
    parts = Path(path).parts
    return parts[-3] if len(parts) >= 3 and parts[-2] == "LC_MESSAGES" else None


def check_file(path, settings=None, compiling=False, data: bytes | None = None) -> CatalogResult:
    """All findings of one .po (or .pot) file (``data``: its content, when read already);
    a file that cannot be parsed gives one po-syntax error."""
    path = str(path)
    try:
        po = po_format.parse_file(path) if data is None else po_format.parse(data, path)
    except po_format.PoSyntaxError as exc:
        finding = Finding(exc.path, exc.line, "error", "po-syntax", exc.message, exc.col)
        return CatalogResult(path, locale_of(path, None), [finding])
    result = CatalogResult(path, locale_of(path, po), po=po)
    result.findings = check_po(po, result.locale, settings, path.endswith(".pot"), compiling)
    return result


def check_po(po, locale, settings=None, template=False, compiling=False) -> list:
    found = []

    def add(problem, entry=None):
        severity = RULES[problem.code].severity
        if entry is not None and entry.fuzzy:
            severity = "warning"  # fuzzy entries are never compiled
        line = problem.line or (entry.msgstr_line if entry is not None else None)
        message = problem.message + (_template_reference(entry) if entry is not None else "")
        found.append(Finding(po.path, line, severity, problem.code, message, None, locale,
                             entry.msgid if entry is not None else None))

    for problem in headers.check(po, template):
        add(problem)
    active = po.active
    for entry, problem in entries.duplicates(active):
        add(problem, entry)
    nplurals = None if template else headers.nplurals(po)
    for entry in active:
        for problem in entry_problems(entry, nplurals, compiling):
            add(problem, entry)
    if settings is not None and not template:
        for problem in catalog_problems(po, locale, settings):
            add(problem)
    return sorted(found, key=lambda finding: finding.line or 0)


def _template_reference(entry) -> str:
    references = entry.references()
    if not references:
        return ""
    name, line = references[0]
    return f" (used at {name}:{line})" if line else f" (used in {name})"


def coverage(po) -> float:
    """Percent of active entries translated in every form."""
    active = po.active
    return 100.0 * sum(entry.complete for entry in active) / len(active) if active else 100.0


def catalog_problems(po, locale, settings):
    from i18n_tool.checks import Problem

    minimum = settings.coverage_for(locale) if locale else None
    percent = coverage(po)
    if minimum is not None and percent < minimum:
        yield Problem("coverage-below-minimum", f"{locale} is {percent:.1f} % translated, below the "
                                                f"minimum of {minimum:g} %")
    obsolete = len(po.obsolete)
    if obsolete > settings.obsolete_limit:
        yield Problem("obsolete-piling-up", f"{obsolete} obsolete entries (limit {settings.obsolete_limit}); "
                                            "remove the ones no longer worth keeping")
